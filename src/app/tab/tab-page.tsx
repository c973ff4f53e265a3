import { Button } from "@fluentui/react-components";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { PageShell } from "../../components/page-shell";
import { SignInGate, useSignIn } from "../../components/sign-in-gate";
import { CircleBooking } from "../../features/booking/circle-booking";
import { CirclePage } from "../../features/circles/circle-page";
import type { MemberPickerSlotProps } from "../../features/circles/create-circle-dialog";
import { circleQueryKey } from "../../features/circles/use-circle";
import { circlesQueryKey } from "../../features/circles/use-circles";
import { YourCircles } from "../../features/circles/your-circles";
import { PeoplePicker } from "../../features/people/people-picker";
import { useMe } from "../../features/profile/use-me";
import { useProtectedTimeSync } from "../../features/protected-time/use-protected-time-sync";
import { UserHeader } from "../../features/profile/user-header";
import { ProgramsSection } from "../../features/programs/programs-section";
import { TeamSection } from "../../features/team/team-section";
import { NudgeSettings } from "../../features/nudges/nudge-settings";
import { circleFromSubPage } from "../../features/nudges/nudge-link";
import { useHostContext } from "../../host";
import { YourDataSection } from "../../features/privacy/your-data-section";

/** The personal tab (Teams, Outlook, the Microsoft 365 app and, in sandbox mode, a plain browser). */
export function TabPage() {
  return (
    <PageShell title="Coaching Circles">
      <SignInGate>
        <SignedInHeader />
        <TabBody />
        <TeamSection />
        <NudgeSettings />
        <ProgramsSection />
        <YourDataSection />
      </SignInGate>
    </PageShell>
  );
}

function SignedInHeader() {
  const { switchUser } = useSignIn();
  return (
    <>
      <UserHeader />
      {switchUser && (
        <div>
          <Button appearance="subtle" size="small" onClick={switchUser}>
            Switch demo user
          </Button>
        </div>
      )}
    </>
  );
}

const renderMemberPicker = (props: MemberPickerSlotProps) => <PeoplePicker {...props} />;

/** Your circles ⇄ one circle's page (with its fair-time and booking flow until it is booked). */
function TabBody() {
  const me = useMe();
  // Once signed in (me loaded), put this member's prep/reflection blocks in place.
  useProtectedTimeSync(me.isSuccess);
  const queryClient = useQueryClient();
  // A nudge's deep link opens the tab at its circle (page.subPageId "circle:<id>").
  const { subPageId } = useHostContext();
  const [openCircleId, setOpenCircleId] = useState<string | undefined>(() => circleFromSubPage(subPageId));
  // Times follow the mailbox zone from /api/me; the browser's zone only stands in if that fails.
  const viewerTimeZone = me.data?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const refreshLists = useCallback(() => void queryClient.invalidateQueries({ queryKey: circlesQueryKey }), [queryClient]);

  if (openCircleId && (me.data || me.isError)) {
    return (
      <CirclePage
        circleId={openCircleId}
        viewerTimeZone={viewerTimeZone}
        onBack={() => setOpenCircleId(undefined)}
        renderBooking={(circle) => (
          <CircleBooking
            circleId={circle.id}
            booking={circle.booking}
            viewerTimeZone={viewerTimeZone}
            onFinished={refreshLists}
            onBooked={() => void queryClient.invalidateQueries({ queryKey: circleQueryKey(circle.id) })}
          />
        )}
      />
    );
  }
  return (
    <YourCircles
      onOpen={setOpenCircleId}
      create={{
        viewer: me.data ? { upn: me.data.userPrincipalName, timeZone: me.data.timeZone } : undefined,
        renderMemberPicker,
        onCreated: (circle) => setOpenCircleId(circle.id),
      }}
    />
  );
}
