import { randomBytes } from "node:crypto";
import type { CallerIdentity } from "../../auth/identity";
import { AppError, badRequest, forbidden, notFound } from "../../shared/errors";
import type { Db, FormatRow } from "../../storage";
import { findBuiltInFormat, BUILT_IN_FORMATS } from "./built-in-formats";
import { copyFormat } from "./copy-format";
import { findOwnFormat, findTenantFormat, insertFormat, listFormatsOfOwner, updateFormatDefinition } from "./repository";
import { FormatSchema, type Format, type FormatEdits } from "./schemas";

/** A format as the API shows it: built-in, or one of the caller's own copies. */
export type FormatView = Format & { builtIn: boolean; basedOn?: string };

interface Deps {
  db: Db;
  clock: () => Date;
}

/** What a copy or an edit may change (the id is ours to choose). */
export type FormatChanges = Omit<FormatEdits, "id">;

function fromRow(row: FormatRow): FormatView {
  return { ...FormatSchema.parse(JSON.parse(row.definition)), builtIn: false, basedOn: row.based_on };
}

/** The seven built-in formats, then the caller's own copies (oldest first). */
export async function listFormats(deps: Pick<Deps, "db">, caller: CallerIdentity): Promise<FormatView[]> {
  const own = await listFormatsOfOwner(deps.db, caller.tenantId, caller.userId);
  return [...BUILT_IN_FORMATS.map((f) => ({ ...f, builtIn: true })), ...own.map(fromRow)];
}

/** A built-in format or one of the caller's copies; undefined for anything else (others' copies included). */
export async function findUsableFormat(deps: Pick<Deps, "db">, caller: CallerIdentity, formatId: string): Promise<FormatView | undefined> {
  const builtIn = findBuiltInFormat(formatId);
  if (builtIn) return { ...builtIn, builtIn: true };
  const own = await findOwnFormat(deps.db, caller.tenantId, caller.userId, formatId);
  return own ? fromRow(own) : undefined;
}

/**
 * The format a circle uses, for everyone in it (booking's agenda, the live side panel): built-in, or
 * the copy the organiser picked, whoever reads it. Undefined when the copy no longer exists.
 */
export async function findCircleFormat(db: Db, tenantId: string, formatId: string): Promise<Format | undefined> {
  const builtIn = findBuiltInFormat(formatId);
  if (builtIn) return builtIn;
  const row = await findTenantFormat(db, tenantId, formatId);
  if (!row) return undefined;
  const { builtIn: _builtIn, basedOn: _basedOn, ...format } = fromRow(row);
  return format;
}

/** "coaching-circle-copy-3fa2c1" → "coaching-circle": copies of copies do not grow their ids. */
function baseId(id: string): string {
  return id.replace(/(-copy-[0-9a-f]{6})+$/, "").slice(0, 48).replace(/-+$/, "");
}

/**
 * Copies a built-in format (or one of the caller's copies) with edits; the copy belongs to the caller.
 * @throws AppError bad_request for an unknown source format; ZodError (→ 400) for an invalid result.
 */
export async function copyFormatForCaller(deps: Deps, caller: CallerIdentity, fromFormatId: string, changes: FormatChanges): Promise<FormatView> {
  const source = await findUsableFormat(deps, caller, fromFormatId);
  if (!source) throw badRequest(`Invalid request: fromFormatId: there is no format "${fromFormatId}" you can copy.`);
  const { builtIn: _builtIn, basedOn: _basedOn, ...format } = source;
  // A random suffix keeps copies of the same format apart and never equals a built-in id.
  const id = `${baseId(source.id)}-copy-${randomBytes(3).toString("hex")}`;
  const copy = copyFormat(format, { ...changes, id });
  const now = deps.clock().toISOString();
  await insertFormat(deps.db, { id, tenant_id: caller.tenantId, owner_id: caller.userId, based_on: source.id, definition: JSON.stringify(copy), created_at: now, updated_at: now });
  return { ...copy, builtIn: false, basedOn: source.id };
}

/**
 * Edits one of the caller's copies (name, description, segments).
 * @throws AppError forbidden for a built-in format (copy it first); not_found for any format that
 * is not the caller's own copy; ZodError (→ 400) for an invalid result.
 */
export async function updateOwnFormat(deps: Deps, caller: CallerIdentity, formatId: string, changes: FormatChanges): Promise<FormatView> {
  if (findBuiltInFormat(formatId)) throw forbidden("Built-in formats cannot be edited; copy the format and edit your copy.");
  const row = await findOwnFormat(deps.db, caller.tenantId, caller.userId, formatId);
  if (!row) throw notFound("The format");
  const { builtIn: _builtIn, basedOn, ...current } = fromRow(row);
  const edited = copyFormat(current, { ...changes, id: current.id });
  if (edited.id !== formatId) throw new AppError("internal", "A format edit changed the format's id.");
  await updateFormatDefinition(deps.db, formatId, JSON.stringify(edited), deps.clock().toISOString());
  return { ...edited, builtIn: false, ...(basedOn ? { basedOn } : {}) };
}
