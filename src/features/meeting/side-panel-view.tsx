import { Body1, Button, Field, Select, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { InfoNotice, ProblemNotice } from "../../components/problem-notice";
import { useHostContext } from "../../host";
import { isApiError } from "../../lib/api-error";
import { LiveSessionPanel } from "./live-session-panel";
import type { FindSessionResult, SessionApi } from "./session-api";
import { useSessionApi } from "./use-live-session";

const useStyles = makeStyles({
  stack: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
});

/**
 * The meeting side panel (320 px): where the person stands (not in a meeting, guest, not a member,
 * meeting not linked yet), then the live session of the meeting's circle.
 */
export function SidePanelView() {
  const context = useHostContext();
  if (context.kind === "browser" || !context.meetingId) {
    return (
      <InfoNotice title="Open this panel in a Teams meeting.">
        The Coaching Circles side panel runs a circle's session inside its Teams meeting. Join the meeting in Teams
        and select Coaching Circles in the meeting's apps.
      </InfoNotice>
    );
  }
  if (!context.user) {
    // Side panel apps don't work for anonymous and guest users (msteams-docs issue 9586).
    return (
      <InfoNotice title="Coaching Circles is for members of this organisation.">
        Guests and people who joined without signing in can't use the side panel. Ask the facilitator to share the
        agenda to the meeting stage so you can follow along.
      </InfoNotice>
    );
  }
  return <MeetingSession chatId={context.chatId} meetingId={context.meetingId} />;
}

export function meetingSessionKey(chatId: string | undefined, meetingId: string | undefined) {
  return ["meeting-session", chatId ?? "", meetingId ?? ""] as const;
}

function MeetingSession({ chatId, meetingId }: { chatId?: string; meetingId: string }) {
  const api = useSessionApi();
  const key = meetingSessionKey(chatId, meetingId);
  const found = useQuery({ queryKey: key, queryFn: () => api.findMeetingSession({ ...(chatId ? { chatId } : {}), meetingId }), staleTime: Infinity });

  if (found.isPending) return <Spinner label="Finding this meeting's circle…" />;
  if (found.isError) {
    if (isApiError(found.error) && found.error.status === 404) {
      return <InfoNotice title="This session is for its circle's members.">{found.error.message}</InfoNotice>;
    }
    return <ProblemNotice title="We couldn't open this meeting's session" error={found.error} onRetry={() => void found.refetch()} />;
  }
  if (found.data.status === "notLinked") return <NotLinked api={api} chatId={chatId} meetingId={meetingId} circles={found.data.circles} />;
  return <LiveSessionPanel api={api} initial={found.data.session} stageUrl={stageUrl()} />;
}

function stageUrl(): string | undefined {
  return typeof window === "undefined" ? undefined : `${window.location.origin}/stage`;
}

function NotLinked({ api, chatId, meetingId, circles }: { api: SessionApi; chatId?: string; meetingId: string; circles: Array<{ id: string; name: string }> }) {
  const styles = useStyles();
  const queryClient = useQueryClient();
  const [circleId, setCircleId] = useState(circles[0]?.id ?? "");
  const link = useMutation({
    mutationFn: () => api.linkMeetingToCircle({ ...(chatId ? { chatId } : {}), meetingId, circleId }),
    onSuccess: (result: FindSessionResult) => queryClient.setQueryData(meetingSessionKey(chatId, meetingId), result),
  });
  return (
    <div className={styles.stack}>
      <InfoNotice title="This meeting isn't linked to a circle yet.">
        When a circle books its sessions with Coaching Circles, the session's agenda, roles and timer appear here for
        everyone in the meeting.
      </InfoNotice>
      {circles.length > 0 ? (
        <form
          className={styles.stack}
          aria-label="Link this meeting to a circle"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            if (circleId) link.mutate();
          }}
        >
          <Field label="Which of your circles meets here?">
            <Select value={circleId} onChange={(_, d) => setCircleId(d.value)}>
              {circles.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          </Field>
          {link.isError ? <ProblemNotice title="We couldn't link the meeting" error={link.error} /> : null}
          <div>
            <Button appearance="primary" type="submit" disabled={link.isPending || !circleId}>
              Link this meeting
            </Button>
          </div>
        </form>
      ) : (
        <Body1>
          To link it, book the circle's series from the Coaching Circles app in Teams, or open the meeting in Outlook
          and choose "Make this a coaching session".
        </Body1>
      )}
    </div>
  );
}
