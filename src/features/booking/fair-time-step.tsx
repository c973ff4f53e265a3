import {
  Badge,
  Button,
  Caption1,
  Field,
  Input,
  Radio,
  RadioGroup,
  Skeleton,
  SkeletonItem,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useId, useState } from "react";
import type { FormEvent } from "react";
import { ProblemNotice } from "../../components/problem-notice";
import type { BookSeriesInput, MemberTime, SlotSearchResult, SlotSuggestion } from "../../lib/api-schemas";
import { formatCalendarDate, formatDateTime } from "../../lib/zoned-time";
import { useSlotSuggestions } from "./use-booking";

const useStyles = makeStyles({
  step: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  title: { margin: 0 },
  search: { display: "flex", flexWrap: "wrap", alignItems: "flex-end", gap: tokens.spacingHorizontalS },
  slots: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  slot: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  selected: { border: `${tokens.strokeWidthThick} solid ${tokens.colorBrandStroke1}` },
  details: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS, paddingLeft: tokens.spacingHorizontalXXL },
  plain: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  rotation: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  actions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
});

/**
 * Fair time: the five best recurring times for the circle, each explained — every member's local
 * time (and how daylight saving shifts it), which dates clash for whom, who is outside their
 * working hours — plus a rotation when no single time is kind to everyone. Pick one (or the
 * rotation), then book.
 */
export function FairTimeStep({
  circleId,
  viewerTimeZone,
  onBook,
  booking,
}: {
  circleId: string;
  viewerTimeZone: string;
  /** One time (`{ start, timeZone }`), or the rotation (with `rotation.starts`). */
  onBook: (choice: BookSeriesInput) => void;
  /** A booking request is on its way. */
  booking: boolean;
}) {
  const styles = useStyles();
  const headingId = useId();
  const [startOnText, setStartOnText] = useState("");
  const [startOn, setStartOn] = useState<string>();
  const [chosen, setChosen] = useState<string>();
  const slots = useSlotSuggestions(circleId, startOn);

  const search = (event: FormEvent) => {
    event.preventDefault();
    setChosen(undefined);
    setStartOn(/^\d{4}-\d{2}-\d{2}$/.test(startOnText) ? startOnText : undefined);
  };

  const chosenSlot = slots.data?.slots.find((s) => s.start === chosen);
  return (
    <div className={styles.step}>
      <Subtitle2 as="h3" id={headingId} className={styles.title}>
        Find a fair time
      </Subtitle2>
      <Text>We checked everyone's calendar and working hours over the whole series. Times are shown in your zone, {viewerTimeZone}.</Text>
      <form className={styles.search} onSubmit={search}>
        <Field label="Earliest first session" hint="Leave empty to start next week.">
          <Input type="date" value={startOnText} onChange={(_, d) => setStartOnText(d.value)} />
        </Field>
        <Button type="submit">Search again</Button>
      </form>
      {slots.isPending && (
        <Skeleton aria-label="Finding fair times">
          <SkeletonItem size={72} />
          <SkeletonItem size={72} />
        </Skeleton>
      )}
      {slots.isError && <ProblemNotice title="We couldn't find times." error={slots.error} onRetry={() => void slots.refetch()} />}
      {slots.data && slots.data.slots.length === 0 && (
        <Text>No recurring time fits this circle from that date. Try a later start, or a shorter session.</Text>
      )}
      {slots.data && slots.data.slots.length > 0 && (
        <>
          <RadioGroup aria-labelledby={headingId} value={chosen ?? ""} onChange={(_, d) => setChosen(d.value)}>
            <ul className={styles.slots} aria-label="Suggested times">
              {slots.data.slots.map((slot, index) => (
                <SlotItem key={slot.start} slot={slot} rank={index} viewerTimeZone={viewerTimeZone} selected={slot.start === chosen} />
              ))}
            </ul>
          </RadioGroup>
          <div className={styles.actions}>
            <Button appearance="primary" disabled={!chosenSlot || booking} onClick={() => chosenSlot && onBook({ start: chosenSlot.start, timeZone: chosenSlot.timeZone })}>
              {booking ? "Starting the booking…" : "Book this time"}
            </Button>
          </div>
          {slots.data.rotation && slots.data.rotation.slots.length >= 2 && (
            <RotationNote result={slots.data} viewerTimeZone={viewerTimeZone} booking={booking} onBook={onBook} />
          )}
        </>
      )}
    </div>
  );
}

function nameOf(slot: SlotSuggestion, upn: string): string {
  return slot.memberTimes.find((m) => m.upn.toLowerCase() === upn.toLowerCase())?.displayName ?? upn;
}

function SlotItem({ slot, rank, viewerTimeZone, selected }: { slot: SlotSuggestion; rank: number; viewerTimeZone: string; selected: boolean }) {
  const styles = useStyles();
  const detailsId = useId();
  const when = formatDateTime(slot.start, viewerTimeZone);
  return (
    <li className={selected ? `${styles.slot} ${styles.selected}` : styles.slot}>
      <Radio value={slot.start} label={`${rank === 0 ? "Best: " : ""}first session ${when} (your time)`} aria-describedby={detailsId} />
      <div className={styles.details} id={detailsId}>
        <Text>{slot.explanation}</Text>
        <Caption1>Each member's local time</Caption1>
        <ul className={styles.plain}>
          {slot.memberTimes.map((member) => (
            <li key={member.upn}>
              <Text size={200}>{describeMemberTime(member)}</Text>
            </li>
          ))}
        </ul>
        {slot.conflicts.length === 0 ? (
          <Text size={200}>No conflicts over the whole series.</Text>
        ) : (
          <Text size={200}>
            {`${slot.conflicts.length === 1 ? "1 conflict" : `${slot.conflicts.length} conflicts`}: `}
            {slot.conflicts.map((c) => `${formatCalendarDate(c.date)} (${c.members.map((upn) => nameOf(slot, upn)).join(", ")})`).join("; ")}
          </Text>
        )}
        {slot.outsideWorkingHours.length > 0 && (
          <div>
            <Badge appearance="tint" color="warning">
              Outside working hours
            </Badge>{" "}
            <Text size={200}>{`for ${slot.outsideWorkingHours.map((upn) => nameOf(slot, upn)).join(", ")}`}</Text>
          </div>
        )}
      </div>
    </li>
  );
}

/** "Priya Raman: 15:00 (Europe/London); from 30 Mar 2026: 16:00 (daylight saving)" */
export function describeMemberTime(member: MemberTime): string {
  const shifts = member.shifts.map((s) => `after ${formatCalendarDate(s.after)}: ${s.localTime}`);
  const base = `${member.displayName}: ${member.localTime} (${member.timeZone})`;
  return shifts.length === 0 ? base : `${base}; ${shifts.join("; ")} (daylight saving shifts their local time)`;
}

/** "Megan Bowen: 3 sessions outside working hours (2 early, 1 late)" */
export function describeBurden(name: string, burden: NonNullable<SlotSearchResult["rotation"]>["burden"][number]): string {
  const sessions = burden.outsideSessions === 1 ? "1 session" : `${burden.outsideSessions} sessions`;
  const kinds = [
    burden.earlySessions ? `${burden.earlySessions} early` : "",
    burden.lateSessions ? `${burden.lateSessions} late` : "",
    burden.dayOffSessions ? `${burden.dayOffSessions} on a day off` : "",
  ].filter(Boolean);
  return `${name}: ${sessions} outside working hours${kinds.length > 0 ? ` (${kinds.join(", ")})` : ""}`;
}

/** Which sessions a rotation slot holds: slot j of k has sessions j+1, j+1+k … (1-based for people). */
function sessionNumbers(index: number, count: number): string {
  const first = index + 1;
  return `sessions ${first}, ${first + count}, ${first + 2 * count} …`;
}

/**
 * The rotation: which alternating time holds which sessions, who is outside their hours at each
 * (with their own local time), and how the early/late burden adds up per person — then one
 * button books it as one recurring Teams meeting whose alternate sessions are moved.
 */
function RotationNote({ result, viewerTimeZone, booking, onBook }: { result: SlotSearchResult; viewerTimeZone: string; booking: boolean; onBook: (choice: BookSeriesInput) => void }) {
  const styles = useStyles();
  const headingId = useId();
  const rotation = result.rotation!;
  const names = new Map([...result.slots, ...rotation.slots].flatMap((s) => s.memberTimes).map((m) => [m.upn.toLowerCase(), m.displayName]));
  const nameOfUpn = (upn: string) => names.get(upn.toLowerCase()) ?? upn;
  const first = rotation.slots[0]!;
  return (
    <section className={styles.rotation} aria-labelledby={headingId}>
      <Text weight="semibold" id={headingId}>
        Rotating time proposal: no single time is within everyone's working hours
      </Text>
      <Text>{rotation.explanation}</Text>
      <ul className={styles.plain} aria-label="Alternating times">
        {rotation.slots.map((slot, index) => {
          const outside = slot.memberTimes.filter((m) => slot.outsideWorkingHours.some((upn) => upn.toLowerCase() === m.upn.toLowerCase()));
          return (
            <li key={slot.start}>
              <Text size={200}>
                {`${index === 0 ? "First time" : "Alternating with"}: ${formatDateTime(slot.start, viewerTimeZone)} (your time), ${sessionNumbers(index, rotation.slots.length)}`}
                {outside.length === 0 ? " · within everyone's hours" : ` · outside working hours for ${outside.map((m) => `${m.displayName} (${m.localTime} their time)`).join(", ")}`}
              </Text>
            </li>
          );
        })}
      </ul>
      <ul className={styles.plain} aria-label="Who carries which sessions">
        {rotation.burden.map((b) => (
          <li key={b.upn}>
            <Text size={200}>{describeBurden(nameOfUpn(b.upn), b)}</Text>
          </li>
        ))}
      </ul>
      <Caption1>One recurring Teams meeting (one chat, one join link) at the first time; the alternating sessions are moved to their time in everyone's calendar.</Caption1>
      <div className={styles.actions}>
        <Button
          disabled={booking}
          onClick={() => onBook({ start: first.start, timeZone: first.timeZone, rotation: { starts: rotation.slots.map((s) => s.start) } })}
        >
          {booking ? "Starting the booking…" : "Book this rotation"}
        </Button>
      </div>
    </section>
  );
}
