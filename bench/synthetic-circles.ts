import { createSeededRandom } from "../api/shared/seeded-random";
import type { BusyStatus, FindSlotsInput, SlotSearchMember } from "../api/scheduling";
import { DAY_MS, MINUTE_MS, weekdayOf } from "../api/scheduling/local-time";
import { getZoneOffsets, localToUtc } from "../api/scheduling/zone-offsets";


export const BENCH_ZONES = ["Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Kolkata"] as const;
const WORKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"];
const FIRST_NAMES = ["Alex", "Priya", "Lee", "Sam", "Noor", "Kai", "Maria", "Tomás", "Aiko", "Ravi", "Jo", "Fatima"];

function pickStatus(r: number): BusyStatus {
  if (r < 0.8) return "busy";
  if (r < 0.92) return "tentative";
  if (r < 0.95) return "oof";
  return "workingElsewhere";
}

/**
 * Circle `index`: 8 members, two in each of London, New York, Los Angeles and Kolkata, 12
 * fortnightly 60-minute sessions, and ~25 calendar items per member per working week (08:00–18:00
 * in their zone, 30–90 min, sorted by start like getSchedule) over the whole horizon. Start
 * dates walk through a year so the circles cross every daylight-saving change.
 */
export function syntheticCircle(index: number, opts: { members?: number; sessionCount?: number; itemsPerWeek?: number } = {}): FindSlotsInput {
  const rand = createSeededRandom(0x5eed + index * 7919);
  const memberCount = opts.members ?? 8;
  const sessionCount = opts.sessionCount ?? 12;
  const itemsPerWeek = opts.itemsPerWeek ?? 25;
  const startOn = Date.UTC(2026, 0, 5) + (index % 52) * 7 * DAY_MS + Math.floor(rand() * 5) * DAY_MS;
  const weeks = sessionCount * 2 + 2;
  const members: SlotSearchMember[] = [];
  for (let m = 0; m < memberCount; m++) {
    const zoneName = BENCH_ZONES[m % BENCH_ZONES.length]!;
    const zone = getZoneOffsets(zoneName, startOn - 7 * DAY_MS, startOn + (weeks + 1) * 7 * DAY_MS);
    const startHour = 8 + Math.floor(rand() * 3); // 08:00, 09:00 or 10:00 for 8 hours
    const busy: SlotSearchMember["busy"] = [];
    for (let day = startOn - 2 * DAY_MS; day < startOn + weeks * 7 * DAY_MS; day += DAY_MS) {
      const weekday = weekdayOf(day);
      if (weekday === 0 || weekday === 6) continue;
      const perDay = Math.round(itemsPerWeek / 5 + (rand() - 0.5) * 2);
      const starts: number[] = [];
      for (let k = 0; k < perDay; k++) starts.push(8 * 60 + Math.floor(rand() * 40) * 15);
      starts.sort((a, b) => a - b);
      for (const minute of starts) {
        const start = localToUtc(zone, day + minute * MINUTE_MS);
        busy.push({ start, end: start + (30 + Math.floor(rand() * 4) * 15) * MINUTE_MS, status: pickStatus(rand()) });
      }
    }
    members.push({
      id: `member-${index}-${m}`,
      displayName: FIRST_NAMES[(index + m) % FIRST_NAMES.length]!,
      timeZone: zoneName,
      workingHours: { daysOfWeek: WORKDAYS as SlotSearchMember["workingHours"]["daysOfWeek"], startTime: `${String(startHour).padStart(2, "0")}:00`, endTime: `${String(startHour + 8).padStart(2, "0")}:00`, timeZone: zoneName },
      busy,
    });
  }
  const d = new Date(startOn);
  return {
    members,
    circleTimeZone: BENCH_ZONES[index % BENCH_ZONES.length]!,
    cadence: "biweekly",
    sessionMinutes: 60,
    sessionCount,
    startOn: `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}-${String(d.getUTCDate()).padStart(2, "0")}`,
  };
}
