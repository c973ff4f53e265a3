import { useId, useState } from "react";
import { Button, Caption1, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner, Subtitle1, Switch, makeStyles, tokens } from "@fluentui/react-components";
import { describeProblem } from "../../components/describe-problem";
import { NUDGE_KINDS, type NudgeKind } from "./nudges-api";
import { useNudgeSettings, useSetNudge } from "./use-nudge-settings";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS, minWidth: 0 },
  title: { margin: 0 },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  item: { display: "flex", flexDirection: "column", minWidth: 0 },
  // Lines the description up with the switch's label text (indicator width + gap).
  description: { paddingLeft: `calc(40px + ${tokens.spacingHorizontalS})`, color: tokens.colorNeutralForeground2, overflowWrap: "anywhere" },
});

const NUDGES: Record<NudgeKind, { label: string; description: string }> = {
  prepReminder: { label: "Prep reminder the day before", description: "At 09:00 your time: your last commitments, and whether it is your turn to bring the case." },
  reflectionPrompt: { label: "Reflection prompt after each session", description: "When the session ends: a moment to note what you learned." },
  momentumFading: { label: "Momentum fading", description: "When 2 of your circle's last 3 sessions were skipped, declined by most or not held." },
  protectedTimeConflict: { label: "Meetings on your protected time", description: "When a meeting lands on your prep or reflection time." },
  sessionDeclined: { label: "Sessions you decline", description: "When you decline a session: a prompt to let your circle know." },
};

/**
 * "Nudges" in the personal tab: each nudge the app sends to the Teams activity feed, on or off
 * for the signed-in person alone. A switch saves as it moves; if saving fails it moves back and
 * says so.
 */
export function NudgeSettings() {
  const styles = useStyles();
  const headingId = useId();
  const idPrefix = useId();
  const settings = useNudgeSettings();
  const setNudge = useSetNudge();
  const [announcement, setAnnouncement] = useState("");

  const change = (kind: NudgeKind, enabled: boolean) => {
    setAnnouncement("");
    setNudge.mutate({ kind, enabled }, { onSuccess: () => setAnnouncement(`${NUDGES[kind].label} turned ${enabled ? "on" : "off"}.`) });
  };

  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <Subtitle1 as="h2" id={headingId} className={styles.title}>
        Nudges
      </Subtitle1>
      <Caption1>Reminders in your Teams activity feed. Only you see them; turn off any you don't want.</Caption1>
      {settings.isPending && <Spinner size="tiny" label="Loading your nudge settings…" />}
      {settings.isError && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>We couldn't load your nudge settings.</MessageBarTitle> {describeProblem(settings.error)}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => void settings.refetch()}>Load nudge settings again</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {setNudge.isError && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Your change was not saved.</MessageBarTitle> {describeProblem(setNudge.error)} The switch shows what is saved; try it again.
          </MessageBarBody>
        </MessageBar>
      )}
      {settings.data && (
        <ul className={styles.list} aria-labelledby={headingId}>
          {NUDGE_KINDS.map((kind) => {
            const descriptionId = `${idPrefix}-${kind}`;
            return (
              <li key={kind} className={styles.item}>
                <Switch checked={settings.data[kind]} label={NUDGES[kind].label} aria-describedby={descriptionId} onChange={(_, data) => change(kind, data.checked)} />
                <Caption1 id={descriptionId} className={styles.description}>
                  {NUDGES[kind].description}
                </Caption1>
              </li>
            );
          })}
        </ul>
      )}
      <div role="status" aria-live="polite">
        {announcement && <Caption1>{announcement}</Caption1>}
      </div>
    </section>
  );
}
