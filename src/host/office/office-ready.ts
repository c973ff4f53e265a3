import { withTimeout, TimeoutError } from "../timeout";
import { createAppointmentComposer } from "./appointment-composer";
import type { AppointmentComposer } from "./appointment-composer";
import { isAppointmentCompose } from "./appointment-item";
import type { SeriesTimeLike } from "./appointment-item";

/** The Outlook add-in's view of Office.js once it is ready. */
export interface OfficeSession {
  /** Office's HostType at run time, e.g. "Outlook". */
  host: string;
  platform: string;
  displayLanguage?: string;
  /** The appointment being composed; undefined in read mode or for messages. */
  getAppointmentComposer(): AppointmentComposer | undefined;
  /** Office single sign-on token for our API. */
  getAccessToken(): Promise<string>;
}

/** The members of the global `Office` object we touch (typed loosely: see office-async.ts). */
interface OfficeGlobal {
  onReady(): Promise<{ host: unknown; platform: unknown }>;
  context?: { mailbox?: { item?: unknown; convertToRestId?: (itemId: string, restVersion: string) => string }; displayLanguage?: string };
  auth?: { getAccessToken(options?: Record<string, boolean>): Promise<string> };
  SeriesTime?: new () => SeriesTimeLike;
}

// Office.onReady answers in milliseconds inside Outlook and at once without a host; the timeout
// only guards against a page where office.js failed to finish loading.
const defaultTimeoutMs = 3_000;

/**
 * Waits for Office.js. Resolves null when the page is not inside an Office host (office.js not
 * loaded, no host, or no answer in time), so the task pane can show its standalone message.
 */
export async function waitForOffice(options: { office?: unknown; timeoutMs?: number } = {}): Promise<OfficeSession | null> {
  const office = (options.office ?? (globalThis as { Office?: unknown }).Office) as OfficeGlobal | undefined;
  if (!office || typeof office.onReady !== "function") return null;
  let info: { host: unknown; platform: unknown };
  try {
    info = await withTimeout(office.onReady(), options.timeoutMs ?? defaultTimeoutMs, () => new TimeoutError("Office.onReady"));
  } catch {
    return null;
  }
  if (!info.host) return null;
  return {
    host: String(info.host),
    platform: String(info.platform ?? ""),
    displayLanguage: office.context?.displayLanguage,
    getAppointmentComposer() {
      const mailbox = office.context?.mailbox;
      const item = mailbox?.item;
      const SeriesTime = office.SeriesTime;
      if (!isAppointmentCompose(item) || !SeriesTime) return undefined;
      const convert = mailbox?.convertToRestId;
      return createAppointmentComposer(item, {
        createSeriesTime: () => new SeriesTime(),
        // Graph ids are REST v2.0 ids (Outlook on mobile has no convertToRestId).
        ...(typeof convert === "function" ? { convertToRestId: (itemId: string) => convert.call(mailbox, itemId, "v2.0") } : {}),
      });
    },
    async getAccessToken() {
      if (!office.auth) throw new Error("Office single sign-on isn't available in this version of Outlook.");
      return office.auth.getAccessToken({ allowSignInPrompt: true, allowConsentPrompt: true });
    },
  };
}
