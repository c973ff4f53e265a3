import express from "express";
import type { SandboxContext } from "../../context.js";
import { GraphError, badRequest } from "../errors.js";
import { etag, exchangeId, graphTimestamp, randomUUID } from "../ids.js";
import { locals } from "../locals.js";
import { decodeSkipToken, nextLink, parseStringLiteral, parseTop, queryOption } from "../odata.js";

interface TodoList {
  id: string;
  displayName: string;
  wellknownListName: "defaultList" | "none";
  tasks: TodoTask[];
}

interface TodoTask {
  id: string;
  etag: string;
  data: Record<string, unknown>;
  linkedResources: Array<Record<string, unknown>>;
}

const CONTEXT = "https://graph.microsoft.com/v1.0/$metadata";
const READ_ONLY_TASK_PROPS = new Set(["id", "createddatetime", "lastmodifieddatetime", "bodylastmodifieddatetime", "hasattachments"]);

/** Microsoft To Do (`/todo/lists`, `/todo/lists/{id}/tasks`) relative to a mailbox root. */
export function createTodoRoutes(ctx: SandboxContext, opts: { baseUrl: string }): express.Router {
  const router = express.Router({ mergeParams: true });
  const byUser = new Map<string, TodoList[]>();

  const listsOf = (res: express.Response): TodoList[] => {
    const l = locals(res);
    if (!l.appOnly && l.callerId !== l.mailboxId) throw new GraphError(403, "Forbidden", "Access to another user's To Do lists is denied.");
    let lists = byUser.get(l.mailboxId);
    if (!lists) {
      // Every mailbox has the built-in "Tasks" list.
      lists = [{ id: exchangeId(), displayName: "Tasks", wellknownListName: "defaultList", tasks: [] }];
      byUser.set(l.mailboxId, lists);
    }
    return lists;
  };
  const listOf = (req: express.Request, res: express.Response) => {
    const list = listsOf(res).find((x) => x.id === req.params.listId);
    if (!list) throw new GraphError(404, "NotFound", "The requested list was not found.");
    return list;
  };
  const taskOf = (req: express.Request, res: express.Response) => {
    const list = listOf(req, res);
    const task = list.tasks.find((t) => t.id === req.params.taskId);
    if (!task) throw new GraphError(404, "NotFound", "The requested task was not found.");
    return { list, task };
  };
  const listJson = (l: TodoList) => ({ "@odata.etag": `W/"${l.id.slice(-16)}"`, displayName: l.displayName, isOwner: true, isShared: false, wellknownListName: l.wellknownListName, id: l.id });
  const taskJson = (t: TodoTask, withLinks: boolean) => {
    const out: Record<string, unknown> = { "@odata.etag": t.etag, ...t.data, id: t.id };
    if (withLinks) out.linkedResources = t.linkedResources.map((r) => ({ ...r }));
    return out;
  };
  const expandsLinks = (req: express.Request) => (queryOption(req, "$expand") ?? "").toLowerCase().split(",").map((s) => s.trim()).includes("linkedresources");

  router.get("/todo/lists", (_req, res) => {
    res.json({ "@odata.context": `${CONTEXT}#users('${locals(res).mailboxId}')/todo/lists`, value: listsOf(res).map(listJson) });
  });
  router.post("/todo/lists", (req, res) => {
    ctx.validateBody("microsoft.graph.todoTaskList", req.body);
    const name = (req.body as { displayName?: unknown }).displayName;
    if (typeof name !== "string" || name.trim() === "") throw badRequest("A list needs a displayName.");
    const list: TodoList = { id: exchangeId(), displayName: name, wellknownListName: "none", tasks: [] };
    listsOf(res).push(list);
    res.status(201).json({ "@odata.context": `${CONTEXT}#users('${locals(res).mailboxId}')/todo/lists/$entity`, ...listJson(list) });
  });
  router.get("/todo/lists/:listId", (req, res) => {
    res.json(listJson(listOf(req, res)));
  });

  router.get("/todo/lists/:listId/tasks", (req, res) => {
    const list = listOf(req, res);
    let tasks = list.tasks;
    const filter = queryOption(req, "$filter");
    if (filter !== undefined) {
      const m = /^\s*status\s+(eq|ne)\s+(.+)$/i.exec(filter);
      const lit = m ? parseStringLiteral(m[2]!.trim()) : undefined;
      if (!m || !lit) throw badRequest(`Unsupported $filter '${filter}': the sandbox supports status eq|ne '…'.`);
      const ne = m[1]!.toLowerCase() === "ne";
      tasks = tasks.filter((t) => (t.data.status === lit.value) !== ne);
    }
    const top = parseTop(req, 100, 1000);
    const offset = decodeSkipToken(req);
    const body: Record<string, unknown> = { "@odata.context": `${CONTEXT}#users('${locals(res).mailboxId}')/todo/lists('${list.id}')/tasks` };
    if (offset + top < tasks.length) body["@odata.nextLink"] = nextLink(opts.baseUrl, req, offset + top);
    body.value = tasks.slice(offset, offset + top).map((t) => taskJson(t, expandsLinks(req)));
    res.json(body);
  });

  router.post("/todo/lists/:listId/tasks", (req, res) => {
    ctx.validateBody("microsoft.graph.todoTask", req.body);
    const list = listOf(req, res);
    const input = { ...(req.body as Record<string, unknown>) };
    if (typeof input.title !== "string" || input.title.trim() === "") throw badRequest("A task needs a title.");
    const links = Array.isArray(input.linkedResources) ? (input.linkedResources as Array<Record<string, unknown>>) : [];
    delete input.linkedResources;
    for (const k of Object.keys(input)) if (READ_ONLY_TASK_PROPS.has(k.toLowerCase())) delete input[k];
    const now = graphTimestamp(ctx.now());
    const task: TodoTask = {
      id: exchangeId(),
      etag: etag(),
      data: {
        importance: "normal",
        isReminderOn: false,
        status: "notStarted",
        createdDateTime: now,
        lastModifiedDateTime: now,
        hasAttachments: false,
        categories: [],
        body: { content: "", contentType: "text" },
        bodyLastModifiedDateTime: now,
        ...input,
      },
      linkedResources: links.map((r) => ({ ...r, id: randomUUID() })),
    };
    if (task.data.status === "completed") task.data.completedDateTime = { dateTime: now.replace(/Z$/, ""), timeZone: "UTC" };
    list.tasks.push(task);
    res.status(201).json({ "@odata.context": `${CONTEXT}#users('${locals(res).mailboxId}')/todo/lists('${list.id}')/tasks/$entity`, ...taskJson(task, true) });
  });

  router.get("/todo/lists/:listId/tasks/:taskId", (req, res) => {
    res.json(taskJson(taskOf(req, res).task, expandsLinks(req)));
  });
  router.get("/todo/lists/:listId/tasks/:taskId/linkedResources", (req, res) => {
    res.json({ value: taskOf(req, res).task.linkedResources });
  });

  router.patch("/todo/lists/:listId/tasks/:taskId", (req, res) => {
    ctx.validateBody("microsoft.graph.todoTask", req.body);
    const { task } = taskOf(req, res);
    const input = { ...(req.body as Record<string, unknown>) };
    delete input.linkedResources;
    for (const k of Object.keys(input)) if (READ_ONLY_TASK_PROPS.has(k.toLowerCase())) delete input[k];
    const wasCompleted = task.data.status === "completed";
    Object.assign(task.data, input);
    const now = graphTimestamp(ctx.now());
    task.data.lastModifiedDateTime = now;
    if (task.data.status === "completed" && !wasCompleted) task.data.completedDateTime = { dateTime: now.replace(/Z$/, ""), timeZone: "UTC" };
    if (task.data.status !== "completed") delete task.data.completedDateTime;
    task.etag = etag();
    res.json(taskJson(task, false));
  });

  router.delete("/todo/lists/:listId/tasks/:taskId", (req, res) => {
    const { list, task } = taskOf(req, res);
    list.tasks = list.tasks.filter((t) => t !== task);
    res.status(204).end();
  });
  return router;
}
