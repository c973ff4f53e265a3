import { LargeTitle, Title1, makeStyles, tokens } from "@fluentui/react-components";

const useStyles = makeStyles({
  stage: {
    boxSizing: "border-box",
    minHeight: "100vh",
    display: "flex",
    flexDirection: "column",
    justifyContent: "center",
    alignItems: "center",
    textAlign: "center",
    rowGap: tokens.spacingVerticalXXL,
    padding: tokens.spacingHorizontalXXL,
    overflowWrap: "anywhere",
  },
  title: { margin: 0 },
  status: { margin: 0, color: tokens.colorNeutralForeground2, maxWidth: "24em" },
});

/**
 * The shared meeting stage: read-only and legible across a room, so large type and one message.
 * "Waiting for the facilitator" is a real state — it shows until the agenda is shared.
 */
export function StageView() {
  const styles = useStyles();
  return (
    <main className={styles.stage}>
      <LargeTitle as="h1" className={styles.title}>
        Coaching circle
      </LargeTitle>
      <Title1 as="p" role="status" className={styles.status}>
        Waiting for the facilitator to share the agenda
      </Title1>
    </main>
  );
}
