import { z } from "zod";

/**
 * Protected time (product.md §5): a prep block before and a reflection block after each session,
 * on each member's own calendar, busy, in the "Coaching (protected)" category, with a subject
 * that says nothing about the circle. Blocks are tied to an occurrence id, so when the session
 * moves, is skipped or the series is cancelled, re-planning and diffing moves or removes them.
 *
 * Everything here is pure: the booking job and the change-notification handler read the series
 * and the member's existing blocks, call `planProtectedBlocks` and `diffProtectedBlocks`, and
 * apply the diff through the Graph calendar.
 */

export const PROTECTED_CATEGORY = "Coaching (protected)";
export const DEFAULT_PREP_MINUTES = 15;
export const DEFAULT_REFLECTION_MINUTES = 10;

/** Neutral on purpose: a colleague looking at the calendar learns nothing about the circle. */
export const BLOCK_SUBJECTS = { prep: "Coaching prep", reflection: "Coaching reflection" } as const;

export type BlockKind = keyof typeof BLOCK_SUBJECTS;

export const ProtectionSettingsSchema = z.object({
  memberId: z.string().min(1).max(256),
  /** No blocks at all for this member. */
  optOut: z.boolean().default(false),
  /** 0 turns the prep block off. */
  prepMinutes: z.int().min(0).max(120).default(DEFAULT_PREP_MINUTES),
  /** 0 turns the reflection block off. */
  reflectionMinutes: z.int().min(0).max(120).default(DEFAULT_REFLECTION_MINUTES),
});
export type ProtectionSettings = z.input<typeof ProtectionSettingsSchema>;

const InstantSchema = z.iso.datetime({ offset: true });

/** One occurrence of the series as read back from the organiser's calendar (SeriesOccurrenceView). */
export const SeriesOccurrenceSchema = z
  .object({
    id: z.string().min(1),
    start: InstantSchema,
    end: InstantSchema,
    status: z.enum(["scheduled", "moved", "cancelled"]),
  })
  .refine((o) => Date.parse(o.end) > Date.parse(o.start), "an occurrence must end after it starts");
export type SeriesOccurrence = z.infer<typeof SeriesOccurrenceSchema>;

/** A block as it should be on a member's calendar. Instants are UTC ISO strings. */
export interface ProtectedBlock {
  /** `${memberId}|${occurrenceId}|${kind}`: one block per member, occurrence and kind. */
  key: string;
  memberId: string;
  occurrenceId: string;
  kind: BlockKind;
  start: string;
  end: string;
  subject: string;
  categories: string[];
  showAs: "busy";
  /** Blocks are the reminder; a pop-up 15 minutes before prep would be noise. */
  isReminderOn: false;
}

export interface PlanBlocksInput {
  occurrences: readonly SeriesOccurrence[];
  members: readonly ProtectionSettings[];
  /** Blocks that would already have ended are not planned (nobody needs a block in the past). */
  now: string;
}

export function blockKey(memberId: string, occurrenceId: string, kind: BlockKind): string {
  return `${memberId}|${occurrenceId}|${kind}`;
}

/**
 * The blocks every member should have for the series as it is now. Cancelled (skipped)
 * occurrences get none; opted-out members get none. When sessions are so close that a
 * reflection would run into the next session's prep (or the session itself), the reflection is
 * kept and the prep is shortened: time is never protected twice, so team hours stay true.
 *
 * @throws ZodError when an occurrence or a member's settings are malformed.
 */
export function planProtectedBlocks(input: PlanBlocksInput): ProtectedBlock[] {
  const now = Date.parse(InstantSchema.parse(input.now));
  const occurrences = input.occurrences
    .map((o) => SeriesOccurrenceSchema.parse(o))
    .filter((o) => o.status !== "cancelled")
    .map((o) => ({ id: o.id, start: Date.parse(o.start), end: Date.parse(o.end) }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const blocks: ProtectedBlock[] = [];
  for (const raw of input.members) {
    const settings = ProtectionSettingsSchema.parse(raw);
    if (settings.optOut) continue;
    const intervals: Array<{ occurrenceId: string; kind: BlockKind; start: number; end: number }> = [];
    occurrences.forEach((o, i) => {
      const previous = occurrences[i - 1];
      const next = occurrences[i + 1];
      // The previous occurrence's reflection (or the session itself) comes first.
      const previousEnd = previous ? previous.end + settings.reflectionMinutes * 60_000 : -Infinity;
      const prepStart = Math.max(o.start - settings.prepMinutes * 60_000, previousEnd);
      if (prepStart < o.start) intervals.push({ occurrenceId: o.id, kind: "prep", start: prepStart, end: o.start });
      const reflectionEnd = Math.min(o.end + settings.reflectionMinutes * 60_000, next ? next.start : Infinity);
      if (reflectionEnd > o.end) intervals.push({ occurrenceId: o.id, kind: "reflection", start: o.end, end: reflectionEnd });
    });
    for (const b of intervals) {
      if (b.end <= now) continue;
      blocks.push({
        key: blockKey(settings.memberId, b.occurrenceId, b.kind),
        memberId: settings.memberId,
        occurrenceId: b.occurrenceId,
        kind: b.kind,
        start: new Date(b.start).toISOString(),
        end: new Date(b.end).toISOString(),
        subject: BLOCK_SUBJECTS[b.kind],
        categories: [PROTECTED_CATEGORY],
        showAs: "busy",
        isReminderOn: false,
      });
    }
  }
  return blocks.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A block already on a calendar (from our records or read back through its open extension). */
export interface ExistingBlock {
  eventId: string;
  memberId: string;
  occurrenceId: string;
  kind: BlockKind;
  /** ISO instants, any offset. */
  start: string;
  end: string;
  subject?: string;
  categories?: readonly string[];
  showAs?: string;
}

export interface BlockUpdate {
  eventId: string;
  block: ProtectedBlock;
  /** Only the fields that differ. */
  changes: Partial<Pick<ProtectedBlock, "start" | "end" | "subject" | "categories" | "showAs">>;
}

export interface BlockDeletion {
  eventId: string;
  memberId: string;
  reason: "duplicate" | "noLongerPlanned";
}

export interface BlockDiff {
  create: ProtectedBlock[];
  update: BlockUpdate[];
  delete: BlockDeletion[];
}

/**
 * What to do to the calendars so that `existing` becomes `desired`:
 * - a desired block nobody has yet is created;
 * - an existing block whose occurrence moved (or whose settings changed) is updated in place,
 *   with only the fields that differ, so the event id (and anything the member attached) stays;
 * - an existing block that is no longer wanted (skipped or cancelled session, member opted out
 *   or left) is deleted — unless it already ended: past blocks are the record of protected
 *   time and stay;
 * - a second block for the same member, occurrence and kind (a retried create) is deleted,
 *   past or not, so protected hours are never counted twice.
 *
 * Applying the diff and diffing again gives an empty diff.
 */
export function diffProtectedBlocks(existing: readonly ExistingBlock[], desired: readonly ProtectedBlock[], now: string): BlockDiff {
  const nowMs = Date.parse(InstantSchema.parse(now));
  const diff: BlockDiff = { create: [], update: [], delete: [] };
  const wanted = new Map(desired.map((b) => [b.key, b]));

  const byKey = new Map<string, ExistingBlock[]>();
  for (const block of existing) {
    const key = blockKey(block.memberId, block.occurrenceId, block.kind);
    const list = byKey.get(key);
    if (list) list.push(block);
    else byKey.set(key, [block]);
  }

  for (const [key, blocks] of byKey) {
    const target = wanted.get(key);
    // Keep the copy that already matches the plan (fewest changes), then the lowest event id.
    const ordered = [...blocks].sort(
      (a, b) => (target ? changesFor(a, target).count - changesFor(b, target).count : 0) || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0),
    );
    const [kept, ...extras] = ordered as [ExistingBlock, ...ExistingBlock[]];
    for (const extra of extras) diff.delete.push({ eventId: extra.eventId, memberId: extra.memberId, reason: "duplicate" });
    if (!target) {
      if (Date.parse(kept.end) > nowMs) diff.delete.push({ eventId: kept.eventId, memberId: kept.memberId, reason: "noLongerPlanned" });
      continue;
    }
    const { changes, count } = changesFor(kept, target);
    if (count > 0) diff.update.push({ eventId: kept.eventId, block: target, changes });
  }
  for (const block of desired) if (!byKey.has(block.key)) diff.create.push(block);
  return diff;
}

function changesFor(existing: ExistingBlock, target: ProtectedBlock): { changes: BlockUpdate["changes"]; count: number } {
  const changes: BlockUpdate["changes"] = {};
  // Instants compare as instants: "10:00+01:00" and "09:00Z" are the same time.
  if (Date.parse(existing.start) !== Date.parse(target.start)) changes.start = target.start;
  if (Date.parse(existing.end) !== Date.parse(target.end)) changes.end = target.end;
  if (existing.subject !== undefined && existing.subject !== target.subject) changes.subject = target.subject;
  if (existing.showAs !== undefined && existing.showAs !== target.showAs) changes.showAs = target.showAs;
  if (existing.categories !== undefined && !existing.categories.includes(PROTECTED_CATEGORY)) changes.categories = [...new Set([...existing.categories, PROTECTED_CATEGORY])];
  return { changes, count: Object.keys(changes).length };
}
