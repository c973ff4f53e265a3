import express from "express";
import { z } from "zod";
import type { SandboxContext } from "../../context.js";
import { badRequest } from "../errors.js";
import { randomUUID } from "../ids.js";
import { locals } from "../locals.js";
import { declaredActivityTypes } from "./declared-types.js";

/** `sendActivityNotification` body (Graph's teamwork action parameters), strict like Graph. */
const ActivityBodyZ = z
  .object({
    topic: z
      .object({
        source: z.enum(["entityUrl", "text"]),
        value: z.string().min(1),
        webUrl: z.string().optional(),
      })
      .strict(),
    activityType: z.string().min(1),
    chainId: z.number().int().optional(),
    previewText: z.object({ content: z.string().max(150) }).strict(),
    templateParameters: z.array(z.object({ name: z.string().min(1), value: z.string() }).strict()).optional(),
    teamsAppId: z.string().optional(),
    iconId: z.string().optional(),
  })
  .strict();

export type ActivityNotificationBody = z.infer<typeof ActivityBodyZ>;

export interface ActivityNotificationRecord extends ActivityNotificationBody {
  id: string;
  recipientId: string;
  /** The delegated sender, or undefined when the app sent it (app-only token). */
  senderId?: string;
  sentDateTime: string;
}

export class ActivityFeed {
  private readonly items: ActivityNotificationRecord[] = [];
  add(r: ActivityNotificationRecord): void {
    this.items.push(r);
  }
  /** Every notification sent so far, optionally only those for one recipient (object id). */
  list(userId?: string): ActivityNotificationRecord[] {
    return this.items.filter((i) => userId === undefined || i.recipientId === userId).map((i) => ({ ...i }));
  }
  clear(): void {
    this.items.length = 0;
  }
}

/** `/teamwork/sendActivityNotification` relative to a mailbox root. */
export function createActivityRoutes(_ctx: SandboxContext, feed: ActivityFeed): express.Router {
  const router = express.Router({ mergeParams: true });
  router.post("/teamwork/sendActivityNotification", (req, res) => {
    const parsed = ActivityBodyZ.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const unknown = issue.code === "unrecognized_keys" ? ` Invalid property '${issue.keys[0]}'.` : "";
      throw badRequest(`Invalid sendActivityNotification request:${unknown} ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`);
    }
    const body = parsed.data;
    if (body.topic.source === "text" && !body.topic.webUrl) throw badRequest("topic.webUrl is required when topic.source is 'text'.");
    if (body.topic.source === "entityUrl" && !/^https:\/\/graph\.microsoft\.com\/(v1\.0|beta)\//i.test(body.topic.value)) {
      throw badRequest("topic.value must be a Microsoft Graph URL when topic.source is 'entityUrl'.");
    }
    if (body.activityType === "systemDefault" && !body.templateParameters?.some((p) => p.name === "systemDefaultText")) {
      throw badRequest("The systemDefault activity type needs a 'systemDefaultText' template parameter.");
    }
    if (body.activityType !== "systemDefault" && !declaredActivityTypes().has(body.activityType)) {
      throw badRequest(`Activity type '${body.activityType}' is not declared in the app manifest (activities.activityTypes).`);
    }
    const l = locals(res);
    feed.add({ ...body, id: randomUUID(), recipientId: l.mailboxId, ...(l.callerId ? { senderId: l.callerId } : {}), sentDateTime: new Date().toISOString() });
    res.status(204).end();
  });
  return router;
}
