/**
 * Where a nudge leads when clicked. In Teams, an activity's `topic.webUrl` is a deep link into
 * our app: the personal tab (the manifest's static tab, entityId "circles"), with the circle to
 * open as the sub-entity. Teams hands that sub-entity to the tab as `app.getContext()` →
 * `page.subPageId` ("subEntityId" in the link's context), and the tab opens that circle.
 *
 * Format (Teams "deep link to a tab"):
 *   https://teams.microsoft.com/l/entity/<manifest app id>/<entityId>?context=<URL-encoded JSON {"subEntityId": …}>
 *
 * A plain `${appUrl}/circles/<id>` would not do: the web router has no such page (404), and a
 * browser link leaves Teams, where the tab cannot sign the member in silently.
 */

/** appPackage/manifest.json `staticTabs[].entityId` of the personal tab. */
export const PERSONAL_TAB_ENTITY_ID = "circles";

/** The sub-page a circle opens at (`page.subPageId`); src/features/nudges/nudge-link.ts reads it back. */
export const circleSubPageId = (circleId: string): string => `circle:${circleId}`;

export interface NudgeLinkConfig {
  /** The app's id in its Teams manifest (config `teamsAppId`); without it the link is the web tab. */
  teamsAppId: string | undefined;
  /** The app's public base URL, for the fallback. */
  appUrl: string;
}

/**
 * The link a nudge opens: the personal tab, at the circle when one is named. With no Teams app id
 * configured (Microsoft 365 mode without TEAMS_APP_ID) it falls back to the tab's web page, which
 * opens at the home view.
 */
export function nudgeWebUrl(config: NudgeLinkConfig, circleId?: string): string {
  if (!config.teamsAppId) return `${config.appUrl.replace(/\/+$/, "")}/tab`;
  const tab = `https://teams.microsoft.com/l/entity/${encodeURIComponent(config.teamsAppId)}/${encodeURIComponent(PERSONAL_TAB_ENTITY_ID)}`;
  if (!circleId) return tab;
  // encodeURIComponent, not URLSearchParams: the latter writes a space as "+", which Teams would not read back as a space.
  return `${tab}?context=${encodeURIComponent(JSON.stringify({ subEntityId: circleSubPageId(circleId) }))}`;
}
