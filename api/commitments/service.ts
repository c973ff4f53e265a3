import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { CallerIdentity } from "../auth/identity";
import { isGraphRequestError, type GraphFactory, type UserGraph } from "../graph";
import { conflict } from "../shared/errors";
import type { Db } from "../storage";
import { buildCommitmentCard, chatMessageForCard } from "./commitment-card";
import { summariseCompletion, type CompletionSummary } from "./completion";
import {
  deleteCommitment,
  findCommitmentOfOwner,
  insertCommitment,
  listCommitmentsOfSession,
  listPreviousSessionCommitments,
  listReviewStatuses,
  setCommitmentPosted,
  setCommitmentReview,
  type CommitmentRow,
} from "./repository";
import { ReviewStatusSchema, type ReviewStatus } from "./schemas";

/** The To Do list our tasks go into; created on first use (platform-facts.md, To Do). */
export const TODO_LIST_NAME = "Coaching commitments";

/** What a member writes on their card (validated by the route). */
export interface NewCommitment {
  action: string;
  dueDate: string;
  signal: string;
  supportWanted?: string | undefined;
  addToTodo: boolean;
}

/** Where the card goes and what it says around the member's own words. */
export interface CommitmentContext {
  sessionId: string;
  circleId: string;
  circleName: string;
  chatId: string;
  ownerName: string;
  /** https link the card's button opens (the meeting chat, where our tab lives). */
  deepLink: string;
  now: Date;
}

export interface CommitmentView {
  id: string;
  sessionId: string;
  ownerId: string;
  action: string;
  dueDate: string;
  signal: string;
  supportWanted: string | null;
  postedToChat: boolean;
  todoTaskId: string | null;
  review: { status: ReviewStatus; learning: string } | null;
  /** Set when the card was posted but the To Do task could not be added. */
  todoProblem?: string;
}

export function toCommitmentView(row: CommitmentRow): CommitmentView {
  const status = ReviewStatusSchema.safeParse(row.review_status);
  return {
    id: row.id,
    sessionId: row.session_id,
    ownerId: row.owner_id,
    action: row.action,
    dueDate: row.due_date,
    signal: row.signal,
    supportWanted: row.support_wanted,
    postedToChat: row.chat_message_id !== null,
    todoTaskId: row.todo_task_id,
    review: status.success ? { status: status.data, learning: row.review_learning ?? "" } : null,
  };
}

const ChatMessageIdSchema = z.object({ id: z.string().min(1) });
const TodoListSchema = z.object({ id: z.string().min(1), displayName: z.string() });
const TodoTaskIdSchema = z.object({ id: z.string().min(1) });

/**
 * Saves the caller's commitment card for the session, posts it to the meeting chat as an Adaptive
 * Card on their behalf (delegated ChatMessage.Send: an app cannot post alone) and, when asked, adds
 * a To Do task due on the card's date.
 *
 * The row is written first so two taps cannot post two cards (the second hits the unique
 * session+owner key); if posting fails the row is removed again, so a retry starts clean.
 * @throws AppError conflict when the caller already has a card for this session;
 *   Graph errors (GraphRequestError) when posting fails.
 */
export async function createCommitment(deps: { db: Db; graph: GraphFactory }, caller: CallerIdentity, ctx: CommitmentContext, input: NewCommitment): Promise<CommitmentView> {
  const now = ctx.now.toISOString();
  if (await findCommitmentOfOwner(deps.db, ctx.sessionId, caller.userId)) {
    throw conflict("You've already written your commitment card for this session.");
  }
  const id = randomUUID();
  const supportWanted = input.supportWanted && input.supportWanted.trim() !== "" ? input.supportWanted.trim() : null;
  try {
    await insertCommitment(deps.db, { id, circleId: ctx.circleId, sessionId: ctx.sessionId, ownerId: caller.userId, action: input.action, dueDate: input.dueDate, signal: input.signal, supportWanted, now });
  } catch (err) {
    if (await findCommitmentOfOwner(deps.db, ctx.sessionId, caller.userId)) throw conflict("You've already written your commitment card for this session.");
    throw err;
  }

  const graph = deps.graph.forUser(caller);
  let chatMessageId: string;
  try {
    const card = buildCommitmentCard({
      id,
      ownerName: ctx.ownerName,
      action: input.action,
      dueDate: input.dueDate,
      signal: input.signal,
      ...(supportWanted ? { supportWanted } : {}),
      circleName: ctx.circleName,
      deepLink: ctx.deepLink,
    });
    const message = await graph.post(`/chats/${encodeURIComponent(ctx.chatId)}/messages`, chatMessageForCard(card), ChatMessageIdSchema);
    chatMessageId = message.id;
  } catch (err) {
    await deleteCommitment(deps.db, id);
    throw err;
  }

  // The card is in the chat now; a To Do failure must not un-post it: the card stands and the
  // member is told the task could not be added (todoProblem), so they can add it by hand.
  let todo: { listId: string; taskId: string } | null = null;
  let todoProblem: string | undefined;
  if (input.addToTodo) {
    try {
      todo = await addTodoTask(graph, { action: input.action, signal: input.signal, dueDate: input.dueDate, deepLink: ctx.deepLink, circleName: ctx.circleName });
    } catch (err) {
      if (!isGraphRequestError(err)) throw err;
      todoProblem = "Your card is in the meeting chat, but Microsoft To Do didn't accept the task. Add it to To Do yourself, or try again later.";
    }
  }

  await setCommitmentPosted(deps.db, id, { chatMessageId, todoListId: todo?.listId ?? null, todoTaskId: todo?.taskId ?? null, now });
  const saved = await findCommitmentOfOwner(deps.db, ctx.sessionId, caller.userId);
  return { ...toCommitmentView(saved!), ...(todoProblem ? { todoProblem } : {}) };
}

/**
 * A To Do task for the commitment in the "Coaching commitments" list (created when missing). To Do
 * shows titles and bodies as plain text, so the member's words go in unchanged.
 */
async function addTodoTask(
  graph: UserGraph,
  input: { action: string; signal: string; dueDate: string; deepLink: string; circleName: string },
): Promise<{ listId: string; taskId: string }> {
  const lists = await graph.getAllPages("/me/todo/lists", TodoListSchema);
  const list = lists.find((l) => l.displayName === TODO_LIST_NAME) ?? (await graph.post("/me/todo/lists", { displayName: TODO_LIST_NAME }, TodoListSchema));
  const action = input.action.replace(/^i\s+will\s+/i, "").trim() || input.action;
  const task = await graph.post(
    `/me/todo/lists/${encodeURIComponent(list.id)}/tasks`,
    {
      title: `I will ${action}`.slice(0, 255),
      // To Do keeps due dates as days; midnight UTC of the card's date is how Graph represents a day.
      dueDateTime: { dateTime: `${input.dueDate}T00:00:00`, timeZone: "UTC" },
      body: { contentType: "text", content: input.signal ? `I'll know it worked when ${input.signal}` : `Commitment from ${input.circleName}` },
      linkedResources: [{ webUrl: input.deepLink, applicationName: "Coaching Circles", displayName: input.circleName }],
    },
    TodoTaskIdSchema,
  );
  return { listId: list.id, taskId: task.id };
}

export async function findMyCommitment(db: Db, sessionId: string, ownerId: string): Promise<CommitmentView | null> {
  const row = await findCommitmentOfOwner(db, sessionId, ownerId);
  return row ? toCommitmentView(row) : null;
}

export async function listSessionCommitments(db: Db, sessionId: string): Promise<CommitmentView[]> {
  return (await listCommitmentsOfSession(db, sessionId)).map(toCommitmentView);
}

/** The previous session's cards, for this session's review segment. */
export async function listCommitmentsForReview(db: Db, circleId: string, sessionDate: string): Promise<CommitmentView[]> {
  return (await listPreviousSessionCommitments(db, circleId, sessionDate)).map(toCommitmentView);
}

/** Records the owner's review (status + one line of learning) for completion aggregates. */
export async function recordReview(db: Db, commitmentId: string, review: { status: ReviewStatus; learning: string; sessionId: string; now: Date }): Promise<void> {
  await setCommitmentReview(db, commitmentId, { status: review.status, learning: review.learning, sessionId: review.sessionId, now: review.now.toISOString() });
}

/** Completion over the circle's reviewed commitments (done 1, partly ½, not done 0, changed excluded). */
export async function circleCompletion(db: Db, circleId: string): Promise<CompletionSummary> {
  const rows = await listReviewStatuses(db, circleId);
  return summariseCompletion(rows.flatMap((r) => {
    const status = ReviewStatusSchema.safeParse(r.review_status);
    return status.success ? [{ status: status.data }] : [];
  }));
}
