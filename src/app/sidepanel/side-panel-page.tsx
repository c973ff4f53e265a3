import { makeStyles, tokens } from "@fluentui/react-components";
import { PageShell } from "../../components/page-shell";
import { SidePanelView } from "../../features/meeting/side-panel-view";

const useStyles = makeStyles({
  // Teams gives the side panel 320 px; tighter gutters leave room for content.
  compact: { paddingLeft: tokens.spacingHorizontalM, paddingRight: tokens.spacingHorizontalM },
});

export function SidePanelPage() {
  const styles = useStyles();
  return (
    <PageShell title="Coaching circle" className={styles.compact}>
      <SidePanelView />
    </PageShell>
  );
}
