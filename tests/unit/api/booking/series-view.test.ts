import { describe, expect, it } from "vitest";
import { classifyOccurrences, expectedStarts } from "../../../../api/booking/series-view";
import type { CalendarEvent } from "../../../../api/graph";

const HOUR = 3_600_000;

function event(over: Partial<CalendarEvent>): CalendarEvent {
  return {
    id: "x",
    iCalUId: null,
    type: "occurrence",
    start: 0,
    end: HOUR,
    originalStart: null,
    isCancelled: false,
    seriesMasterId: null,
    transactionId: null,
    joinUrl: null,
    recurrence: null,
    attendees: [],
    extensions: {},
    ...over,
  };
}

// Every 2 weeks on Tuesday 15:00 London, 4 sessions; the series crosses the end of British Summer Time (26 Oct 2025).
const first = Date.parse("2025-10-14T14:00:00Z");
const master = event({
  id: "master",
  type: "seriesMaster",
  start: first,
  end: first + HOUR,
  recurrence: { pattern: { type: "weekly", interval: 2, daysOfWeek: ["tuesday"] }, range: { type: "numbered", startDate: "2025-10-14", numberOfOccurrences: 4, recurrenceTimeZone: "GMT Standard Time" } },
});

describe("series view", () => {
  it("keeps 15:00 London across the end of summer time", () => {
    const starts = expectedStarts(master, "Europe/London", HOUR).map((ms) => new Date(ms).toISOString());
    expect(starts).toEqual(["2025-10-14T14:00:00.000Z", "2025-10-28T15:00:00.000Z", "2025-11-11T15:00:00.000Z", "2025-11-25T15:00:00.000Z"]);
  });

  it("reads a missing organiser occurrence as cancelled and a shifted exception as moved", () => {
    const slots = expectedStarts(master, "Europe/London", HOUR);
    const instances = [
      event({ id: "o1", start: slots[0]!, end: slots[0]! + HOUR, originalStart: slots[0]! }),
      // o2 is gone: the organiser cancelled it.
      event({ id: "o3", type: "exception", start: slots[2]! + 2 * HOUR, end: slots[2]! + 3 * HOUR, originalStart: slots[2]! }),
      event({ id: "o4", start: slots[3]!, end: slots[3]! + HOUR, originalStart: slots[3]!, isCancelled: true }),
    ];
    const view = classifyOccurrences(master, instances, "Europe/London");
    expect(view.map((o) => [o.status, o.start])).toEqual([
      ["scheduled", "2025-10-14T15:00:00+01:00"],
      ["cancelled", "2025-10-28T15:00:00+00:00"],
      ["moved", "2025-11-11T17:00:00+00:00"],
      ["cancelled", "2025-11-25T15:00:00+00:00"],
    ]);
    expect(view[2]!.id).toBe("o3");
  });

  it("stops at the range's end date after a split", () => {
    const ended = { ...master, recurrence: { ...master.recurrence!, range: { type: "endDate", startDate: "2025-10-14", endDate: "2025-11-10", recurrenceTimeZone: null } } };
    expect(expectedStarts(ended, "Europe/London", HOUR)).toHaveLength(2);
  });
});
