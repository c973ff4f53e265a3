import type { CallerIdentity } from "../auth/identity";
import {
  addTabRequest,
  createCategoryRequest,
  createSeriesRequest,
  disableRecordingRequest,
  findCatalogAppRequest,
  findMeetingByJoinUrlRequest,
  findSeriesByExtension,
  getEvent,
  installAppRequest,
  isAppInstalled,
  listAppTabs,
  listInstances,
  listRecentMessages,
  moveOccurrenceRequest,
  postMessageRequest,
  readCatalogApp,
  readCategoryResult,
  readEventResult,
  readInstallResult,
  readMeetingLookup,
  readMeetingResult,
  readMessageResult,
  readTabResult,
  type BatchRequest,
  type BatchResult,
  type GraphFactory,
  type SeriesEventSpec,
} from "../graph";
import { RetryLaterError, type JobHandler, type JobRunContext, type StepDefinition } from "../jobs";
import { AppError } from "../shared/errors";
import type { Db } from "../storage";
import type { CallerCredentials } from "./credentials";
import { updateSeriesRow } from "./repository";
import { BookingPayloadSchema, MeetingOutputSchema, RotationOutputSchema, SeriesOutputSchema, type BookingPayload } from "./schemas";

export const BOOKING_JOB_TYPE = "book-series";

/** The category Outlook shows on protected coaching time (created in the organiser's mailbox if missing). */
export const PROTECTED_CATEGORY = { displayName: "Coaching (protected)", color: "preset9" } as const;

/** Our open extension on the series (platform-facts: `com.contoso.coachingCircles`-style names). */
export const SERIES_EXTENSION_NAME = "com.coachingcircles.series";

export const BOOKING_STEPS = [
  { name: "category", label: "Create the “Coaching (protected)” category" },
  { name: "series", label: "Book the recurring Teams meeting" },
  { name: "meeting", label: "Find the meeting and its chat" },
  { name: "recording", label: "Turn recording and transcription off" },
  { name: "app", label: "Add Coaching Circles to the meeting chat" },
  { name: "tab", label: "Pin the circle's tab in the chat" },
  { name: "welcome", label: "Post a welcome message" },
] as const;

/** Only in a rotation booking, right after the series: the sessions that alternate move to their slot. */
export const ROTATION_STEP = { name: "rotation", label: "Move alternating sessions to their time" } as const;

/** The steps a booking records: with a rotation, the rotation step follows the series. */
export function bookingSteps(opts: { rotation: boolean }): StepDefinition[] {
  if (!opts.rotation) return [...BOOKING_STEPS];
  return [BOOKING_STEPS[0], BOOKING_STEPS[1], ROTATION_STEP, ...BOOKING_STEPS.slice(2)];
}

/**
 * The steps of a job that sets up the meeting chat of a series linked from Outlook: the category
 * and the series are the organiser's appointment (recorded as done from the start); no rotation.
 */
export const LINKED_SERIES_STEPS: readonly StepDefinition[] = [
  { name: "category", label: "Mark it as protected coaching time (done in Outlook)" },
  { name: "series", label: "Use your Outlook appointment as the circle's series" },
  ...BOOKING_STEPS.slice(2),
];

export interface BookingJobDeps {
  db: Db;
  graph: GraphFactory;
  credentials: CallerCredentials;
  /** After the series is booked (protected time queues the members' blocks). */
  onBooked?: (tenantId: string, circleId: string) => Promise<void>;
}

/** Runs the handler of each result even when an earlier one failed, then throws the first failure. */
async function settleEach(handlers: Array<() => Promise<void>>): Promise<void> {
  let first: unknown;
  for (const handle of handlers) {
    try {
      await handle();
    } catch (err) {
      first ??= err;
    }
  }
  if (first !== undefined) throw first;
}

function resultOf(results: readonly BatchResult[], id: string): BatchResult {
  const r = results.find((x) => x.id === id);
  if (!r) throw new Error(`$batch answered no "${id}"`);
  return r;
}

/**
 * The booking job (issue #3 part 4). Graph round trips on a first, fault-free run: three
 * `$batch` calls — (category + series), (meeting by join URL + our app in the catalog),
 * (recording off + install app + add tab + welcome) — so booking a circle costs 3 requests
 * plus the free/busy search. A step that was started before (it may have taken effect before a
 * crash or a lost response) looks for its effect first: the series by our open extension /
 * transactionId, the app installation, our tab, our welcome message.
 */
export function createBookingJobHandler(deps: BookingJobDeps): JobHandler<BookingPayload> {
  return {
    type: BOOKING_JOB_TYPE,
    payloadSchema: BookingPayloadSchema,
    // Every step a booking may record; a job without a rotation has no "rotation" row and skips it.
    steps: bookingSteps({ rotation: true }),
    async run(ctx) {
      const p = ctx.payload;
      const caller = deps.credentials.find(p.tenantId, p.organizer.userId);
      if (!caller) throw new RetryLaterError("Waiting for the organiser to open Coaching Circles again (their sign-in is needed to book).", 30_000, "organizer_signed_out");
      const graph = deps.graph.forUser(caller);
      const series = await ensureSeries(deps, ctx, caller, graph);
      await applyRotation(ctx, graph, series);
      const meeting = await resolveMeeting(deps, ctx, graph, series);
      await finishChat(ctx, graph, meeting);
      await updateSeriesRow(deps.db, p.circleId, p.generation, { status: "booked", updated_at: ctx.now().toISOString() });
      await deps.onBooked?.(p.tenantId, p.circleId);
    },
  };
}

type Graph = ReturnType<GraphFactory["forUser"]>;
type SeriesOutput = ReturnType<typeof SeriesOutputSchema.parse>;
type MeetingOutput = ReturnType<typeof MeetingOutputSchema.parse>;

async function currentAttendees(db: Db, circleId: string, organizerId: string): Promise<Array<{ address: string; name: string }>> {
  const members = await db.selectFrom("circle_members").select(["user_id", "upn", "display_name"]).where("circle_id", "=", circleId).where("left_at", "is", null).orderBy("joined_at").orderBy("upn").execute();
  return members.filter((m) => m.user_id !== organizerId).map((m) => ({ address: m.upn, name: m.display_name }));
}

/** Steps 1–2: the category and the series, in one $batch (they do not depend on each other). */
async function ensureSeries(deps: BookingJobDeps, ctx: JobRunContext<BookingPayload>, caller: CallerIdentity, graph: Graph): Promise<SeriesOutput> {
  const p = ctx.payload;
  const categoryStep = ctx.step("category");
  const seriesStep = ctx.step("series");
  if (seriesStep.status === "done" && categoryStep.status === "done") return SeriesOutputSchema.parse(seriesStep.output);
  if (p.linked) return recordLinkedSeries(ctx, p.linked);
  const event = p.event;
  if (!event) throw new Error("A booking job needs the series to create or a linked one.");

  let series: SeriesOutput | undefined = seriesStep.status === "done" ? SeriesOutputSchema.parse(seriesStep.output) : undefined;
  const requests: BatchRequest[] = [];
  const begin: string[] = [];
  if (categoryStep.status !== "done") {
    requests.push(createCategoryRequest("category", PROTECTED_CATEGORY.displayName, PROTECTED_CATEGORY.color));
    begin.push("category");
  }
  if (!series) {
    begin.push("series");
    if (seriesStep.attempts > 0) {
      // Started before: the create may have reached Exchange even if we never saw the answer.
      const found = await findSeriesByExtension(graph, { extensionName: SERIES_EXTENSION_NAME, property: "circleId", value: p.circleId, transactionId: p.transactionId });
      // An earlier series of the circle (before a move split it) carries the extension too.
      const mine = found.find((e) => e.transactionId === p.transactionId || e.extensions[SERIES_EXTENSION_NAME]?.generation === String(p.generation));
      if (mine) series = { eventId: mine.id, iCalUId: mine.iCalUId, joinUrl: mine.joinUrl };
    }
    if (!series) {
      const spec: SeriesEventSpec = {
        subject: event.subject,
        bodyHtml: event.bodyHtml,
        startDate: event.startDate,
        startTime: event.startTime,
        durationMinutes: event.durationMinutes,
        timeZone: p.timeZone,
        recurrence: event.recurrence,
        attendees: await currentAttendees(deps.db, p.circleId, caller.userId),
        categories: [PROTECTED_CATEGORY.displayName],
        showAs: "busy",
        transactionId: p.transactionId,
        extension: { name: SERIES_EXTENSION_NAME, properties: { circleId: p.circleId, generation: String(p.generation) } },
      };
      requests.push(createSeriesRequest("series", spec));
    }
  }
  await ctx.begin(...begin);
  const results = requests.length > 0 ? await graph.batch(requests) : [];
  await settleEach([
    async () => {
      if (!requests.some((r) => r.id === "category")) return;
      readCategoryResult(resultOf(results, "category"));
      await ctx.done("category");
    },
    async () => {
      if (!series && requests.some((r) => r.id === "series")) {
        const event = readEventResult(resultOf(results, "series"), "POST /me/events");
        series = { eventId: event.id, iCalUId: event.iCalUId, joinUrl: event.joinUrl };
      }
      if (series && seriesStep.status !== "done") {
        await updateSeriesRow(deps.db, p.circleId, p.generation, { event_id: series.eventId, ical_uid: series.iCalUId, join_web_url: series.joinUrl, updated_at: ctx.now().toISOString() });
        await ctx.done("series", series);
      }
    },
  ]);
  if (!series) throw new Error("The series step finished without a series.");
  return series;
}

/**
 * A linked series already exists (Outlook made it, with the category): its two steps are
 * recorded as done with the ids the series step would have learned, and nothing is sent.
 */
async function recordLinkedSeries(ctx: JobRunContext<BookingPayload>, linked: NonNullable<BookingPayload["linked"]>): Promise<SeriesOutput> {
  const series: SeriesOutput = { eventId: linked.eventId, iCalUId: linked.iCalUId, joinUrl: linked.joinUrl };
  if (ctx.step("category").status !== "done") await ctx.done("category");
  if (ctx.step("series").status !== "done") await ctx.done("series", series);
  return series;
}

const HOUR_MS = 3_600_000;

/**
 * The rotation step: every session the rotation alternates moves to its slot (an occurrence
 * exception of the one series: the Teams meeting, its chat and join link stay the same). It
 * looks before it writes, every time: the instances as Outlook has them now, so a session that
 * already sits at its alternate time (a PATCH that landed before a crash or a lost answer) is
 * not sent again, and one cancelled meanwhile is left alone. The PATCHes go in `$batch`es of
 * ≤ 20 (runBatch splits them); one that fails fails the step, and the retry sends only the rest.
 */
async function applyRotation(ctx: JobRunContext<BookingPayload>, graph: Graph, series: SeriesOutput): Promise<void> {
  const p = ctx.payload;
  const moves = p.rotation?.moves ?? [];
  if (moves.length === 0 || ctx.step("rotation").status === "done") return;
  await ctx.begin("rotation");
  const instants = moves.flatMap((m) => [Date.parse(m.originalStart), Date.parse(m.start), Date.parse(m.end)]);
  const instances = await listInstances(graph, series.eventId, Math.min(...instants) - 24 * HOUR_MS, Math.max(...instants) + 24 * HOUR_MS, p.timeZone);
  const bySlot = new Map(instances.map((inst) => [inst.originalStart ?? inst.start, inst]));
  let alreadyThere = 0;
  let gone = 0;
  const requests: BatchRequest[] = [];
  for (const move of moves) {
    const inst = bySlot.get(Date.parse(move.originalStart));
    const start = Date.parse(move.start);
    if (!inst || inst.isCancelled) gone += 1;
    else if (inst.start === start) alreadyThere += 1;
    else requests.push(moveOccurrenceRequest(`move-${move.index}`, inst.id, { start, end: Date.parse(move.end), timeZone: p.timeZone }));
  }
  const results = requests.length > 0 ? await graph.batch(requests) : [];
  await settleEach(results.map((r) => async () => void readEventResult(r, "PATCH /me/events/{occurrence id}")));
  await ctx.done("rotation", RotationOutputSchema.parse({ moved: requests.length, alreadyThere, gone }));
}

/** Step 3: read the join URL back, find the online meeting (and its chat) and our app's catalog id. */
async function resolveMeeting(deps: BookingJobDeps, ctx: JobRunContext<BookingPayload>, graph: Graph, series: SeriesOutput): Promise<MeetingOutput> {
  const p = ctx.payload;
  const step = ctx.step("meeting");
  if (step.status === "done") return MeetingOutputSchema.parse(step.output);
  await ctx.begin("meeting");
  // The create's answer already carries onlineMeeting.joinUrl; read the event back when it did not.
  const joinUrl = series.joinUrl ?? (await getEvent(graph, series.eventId, p.timeZone)).joinUrl;
  if (!joinUrl) throw new RetryLaterError("Teams has not created the online meeting for the series yet.", 5_000, "graph_unavailable");
  const results = await graph.batch([findMeetingByJoinUrlRequest("meeting", joinUrl), findCatalogAppRequest("catalog", p.teamsAppId)]);
  const meeting = readMeetingLookup(resultOf(results, "meeting"));
  if (!meeting?.chatId) throw new RetryLaterError("Teams does not report the series' online meeting yet.", 5_000, "graph_unavailable");
  const catalogAppId = readCatalogApp(resultOf(results, "catalog"));
  if (!catalogAppId) throw new AppError("graph_error", `Coaching Circles (app id ${p.teamsAppId}) is not in your organisation's Teams app catalog; ask an admin to publish it.`);
  const output: MeetingOutput = { meetingId: meeting.id, chatId: meeting.chatId, joinUrl, catalogAppId };
  await updateSeriesRow(deps.db, p.circleId, p.generation, { online_meeting_id: meeting.id, chat_id: meeting.chatId, join_web_url: joinUrl, updated_at: ctx.now().toISOString() });
  await ctx.done("meeting", output);
  return output;
}

/** Steps 4–7 in one $batch: recording off, app installed, our tab (after the app), the welcome message. */
async function finishChat(ctx: JobRunContext<BookingPayload>, graph: Graph, meeting: MeetingOutput): Promise<void> {
  const p = ctx.payload;
  const pending = (name: string) => ctx.step(name).status !== "done";
  const triedBefore = (name: string) => pending(name) && ctx.step(name).attempts > 0;

  // Steps that may have taken effect before: look first (a repeated POST would duplicate or 409).
  if (triedBefore("app") && (await isAppInstalled(graph, meeting.chatId, meeting.catalogAppId))) await ctx.done("app");
  if (triedBefore("tab") && (await listAppTabs(graph, meeting.chatId, meeting.catalogAppId)).some((t) => t.entityId === p.tab.entityId)) await ctx.done("tab");
  if (triedBefore("welcome") && (await listRecentMessages(graph, meeting.chatId)).some((m) => m.html.includes(p.welcomeMarker))) await ctx.done("welcome");

  const requests: BatchRequest[] = [];
  if (pending("recording")) requests.push(disableRecordingRequest("recording", meeting.meetingId));
  if (pending("app")) requests.push(installAppRequest("app", meeting.chatId, meeting.catalogAppId));
  if (pending("tab")) requests.push(addTabRequest("tab", meeting.chatId, meeting.catalogAppId, p.tab, pending("app") ? ["app"] : undefined));
  if (pending("welcome")) requests.push(postMessageRequest("welcome", meeting.chatId, p.welcomeHtml));
  if (requests.length === 0) return;
  await ctx.begin(...requests.map((r) => r.id));
  const results = await graph.batch(requests);
  const has = (id: string) => requests.some((r) => r.id === id);
  await settleEach([
    async () => {
      if (!has("recording")) return;
      const m = readMeetingResult(resultOf(results, "recording"), "PATCH /me/onlineMeetings/{id}");
      if (m.allowRecording !== false || m.allowTranscription !== false) throw new AppError("graph_error", "Teams did not turn recording and transcription off for the meeting.");
      await ctx.done("recording");
    },
    async () => {
      if (!has("app")) return;
      readInstallResult(resultOf(results, "app"));
      await ctx.done("app");
    },
    async () => {
      if (!has("tab")) return;
      readTabResult(resultOf(results, "tab"));
      await ctx.done("tab");
    },
    async () => {
      if (!has("welcome")) return;
      readMessageResult(resultOf(results, "welcome"));
      await ctx.done("welcome");
    },
  ]);
}
