/**
 * Neutralises user text for an Adaptive Card TextBlock or Fact in Teams, so what a member typed is
 * shown exactly as typed and can never become formatting, a link, an image, a mention or a
 * date macro.
 *
 * Why each step (Teams renders a CommonMark subset in TextBlock and Fact.Title/Value —
 * platform-facts.md "Adaptive Cards in Teams"; learn.microsoft.com "Format cards in Teams"):
 * - `\ * _ ~ ` [ ] ( )` are backslash-escaped everywhere: emphasis, strikethrough, code spans and
 *   `[text](url)` links can start anywhere in a line.
 * - `# - + =` at the start of a line (headings, bullets, setext underlines), the `.` after a number
 *   at the start of a line (ordered lists) and `!` before `[` (images) are escaped only there, so
 *   ordinary text such as "2025-03-10" or "e.g." is not littered with backslashes.
 * - `& < >` become HTML entities: `<img …>`, `<at>…</at>` mention tags and `>` block quotes stay text.
 * - Autolinks are broken with an invisible U+200B: after the scheme's colon ("https:<U+200B>//"), after
 *   "www" and before a dot followed by letters ("evil<U+200B>.example"), so a bare address is not clickable.
 * - `{{` is broken the same way: Adaptive Cards expand `{{DATE(…)}}` / `{{TIME(…)}}` in text.
 * - Control and bidirectional-override characters are dropped (U+202E can make text read backwards,
 *   a known spoofing trick); leading indentation is dropped (4 spaces would start a code block).
 * - Line breaks are kept: each line becomes its own paragraph ("\n\n"), which every Teams client
 *   renders as a break, and runs of blank lines collapse to one.
 */
export function escapeCardText(text: string): string {
  const lines = text
    .replace(/\r\n?/g, "\n")
    .replace(UNSAFE_CHARACTERS, "")
    .split("\n")
    .map(escapeLine);
  return lines
    .join("\n\n")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/^\n+|\n+$/g, "");
}

const ZERO_WIDTH_SPACE = "\u200B";

// C0 controls except tab and newline, DEL, C1 controls, bidi marks, embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

function escapeLine(raw: string): string {
  let line = raw.replace(/\t/g, " ").trim();
  if (line === "") return "";
  // Inline Markdown: always (the backslash itself first, so later escapes are not doubled).
  line = line.replace(/[\\*_~`[\]()]/g, "\\$&");
  // Images: "![" — after the step above the bracket reads "\[".
  line = line.replace(/!(?=\\\[)/g, "\\!");
  // Block markers only mean something at the start of a line.
  line = line.replace(/^[#+\-=]/, "\\$&");
  line = line.replace(/^(\d+)\./, "$1\\.");
  // Autolinks, e-mail links and card macros.
  line = line.replace(/:(?=\/\/)/g, `:${ZERO_WIDTH_SPACE}`);
  line = line.replace(/\bwww(?=\.)/gi, `$&${ZERO_WIDTH_SPACE}`);
  line = line.replace(/([\p{L}\p{N}_-])\.(?=\p{L}{2})/gu, `$1${ZERO_WIDTH_SPACE}.`);
  line = line.replace(/\{(?=\{)/g, `{${ZERO_WIDTH_SPACE}`);
  // HTML last: entities contain no Markdown characters, and `>` needs no backslash once it is "&gt;".
  return line.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
