import { Button } from "@fluentui/react-components";
import { PageShell } from "../../components/page-shell";
import { SignInGate, useSignIn } from "../../components/sign-in-gate";
import { YourCircles } from "../../features/circles/your-circles";
import { UserHeader } from "../../features/profile/user-header";

/** The personal tab (Teams, Outlook, the Microsoft 365 app and, in sandbox mode, a plain browser). */
export function TabPage() {
  return (
    <PageShell title="Coaching Circles">
      <SignInGate>
        <SignedInHeader />
        <YourCircles />
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
