import { z } from "zod";

/** Stable, URL-safe ids: built-in formats are referenced by id from circles and programs. */
const KebabIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "use lowercase words joined by hyphens");

/** What a segment is for the live side panel (round = speaking order, question-storm = the board …). */
export const SegmentKindSchema = z.enum(["round", "question-storm", "commitments", "review", "open"]);
export type SegmentKind = z.infer<typeof SegmentKindSchema>;

export const SegmentSchema = z.object({
  id: KebabIdSchema,
  name: z.string().trim().min(1).max(80),
  minutes: z.number().int().min(1).max(90),
  purpose: z.string().trim().min(1).max(500),
  prompts: z.array(z.string().trim().min(1).max(300)).max(12),
  kind: SegmentKindSchema.optional(),
});
export type Segment = z.infer<typeof SegmentSchema>;

/**
 * A format is data, not code: program owners copy and edit one. `defaultMinutes` is the length
 * the segment minutes were written for; circles booking another length scale them
 * (scale-segments.ts), so the two must agree.
 */
export const FormatSchema = z
  .object({
    id: KebabIdSchema,
    name: z.string().trim().min(1).max(80),
    description: z.string().trim().min(1).max(1000),
    defaultMinutes: z.number().int().min(1),
    segments: z.array(SegmentSchema).min(1).max(12),
  })
  .superRefine((format, ctx) => {
    const total = format.segments.reduce((sum, s) => sum + s.minutes, 0);
    if (total !== format.defaultMinutes) {
      ctx.addIssue({
        code: "custom",
        path: ["defaultMinutes"],
        message: `segments add up to ${total} minutes, not ${format.defaultMinutes}`,
      });
    }
    const ids = new Set<string>();
    format.segments.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: "custom", path: ["segments", i, "id"], message: `duplicate segment id "${s.id}"` });
      ids.add(s.id);
    });
  });
export type Format = z.infer<typeof FormatSchema>;

/**
 * What a program owner may change when copying a format; everything is optional. Edited
 * segments that keep an existing id inherit that segment's purpose, prompts and kind unless
 * given. The result is validated as a whole by `FormatSchema` (copy-format.ts).
 */
export const FormatEditsSchema = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  segments: z
    .array(
      z.object({
        id: z.string().optional(),
        name: z.string(),
        minutes: z.number(),
        purpose: z.string().optional(),
        prompts: z.array(z.string()).optional(),
        kind: SegmentKindSchema.optional(),
      }),
    )
    .optional(),
});
export type FormatEdits = z.infer<typeof FormatEditsSchema>;
