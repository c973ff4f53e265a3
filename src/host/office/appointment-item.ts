import type { OfficeCallback } from "./office-async";

// The slice of Office.AppointmentCompose this app uses, typed with the wire-level result shape
// (see office-async.ts). The real `Office.context.mailbox.item` satisfies it structurally, and
// tests run the adapter against an in-memory implementation with the same behaviour.

export type RecurrenceDay = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
/** Office.MailboxEnums.WeekNumber: which weekday of the month a monthly series uses. */
export type WeekNumber = "first" | "second" | "third" | "fourth" | "last";

/**
 * Office.SeriesTime: created by office.js (`new Office.SeriesTime()`), filled with setters.
 * Office throws (synchronously) on a date that is not "YYYY-MM-DD" and on a time string that is
 * not "THH:mm:ss.sss", so the adapter passes the start time as hours and minutes.
 */
export interface SeriesTimeLike {
  setStartDate(date: string): void;
  setEndDate(date: string): void;
  setStartTime(hours: number, minutes: number): void;
  setDuration(minutes: number): void;
}

/**
 * Office.RecurrenceProperties. Weekly needs `days`; monthly needs `dayOfMonth`, or `dayOfWeek`
 * with `weekNumber` ("the second Tuesday"); Office rejects other combinations.
 */
export interface RecurrencePropertiesLike {
  interval: number;
  days?: RecurrenceDay[];
  dayOfWeek?: RecurrenceDay;
  weekNumber?: WeekNumber;
  dayOfMonth?: number;
  firstDayOfWeek?: RecurrenceDay;
}

export interface RecurrenceLike {
  recurrenceType: "daily" | "weekday" | "weekly" | "monthly" | "yearly";
  recurrenceProperties?: RecurrencePropertiesLike;
  recurrenceTimeZone?: { name: string };
  seriesTime: SeriesTimeLike;
}

export interface EmailAddressLike {
  displayName: string;
  emailAddress: string;
}

export interface CustomPropertiesLike {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  remove(name: string): void;
  saveAsync(callback: OfficeCallback<void>): void;
}

type CoercionOptions = { coercionType: "html" | "text" };

export interface AppointmentComposeItem {
  itemType: string | { toString(): string };
  subject: { getAsync(callback: OfficeCallback<string>): void; setAsync(subject: string, callback: OfficeCallback<void>): void };
  start: { getAsync(callback: OfficeCallback<Date>): void };
  end: { getAsync(callback: OfficeCallback<Date>): void };
  recurrence: { setAsync(pattern: RecurrenceLike, callback: OfficeCallback<void>): void };
  requiredAttendees: { addAsync(recipients: EmailAddressLike[], callback: OfficeCallback<void>): void };
  body: {
    setAsync(data: string, options: CoercionOptions, callback: OfficeCallback<void>): void;
    prependAsync(data: string, options: CoercionOptions, callback: OfficeCallback<void>): void;
  };
  categories: { addAsync(categories: string[], callback: OfficeCallback<void>): void };
  loadCustomPropertiesAsync(callback: OfficeCallback<CustomPropertiesLike>): void;
  saveAsync(callback: OfficeCallback<string>): void;
}

/** Appointment compose exposes setters (`subject.setAsync`); read mode has plain strings. */
export function isAppointmentCompose(item: unknown): item is AppointmentComposeItem {
  if (typeof item !== "object" || item === null) return false;
  const candidate = item as { itemType?: unknown; subject?: unknown };
  const subject = candidate.subject as { setAsync?: unknown } | undefined;
  return String(candidate.itemType) === "appointment" && typeof subject === "object" && typeof subject?.setAsync === "function";
}
