import type { GraphFactory } from "../graph";
import type { Db } from "../storage";
import { isNudgeEnabled, saveNudgeSwitch } from "./repository";
import type { NudgeKind } from "./schemas";

export interface NudgeServiceDeps {
  db: Db;
  graph: GraphFactory;
  clock: () => Date;
  /** Where the notification's link leads (the app's public base URL). */
  appUrl: string;
}

export interface Nudge {
  tenantId: string;
  /** Recipient's Entra object id. */
  userId: string;
  kind: NudgeKind;
  /** Shown in the feed; Graph caps it at 150 characters. Plain text (the feed does not render HTML). */
  previewText: string;
  /** Values for the `{placeholders}` of the activity type's templateText in the manifest. */
  templateParameters?: Record<string, string>;
  /** Path under the app's base URL the notification opens. */
  path?: string;
}

const MAX_PREVIEW = 150;

export function createNudgeService(deps: NudgeServiceDeps) {
  return {
    /**
     * Sends a nudge to the person's Teams activity feed, app-only
     * (`POST /users/{id}/teamwork/sendActivityNotification`, TeamsActivity.Send), unless their
     * switch for this kind is off.
     * @returns false when the person switched this nudge off (nothing sent).
     * @throws GraphRequestError when Graph refuses (e.g. the app is not installed for them).
     */
    async send(nudge: Nudge): Promise<boolean> {
      if (!(await isNudgeEnabled(deps.db, nudge.tenantId, nudge.userId, nudge.kind))) return false;
      const preview = nudge.previewText.length > MAX_PREVIEW ? `${nudge.previewText.slice(0, MAX_PREVIEW - 1)}…` : nudge.previewText;
      await deps.graph.forApp(nudge.tenantId).post(`/users/${encodeURIComponent(nudge.userId)}/teamwork/sendActivityNotification`, {
        topic: { source: "text", value: "Coaching Circles", webUrl: `${deps.appUrl}${nudge.path ?? "/"}` },
        activityType: nudge.kind,
        previewText: { content: preview },
        templateParameters: Object.entries(nudge.templateParameters ?? {}).map(([name, value]) => ({ name, value })),
      });
      return true;
    },

    /** Turns one kind of nudge on or off for a person. */
    async setSwitch(tenantId: string, userId: string, kind: NudgeKind, enabled: boolean): Promise<void> {
      await saveNudgeSwitch(deps.db, { tenantId, userId, kind, enabled, now: deps.clock().toISOString() });
    },

    isEnabled: (tenantId: string, userId: string, kind: NudgeKind) => isNudgeEnabled(deps.db, tenantId, userId, kind),
  };
}

export type NudgeService = ReturnType<typeof createNudgeService>;
