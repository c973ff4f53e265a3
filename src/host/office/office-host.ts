import { HostError } from "../host-error";
import type { OfficeSession } from "./office-ready";

/** The Host pieces that differ in Outlook's task pane. */
export function createOfficeHostParts(office: OfficeSession) {
  return {
    async getToken(): Promise<string> {
      try {
        return await office.getAccessToken();
      } catch (cause) {
        throw new HostError(
          "token_failed",
          "Outlook couldn't sign you in to Coaching Circles. Close and reopen the pane; if it keeps happening, ask your admin to approve Coaching Circles.",
          { cause },
        );
      }
    },
  };
}
