import { PageShell } from "../../components/page-shell";
import { TabConfigView } from "../../features/tab-config/tab-config-view";

export function ConfigPage() {
  return (
    <PageShell title="Add Coaching Circles to this meeting">
      <TabConfigView />
    </PageShell>
  );
}
