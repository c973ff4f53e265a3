import { OfficeError, officeCall } from "./office-async";
import type { AppointmentComposeItem, CustomPropertiesLike, EmailAddressLike, RecurrenceDay, RecurrencePropertiesLike, SeriesTimeLike, WeekNumber } from "./appointment-item";

/** A recurring series as the task pane describes it; mapped onto Office's Recurrence object. */
interface SeriesPatternBase {
  /** 1 = every week/month, 2 = every second … */
  interval: number;
  /** Local wall-clock date of the first session, "YYYY-MM-DD". */
  startDate: string;
  /** Last possible date, "YYYY-MM-DD"; omit for no end. */
  endDate?: string;
  /** Local wall-clock start, "HH:mm". */
  startTime: string;
  durationMinutes: number;
  /** Windows time-zone name (Outlook's RecurrenceTimeZone), e.g. "W. Europe Standard Time". */
  windowsTimeZone?: string;
  firstDayOfWeek?: RecurrenceDay;
}

export type SeriesPattern = SeriesPatternBase &
  (
    | { type: "weekly"; days: RecurrenceDay[] }
    /** "The second Tuesday of every month" (Office: dayOfWeek + weekNumber). */
    | { type: "monthly"; dayOfWeek: RecurrenceDay; weekNumber: WeekNumber }
  );

/**
 * Promise-based access to the appointment being composed in Outlook. Every method rejects with
 * OfficeError (a message a user can act on) when Outlook reports status "failed".
 */
export interface AppointmentComposer {
  getSubject(): Promise<string>;
  setSubject(subject: string): Promise<void>;
  getStart(): Promise<Date>;
  getEnd(): Promise<Date>;
  setRecurrence(pattern: SeriesPattern): Promise<void>;
  addRequiredAttendees(attendees: EmailAddressLike[]): Promise<void>;
  setBodyHtml(html: string): Promise<void>;
  prependBodyHtml(html: string): Promise<void>;
  addCategories(categories: string[]): Promise<void>;
  /** Stages a custom property; nothing is stored until saveCustomProperties(). */
  setCustomProperty(name: string, value: string | number | boolean): Promise<void>;
  saveCustomProperties(): Promise<void>;
  /** Saves the draft and resolves with its item id (Outlook's EWS id). */
  save(): Promise<string>;
  /**
   * The saved item's id as Microsoft Graph spells it (REST v2.0 format).
   * @throws OfficeError where Outlook can't convert ids (Outlook on mobile).
   */
  toRestId(itemId: string): string;
}

function recurrencePropertiesOf(pattern: SeriesPattern): RecurrencePropertiesLike {
  const firstDayOfWeek = pattern.firstDayOfWeek ?? "mon";
  if (pattern.type === "monthly") return { interval: pattern.interval, dayOfWeek: pattern.dayOfWeek, weekNumber: pattern.weekNumber, firstDayOfWeek };
  return { interval: pattern.interval, days: pattern.days, firstDayOfWeek };
}

function parseStartTime(time: string): { hours: number; minutes: number } {
  const m = /^(\d{2}):(\d{2})$/.exec(time);
  if (!m) throw new OfficeError(`Outlook couldn't make this a recurring series: the start time "${time}" is not HH:mm.`);
  return { hours: Number(m[1]), minutes: Number(m[2]) };
}

export function createAppointmentComposer(
  item: AppointmentComposeItem,
  deps: {
    createSeriesTime: () => SeriesTimeLike;
    /** `Office.context.mailbox.convertToRestId(id, "v2.0")`; absent where Outlook has no such call. */
    convertToRestId?: (itemId: string) => string;
  },
): AppointmentComposer {
  // Loaded once: Office hands out one CustomProperties object per item, and set() only
  // changes that object until saveAsync.
  let customProperties: Promise<CustomPropertiesLike> | undefined;
  function loadCustomProperties() {
    return officeCall<CustomPropertiesLike>("read this appointment's Coaching Circles data", (cb) => item.loadCustomPropertiesAsync(cb));
  }
  const props = () =>
    (customProperties ??= loadCustomProperties().catch((error: unknown) => {
      customProperties = undefined; // let the next call try again
      throw error;
    }));

  return {
    getSubject: () => officeCall("read the subject", (cb) => item.subject.getAsync(cb)),
    setSubject: (subject) => officeCall("set the subject", (cb) => item.subject.setAsync(subject, cb)),
    getStart: () => officeCall("read the start time", (cb) => item.start.getAsync(cb)),
    getEnd: () => officeCall("read the end time", (cb) => item.end.getAsync(cb)),
    setRecurrence(pattern) {
      return officeCall("make this a recurring series", (cb) => {
        // Inside the call: SeriesTime's setters throw like setAsync does, and officeCall turns
        // both into an OfficeError.
        const seriesTime = deps.createSeriesTime();
        seriesTime.setStartDate(pattern.startDate);
        if (pattern.endDate) seriesTime.setEndDate(pattern.endDate);
        const { hours, minutes } = parseStartTime(pattern.startTime);
        seriesTime.setStartTime(hours, minutes);
        seriesTime.setDuration(pattern.durationMinutes);
        item.recurrence.setAsync(
          {
            recurrenceType: pattern.type,
            recurrenceProperties: recurrencePropertiesOf(pattern),
            ...(pattern.windowsTimeZone ? { recurrenceTimeZone: { name: pattern.windowsTimeZone } } : {}),
            seriesTime,
          },
          cb,
        );
      });
    },
    addRequiredAttendees: (attendees) => officeCall("add the circle's members", (cb) => item.requiredAttendees.addAsync(attendees, cb)),
    setBodyHtml: (html) => officeCall("write the agenda", (cb) => item.body.setAsync(html, { coercionType: "html" }, cb)),
    prependBodyHtml: (html) => officeCall("add the agenda", (cb) => item.body.prependAsync(html, { coercionType: "html" }, cb)),
    addCategories: (categories) => officeCall("add the coaching category", (cb) => item.categories.addAsync(categories, cb)),
    async setCustomProperty(name, value) {
      (await props()).set(name, value);
    },
    async saveCustomProperties() {
      const loaded = await props();
      await officeCall("save this appointment's Coaching Circles data", (cb) => loaded.saveAsync(cb));
    },
    save: () => officeCall("save the appointment", (cb) => item.saveAsync(cb)),
    toRestId(itemId) {
      if (!deps.convertToRestId) throw new OfficeError("This version of Outlook can't tell Coaching Circles which appointment it saved. Link it from Outlook on the web or on your computer.");
      try {
        return deps.convertToRestId(itemId);
      } catch (cause) {
        throw new OfficeError(`Outlook couldn't tell Coaching Circles which appointment it saved: ${cause instanceof Error ? cause.message : String(cause)}.`);
      }
    },
  };
}
