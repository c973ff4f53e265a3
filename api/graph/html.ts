/**
 * HTML for Graph bodies that are HTML (event `body`, chat message `body`). User text (a circle's
 * name, purpose, charter, segment names) is escaped here, so a circle called
 * `<img src=x onerror=…>` is text in Outlook and Teams, never markup.
 *
 * Plain-text Graph fields (`subject`, `emailAddress.name`, `displayName` of a tab, To Do `title`)
 * are NOT escaped: Graph shows them as typed, and `&amp;` would appear literally.
 */

const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text → HTML text (also safe inside a double- or single-quoted attribute). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

export interface AgendaInput {
  circleName: string;
  purpose: string;
  /** The circle's working agreements, one per line item. */
  charter: readonly string[];
  segments: ReadonlyArray<{ name: string; minutes: number }>;
  /** A fixed footnote (e.g. "Notes stay in Coaching Circles."). Never session notes. */
  note: string;
}

/**
 * The series' invitation body: name, purpose, charter and the agenda's segments with minutes.
 * Everything is escaped; it deliberately has no place for notes: an invitation is visible to
 * everyone it is forwarded to, and circle notes are confidential (product rule).
 */
export function renderAgendaHtml(input: AgendaInput): string {
  const lines: string[] = [];
  lines.push(`<h2>${escapeHtml(input.circleName)}</h2>`);
  if (input.purpose.trim() !== "") lines.push(`<p>${escapeHtml(input.purpose)}</p>`);
  if (input.charter.length > 0) {
    lines.push("<h3>Our charter</h3>");
    lines.push(`<ul>${input.charter.map((item) => `<li>${escapeHtml(item)}</li>`).join("")}</ul>`);
  }
  if (input.segments.length > 0) {
    lines.push("<h3>Agenda</h3>");
    const items = input.segments.map((s) => {
      if (!Number.isFinite(s.minutes) || s.minutes < 0) throw new RangeError(`Segment "${s.name}" has an invalid length: ${s.minutes}.`);
      return `<li>${escapeHtml(s.name)} — ${Math.round(s.minutes)} min</li>`;
    });
    lines.push(`<ol>${items.join("")}</ol>`);
  }
  if (input.note.trim() !== "") lines.push(`<p><em>${escapeHtml(input.note)}</em></p>`);
  return lines.join("\n");
}
