import type { Kysely } from "kysely";

/**
 * Issue #3, the last two parts: a circle may end on a date instead of after a number of sessions
 * (`circles.ends_on`, YYYY-MM-DD in the circle's zone, inclusive; null = numbered), and a series
 * may be booked as a rotation (`circle_series.rotation`, JSON of the occurrences the booking moves
 * to the alternate slots), so the circle page can tell an alternate time from a one-off move.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("circles").addColumn("ends_on", "text").execute();
  await db.schema.alterTable("circle_series").addColumn("rotation", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("circle_series").dropColumn("rotation").execute();
  await db.schema.alterTable("circles").dropColumn("ends_on").execute();
}
