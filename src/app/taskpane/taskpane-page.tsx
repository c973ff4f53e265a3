import { Body1, Link, makeStyles, tokens } from "@fluentui/react-components";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { PageShell } from "../../components/page-shell";
import { InfoNotice } from "../../components/problem-notice";
import { SignInGate } from "../../components/sign-in-gate";
import { BookingProgress } from "../../features/booking/booking-progress";
import { CircleBooking } from "../../features/booking/circle-booking";
import { jobQueryKey } from "../../features/booking/use-booking";
import { CirclePage } from "../../features/circles/circle-page";
import { CirclePicker } from "../../features/circles/circle-picker";
import { CreateCircleDialog } from "../../features/circles/create-circle-dialog";
import type { MemberPickerSlotProps } from "../../features/circles/create-circle-dialog";
import { FormatPicker } from "../../features/circles/format-picker";
import { circleQueryKey, useCircle } from "../../features/circles/use-circle";
import { circlesQueryKey } from "../../features/circles/use-circles";
import { MakeSessionForm } from "../../features/outlook/make-session-form";
import { PeoplePicker } from "../../features/people/people-picker";
import { useMe } from "../../features/profile/use-me";
import type { AppointmentComposer } from "../../host";
import { useHost } from "../../host";

const useStyles = makeStyles({
  stack: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
});

/** The Outlook add-in's task pane (appointment compose); standalone it books through the API. */
export function TaskpanePage() {
  return (
    <PageShell title="Coaching Circles">
      <TaskpaneBody />
    </PageShell>
  );
}

const renderMemberPicker = (props: MemberPickerSlotProps) => <PeoplePicker {...props} />;

function TaskpaneBody() {
  const host = useHost();
  const [composer] = useState(() => host.office?.getAppointmentComposer());
  if (!host.office) return <Standalone sandbox={Boolean(host.sandboxUrl)} />;
  if (!composer) {
    return (
      <InfoNotice title="Open a meeting you're organising.">
        Coaching Circles works on meetings while you compose them. Create a new meeting, or open one you organise, and
        open this pane again.
      </InfoNotice>
    );
  }
  return <InOutlook composer={composer} />;
}

/** In an appointment being composed: pick (or create) a circle and a format, then change the draft. */
function InOutlook({ composer }: { composer: AppointmentComposer }) {
  const me = useMe();
  const queryClient = useQueryClient();
  const [circleId, setCircleId] = useState<string>();
  const [formatId, setFormatId] = useState("");
  /** "See upcoming sessions" once the linked meeting is set up: the circle's page, here in the pane. */
  const [openCircleId, setOpenCircleId] = useState<string>();
  const viewer = me.data ? { upn: me.data.userPrincipalName, timeZone: me.data.timeZone } : undefined;
  const create = <CreateCircleDialog viewer={viewer} renderMemberPicker={renderMemberPicker} onCreated={(c) => setCircleId(c.id)} triggerAppearance="secondary" />;
  if (openCircleId) return <PaneCirclePage circleId={openCircleId} viewerTimeZone={viewer?.timeZone} onBack={() => setOpenCircleId(undefined)} />;
  return (
    <MakeSessionForm
      composer={composer}
      circleId={circleId}
      formatId={formatId || undefined}
      viewer={viewer}
      circlePicker={
        <CirclePicker
          value={circleId}
          onChange={(id) => {
            setCircleId(id);
            setFormatId("");
          }}
          createAction={create}
        />
      }
      formatPicker={circleId && <CircleFormatPicker circleId={circleId} value={formatId} onChange={setFormatId} />}
      onLinked={(circle) => {
        // The circle now has a series (read back from Outlook): show it wherever it is listed.
        queryClient.setQueryData(circleQueryKey(circle.id), circle);
        void queryClient.invalidateQueries({ queryKey: circlesQueryKey });
      }}
      renderChatSetup={({ circleId: linkedId, jobId, relink }) => (
        <BookingProgress
          jobId={jobId}
          // Linking again queues the same job once more: it resumes at the step that failed.
          onRetry={() => void relink().then(() => queryClient.invalidateQueries({ queryKey: jobQueryKey(jobId) }))}
          onSucceeded={() => setOpenCircleId(linkedId)}
          onFinished={() => void queryClient.invalidateQueries({ queryKey: circleQueryKey(linkedId) })}
        />
      )}
    />
  );
}

/** A circle's page inside the pane (its sessions as Outlook has them, members, charter). */
function PaneCirclePage({ circleId, viewerTimeZone, onBack }: { circleId: string; viewerTimeZone: string | undefined; onBack: () => void }) {
  const queryClient = useQueryClient();
  const zone = viewerTimeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <CirclePage
      circleId={circleId}
      viewerTimeZone={zone}
      onBack={onBack}
      renderBooking={(circle) => (
        <CircleBooking
          circleId={circle.id}
          booking={circle.booking}
          viewerTimeZone={zone}
          onFinished={() => void queryClient.invalidateQueries({ queryKey: circlesQueryKey })}
          onBooked={() => void queryClient.invalidateQueries({ queryKey: circleQueryKey(circle.id) })}
        />
      )}
    />
  );
}

/** The format defaults to the circle's own; the user may pick another for this appointment. */
function CircleFormatPicker({ circleId, value, onChange }: { circleId: string; value: string; onChange: (formatId: string) => void }) {
  const circle = useCircle(circleId);
  if (!circle.data) return null;
  return <FormatPicker value={value || circle.data.formatId} onChange={onChange} sessionMinutes={circle.data.sessionMinutes} />;
}

/**
 * Outside Outlook (the sandbox has no Outlook): the same circle, fair-time and booking flow as the
 * personal tab, so a circle can still be booked from here — through the API, not Office.js.
 */
function Standalone({ sandbox }: { sandbox: boolean }) {
  const styles = useStyles();
  return (
    <div className={styles.stack}>
      <InfoNotice title="You're not in Outlook.">
        In Outlook, this pane turns a meeting you're composing into a coaching session. Here, pick a circle and book its
        series directly.
      </InfoNotice>
      {sandbox && (
        <Body1>
          You're running the sandbox. The full app is in the <Link href="/tab">personal tab</Link>.
        </Body1>
      )}
      <SignInGate>
        <StandaloneBooking />
      </SignInGate>
    </div>
  );
}

function StandaloneBooking() {
  const me = useMe();
  const [circleId, setCircleId] = useState<string>();
  const viewer = me.data ? { upn: me.data.userPrincipalName, timeZone: me.data.timeZone } : undefined;
  if (circleId) return <PaneCirclePage circleId={circleId} viewerTimeZone={me.data?.timeZone} onBack={() => setCircleId(undefined)} />;
  return (
    <CirclePicker
      value={circleId}
      onChange={setCircleId}
      createAction={<CreateCircleDialog viewer={viewer} renderMemberPicker={renderMemberPicker} onCreated={(c) => setCircleId(c.id)} triggerAppearance="secondary" />}
    />
  );
}
