import type { SeedPerson } from "./seed/people.js";

/**
 * What every Graph resource module of the sandbox receives. The sandbox core
 * (sandbox/app.ts) builds one and passes it to each module's router factory, e.g.
 * `createCalendarRoutes(ctx)`. Modules keep their own in-memory state.
 */
export interface SandboxContext {
  tenantId: string;
  /** The directory: the seeded people (and nobody else). */
  directory: {
    list(): readonly SeedPerson[];
    /** By object id or UPN, case-insensitive. */
    find(idOrUpn: string): SeedPerson | undefined;
  };
  /** The sandbox clock; tests may pin it. */
  now(): Date;
  /**
   * Throws GraphError 400 when `body` has a property that the Graph type `typeName`
   * (a schema name of graph-openapi-subset.json, e.g. "microsoft.graph.event") does not declare,
   * or a value of the wrong type. `@odata.type` and `…@odata.bind` annotations are allowed.
   */
  validateBody(typeName: string, body: unknown): void;
  /** Online meetings (owned by the core): called when an event with isOnlineMeeting is created. */
  meetings: {
    createForEvent(input: { organizerId: string; subject: string; start: string; end: string; attendeeIds: string[]; eventId: string }): {
      id: string;
      joinWebUrl: string;
      chatThreadId: string;
    };
    /** The event was cancelled/deleted: the meeting stays findable but is marked ended. */
    endForEvent(eventId: string): void;
    /**
     * The organiser changed the invitation's attendees (directory people only, organiser
     * excluded): the meeting chat's members follow, as Teams adds and removes invitees.
     * Optional so module tests can leave meetings out.
     */
    attendeesChanged?(eventId: string, attendeeIds: string[]): void;
  };
  /**
   * Something changed in a mailbox's events; the core delivers change notifications to
   * matching subscriptions (resource `/users/{id}/events`, `/me/events`).
   */
  emitChange(change: { userId: string; resource: "events"; id: string; changeType: "created" | "updated" | "deleted" }): void;
}

/** Set by the core on `res.locals` before any module route runs. */
export interface SandboxLocals {
  /** The signed-in user (delegated token) or undefined for app-only tokens. */
  callerId?: string;
  appOnly: boolean;
  /** The mailbox addressed by the URL: /me → caller, /users/{idOrUpn} → that user. */
  mailboxId: string;
  requestId: string;
}
