import express from "express";
import type { SandboxContext } from "../../context.js";
import { GraphError, notFound } from "../errors.js";
import { randomUUID } from "../ids.js";
import { locals } from "../locals.js";

export interface OutlookCategory {
  id: string;
  displayName: string;
  color: string;
}

// What a new Exchange Online mailbox starts with.
const DEFAULT_CATEGORIES: Array<[string, string]> = [
  ["Blue category", "preset7"],
  ["Green category", "preset4"],
  ["Orange category", "preset1"],
  ["Purple category", "preset8"],
  ["Red category", "preset0"],
  ["Yellow category", "preset3"],
];

const COLORS = ["none", ...Array.from({ length: 25 }, (_, i) => `preset${i}`)];

/** `/outlook/masterCategories` per mailbox (mounted under /me and /users/:user). */
export function createCategoryRoutes(ctx: SandboxContext): express.Router {
  const router = express.Router({ mergeParams: true });
  const byMailbox = new Map<string, OutlookCategory[]>();

  const listFor = (res: express.Response): OutlookCategory[] => {
    const l = locals(res);
    // Delegated access reaches the caller's own mailbox; other mailboxes need app permissions.
    if (!l.appOnly && l.callerId !== l.mailboxId) throw new GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
    let list = byMailbox.get(l.mailboxId);
    if (!list) {
      list = DEFAULT_CATEGORIES.map(([displayName, color]) => ({ id: randomUUID(), displayName, color }));
      byMailbox.set(l.mailboxId, list);
    }
    return list;
  };
  const ctxUrl = (res: express.Response) => `https://graph.microsoft.com/v1.0/$metadata#users('${locals(res).mailboxId}')/outlook/masterCategories`;

  router.get("/outlook/masterCategories", (_req, res) => {
    res.json({ "@odata.context": ctxUrl(res), value: listFor(res) });
  });

  router.post("/outlook/masterCategories", (req, res) => {
    ctx.validateBody("microsoft.graph.outlookCategory", req.body);
    const body = req.body as { displayName?: unknown; color?: unknown };
    const list = listFor(res);
    if (typeof body.displayName !== "string" || body.displayName.trim() === "") throw new GraphError(400, "ErrorInvalidArgument", "The displayName of a category is required.");
    const color = normaliseColor(body.color);
    if (list.some((c) => c.displayName.toLowerCase() === (body.displayName as string).toLowerCase())) {
      throw new GraphError(409, "ErrorDuplicateCategoryName", `A category named '${body.displayName}' already exists in this mailbox.`);
    }
    const category = { id: randomUUID(), displayName: body.displayName, color };
    list.push(category);
    res.status(201).json({ "@odata.context": `${ctxUrl(res)}/$entity`, ...category });
  });

  router.get("/outlook/masterCategories/:categoryId", (req, res) => {
    const category = listFor(res).find((c) => c.id === req.params.categoryId);
    if (!category) throw notFound("category");
    res.json({ "@odata.context": `${ctxUrl(res)}/$entity`, ...category });
  });

  router.patch("/outlook/masterCategories/:categoryId", (req, res) => {
    ctx.validateBody("microsoft.graph.outlookCategory", req.body);
    const category = listFor(res).find((c) => c.id === req.params.categoryId);
    if (!category) throw notFound("category");
    const body = req.body as { displayName?: unknown; color?: unknown };
    // Exchange does not rename categories: items reference them by name.
    if (body.displayName !== undefined && body.displayName !== category.displayName) throw new GraphError(400, "ErrorInvalidArgument", "The displayName of a category cannot be changed.");
    if (body.color !== undefined) category.color = normaliseColor(body.color);
    res.json({ "@odata.context": `${ctxUrl(res)}/$entity`, ...category });
  });

  router.delete("/outlook/masterCategories/:categoryId", (req, res) => {
    const list = listFor(res);
    const i = list.findIndex((c) => c.id === req.params.categoryId);
    if (i < 0) throw notFound("category");
    list.splice(i, 1);
    res.status(204).end();
  });
  return router;
}

function normaliseColor(color: unknown): string {
  if (color === undefined || color === null) return "none";
  const found = typeof color === "string" ? COLORS.find((c) => c === color.toLowerCase()) : undefined;
  if (!found) throw new GraphError(400, "ErrorInvalidArgument", `Invalid color '${String(color)}': use preset0 … preset24 or none.`);
  return found;
}
