import { Button, Field, Select, Text } from "@fluentui/react-components";
import { useState } from "react";
import type { FormEvent } from "react";
import type { NamedRole, RunState, SessionView } from "../session-api";
import { ROLE_LABELS, Section, roleOf, usePanelStyles, type IntentProps } from "./panel-layout";

/** Who holds which role today; anyone may take facilitation before the start; the facilitator swaps roles. */
export function RolesSection({
  state,
  me,
  members,
  nameOf,
  isFacilitator,
  run,
  pending,
}: IntentProps & { state: RunState; me: string; members: SessionView["members"]; nameOf: (id: string) => string; isFacilitator: boolean }) {
  const styles = usePanelStyles();
  const [role, setRole] = useState<NamedRole>("caseOwner");
  const [memberId, setMemberId] = useState(members[0]?.id ?? "");
  return (
    <Section title="Today's roles">
      <ul className={styles.plainList}>
        {members.map((m) => (
          <li key={m.id}>
            <Text weight={m.id === me ? "semibold" : "regular"}>{nameOf(m.id)}</Text>: {ROLE_LABELS[roleOf(state, m.id)]}
          </li>
        ))}
      </ul>
      {!isFacilitator && state.status === "notStarted" ? (
        <div>
          <Button disabled={pending} onClick={() => void run({ type: "setRole", role: "facilitator", memberId: me })}>
            I'll facilitate today
          </Button>
        </div>
      ) : null}
      {isFacilitator ? (
        <form
          className={styles.form}
          aria-label="Change a role, as agreed"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void run({ type: "setRole", role, memberId });
          }}
        >
          <Field label="Role">
            <Select value={role} onChange={(_, d) => setRole(d.value as NamedRole)}>
              {(["facilitator", "caseOwner", "timekeeper", "observer"] as const).map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Give it to">
            <Select value={memberId} onChange={(_, d) => setMemberId(d.value)}>
              {members.map((m) => (
                <option key={m.id} value={m.id}>
                  {nameOf(m.id)}
                </option>
              ))}
            </Select>
          </Field>
          <div>
            <Button type="submit" disabled={pending}>
              Swap role
            </Button>
          </div>
        </form>
      ) : null}
    </Section>
  );
}
