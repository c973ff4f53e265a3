import { useId } from "react";
import { Body1, Caption1, Card, CardHeader, Link, Skeleton, SkeletonItem, Subtitle1, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ProblemNotice } from "../../components/problem-notice";
import type { CircleSummary } from "../../lib/api-schemas";
import { CreateCircleDialog } from "./create-circle-dialog";
import type { CreateCircleDialogProps } from "./create-circle-dialog";
import { describeCadence } from "./describe-cadence";
import { useCircles } from "./use-circles";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  heading: { display: "flex", flexWrap: "wrap", alignItems: "center", justifyContent: "space-between", gap: tokens.spacingHorizontalM },
  title: { margin: 0 },
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "grid",
    gap: tokens.spacingHorizontalM,
    gridTemplateColumns: "repeat(auto-fill, minmax(min(100%, 260px), 1fr))",
  },
  empty: {
    display: "flex",
    flexDirection: "column",
    alignItems: "flex-start",
    rowGap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  skeleton: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
});

export interface YourCirclesProps {
  /** Opens the circle page. */
  onOpen: (circleId: string) => void;
  /** The create-circle dialog's wiring (people picker, viewer, what happens after creating). */
  create: Omit<CreateCircleDialogProps, "triggerLabel" | "triggerAppearance">;
}

/** The personal tab's main section: the user's circles, or how to start one. */
export function YourCircles({ onOpen, create }: YourCirclesProps) {
  const styles = useStyles();
  const circles = useCircles();
  const headingId = useId();
  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <div className={styles.heading}>
        <Subtitle1 as="h2" id={headingId} className={styles.title}>
          Your circles
        </Subtitle1>
        {/* One dialog for both states: a new circle turns the empty state into the list while the
            dialog is still closing, and a dialog unmounted mid-close leaves the page aria-hidden. */}
        {circles.data && <CreateCircleDialog {...create} triggerLabel={circles.data.length > 0 ? "New circle" : "Create a circle"} />}
      </div>
      {circles.isPending && (
        <Skeleton aria-label="Loading your circles" className={styles.skeleton}>
          <SkeletonItem size={72} />
          <SkeletonItem size={72} />
        </Skeleton>
      )}
      {circles.isError && (
        <ProblemNotice title="We couldn't load your circles." error={circles.error} onRetry={() => void circles.refetch()} />
      )}
      {circles.data && circles.data.length === 0 && <EmptyState />}
      {circles.data && circles.data.length > 0 && (
        <ul className={styles.list}>
          {circles.data.map((circle) => (
            <li key={circle.id}>
              <CircleCard circle={circle} onOpen={() => onOpen(circle.id)} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function EmptyState() {
  const styles = useStyles();
  return (
    <div className={styles.empty}>
      <Text as="h3" weight="semibold" size={400}>
        You're not in a circle yet
      </Text>
      <Body1>
        A coaching circle is a small group of colleagues who meet regularly to help each other with real work
        challenges — with a simple agenda, shared ground rules and commitments you follow up on next time.
      </Body1>
      <Body1>Create a circle to start: pick the members, a format and a rhythm, and we'll find a time that's fair to everyone.</Body1>
    </div>
  );
}

function CircleCard({ circle, onOpen }: { circle: CircleSummary; onOpen: () => void }) {
  const members = circle.memberCount === 1 ? "1 member" : `${circle.memberCount} members`;
  return (
    <Card aria-label={circle.name}>
      <CardHeader
        header={
          <Text as="h3" weight="semibold">
            <Link as="button" onClick={onOpen}>
              {circle.name}
            </Link>
          </Text>
        }
        description={<Caption1>{`${describeCadence(circle.cadence, circle.sessionMinutes)} · ${members}`}</Caption1>}
      />
      {circle.purpose && <Body1>{circle.purpose}</Body1>}
    </Card>
  );
}
