/**
 * Office.js async results as they arrive at run time. @types/office-js declares
 * `AsyncResultStatus` as a numeric enum, but office.js sends the strings "succeeded"/"failed",
 * so we type the wire shape ourselves instead of comparing against the enum.
 */
export interface OfficeAsyncResult<T> {
  status: "succeeded" | "failed";
  value: T;
  error?: { name?: string; message: string; code?: number };
  asyncContext?: unknown;
}

export type OfficeCallback<T> = (result: OfficeAsyncResult<T>) => void;

/** An Office.js call failed; `message` says what to do, `officeCode` is Office's error code. */
export class OfficeError extends Error {
  override readonly name = "OfficeError";
  constructor(
    message: string,
    readonly officeCode?: number,
    readonly officeName?: string,
  ) {
    super(message);
  }
}

/**
 * Turns one callback-style Office.js call into a promise that rejects with OfficeError. Office
 * reports bad arguments by throwing at once (Sys.ArgumentException, e.g. a recurrence whose
 * properties don't match its type) and everything else through the callback; both reject here.
 */
export function officeCall<T>(what: string, invoke: (callback: OfficeCallback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      invoke((result) => {
        if (result.status === "succeeded") resolve(result.value);
        else {
          const reason = (result.error?.message ?? "Outlook didn't say why").replace(/\.$/, "");
          reject(new OfficeError(`Outlook couldn't ${what}: ${reason}. Try again; if it keeps failing, reopen the appointment.`, result.error?.code, result.error?.name));
        }
      });
    } catch (thrown) {
      if (thrown instanceof OfficeError) return reject(thrown);
      const error = thrown as { name?: unknown; message?: unknown };
      const name = typeof error?.name === "string" ? error.name : undefined;
      reject(new OfficeError(`Outlook couldn't ${what}: ${describeThrown(error?.message)}. Set it in Outlook yourself, and tell your admin Coaching Circles hit this.`, undefined, name));
    }
  });
}

/** "Sys.ArgumentException: The recurrence pattern isn't valid…\nParameter name: x" → the sentence. */
function describeThrown(message: unknown): string {
  const text = typeof message === "string" ? message : "Outlook rejected the request";
  const firstLine = text.split("\n")[0] ?? text;
  return firstLine.replace(/^Sys\.\w+:\s*/, "").replace(/\.$/, "");
}
