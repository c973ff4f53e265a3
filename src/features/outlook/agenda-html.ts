const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text → HTML text, so a circle called `<img onerror=…>` is shown as typed, never run as markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

export interface AgendaInput {
  circleName: string;
  purpose: string;
  charter: readonly string[];
  formatName: string;
  segments: ReadonlyArray<{ name: string; minutes: number }>;
}

/**
 * The appointment body, like the API's series body (api/graph/html.ts): name, purpose, agenda and
 * charter, all escaped. There is deliberately no place for notes: invitations get forwarded.
 */
export function renderAgendaHtml(input: AgendaInput): string {
  const parts: string[] = [`<h2>${escapeHtml(input.circleName)}</h2>`];
  if (input.purpose.trim()) parts.push(`<p>${escapeHtml(input.purpose)}</p>`);
  if (input.segments.length > 0) {
    parts.push(`<h3>Agenda: ${escapeHtml(input.formatName)}</h3>`);
    parts.push(`<ol>${input.segments.map((s) => `<li>${escapeHtml(s.name)} (${s.minutes} min)</li>`).join("")}</ol>`);
  }
  if (input.charter.length > 0) {
    parts.push("<h3>Our charter</h3>");
    parts.push(`<ul>${input.charter.map((rule) => `<li>${escapeHtml(rule)}</li>`).join("")}</ul>`);
  }
  parts.push("<p>Notes, questions and commitments stay in Coaching Circles, visible to members only.</p>");
  return parts.join("");
}
