import { FormatSchema, type Format, type FormatEdits } from "./schemas";

/**
 * Copies a format with a program owner's edits (segment names, minutes, prompts …) and validates
 * the result with `FormatSchema`: 1–12 segments, 1–90 minutes each, names up to 80 characters.
 * The copy's length is the sum of its segments. Without an explicit id the copy gets
 * `<source id>-copy`, so a copy never silently replaces a built-in format.
 * @throws ZodError (from zod) listing every problem with the edited format.
 */
export function copyFormat(format: Format, edits: FormatEdits = {}): Format {
  const previous = new Map(format.segments.map((s) => [s.id, s]));
  const used = new Set<string>();
  const segments = (edits.segments ?? format.segments).map((edit) => {
    const before = edit.id !== undefined ? previous.get(edit.id) : undefined;
    const id = uniqueId(edit.id ?? slugify(edit.name), used);
    return {
      id,
      name: edit.name,
      minutes: edit.minutes,
      purpose: edit.purpose ?? before?.purpose ?? "",
      prompts: edit.prompts ?? before?.prompts ?? [],
      ...((edit.kind ?? before?.kind) !== undefined ? { kind: edit.kind ?? before?.kind } : {}),
    };
  });
  return FormatSchema.parse({
    id: edits.id ?? `${format.id}-copy`,
    name: edits.name ?? format.name,
    description: edits.description ?? format.description,
    defaultMinutes: segments.reduce((sum, s) => sum + s.minutes, 0),
    segments,
  });
}

function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/g, "");
  return slug || "segment";
}

function uniqueId(id: string, used: Set<string>): string {
  let candidate = id;
  for (let n = 2; used.has(candidate); n++) candidate = `${id}-${n}`;
  used.add(candidate);
  return candidate;
}
