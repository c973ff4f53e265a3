import type { CallerIdentity } from "../auth/identity";
import type { GraphFactory } from "../graph";
import type { Db } from "../storage";
import { nudgeWebUrl } from "./deep-link";
import { clip, toFeedText } from "./feed-text";
import { isNudgeEnabled, listNudgeSwitches, saveNudgeSwitch } from "./repository";
import { NudgeKindSchema, type NudgeKind, type NudgeSettings, type UpdateNudgeSettingsBody } from "./schemas";

export interface NudgeServiceDeps {
  db: Db;
  graph: GraphFactory;
  clock: () => Date;
  /** The app's public base URL (the link's fallback when no Teams app id is configured). */
  appUrl: string;
  /** The app's id in its Teams manifest (config `teamsAppId`): the notification's link opens our personal tab. */
  teamsAppId: string | undefined;
}

export interface Nudge {
  tenantId: string;
  /** Recipient's Entra object id. */
  userId: string;
  kind: NudgeKind;
  /** Shown in the feed; Graph caps it at 150 characters. Plain text; made feed-safe here (feed-text.ts). */
  previewText: string;
  /** Values for the `{placeholders}` of the activity type's templateText in the manifest; made feed-safe here. */
  templateParameters?: Record<string, string>;
  /** The circle the notification opens in the personal tab (deep-link.ts); without one, the tab's home. */
  circleId?: string;
}

const MAX_PREVIEW = 150;

export function createNudgeService(deps: NudgeServiceDeps) {
  return {
    /**
     * Sends a nudge to the person's Teams activity feed, app-only
     * (`POST /users/{id}/teamwork/sendActivityNotification`, TeamsActivity.Send), unless their
     * switch for this kind is off. Every text goes through {@link toFeedText} here, so no caller
     * can forget it.
     * @returns false when the person switched this nudge off (nothing sent).
     * @throws GraphRequestError when Graph refuses (e.g. the app is not installed for them).
     */
    async send(nudge: Nudge): Promise<boolean> {
      if (!(await isNudgeEnabled(deps.db, nudge.tenantId, nudge.userId, nudge.kind))) return false;
      await deps.graph.forApp(nudge.tenantId).post(`/users/${encodeURIComponent(nudge.userId)}/teamwork/sendActivityNotification`, {
        topic: { source: "text", value: "Coaching Circles", webUrl: nudgeWebUrl(deps, nudge.circleId) },
        activityType: nudge.kind,
        previewText: { content: clip(toFeedText(nudge.previewText), MAX_PREVIEW) },
        templateParameters: Object.entries(nudge.templateParameters ?? {}).map(([name, value]) => ({ name, value: toFeedText(value) })),
      });
      return true;
    },

    /** Turns one kind of nudge on or off for a person. */
    async setSwitch(tenantId: string, userId: string, kind: NudgeKind, enabled: boolean): Promise<void> {
      await saveNudgeSwitch(deps.db, { tenantId, userId, kind, enabled, now: deps.clock().toISOString() });
    },

    isEnabled: (tenantId: string, userId: string, kind: NudgeKind) => isNudgeEnabled(deps.db, tenantId, userId, kind),

    /** The caller's own switches (everything on until they turn something off). */
    getSettings(caller: CallerIdentity): Promise<NudgeSettings> {
      return listNudgeSwitches(deps.db, caller.tenantId, caller.userId);
    },

    /** Changes the caller's own switches named in `body`; the others stay as they are. */
    async updateSettings(caller: CallerIdentity, body: UpdateNudgeSettingsBody): Promise<NudgeSettings> {
      const now = deps.clock().toISOString();
      for (const kind of NudgeKindSchema.options) {
        const enabled = body[kind];
        if (enabled !== undefined) await saveNudgeSwitch(deps.db, { tenantId: caller.tenantId, userId: caller.userId, kind, enabled, now });
      }
      return listNudgeSwitches(deps.db, caller.tenantId, caller.userId);
    },
  };
}

export type NudgeService = ReturnType<typeof createNudgeService>;
