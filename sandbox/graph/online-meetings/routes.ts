import express from "express";
import type { SandboxContext } from "../../context.js";
import { GraphError, badRequest } from "../errors.js";
import { locals } from "../locals.js";
import { parseStringLiteral, queryOption } from "../odata.js";
import type { AttendanceReport, OnlineMeetingRecord, OnlineMeetingStore } from "./store.js";

const CONTEXT = "https://graph.microsoft.com/v1.0/$metadata";
const PATCHABLE = new Set(["allowrecording", "allowtranscription", "recordautomatically", "subject"]);

function identity(ctx: SandboxContext, userId: string) {
  return { user: { id: userId, displayName: null, tenantId: ctx.tenantId, identityProvider: "AAD" } };
}

export function meetingJson(ctx: SandboxContext, m: OnlineMeetingRecord) {
  const upn = (id: string) => ctx.directory.find(id)?.userPrincipalName ?? null;
  return {
    id: m.id,
    creationDateTime: m.creationDateTime,
    startDateTime: m.startDateTime,
    endDateTime: m.endDateTime,
    joinUrl: m.joinWebUrl,
    joinWebUrl: m.joinWebUrl,
    meetingCode: m.joinMeetingId,
    subject: m.subject,
    isBroadcast: false,
    autoAdmittedUsers: "everyoneInCompany",
    outerMeetingAutoAdmittedUsers: null,
    isEntryExitAnnounced: true,
    allowedPresenters: "everyone",
    allowMeetingChat: "enabled",
    allowTeamworkReactions: true,
    allowAttendeeToEnableMic: true,
    allowAttendeeToEnableCamera: true,
    allowRecording: m.allowRecording,
    allowTranscription: m.allowTranscription,
    recordAutomatically: m.recordAutomatically,
    shareMeetingChatHistoryDefault: "none",
    externalId: null,
    videoTeleconferenceId: null,
    lobbyBypassSettings: { scope: "organization", isDialInBypassEnabled: false },
    joinMeetingIdSettings: { isPasscodeRequired: false, joinMeetingId: m.joinMeetingId, passcode: m.passcode },
    chatInfo: { threadId: m.threadId, messageId: "0", replyChainMessageId: null },
    participants: {
      organizer: { upn: upn(m.organizerId), role: "presenter", identity: identity(ctx, m.organizerId) },
      attendees: m.attendeeIds.map((id) => ({ upn: upn(id), role: "attendee", identity: identity(ctx, id) })),
    },
  };
}

// meetingAttendanceReport and attendanceRecord as Graph v1.0 returns them (learn.microsoft.com
// graph/api/resources/meetingattendancereport, …/attendancerecord): the records are a navigation
// property, only present with $expand=attendanceRecords or under …/attendanceRecords.
function reportJson(ctx: SandboxContext, meeting: OnlineMeetingRecord, report: AttendanceReport, withRecords: boolean) {
  const records = recordsJson(ctx, meeting, report);
  const out: Record<string, unknown> = {
    id: report.id,
    totalParticipantCount: records.length,
    meetingStartDateTime: report.start,
    meetingEndDateTime: report.end,
  };
  if (withRecords) out.attendanceRecords = records;
  return out;
}

/** One record per person (someone who left and came back has several intervals), organizer first as Teams lists them. */
function recordsJson(ctx: SandboxContext, meeting: OnlineMeetingRecord, report: AttendanceReport) {
  const start = Date.parse(report.start);
  const byUser = new Map<string, AttendanceReport["attendees"]>();
  for (const a of report.attendees) byUser.set(a.userId, [...(byUser.get(a.userId) ?? []), a]);
  return [...byUser.entries()].map(([userId, parts]) => {
    const person = ctx.directory.find(userId);
    const intervals = parts
      .map((a) => ({ join: start + a.joinOffsetSeconds * 1000, seconds: a.durationSeconds }))
      .sort((x, y) => x.join - y.join)
      .map((i) => ({ joinDateTime: new Date(i.join).toISOString(), leaveDateTime: new Date(i.join + i.seconds * 1000).toISOString(), durationInSeconds: i.seconds }));
    return {
      id: userId,
      emailAddress: person?.mail ?? null,
      totalAttendanceInSeconds: parts.reduce((sum, a) => sum + a.durationSeconds, 0),
      role: userId === meeting.organizerId ? "Organizer" : "Attendee",
      identity: { id: userId, displayName: person?.displayName ?? null, tenantId: ctx.tenantId },
      attendanceIntervals: intervals,
    };
  });
}

/** `/onlineMeetings` relative to a mailbox root. */
export function createOnlineMeetingRoutes(ctx: SandboxContext, store: OnlineMeetingStore): express.Router {
  const router = express.Router({ mergeParams: true });

  /** The mailbox user, who must be the delegated caller (or the app). */
  const ownerOf = (res: express.Response): string => {
    const l = locals(res);
    if (!l.appOnly && l.callerId !== l.mailboxId) throw new GraphError(403, "Forbidden", "Delegated access to another user's online meetings is not allowed.");
    return l.mailboxId;
  };
  const participantMeeting = (res: express.Response, id: string): OnlineMeetingRecord => {
    const user = ownerOf(res);
    const m = store.find(id);
    if (!m || (m.organizerId !== user && !m.attendeeIds.includes(user))) throw new GraphError(404, "NotFound", "The online meeting was not found.");
    return m;
  };
  const organizedMeeting = (res: express.Response, id: string): OnlineMeetingRecord => {
    const m = participantMeeting(res, id);
    if (m.organizerId !== locals(res).mailboxId) throw new GraphError(403, "Forbidden", "Only the meeting organizer can do this.");
    return m;
  };

  router.get("/onlineMeetings", (req, res) => {
    const user = ownerOf(res);
    const filter = queryOption(req, "$filter");
    const m = filter ? /^\s*joinWebUrl\s+eq\s+(.+)$/i.exec(filter) : null;
    const lit = m ? parseStringLiteral(m[1]!.trim()) : undefined;
    if (!lit) throw badRequest("Filter expression expected - /onlineMeetings?$filter=JoinWebUrl eq 'joinUrl'.");
    const meeting = store.findByJoinWebUrl(lit.value);
    const visible = meeting && (meeting.organizerId === user || meeting.attendeeIds.includes(user)) ? [meeting] : [];
    res.json({ "@odata.context": `${CONTEXT}#users('${user}')/onlineMeetings`, value: visible.map((x) => meetingJson(ctx, x)) });
  });

  router.get("/onlineMeetings/:meetingId", (req, res) => {
    const m = participantMeeting(res, req.params.meetingId!);
    res.json({ "@odata.context": `${CONTEXT}#users('${locals(res).mailboxId}')/onlineMeetings/$entity`, ...meetingJson(ctx, m) });
  });

  router.patch("/onlineMeetings/:meetingId", (req, res) => {
    ctx.validateBody("microsoft.graph.onlineMeeting", req.body);
    const m = organizedMeeting(res, req.params.meetingId!);
    const body = req.body as Record<string, unknown>;
    for (const key of Object.keys(body)) {
      if (!key.startsWith("@") && !PATCHABLE.has(key.toLowerCase())) throw badRequest(`Property '${key}' cannot be updated on an online meeting.`);
    }
    for (const [key, value] of Object.entries(body)) {
      const k = key.toLowerCase();
      if (k === "allowrecording") m.allowRecording = value as boolean;
      if (k === "allowtranscription") m.allowTranscription = value as boolean;
      if (k === "recordautomatically") m.recordAutomatically = value as boolean;
      if (k === "subject") m.subject = String(value);
    }
    res.json({ "@odata.context": `${CONTEXT}#users('${locals(res).mailboxId}')/onlineMeetings/$entity`, ...meetingJson(ctx, m) });
  });

  // Teams generates a session's report when it ends: one that ends later (by the sandbox clock) does not exist yet.
  const available = (m: OnlineMeetingRecord) => m.reports.filter((r) => Date.parse(r.end) <= ctx.now().getTime());
  const reportsContext = (res: express.Response, m: OnlineMeetingRecord) => `${CONTEXT}#users('${locals(res).mailboxId}')/onlineMeetings('${m.id}')/attendanceReports`;

  router.get("/onlineMeetings/:meetingId/attendanceReports", (req, res) => {
    const m = organizedMeeting(res, req.params.meetingId!);
    res.json({ "@odata.context": reportsContext(res, m), value: available(m).map((r) => reportJson(ctx, m, r, false)) });
  });

  const findReport = (m: OnlineMeetingRecord, id: string) => {
    const r = available(m).find((x) => x.id === id);
    if (!r) throw new GraphError(404, "NotFound", "The attendance report was not found.");
    return r;
  };
  router.get("/onlineMeetings/:meetingId/attendanceReports/:reportId", (req, res) => {
    const m = organizedMeeting(res, req.params.meetingId!);
    const expand = (queryOption(req, "$expand") ?? "").toLowerCase().split(",").map((s) => s.trim()).filter(Boolean);
    const unknown = expand.find((e) => e !== "attendancerecords");
    if (unknown) throw badRequest(`Could not find a property named '${unknown}' on type 'microsoft.graph.meetingAttendanceReport'.`);
    const report = findReport(m, req.params.reportId!);
    res.json({ "@odata.context": `${reportsContext(res, m)}('${report.id}')`, ...reportJson(ctx, m, report, expand.includes("attendancerecords")) });
  });
  router.get("/onlineMeetings/:meetingId/attendanceReports/:reportId/attendanceRecords", (req, res) => {
    const m = organizedMeeting(res, req.params.meetingId!);
    const report = findReport(m, req.params.reportId!);
    res.json({ "@odata.context": `${reportsContext(res, m)}('${report.id}')/attendanceRecords`, value: recordsJson(ctx, m, report) });
  });
  return router;
}
