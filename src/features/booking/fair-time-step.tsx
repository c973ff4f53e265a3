import {
  Badge,
  Button,
  Caption1,
  Field,
  Input,
  Radio,
  RadioGroup,
  Skeleton,
  SkeletonItem,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useId, useState } from "react";
import type { FormEvent } from "react";
import { ProblemNotice } from "../../components/problem-notice";
import type { MemberTime, SlotSearchResult, SlotSuggestion } from "../../lib/api-schemas";
import { formatCalendarDate, formatDateTime } from "../../lib/zoned-time";
import { useSlotSuggestions } from "./use-booking";

const useStyles = makeStyles({
  step: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  title: { margin: 0 },
  search: { display: "flex", flexWrap: "wrap", alignItems: "flex-end", gap: tokens.spacingHorizontalS },
  slots: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  slot: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  selected: { border: `${tokens.strokeWidthThick} solid ${tokens.colorBrandStroke1}` },
  details: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS, paddingLeft: tokens.spacingHorizontalXXL },
  plain: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  rotation: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  actions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
});

/**
 * Fair time: the five best recurring times for the circle, each explained — every member's local
 * time (and how daylight saving shifts it), which dates clash for whom, who is outside their
 * working hours — plus a rotation when no single time is kind to everyone. Pick one, then book.
 */
export function FairTimeStep({
  circleId,
  viewerTimeZone,
  onBook,
  booking,
}: {
  circleId: string;
  viewerTimeZone: string;
  onBook: (slot: SlotSuggestion) => void;
  /** A booking request is on its way. */
  booking: boolean;
}) {
  const styles = useStyles();
  const headingId = useId();
  const [startOnText, setStartOnText] = useState("");
  const [startOn, setStartOn] = useState<string>();
  const [chosen, setChosen] = useState<string>();
  const slots = useSlotSuggestions(circleId, startOn);

  const search = (event: FormEvent) => {
    event.preventDefault();
    setChosen(undefined);
    setStartOn(/^\d{4}-\d{2}-\d{2}$/.test(startOnText) ? startOnText : undefined);
  };

  const chosenSlot = slots.data?.slots.find((s) => s.start === chosen);
  return (
    <div className={styles.step}>
      <Subtitle2 as="h3" id={headingId} className={styles.title}>
        Find a fair time
      </Subtitle2>
      <Text>We checked everyone's calendar and working hours over the whole series. Times are shown in your zone, {viewerTimeZone}.</Text>
      <form className={styles.search} onSubmit={search}>
        <Field label="Earliest first session" hint="Leave empty to start next week.">
          <Input type="date" value={startOnText} onChange={(_, d) => setStartOnText(d.value)} />
        </Field>
        <Button type="submit">Search again</Button>
      </form>
      {slots.isPending && (
        <Skeleton aria-label="Finding fair times">
          <SkeletonItem size={72} />
          <SkeletonItem size={72} />
        </Skeleton>
      )}
      {slots.isError && <ProblemNotice title="We couldn't find times." error={slots.error} onRetry={() => void slots.refetch()} />}
      {slots.data && slots.data.slots.length === 0 && (
        <Text>No recurring time fits this circle from that date. Try a later start, or a shorter session.</Text>
      )}
      {slots.data && slots.data.slots.length > 0 && (
        <>
          <RadioGroup aria-labelledby={headingId} value={chosen ?? ""} onChange={(_, d) => setChosen(d.value)}>
            <ul className={styles.slots} aria-label="Suggested times">
              {slots.data.slots.map((slot, index) => (
                <SlotItem key={slot.start} slot={slot} rank={index} viewerTimeZone={viewerTimeZone} selected={slot.start === chosen} />
              ))}
            </ul>
          </RadioGroup>
          {slots.data.rotation && <RotationNote result={slots.data} viewerTimeZone={viewerTimeZone} />}
          <div className={styles.actions}>
            <Button appearance="primary" disabled={!chosenSlot || booking} onClick={() => chosenSlot && onBook(chosenSlot)}>
              {booking ? "Starting the booking…" : "Book this time"}
            </Button>
          </div>
        </>
      )}
    </div>
  );
}

function nameOf(slot: SlotSuggestion, upn: string): string {
  return slot.memberTimes.find((m) => m.upn.toLowerCase() === upn.toLowerCase())?.displayName ?? upn;
}

function SlotItem({ slot, rank, viewerTimeZone, selected }: { slot: SlotSuggestion; rank: number; viewerTimeZone: string; selected: boolean }) {
  const styles = useStyles();
  const detailsId = useId();
  const when = formatDateTime(slot.start, viewerTimeZone);
  return (
    <li className={selected ? `${styles.slot} ${styles.selected}` : styles.slot}>
      <Radio value={slot.start} label={`${rank === 0 ? "Best: " : ""}first session ${when} (your time)`} aria-describedby={detailsId} />
      <div className={styles.details} id={detailsId}>
        <Text>{slot.explanation}</Text>
        <Caption1>Each member's local time</Caption1>
        <ul className={styles.plain}>
          {slot.memberTimes.map((member) => (
            <li key={member.upn}>
              <Text size={200}>{describeMemberTime(member)}</Text>
            </li>
          ))}
        </ul>
        {slot.conflicts.length === 0 ? (
          <Text size={200}>No conflicts over the whole series.</Text>
        ) : (
          <Text size={200}>
            {`${slot.conflicts.length === 1 ? "1 conflict" : `${slot.conflicts.length} conflicts`}: `}
            {slot.conflicts.map((c) => `${formatCalendarDate(c.date)} (${c.members.map((upn) => nameOf(slot, upn)).join(", ")})`).join("; ")}
          </Text>
        )}
        {slot.outsideWorkingHours.length > 0 && (
          <div>
            <Badge appearance="tint" color="warning">
              Outside working hours
            </Badge>{" "}
            <Text size={200}>{`for ${slot.outsideWorkingHours.map((upn) => nameOf(slot, upn)).join(", ")}`}</Text>
          </div>
        )}
      </div>
    </li>
  );
}

/** "Priya Raman: 15:00 (Europe/London); from 30 Mar 2026: 16:00 (daylight saving)" */
export function describeMemberTime(member: MemberTime): string {
  const shifts = member.shifts.map((s) => `after ${formatCalendarDate(s.after)}: ${s.localTime}`);
  const base = `${member.displayName}: ${member.localTime} (${member.timeZone})`;
  return shifts.length === 0 ? base : `${base}; ${shifts.join("; ")} (daylight saving shifts their local time)`;
}

function RotationNote({ result, viewerTimeZone }: { result: SlotSearchResult; viewerTimeZone: string }) {
  const styles = useStyles();
  const rotation = result.rotation!;
  const names = new Map([...result.slots, ...rotation.slots].flatMap((s) => s.memberTimes).map((m) => [m.upn.toLowerCase(), m.displayName]));
  return (
    <section className={styles.rotation} aria-label="Rotating time proposal">
      <Text weight="semibold">No single time is within everyone's working hours</Text>
      <Text>{rotation.explanation}</Text>
      <ul className={styles.plain}>
        {rotation.slots.map((slot) => (
          <li key={slot.start}>
            <Text size={200}>{`Alternating: first at ${formatDateTime(slot.start, viewerTimeZone)} (your time)`}</Text>
          </li>
        ))}
      </ul>
      <ul className={styles.plain}>
        {rotation.burden.map((b) => (
          <li key={b.upn}>
            <Text size={200}>{`${names.get(b.upn.toLowerCase()) ?? b.upn}: ${b.outsideSessions === 1 ? "1 session" : `${b.outsideSessions} sessions`} outside working hours`}</Text>
          </li>
        ))}
      </ul>
      <Caption1>Booking a rotating time isn't available yet: book the fairest single time above, then move the sessions that hurt most from the circle page.</Caption1>
    </section>
  );
}
