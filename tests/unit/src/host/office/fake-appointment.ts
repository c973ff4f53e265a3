import type { AppointmentComposeItem, CustomPropertiesLike, EmailAddressLike, RecurrenceLike } from "../../../../../src/host/office/appointment-item";
import type { OfficeAsyncResult, OfficeCallback } from "../../../../../src/host/office/office-async";
import { MAX_OCCURRENCES, OfficeArgumentError, occurrenceDates, validateRecurrence } from "./fake-recurrence";

export { FakeSeriesTime, OfficeArgumentError } from "./fake-recurrence";

/**
 * An in-memory appointment in compose mode that behaves like Office.js: callbacks run
 * asynchronously (never inside the call), results carry status "succeeded"/"failed", and
 * failures come with an error object. `failNext(method)` makes the next call of a method fail.
 * The recurrence is checked as Office checks it (see fake-recurrence.ts).
 */
export class FakeAppointment implements AppointmentComposeItem {
  readonly itemType = "appointment";
  subjectText = "";
  startTime = new Date("2025-03-03T09:00:00Z");
  endTime = new Date("2025-03-03T10:00:00Z");
  recurrencePattern: RecurrenceLike | undefined;
  /** Set when the open item is one occurrence of a series (Office: item.seriesId). */
  seriesId: string | undefined;
  attendees: EmailAddressLike[] = [];
  bodyHtml = "";
  categoryList: string[] = [];
  /** What Outlook has stored (after CustomProperties.saveAsync). */
  savedCustomProperties: Record<string, unknown> = {};
  itemId: string | undefined;
  private readonly failures = new Map<string, { message: string; code: number; name: string }>();

  failNext(method: string, error = { message: "The operation failed.", code: 9002, name: "InternalServerError" }): void {
    this.failures.set(method, error);
  }

  /** The dates Outlook puts the series on (empty without a recurrence). */
  recurrenceDates(): string[] {
    return this.recurrencePattern ? occurrenceDates(this.recurrencePattern) : [];
  }

  private answer<T>(method: string, callback: OfficeCallback<T>, value: T, apply: () => void = () => undefined, check: () => { message: string; code: number; name: string } | undefined = () => undefined): void {
    const failure = this.failures.get(method);
    this.failures.delete(method);
    setTimeout(() => {
      let result: OfficeAsyncResult<T>;
      const rejected = failure ?? check();
      if (rejected) result = { status: "failed", value: undefined as T, error: rejected };
      else {
        apply();
        result = { status: "succeeded", value };
      }
      callback(result);
    }, 0);
  }

  subject = {
    getAsync: (cb: OfficeCallback<string>) => this.answer("subject.getAsync", cb, this.subjectText),
    setAsync: (subject: string, cb: OfficeCallback<void>) =>
      this.answer("subject.setAsync", cb, undefined, () => (this.subjectText = subject)),
  };
  start = { getAsync: (cb: OfficeCallback<Date>) => this.answer("start.getAsync", cb, new Date(this.startTime)) };
  end = { getAsync: (cb: OfficeCallback<Date>) => this.answer("end.getAsync", cb, new Date(this.endTime)) };
  recurrence = {
    setAsync: (pattern: RecurrenceLike, cb: OfficeCallback<void>) => {
      // Like office.js: argument errors are thrown here, not passed to the callback.
      if (this.seriesId) throw new OfficeArgumentError("Sys.ArgumentException", "A recurrence pattern can't be set for a single occurrence in a series.");
      validateRecurrence(pattern);
      this.answer("recurrence.setAsync", cb, undefined, () => (this.recurrencePattern = pattern), () => {
        const dates = occurrenceDates(pattern);
        if (dates.length === 0) return { message: "The recurring series has no occurrences in the specified date range.", code: 9035, name: "RecurrenceZeroOccurrences" };
        // A series without an end date has no count to exceed.
        const hasEnd = Boolean((pattern.seriesTime as { endDate?: string }).endDate);
        if (hasEnd && dates.length > MAX_OCCURRENCES) return { message: "The recurring series exceeds the maximum limit of 999 occurrences.", code: 9036, name: "RecurrenceMaxOccurrences" };
        return undefined;
      });
    },
  };
  requiredAttendees = {
    addAsync: (recipients: EmailAddressLike[], cb: OfficeCallback<void>) =>
      this.answer("requiredAttendees.addAsync", cb, undefined, () => this.attendees.push(...recipients)),
  };
  body = {
    setAsync: (data: string, _options: { coercionType: "html" | "text" }, cb: OfficeCallback<void>) =>
      this.answer("body.setAsync", cb, undefined, () => (this.bodyHtml = data)),
    prependAsync: (data: string, _options: { coercionType: "html" | "text" }, cb: OfficeCallback<void>) =>
      this.answer("body.prependAsync", cb, undefined, () => (this.bodyHtml = data + this.bodyHtml)),
  };
  categories = {
    addAsync: (categories: string[], cb: OfficeCallback<void>) =>
      this.answer("categories.addAsync", cb, undefined, () => {
        for (const c of categories) if (!this.categoryList.includes(c)) this.categoryList.push(c);
      }),
  };

  loadCustomPropertiesAsync(cb: OfficeCallback<CustomPropertiesLike>): void {
    // Like Office: a working copy of what is stored; set() only touches the copy until saveAsync.
    const staged: Record<string, unknown> = { ...this.savedCustomProperties };
    const props: CustomPropertiesLike = {
      get: (name) => staged[name],
      set: (name, value) => {
        staged[name] = value;
      },
      remove: (name) => {
        delete staged[name];
      },
      saveAsync: (saveCb) =>
        this.answer("customProperties.saveAsync", saveCb, undefined, () => (this.savedCustomProperties = { ...staged })),
    };
    this.answer("loadCustomPropertiesAsync", cb, props);
  }

  saveAsync(cb: OfficeCallback<string>): void {
    this.itemId ??= "AAMkAGI2/TG93+AAA=";
    this.answer("saveAsync", cb, this.itemId);
  }
}

/** Office.context.mailbox.convertToRestId as office.js implements it (EWS "/" and "+" → "-" and "_"). */
export function fakeConvertToRestId(itemId: string, restVersion: string): string {
  if (!["v1.0", "v2.0", "beta"].includes(restVersion)) throw new OfficeArgumentError("Sys.ArgumentException", "Value does not fall within the expected range.", "restVersion");
  return itemId.replace(/\//g, "-").replace(/\+/g, "_");
}
