import type { DateTime } from "luxon";
import { expect } from "vitest";
import type { Db } from "../../../../api/storage";
import { SANDBOX_TENANT_ID, type SeedPerson } from "../../../../sandbox/seed/people";

/**
 * What happened around circles' sessions, put in place the way the product records it, for the
 * views that aggregate participant activity (team view, program health).
 */

/**
 * "Holds" a session in Teams: the attendance report Teams makes when the meeting ends (sandbox
 * control). `meetingKey` is the online meeting id, its join URL, or the calendar event id;
 * attendees are there the whole hour unless `seconds` says otherwise.
 */
export async function holdInTeams(sandboxUrl: string, meetingKey: string, occurrenceStart: DateTime, attendees: Array<[SeedPerson, number?]>): Promise<void> {
  const res = await fetch(`${sandboxUrl}/sandbox/meetings/${encodeURIComponent(meetingKey)}/attendance`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ occurrenceStart: occurrenceStart.toUTC().toISO(), attendees: attendees.map(([p, seconds]) => ({ userId: p.userPrincipalName, ...(seconds !== undefined ? { durationSeconds: seconds } : {}) })) }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

/** A member declined one session (as the notifications module records it from their calendar). */
export async function insertDecline(db: Db, circleId: string, who: SeedPerson, start: DateTime): Promise<void> {
  const iso = start.toUTC().toISO()!;
  const at = new Date().toISOString();
  await db
    .insertInto("session_declines")
    .values({ circle_id: circleId, user_id: who.id, tenant_id: SANDBOX_TENANT_ID, occurrence_key: iso, scope: "occurrence", session_start_at: iso, declined_at: at, withdrawn_at: null, released_blocks: 0, nudged_at: null })
    .execute();
}
