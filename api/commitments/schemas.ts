import { z } from "zod";

/**
 * How a commitment turned out, said by its owner at the next session's review (product.md,
 * glossary "Commitment card"). "changed" means the owner consciously changed the plan.
 */
export const ReviewStatusSchema = z.enum(["done", "partly", "notDone", "changed"]);
export type ReviewStatus = z.infer<typeof ReviewStatusSchema>;

/** A calendar date without a time or zone ("before the next session" is a day, not an instant). */
export const DueDateSchema = z.iso.date();

/**
 * The deep link a card button opens. Teams cards without a bot can only open URLs
 * (platform-facts.md, "Adaptive Cards in Teams"), and only https may reach our tab: a
 * `javascript:` or `data:` URL in a card would be a script-injection vector.
 */
export const DeepLinkSchema = z
  .string()
  .trim()
  .max(2048)
  .refine(isSafeHttpsUrl, "use an https:// link without a user name or password")
  // The WHATWG serialisation percent-encodes quotes and angle brackets, so the stored link is inert text.
  .transform((url) => new URL(url).href);

function isSafeHttpsUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  // "https://teams.microsoft.com@evil.example" reads like Teams but goes to evil.example: refuse credentials.
  return url.protocol === "https:" && url.hostname !== "" && url.username === "" && url.password === "";
}

/** One commitment card: one per participant per session. Text limits match the side panel's inputs. */
export const CommitmentSchema = z.object({
  id: z.string().min(1).max(128),
  ownerName: z.string().trim().min(1).max(256),
  /** "I will …" — the owner's own words. */
  action: z.string().trim().min(1).max(280),
  dueDate: DueDateSchema,
  /** "I'll know it worked when …" */
  signal: z.string().trim().max(280),
  supportWanted: z.string().trim().max(280).optional(),
  circleName: z.string().trim().min(1).max(256),
  deepLink: DeepLinkSchema,
});
export type Commitment = z.infer<typeof CommitmentSchema>;

/** One reviewed commitment, as the completion rate needs it. */
export const ReviewSchema = z.object({
  status: ReviewStatusSchema,
  learning: z.string().trim().max(280),
});
export type Review = z.infer<typeof ReviewSchema>;
