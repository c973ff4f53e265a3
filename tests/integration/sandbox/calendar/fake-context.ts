import express from "express";
import type { NextFunction, Request, Response } from "express";
import type { SandboxContext } from "../../../../sandbox/context";
import { GraphError } from "../../../../sandbox/graph/errors";
import type { CalendarModule } from "../../../../sandbox/graph/calendar/routes";
import { SANDBOX_TENANT_ID, findSeedPerson, seedPeople } from "../../../../sandbox/seed/people";

/**
 * A stand-in for the sandbox core, just enough to mount the calendar router: a pinned clock,
 * the seeded directory, a recording meetings service and change feed, and a body validator
 * that rejects top-level properties microsoft.graph.event does not declare.
 */

/**
 * Properties of microsoft.graph.event (with outlookItem and entity) in
 * shared/reference/graph/graph-openapi-subset.json, copied so the test does not depend on
 * files outside the repository.
 */
const EVENT_PROPERTIES = new Set(
  (
    "id categories changeKey createdDateTime lastModifiedDateTime allowNewTimeProposals attendees body bodyPreview cancelledOccurrences end " +
    "hasAttachments hideAttendees iCalUId importance isAllDay isCancelled isDraft isOnlineMeeting isOrganizer isReminderOn location locations " +
    "onlineMeeting onlineMeetingProvider onlineMeetingUrl organizer originalEndTimeZone originalStart originalStartTimeZone recurrence " +
    "reminderMinutesBeforeStart responseRequested responseStatus sensitivity seriesMasterId showAs start subject transactionId type webLink " +
    "attachments calendar exceptionOccurrences extensions instances multiValueExtendedProperties singleValueExtendedProperties"
  ).split(" "),
);

export interface FakeContext extends SandboxContext {
  changes: { userId: string; id: string; changeType: string }[];
  createdMeetings: { eventId: string; subject: string }[];
  endedMeetings: string[];
  /** What the calendar told the meetings about changed invitations (the core moves the chat roster). */
  attendeeChanges: { eventId: string; attendeeIds: string[] }[];
  setNow(iso: string): void;
}

export function fakeContext(nowIso = "2026-03-01T12:00:00Z"): FakeContext {
  let now = new Date(nowIso);
  const ctx: FakeContext = {
    tenantId: SANDBOX_TENANT_ID,
    directory: { list: () => seedPeople, find: findSeedPerson },
    now: () => now,
    setNow: (iso) => {
      now = new Date(iso);
    },
    validateBody(typeName, body) {
      if (typeName !== "microsoft.graph.event") throw new Error(`unexpected type ${typeName}`);
      const allowed = EVENT_PROPERTIES;
      for (const key of Object.keys((body ?? {}) as object)) {
        if (key.startsWith("@odata") || key.endsWith("@odata.bind")) continue;
        if (!allowed.has(key)) throw new GraphError(400, "RequestBodyRead", `The property '${key}' does not exist on type '${typeName}'.`);
      }
    },
    changes: [],
    createdMeetings: [],
    endedMeetings: [],
    attendeeChanges: [],
    meetings: {
      createForEvent(input) {
        ctx.createdMeetings.push({ eventId: input.eventId, subject: input.subject });
        const n = ctx.createdMeetings.length;
        return { id: `meeting-${n}`, joinWebUrl: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_test${n}%40thread.v2/0`, chatThreadId: `19:meeting_test${n}@thread.v2` };
      },
      endForEvent(eventId) {
        ctx.endedMeetings.push(eventId);
      },
      attendeesChanged(eventId, attendeeIds) {
        ctx.attendeeChanges.push({ eventId, attendeeIds });
      },
    },
    emitChange(change) {
      ctx.changes.push(change);
    },
  };
  return ctx;
}

/**
 * Mounts the module as the core does: /v1.0/me and /v1.0/users/:user. The caller comes from
 * the `x-test-caller` header (a UPN or id); `x-test-app-only: 1` makes an app-only call.
 */
export function mountCalendar(module: CalendarModule): express.Express {
  const app = express();
  const setLocals = (useParam: boolean) => (req: Request, res: Response, next: NextFunction) => {
    const appOnly = req.header("x-test-app-only") === "1";
    const caller = findSeedPerson(req.header("x-test-caller") ?? "");
    const user = useParam ? findSeedPerson(String(req.params.user ?? "")) : caller;
    if (!user) {
      res.status(404).json({ error: { code: "ErrorItemNotFound", message: "no such user" } });
      return;
    }
    res.locals.callerId = appOnly ? undefined : caller?.id;
    res.locals.appOnly = appOnly;
    res.locals.mailboxId = user.id;
    res.locals.requestId = "test-request";
    next();
  };
  app.use("/v1.0/me", setLocals(false), module.router);
  app.use("/v1.0/users/:user", setLocals(true), module.router);
  return app;
}
