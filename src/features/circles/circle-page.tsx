import {
  Badge,
  Body1,
  Button,
  Caption1,
  Link,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Persona,
  Skeleton,
  SkeletonItem,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
  typographyStyles,
} from "@fluentui/react-components";
import { ArrowLeft20Regular, MoreHorizontal20Regular } from "@fluentui/react-icons";
import { useEffect, useId, useRef, useState } from "react";
import type { ReactNode } from "react";
import { ProblemNotice } from "../../components/problem-notice";
import type { CircleDetail, SeriesOccurrence } from "../../lib/api-schemas";
import { formatCalendarDate, formatDateTime, formatTimeRange, formatDay } from "../../lib/zoned-time";
import { describeCadence } from "./describe-cadence";
import { previewRoles } from "./roles-preview";
import { SeriesChangeDialog } from "./series-change-dialog";
import type { SeriesChange } from "./series-change-dialog";
import { useCircle } from "./use-circle";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalL },
  back: { alignSelf: "flex-start" },
  header: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  title: { margin: 0, ...typographyStyles.subtitle1 },
  section: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  sectionTitle: { margin: 0 },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  session: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    justifyContent: "space-between",
    gap: tokens.spacingHorizontalS,
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  sessionText: { display: "flex", flexDirection: "column", minWidth: 0 },
  members: { listStyleType: "none", margin: 0, padding: 0, display: "grid", gap: tokens.spacingVerticalS, gridTemplateColumns: "repeat(auto-fill, minmax(min(100%, 220px), 1fr))" },
  charter: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  roles: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  actions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
  cancelled: { textDecorationLine: "line-through" },
});

const UPCOMING_SHOWN = 8;

export interface CirclePageProps {
  circleId: string;
  viewerTimeZone: string;
  onBack: () => void;
  /** The fair-time and booking flow for a circle without a series (features/booking, wired by the page). */
  renderBooking: (circle: CircleDetail) => ReactNode;
}

/** One circle: next sessions in the viewer's zone, members, charter, roles, and series changes. */
export function CirclePage({ circleId, viewerTimeZone, onBack, renderBooking }: CirclePageProps) {
  const styles = useStyles();
  const circle = useCircle(circleId);
  return (
    <div className={styles.page}>
      <Button className={styles.back} appearance="subtle" icon={<ArrowLeft20Regular />} onClick={onBack}>
        Your circles
      </Button>
      {circle.isPending && (
        <Skeleton aria-label="Loading the circle">
          <SkeletonItem size={32} />
          <SkeletonItem size={72} />
        </Skeleton>
      )}
      {circle.isError && <ProblemNotice title="We couldn't load this circle." error={circle.error} onRetry={() => void circle.refetch()} />}
      {circle.data && <CircleDetails circle={circle.data} viewerTimeZone={viewerTimeZone} renderBooking={renderBooking} />}
    </div>
  );
}

function CircleDetails({ circle, viewerTimeZone, renderBooking }: { circle: CircleDetail; viewerTimeZone: string; renderBooking: (circle: CircleDetail) => ReactNode }) {
  const styles = useStyles();
  const titleId = useId();
  const [change, setChange] = useState<SeriesChange>();
  const [announcement, setAnnouncement] = useState("");
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Opening a circle replaces the list (or a closing dialog): put keyboard and screen reader here.
  useEffect(() => headingRef.current?.focus(), []);
  // The menu that opened a dialog may be gone after the change (a skipped session has none):
  // keep the keyboard on the page instead of letting it fall to <body>.
  const refocus = () =>
    setTimeout(() => {
      if (!document.activeElement || document.activeElement === document.body) headingRef.current?.focus();
    }, 0);
  const size = circle.members.length === 2 ? "Pair" : `${circle.members.length} members`;
  const sessions = circle.series?.occurrences ?? [];
  const now = Date.now();
  const upcoming = sessions.filter((o) => Date.parse(o.end) > now).slice(0, UPCOMING_SHOWN);
  const live = sessions.filter((o) => o.status !== "cancelled");
  const seriesCancelled = circle.series !== undefined && circle.series !== null && sessions.length > 0 && live.length === 0;
  const names = circle.members.map((m) => m.displayName);
  const rolePlan = previewRoles(names, 3, circle.rotateRoles);
  const nextLive = upcoming.filter((o) => o.status !== "cancelled");

  return (
    <article className={styles.page} aria-labelledby={titleId}>
      <header className={styles.header}>
        <h2 id={titleId} className={styles.title} ref={headingRef} tabIndex={-1}>
          {circle.name}
        </h2>
        <Caption1>{`${size} · ${describeCadence(circle.cadence, circle.sessionMinutes)} · ${describeLength(circle)} · anchored in ${circle.timeZone}`}</Caption1>
        {circle.purpose && <Body1>{circle.purpose}</Body1>}
      </header>
      {/* Outcomes of changes are announced here for screen readers, and shown to everyone. */}
      <div role="status" aria-live="polite">
        {announcement && <Text>{announcement}</Text>}
      </div>

      {!circle.series ? (
        <section className={styles.section} aria-label="Book the series">
          {renderBooking(circle)}
        </section>
      ) : (
        <section className={styles.section} aria-labelledby={`${titleId}-sessions`}>
          <Subtitle2 as="h3" id={`${titleId}-sessions`} className={styles.sectionTitle}>
            Next sessions
          </Subtitle2>
          <Caption1>{`Times in your zone, ${viewerTimeZone}.`}</Caption1>
          {seriesCancelled && <Text>This series was cancelled. Its sessions are no longer on anyone's calendar.</Text>}
          {!seriesCancelled && upcoming.length === 0 && <Text>No sessions are left in this series.</Text>}
          {!seriesCancelled && upcoming.length > 0 && (
            <ul className={styles.list}>
              {upcoming.map((occurrence) => (
                <SessionRow key={occurrence.id} occurrence={occurrence} viewerTimeZone={viewerTimeZone} onChange={setChange} />
              ))}
            </ul>
          )}
          {!seriesCancelled && (
            <div className={styles.actions}>
              {circle.series.joinWebUrl && nextLive.length > 0 && (
                <Link href={circle.series.joinWebUrl} target="_blank" rel="noreferrer">
                  Join the next session in Teams
                </Link>
              )}
              <Button appearance="secondary" onClick={() => setChange({ kind: "cancel" })}>
                Cancel the series…
              </Button>
            </div>
          )}
        </section>
      )}

      <section className={styles.section} aria-labelledby={`${titleId}-members`}>
        <Subtitle2 as="h3" id={`${titleId}-members`} className={styles.sectionTitle}>
          Members
        </Subtitle2>
        <ul className={styles.members}>
          {circle.members.map((member) => (
            <li key={member.id}>
              <Persona
                name={member.displayName}
                secondaryText={[member.role === "organizer" ? "Organiser" : "Member", member.timeZone ?? "time zone not known yet"].join(" · ")}
                avatar={{ color: "colorful", "aria-hidden": true }}
              />
            </li>
          ))}
        </ul>
      </section>

      <section className={styles.section} aria-labelledby={`${titleId}-charter`}>
        <Subtitle2 as="h3" id={`${titleId}-charter`} className={styles.sectionTitle}>
          Charter
        </Subtitle2>
        {circle.charter.length > 0 ? (
          <ul className={styles.charter}>
            {circle.charter.map((rule, i) => (
              <li key={i}>
                <Text>{rule}</Text>
              </li>
            ))}
          </ul>
        ) : (
          <Text>No ground rules yet.</Text>
        )}
      </section>

      <section className={styles.section} aria-labelledby={`${titleId}-roles`}>
        <Subtitle2 as="h3" id={`${titleId}-roles`} className={styles.sectionTitle}>
          Roles
        </Subtitle2>
        <Caption1>{circle.rotateRoles ? "Roles rotate each session in member order; swap on the day if you need to." : "Roles stay the same each session (rotation is off)."}</Caption1>
        <ol className={styles.roles}>
          {rolePlan.map((assignments, i) => {
            const when = nextLive[i] ? formatDay(nextLive[i].start, viewerTimeZone) : `Session ${i + 1}`;
            return (
              <li key={i}>
                <Text>{`${when}: ${assignments.map((a) => `${a.role} ${a.name}`).join(" · ")}`}</Text>
              </li>
            );
          })}
        </ol>
      </section>

      {change && (
        <SeriesChangeDialog
          circle={circle}
          change={change}
          viewerTimeZone={viewerTimeZone}
          onClose={() => {
            setChange(undefined);
            refocus();
          }}
          onDone={(summary) => {
            setChange(undefined);
            setAnnouncement(summary);
            refocus();
          }}
        />
      )}
    </article>
  );
}

/** "12 sessions", or "until 18 Dec 2026 (12 sessions)" for a circle that ends on a date. */
function describeLength(circle: CircleDetail): string {
  const sessions = circle.sessionCount === 1 ? "1 session" : `${circle.sessionCount} sessions`;
  return circle.endsOn ? `until ${formatCalendarDate(circle.endsOn)} (${sessions})` : sessions;
}

function SessionRow({ occurrence, viewerTimeZone, onChange }: { occurrence: SeriesOccurrence; viewerTimeZone: string; onChange: (change: SeriesChange) => void }) {
  const styles = useStyles();
  const label = formatDateTime(occurrence.start, viewerTimeZone);
  const cancelled = occurrence.status === "cancelled";
  // A rotation's alternate session is moved in Outlook, but it is where the plan puts it.
  const alternate = occurrence.status === "moved" && occurrence.alternate === true;
  const note = cancelled ? ", skipped" : alternate ? ", alternating time" : occurrence.status === "moved" ? ", moved" : "";
  return (
    <li className={styles.session} aria-label={`${label}${note}`}>
      <div className={styles.sessionText}>
        <Text weight="semibold" className={cancelled ? styles.cancelled : undefined}>
          {formatDay(occurrence.start, viewerTimeZone)}
        </Text>
        <Caption1 className={cancelled ? styles.cancelled : undefined}>{formatTimeRange(occurrence.start, occurrence.end, viewerTimeZone)}</Caption1>
      </div>
      {cancelled && <Badge appearance="tint" color="subtle">Skipped</Badge>}
      {alternate && (
        <Badge appearance="tint" color="brand">
          Alternating time
        </Badge>
      )}
      {occurrence.status === "moved" && !alternate && (
        <Badge appearance="tint" color="informative">
          Moved
        </Badge>
      )}
      {!cancelled && (
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Button appearance="subtle" icon={<MoreHorizontal20Regular />} aria-label={`Change the session on ${label}`} />
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuItem onClick={() => onChange({ kind: "skip", occurrence })}>Skip…</MenuItem>
              <MenuItem onClick={() => onChange({ kind: "move", occurrence })}>Move…</MenuItem>
            </MenuList>
          </MenuPopover>
        </Menu>
      )}
    </li>
  );
}
