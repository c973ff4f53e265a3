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

function reportJson(ctx: SandboxContext, report: AttendanceReport, withRecords: boolean) {
  const out: Record<string, unknown> = {
    id: report.id,
    totalParticipantCount: report.attendees.length,
    meetingStartDateTime: report.start,
    meetingEndDateTime: report.end,
  };
  if (withRecords) out.attendanceRecords = recordsJson(ctx, report);
  return out;
}

function recordsJson(ctx: SandboxContext, report: AttendanceReport) {
  const start = Date.parse(report.start);
  return report.attendees.map((a) => {
    const person = ctx.directory.find(a.userId);
    const join = new Date(start).toISOString();
    const leave = new Date(start + a.durationSeconds * 1000).toISOString();
    return {
      id: a.userId,
      emailAddress: person?.mail ?? null,
      totalAttendanceInSeconds: a.durationSeconds,
      role: "Attendee",
      identity: { id: a.userId, displayName: person?.displayName ?? null, tenantId: ctx.tenantId },
      attendanceIntervals: [{ joinDateTime: join, leaveDateTime: leave, durationInSeconds: a.durationSeconds }],
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

  router.get("/onlineMeetings/:meetingId/attendanceReports", (req, res) => {
    const m = organizedMeeting(res, req.params.meetingId!);
    res.json({ value: m.reports.map((r) => reportJson(ctx, r, false)) });
  });

  const findReport = (m: OnlineMeetingRecord, id: string) => {
    const r = m.reports.find((x) => x.id === id);
    if (!r) throw new GraphError(404, "NotFound", "The attendance report was not found.");
    return r;
  };
  router.get("/onlineMeetings/:meetingId/attendanceReports/:reportId", (req, res) => {
    const m = organizedMeeting(res, req.params.meetingId!);
    const expand = (queryOption(req, "$expand") ?? "").toLowerCase().split(",").map((s) => s.trim());
    res.json(reportJson(ctx, findReport(m, req.params.reportId!), expand.includes("attendancerecords")));
  });
  router.get("/onlineMeetings/:meetingId/attendanceReports/:reportId/attendanceRecords", (req, res) => {
    const m = organizedMeeting(res, req.params.meetingId!);
    res.json({ value: recordsJson(ctx, findReport(m, req.params.reportId!)) });
  });
  return router;
}
