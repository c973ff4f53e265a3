import { useState } from "react";
import { ProblemNotice } from "../../components/problem-notice";
import type { BookSeriesInput, BookingView, Job } from "../../lib/api-schemas";
import { BookingProgress } from "./booking-progress";
import { FairTimeStep } from "./fair-time-step";
import { useBookSeries } from "./use-booking";

type Phase = { kind: "choose" } | { kind: "booking"; jobId: string; slot?: BookSeriesInput };

/**
 * Fair time → book → progress, for one circle. A circle whose booking already started (e.g. the
 * page was reloaded) opens on its progress.
 */
export function CircleBooking({
  circleId,
  booking,
  viewerTimeZone,
  onBooked,
  onFinished,
}: {
  circleId: string;
  booking?: BookingView | null;
  viewerTimeZone: string;
  /** The user asked to see the booked series. */
  onBooked: () => void;
  onFinished?: (job: Job) => void;
}) {
  const [phase, setPhase] = useState<Phase>(() => (booking ? { kind: "booking", jobId: booking.jobId } : { kind: "choose" }));
  const book = useBookSeries(circleId);

  const start = (slot: BookSeriesInput) => {
    book.mutate(slot, { onSuccess: ({ jobId }) => setPhase({ kind: "booking", jobId, slot }) });
  };

  if (phase.kind === "choose") {
    return (
      <>
        <FairTimeStep
          circleId={circleId}
          viewerTimeZone={viewerTimeZone}
          booking={book.isPending}
          onBook={start}
        />
        {book.isError && <BookError error={book.error} />}
      </>
    );
  }
  const { slot } = phase;
  return (
    <BookingProgress
      jobId={phase.jobId}
      onRetry={slot ? () => start(slot) : undefined}
      retrying={book.isPending}
      retryError={book.isError ? book.error : undefined}
      onChooseAgain={() => setPhase({ kind: "choose" })}
      onSucceeded={onBooked}
      onFinished={onFinished}
    />
  );
}

function BookError({ error }: { error: unknown }) {
  return <ProblemNotice title="The booking didn't start." error={error} />;
}
