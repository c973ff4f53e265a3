import type {
  AppointmentComposeItem,
  CustomPropertiesLike,
  EmailAddressLike,
  RecurrenceLike,
  SeriesTimeLike,
} from "../../../../../src/host/office/appointment-item";
import type { OfficeAsyncResult, OfficeCallback } from "../../../../../src/host/office/office-async";

/**
 * An in-memory appointment in compose mode that behaves like Office.js: callbacks run
 * asynchronously (never inside the call), results carry status "succeeded"/"failed", and
 * failures come with an error object. `failNext(method)` makes the next call of a method fail.
 */
export class FakeAppointment implements AppointmentComposeItem {
  readonly itemType = "appointment";
  subjectText = "";
  startTime = new Date("2025-03-03T09:00:00Z");
  endTime = new Date("2025-03-03T10:00:00Z");
  recurrencePattern: RecurrenceLike | undefined;
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

  private answer<T>(method: string, callback: OfficeCallback<T>, value: T, apply: () => void = () => undefined): void {
    const failure = this.failures.get(method);
    this.failures.delete(method);
    setTimeout(() => {
      let result: OfficeAsyncResult<T>;
      if (failure) result = { status: "failed", value: undefined as T, error: failure };
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
    setAsync: (pattern: RecurrenceLike, cb: OfficeCallback<void>) =>
      this.answer("recurrence.setAsync", cb, undefined, () => (this.recurrencePattern = pattern)),
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
    this.itemId ??= "AAMkAGI2TG93AAA=";
    this.answer("saveAsync", cb, this.itemId);
  }
}

/** Office.SeriesTime stand-in: records what the adapter set. */
export class FakeSeriesTime implements SeriesTimeLike {
  startDate?: string;
  endDate?: string;
  startTime?: string;
  durationMinutes?: number;
  setStartDate(date: string) {
    this.startDate = date;
  }
  setEndDate(date: string) {
    this.endDate = date;
  }
  setStartTime(time: string) {
    this.startTime = time;
  }
  setDuration(minutes: number) {
    this.durationMinutes = minutes;
  }
}
