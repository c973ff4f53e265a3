import { Dropdown, Field, Option, Skeleton, SkeletonItem } from "@fluentui/react-components";
import type { ReactNode } from "react";
import { InfoNotice, ProblemNotice } from "../../components/problem-notice";
import { describeCadence } from "./describe-cadence";
import { useCircles } from "./use-circles";

/** Choose one of the user's circles; explains what to do when there are none. */
export function CirclePicker({
  value,
  onChange,
  createAction,
}: {
  value: string | undefined;
  onChange: (circleId: string) => void;
  /** Where the user can create a circle right here (e.g. the task pane's create dialog). */
  createAction?: ReactNode;
}) {
  const circles = useCircles();
  if (circles.isPending) {
    return (
      <Skeleton aria-label="Loading your circles">
        <SkeletonItem size={32} />
      </Skeleton>
    );
  }
  if (circles.isError) {
    return <ProblemNotice title="We couldn't load your circles." error={circles.error} onRetry={() => void circles.refetch()} />;
  }
  if (circles.data.length === 0) {
    if (createAction) {
      return (
        <>
          <InfoNotice title="You're not in a circle yet.">Create one here: pick the members, a format and a rhythm.</InfoNotice>
          <div>{createAction}</div>
        </>
      );
    }
    return (
      <InfoNotice title="You're not in a circle yet.">
        Create a circle in the Coaching Circles app in Teams (or ask your program owner), then come back to this
        appointment.
      </InfoNotice>
    );
  }
  const selected = circles.data.find((c) => c.id === value);
  return (
    <>
    <Field label="Circle" required hint="The circle whose sessions this appointment will hold.">
      <Dropdown
        placeholder="Choose a circle"
        value={selected?.name ?? ""}
        selectedOptions={value ? [value] : []}
        onOptionSelect={(_, data) => data.optionValue && onChange(data.optionValue)}
      >
        {circles.data.map((circle) => (
          <Option key={circle.id} value={circle.id} text={circle.name}>
            {`${circle.name} (${describeCadence(circle.cadence, circle.sessionMinutes)})`}
          </Option>
        ))}
      </Dropdown>
    </Field>
    {createAction && <div>{createAction}</div>}
    </>
  );
}
