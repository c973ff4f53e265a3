import { Body1, makeStyles, tokens } from "@fluentui/react-components";
import { InfoNotice } from "../../components/problem-notice";
import { useHostContext } from "../../host";

const useStyles = makeStyles({
  stack: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
});

/**
 * The meeting side panel (320 px). Today it explains the three states a person can land in;
 * the live session (roles, timer, question storm) fills the linked state next.
 */
export function SidePanelView() {
  const styles = useStyles();
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
  return (
    <div className={styles.stack}>
      <InfoNotice title="This meeting isn't linked to a circle yet.">
        When a circle books its sessions with Coaching Circles, the session's agenda, roles and timer appear here
        for everyone in the meeting.
      </InfoNotice>
      <Body1>
        To link it, book the circle's series from the Coaching Circles app in Teams, or open the meeting in Outlook and
        choose "Make this a coaching session".
      </Body1>
    </div>
  );
}
