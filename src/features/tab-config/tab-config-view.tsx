import { Body1, Spinner } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { InfoNotice, ProblemNotice } from "../../components/problem-notice";
import { useHost } from "../../host";
import type { TabConfig } from "../../host";

/** What Teams stores for the meeting tab: the side panel inside Teams, the personal tab on the web. */
export function meetingTabConfig(origin: string): TabConfig {
  return {
    entityId: "coaching-session",
    contentUrl: `${origin}/sidepanel`,
    websiteUrl: `${origin}/tab`,
    suggestedDisplayName: "Coaching circle",
  };
}

/**
 * The configuration page Teams shows when Coaching Circles is added to a meeting. Nothing to
 * choose yet: the tab links itself to the circle through the meeting, so Save is enabled at once.
 */
export function TabConfigView({ origin = window.location.origin }: { origin?: string }) {
  const { capabilities } = useHost();
  const tabConfig = capabilities.tabConfig;
  const supported = tabConfig.isSupported();
  const [saveError, setSaveError] = useState<unknown>();
  const [ready, setReady] = useState(false);

  useEffect(() => {
    if (!supported) return;
    tabConfig.onSave((event) => {
      setSaveError(undefined);
      tabConfig.setConfig(meetingTabConfig(origin)).then(
        () => event.notifySuccess(),
        (error: unknown) => {
          setSaveError(error);
          event.notifyFailure("Coaching Circles couldn't save the tab. Try again.");
        },
      );
    });
    tabConfig.setValidityState(true);
    setReady(true);
  }, [supported, tabConfig, origin]);

  if (!supported) {
    return (
      <InfoNotice title="This page is for Teams.">
        It appears when you add Coaching Circles to a meeting in Teams. Open a meeting in Teams, select Apps (+), and
        choose Coaching Circles.
      </InfoNotice>
    );
  }
  return (
    <>
      <Body1>
        Coaching Circles adds a side panel to this meeting. During each session it shows the circle's agenda, today's
        roles, the timer and the commitment cards — to circle members only.
      </Body1>
      {ready ? <Body1>Select Save to add it.</Body1> : <Spinner size="tiny" label="Getting ready…" />}
      {saveError !== undefined && <ProblemNotice title="The tab wasn't saved." error={saveError} />}
    </>
  );
}
