import { chooseRotation } from "./choose-rotation";
import { describeRotation, describeSlot } from "./describe-slot";
import { DAY_NAMES, type DayName, parseTimeOfDay } from "./local-time";
import { CIRCLE_WEEKDAYS, isAvailable, rankCandidates, scoreCandidates } from "./score-candidates";
import { prepareSearch } from "./slot-search-context";
import type { FindSlotsInput, FindSlotsResult, RotationProposal, SlotSuggestion } from "./slot-search-types";

/**
 * Fair slot search (product feature 2, architecture "Free/busy"): ranks recurring slots by
 * conflicts over ALL sessions of the series and by who pays the inconvenience, and when no slot
 * fits everyone's working hours proposes alternating slots so that burden is shared.
 *
 * Candidates are every weekday (Mon–Fri) × start time in the circle's zone on the step grid, with
 * the session inside [earliest, latest] — by default 07:00–21:00, or the whole day when no
 * session fits everyone's working hours within that (a Seattle–Bengaluru circle). Each is scored over the whole series: busy/out-of-office
 * clashes (tentative counts half; "working elsewhere" is free), members outside their working
 * hours — in each member's own working-hours zone and days, so a Friday evening in Kolkata counts —
 * minutes outside, and how evenly the burden falls (burden = outside minutes + how far outside, so
 * 00:00 weighs more than 08:00). Order: conflicts, members outside, outside minutes, heaviest
 * individual burden, total burden, then earlier in the week and the day.
 *
 * Returns the best `maxResults` (default 5), never two overlapping suggestions on the same weekday,
 * and — when no candidate is within everyone's hours and alternating lowers the number of
 * out-of-hours sessions the most burdened member carries — a rotation of 2 (or 3) slots.
 *
 * Pure; input is trusted (validate with FindSlotsInputSchema at the HTTP boundary).
 * @throws RangeError for malformed dates or times, unknown time zones, or counts below 1.
 */
export function findSlots(input: FindSlotsInput): FindSlotsResult {
  const ctx = prepareSearch(input);
  const T = ctx.startMinutes.length;
  // No start time fits the day, or the series ends before any weekday's first session.
  if (T === 0 || ctx.sessionCount === 0) return { slots: [], candidatesConsidered: 0 };
  const table = scoreCandidates(ctx);
  const order = rankCandidates(table);
  const weekdayOf = (c: number) => CIRCLE_WEEKDAYS[Math.floor(c / T)]!;
  const minuteOf = (c: number) => ctx.startMinutes[c % T]!;

  const chosen: number[] = [];
  for (const c of order) {
    if (chosen.length >= ctx.maxResults) break;
    if (!isAvailable(table, c)) continue;
    const minute = minuteOf(c);
    if ((minute < ctx.usualFrom || minute > ctx.usualTo) && table.membersOutside[c]! > 0) continue;
    const overlaps = chosen.some((o) => weekdayOf(o) === weekdayOf(c) && Math.abs(minuteOf(o) - minuteOf(c)) < ctx.sessionMinutes);
    if (!overlaps) chosen.push(c);
  }
  const slots = chosen.map((c) => describeSlot(ctx, weekdayOf(c), minuteOf(c)));

  const best = chosen[0];
  let rotation: RotationProposal | undefined;
  if (best !== undefined && !table.membersOutside.includes(0)) {
    // No slot is within everyone's hours: alternate slots when that spreads the out-of-hours
    // sessions more evenly than the best single slot does ("Lee 6, Ravi 6" instead of "Ravi 12").
    const choice = chooseRotation(table, order, ctx.members.length, ctx.sessionCount);
    if (choice && choice.maxSessions < table.maxMemberSessions[best]!) {
      rotation = describeRotation(
        ctx,
        choice.candidates.map((c) => ({ weekday: weekdayOf(c), startMinute: minuteOf(c) })),
      );
    }
  }
  return { slots, ...(rotation ? { rotation } : {}), candidatesConsidered: table.count };
}

/**
 * The same analysis for one slot someone picked ("why not Tuesday 15:00?"), on any weekday.
 * @throws RangeError like findSlots, or for a malformed `localTime`.
 */
export function evaluateSlot(input: FindSlotsInput, slot: { weekday: DayName; localTime: string }): SlotSuggestion {
  const ctx = prepareSearch(input);
  return describeSlot(ctx, DAY_NAMES.indexOf(slot.weekday), parseTimeOfDay(slot.localTime));
}
