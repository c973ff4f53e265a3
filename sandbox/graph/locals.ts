import type { Response } from "express";
import type { SandboxLocals } from "../context.js";
import { GraphError } from "./errors.js";

/** The typed view of `res.locals` the core fills in (see SandboxLocals). */
export function locals(res: Response): SandboxLocals {
  return res.locals as SandboxLocals;
}

/** The signed-in user, or a 403 for app-only tokens on delegated-only operations. */
export function callerOrThrow(res: Response, operation: string): string {
  const { callerId } = locals(res);
  if (!callerId) throw new GraphError(403, "Forbidden", `${operation} requires a delegated (signed-in user) token.`);
  return callerId;
}
