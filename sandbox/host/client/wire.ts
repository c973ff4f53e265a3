// zod/mini: the same schemas, a fraction of the bundle size for this browser script.
import { z } from "zod/mini";

/**
 * The TeamsJS v2 postMessage wire format, as read from @microsoft/teams-js 2.58
 * (dist/esm/packages/teams-js/src/internal/communication.js and messageObjects.js):
 *
 * - app → host request: `{ id: number, uuidAsString: string, func, args, timestamp, apiVersionTag, … }`
 *   (`serializeMessageRequest` turns the UUID object into `uuidAsString`).
 * - host → app response: `{ id, uuidAsString, args, isPartialResponse? }`. The library finds the
 *   callback by `uuidAsString` first and falls back to the legacy numeric `id`; it recognises a
 *   response by `typeof data.id === "number"`.
 * - host → app event: `{ func, args }` with no `id`; the library calls its registered handler
 *   (`themeChange`, `settings.save`, …).
 */
export const appRequestSchema = z.object({
  id: z.number(),
  uuidAsString: z.optional(z.string()),
  func: z.string().check(z.minLength(1)),
  args: z._default(z.array(z.unknown()), []),
  apiVersionTag: z.optional(z.string()),
});
export type AppRequest = z.infer<typeof appRequestSchema>;

export interface HostResponse {
  id: number;
  uuidAsString: string | undefined;
  args: unknown[];
}

export interface HostEvent {
  func: string;
  args: unknown[];
}

/** `pages.InstanceConfig`: what `pages.config.setConfig` (wire: `settings.setSettings`) carries. */
export const instanceConfigSchema = z.object({
  contentUrl: z.string().check(z.minLength(1)),
  entityId: z.optional(z.string()),
  suggestedDisplayName: z.optional(z.string()),
  websiteUrl: z.optional(z.string()),
  removeUrl: z.optional(z.string()),
});
export type InstanceConfig = z.infer<typeof instanceConfigSchema>;

/** TeamsJS `ErrorCode` values (src/public/interfaces.js). */
export const ErrorCode = {
  NOT_SUPPORTED_ON_PLATFORM: 100,
  INTERNAL_ERROR: 500,
  NOT_SUPPORTED_IN_CURRENT_CONTEXT: 501,
  PERMISSION_DENIED: 1000,
  INVALID_ARGUMENTS: 4000,
} as const;

/** An `SdkError`: the library's `isSdkError` only checks that `errorCode` is defined. */
export interface SdkError {
  errorCode: number;
  message?: string;
}

export type Theme = "default" | "dark" | "contrast";
export const THEMES: readonly Theme[] = ["default", "dark", "contrast"];

/** TeamsJS `FrameContexts` values for the surfaces the sandbox hosts. */
export type FrameContext = "content" | "sidePanel" | "meetingStage" | "settings";

/** The app surfaces the host page frames. */
export type Surface = "tab" | "sidepanel" | "stage" | "config" | "taskpane";

export const demoUserSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  userPrincipalName: z.string(),
  timeZone: z.optional(z.string()),
  department: z.optional(z.string()),
  jobTitle: z.optional(z.string()),
});
export type DemoUser = z.infer<typeof demoUserSchema>;

export const usersResponseSchema = z.object({ value: z.array(demoUserSchema) });
/** The sandbox's own control endpoint GET /sandbox/meetings (meetings booked through Graph). */
export const meetingsResponseSchema = z.object({
  value: z.array(z.object({ chatId: z.string(), subject: z.string(), ended: z.optional(z.boolean()) })),
});
export type SandboxMeeting = z.infer<typeof meetingsResponseSchema>["value"][number];

export const tokenResponseSchema = z.object({ access_token: z.string().check(z.minLength(1)) });

/** What the server injects into the page (see ../page.ts). */
export const hostConfigSchema = z.object({
  appUrl: z.string(),
  sandboxUrl: z.string(),
  tenantId: z.string(),
});
export type HostConfig = z.infer<typeof hostConfigSchema>;
