import { scaleSegments as scaleToSessionLength } from "../../api/circles/formats/scale-segments";

/**
 * Fits a format's segment minutes to a session length with the API's own rule (the agenda a user
 * previews is the agenda Outlook gets). Returns the segments unchanged when the length is not
 * usable: the form reports that separately.
 */
export function scaleSegments<S extends { minutes: number }>(segments: readonly S[], sessionMinutes: number): S[] {
  try {
    return scaleToSessionLength({ segments }, sessionMinutes);
  } catch {
    return [...segments];
  }
}
