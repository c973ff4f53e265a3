import { Body1, Link } from "@fluentui/react-components";
import { useState } from "react";
import { PageShell } from "../../components/page-shell";
import { InfoNotice } from "../../components/problem-notice";
import { CirclePicker } from "../../features/circles/circle-picker";
import { MakeSessionForm } from "../../features/outlook/make-session-form";
import { useHost } from "../../host";

/** The Outlook add-in's task pane (appointment compose). */
export function TaskpanePage() {
  return (
    <PageShell title="Coaching Circles">
      <TaskpaneBody />
    </PageShell>
  );
}

function TaskpaneBody() {
  const host = useHost();
  const [circleId, setCircleId] = useState<string>();
  const [composer] = useState(() => host.office?.getAppointmentComposer());
  if (!host.office) {
    return (
      <>
        <InfoNotice title="Open this in Outlook.">
          This pane is part of the Coaching Circles add-in. In Outlook, create or open a meeting you organise and
          choose Coaching Circles on the ribbon.
        </InfoNotice>
        {host.sandboxUrl && (
          <Body1>
            You're running the sandbox, which has no Outlook. To try Coaching Circles in this browser, open the{" "}
            <Link href="/tab">personal tab</Link>.
          </Body1>
        )}
      </>
    );
  }
  if (!composer) {
    return (
      <InfoNotice title="Open a meeting you're organising.">
        Coaching Circles works on meetings while you compose them. Create a new meeting, or open one you organise, and
        open this pane again.
      </InfoNotice>
    );
  }
  return (
    <MakeSessionForm
      composer={composer}
      circleId={circleId}
      circlePicker={<CirclePicker value={circleId} onChange={setCircleId} />}
    />
  );
}
