import { z } from "zod";
import { SegmentKindSchema } from "../circles/formats";
import { ReviewStatusSchema } from "../commitments/schemas";

/** Member ids are Entra object ids in Microsoft 365 mode; kept opaque here. */
export const MemberIdSchema = z.string().min(1).max(128);

/** Roles held by one person each; everyone without one is a coach (product.md glossary, "Roles"). */
export const NamedRoleSchema = z.enum(["facilitator", "caseOwner", "timekeeper", "observer"]);
export type NamedRole = z.infer<typeof NamedRoleSchema>;

/**
 * Today's roles. `caseOwner` is null only for a circle of one (a pair has facilitator + case owner);
 * `timekeeper` (also note-taker) and `observer` are assigned from 4 members up — below that the
 * facilitator keeps time. `coaches` are the members with no named role, in join order.
 */
export const RoleAssignmentSchema = z.object({
  facilitator: MemberIdSchema,
  caseOwner: MemberIdSchema.nullable(),
  timekeeper: MemberIdSchema.nullable(),
  observer: MemberIdSchema.nullable(),
  coaches: z.array(MemberIdSchema),
});
export type RoleAssignment = z.infer<typeof RoleAssignmentSchema>;

/** "why" is open but can feel judgemental; "advice" is a suggestion dressed as a question. */
export const QuestionStyleSchema = z.enum(["open", "closed", "advice", "why"]);
export type QuestionStyle = z.infer<typeof QuestionStyleSchema>;

export const RunStatusSchema = z.enum(["notStarted", "running", "paused", "ended"]);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** A segment of the format, already scaled to the booked length (circles/formats scaleSegments). */
export const RunSegmentSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(80),
  minutes: z.number().int().min(1).max(90),
  kind: SegmentKindSchema,
});
export type RunSegment = z.infer<typeof RunSegmentSchema>;

export const QuestionTextSchema = z.string().trim().min(1).max(500);

export const RunQuestionSchema = z.object({
  id: z.string().min(1),
  authorId: MemberIdSchema,
  text: QuestionTextSchema,
  style: QuestionStyleSchema,
  suggestion: z.string().optional(),
  /** Epoch ms, server time. */
  createdAt: z.number().int(),
});
export type RunQuestion = z.infer<typeof RunQuestionSchema>;

export const LearningSchema = z.string().trim().max(280);

export const RunReviewSchema = z.object({ status: ReviewStatusSchema, learning: LearningSchema });
export type RunReview = z.infer<typeof RunReviewSchema>;

/** Seconds of speaking time per member id. */
export const AirtimeSchema = z.record(MemberIdSchema, z.number().int().min(0));

/**
 * The live state of one session ("run"), owned by the API and fanned out to every client.
 * `version` counts applied intents (0 when created); all instants are epoch ms of server time.
 */
export const RunStateSchema = z.object({
  sessionId: z.string().min(1),
  version: z.number().int().min(0),
  status: RunStatusSchema,
  segments: z.array(RunSegmentSchema).min(1),
  currentSegmentIndex: z.number().int().min(0),
  /** When the current segment's clock started, shifted forward by any pause (see run-reducer resume). */
  segmentStartedAt: z.number().int().nullable(),
  segmentExtendedMinutes: z.number().int().min(0),
  pausedAt: z.number().int().optional(),
  roles: RoleAssignmentSchema,
  speakingOrder: z.array(MemberIdSchema).optional(),
  questions: z.array(RunQuestionSchema),
  airtime: AirtimeSchema,
  reviewed: z.record(z.string().min(1), RunReviewSchema),
  endedAt: z.number().int().optional(),
});
export type RunState = z.infer<typeof RunStateSchema>;

/** What a client may ask the run to do. Routes parse with this; `applyIntent` trusts the parsed shape. */
export const IntentSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("start") }),
  z.object({ type: z.literal("next") }),
  z.object({ type: z.literal("previous") }),
  z.object({ type: z.literal("extend"), minutes: z.number().int().min(1).max(15) }),
  z.object({ type: z.literal("pause") }),
  z.object({ type: z.literal("resume") }),
  z.object({ type: z.literal("end") }),
  z.object({ type: z.literal("setRole"), role: NamedRoleSchema, memberId: MemberIdSchema }),
  z.object({ type: z.literal("swapRoles"), a: MemberIdSchema, b: MemberIdSchema }),
  z.object({ type: z.literal("addQuestion"), text: QuestionTextSchema }),
  z.object({ type: z.literal("removeQuestion"), id: z.string().min(1) }),
  z.object({ type: z.literal("tallyAirtime"), memberId: MemberIdSchema, seconds: z.number().int().min(1).max(600) }),
  z.object({ type: z.literal("drawSpeakingOrder"), seed: z.number().int().min(0).max(0xffffffff).optional() }),
  z.object({ type: z.literal("markReviewed"), commitmentId: z.string().min(1), status: ReviewStatusSchema, learning: LearningSchema.default("") }),
]);
export type Intent = z.infer<typeof IntentSchema>;
export type IntentType = Intent["type"];

/** Why an intent was refused; routes map these to 403 (forbidden, not_member) and 409 (invalid_state). */
export const RunErrorCodeSchema = z.enum(["forbidden", "invalid_state", "not_member"]);
export type RunErrorCode = z.infer<typeof RunErrorCodeSchema>;
