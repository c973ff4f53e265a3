import { describe, expect, it, vi } from "vitest";
import { GraphError } from "../../../../sandbox/graph/errors";
import { loadBodyValidator } from "../../../../sandbox/graph/validate-body";

const validator = loadBodyValidator();

function rejection(typeName: string, body: unknown): GraphError {
  try {
    validator.validate(typeName, body);
  } catch (err) {
    if (err instanceof GraphError) return err;
    throw err;
  }
  throw new Error("expected the body to be rejected");
}

const seriesEvent = {
  subject: "Coaching circle",
  body: { contentType: "html", content: "<p>Welcome</p>" },
  start: { dateTime: "2025-03-03T10:00:00", timeZone: "GMT Standard Time" },
  end: { dateTime: "2025-03-03T11:00:00", timeZone: "GMT Standard Time" },
  recurrence: {
    pattern: { type: "weekly", interval: 2, daysOfWeek: ["monday"], firstDayOfWeek: "monday" },
    range: { type: "numbered", startDate: "2025-03-03", numberOfOccurrences: 6, recurrenceTimeZone: "GMT Standard Time" },
  },
  attendees: [{ emailAddress: { address: "alex.wilber@contoso.example", name: "Alex Wilber" }, type: "required" }],
  isOnlineMeeting: true,
  onlineMeetingProvider: "teamsForBusiness",
  showAs: "busy",
  categories: ["Coaching circle"],
  transactionId: "7d5a1c1e-0000-4000-8000-000000000001",
  allowNewTimeProposals: false,
  extensions: [{ "@odata.type": "microsoft.graph.openTypeExtension", extensionName: "com.contoso.coachingCircles", circleId: "c1", sessionNumber: 3 }],
};

describe("validateBody against the Graph schema", () => {
  it("loads the real schema from shared/reference", () => {
    expect(validator.strict).toBe(true);
  });

  it("accepts a recurring online event with attendees and an open extension", () => {
    expect(() => validator.validate("microsoft.graph.event", seriesEvent)).not.toThrow();
  });

  it("rejects an unknown top-level property and names it", () => {
    const err = rejection("microsoft.graph.event", { ...seriesEvent, foo: 1 });
    expect(err.status).toBe(400);
    expect(err.code).toBe("BadRequest");
    expect(err.message).toMatch(/^Invalid property 'foo'/);
  });

  it("rejects misspelled properties deep inside nested objects and arrays", () => {
    const attendee = rejection("microsoft.graph.event", { ...seriesEvent, attendees: [{ emailAdress: { address: "a@b.c" } }] });
    expect(attendee.message).toContain("'emailAdress'");
    expect(attendee.message).toContain("attendees[0].emailAdress");
    const pattern = rejection("microsoft.graph.event", { ...seriesEvent, recurrence: { ...seriesEvent.recurrence, pattern: { type: "weekly", interval: 1, dayOfWeek: ["monday"] } } });
    expect(pattern.message).toContain("'dayOfWeek'");
  });

  it("checks enum members and primitive types", () => {
    expect(rejection("microsoft.graph.event", { showAs: "bussy" }).message).toContain("bussy");
    expect(rejection("microsoft.graph.event", { recurrence: { pattern: { type: "weekly", daysOfWeek: ["mon"] } } }).message).toContain("'mon'");
    expect(rejection("microsoft.graph.event", { isOnlineMeeting: "yes" }).message).toContain("boolean");
    expect(rejection("microsoft.graph.event", { recurrence: { range: { numberOfOccurrences: 2.5 } } }).message).toContain("integer");
    expect(rejection("microsoft.graph.event", { categories: "Coaching" }).message).toContain("array");
    expect(rejection("microsoft.graph.event", { recurrence: { range: { startDate: "03/03/2025" } } }).message).toContain("date");
  });

  it("accepts enum members in any case and nulls where Graph allows them", () => {
    expect(() => validator.validate("microsoft.graph.event", { showAs: "Busy", body: null, location: null })).not.toThrow();
  });

  it("allows @odata.type and …@odata.bind annotations for declared navigation properties", () => {
    expect(() =>
      validator.validate("microsoft.graph.teamsTab", {
        displayName: "Coaching Circles",
        "teamsApp@odata.bind": "https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/abc",
        configuration: { entityId: "circle", contentUrl: "https://x/sidepanel", websiteUrl: "https://x", removeUrl: null },
      }),
    ).not.toThrow();
    expect(rejection("microsoft.graph.teamsTab", { "teamApp@odata.bind": "https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/abc" }).message).toContain("teamApp");
  });

  it("rejects an extension without a concrete @odata.type and a wrong derived type", () => {
    expect(rejection("microsoft.graph.event", { extensions: [{ extensionName: "x" }] }).message).toContain("abstract");
    expect(rejection("microsoft.graph.event", { extensions: [{ "@odata.type": "#microsoft.graph.event" }] }).message).toContain("@odata.type");
  });

  it("follows inheritance: properties of outlookItem and entity are valid on an event", () => {
    expect(() => validator.validate("microsoft.graph.event", { categories: ["A"], id: "x", changeKey: "y" })).not.toThrow();
  });

  it("validates subscriptions, chat messages and To Do tasks", () => {
    expect(() =>
      validator.validate("microsoft.graph.subscription", { changeType: "created,updated", resource: "/users/x/events", notificationUrl: "https://a", expirationDateTime: "2025-03-03T10:00:00Z", clientState: "s" }),
    ).not.toThrow();
    expect(rejection("microsoft.graph.subscription", { changeTypes: "created" }).message).toContain("changeTypes");
    expect(() => validator.validate("microsoft.graph.chatMessage", { body: { contentType: "html", content: "<attachment id=\"a\"></attachment>" }, attachments: [{ id: "a", contentType: "application/vnd.microsoft.card.adaptive", content: "{}" }] })).not.toThrow();
    expect(rejection("microsoft.graph.chatMessage", { body: { content: "x" }, attachments: [{ id: "a", type: "card" }] }).message).toContain("'type'");
    expect(() => validator.validate("microsoft.graph.todoTask", { title: "Try it", dueDateTime: { dateTime: "2025-03-10T00:00:00", timeZone: "UTC" }, linkedResources: [{ webUrl: "https://x", applicationName: "Coaching Circles", displayName: "Circle" }] })).not.toThrow();
  });

  it("validates an action body given by its path", () => {
    const body = { schedules: ["a@b.c"], startTime: { dateTime: "2025-03-03T00:00:00", timeZone: "UTC" }, endTime: { dateTime: "2025-03-04T00:00:00", timeZone: "UTC" }, availabilityViewInterval: 30 };
    expect(() => validator.validate("/me/calendar/getSchedule", body)).not.toThrow();
    expect(rejection("/me/calendar/getSchedule", { ...body, interval: 30 }).message).toContain("'interval'");
  });

  it("falls back to permissive validation with a warning when the schema file is missing", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const permissive = loadBodyValidator("/nonexistent/graph-openapi-subset.json");
    expect(permissive.strict).toBe(false);
    expect(() => permissive.validate("microsoft.graph.event", { foo: 1 })).not.toThrow();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("NOT validated"));
    warn.mockRestore();
  });
});
