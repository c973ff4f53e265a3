/**
 * Reads back where a nudge's deep link asked the personal tab to open. The API writes the
 * sub-entity as "circle:<id>" (api/nudges/deep-link.ts `circleSubPageId`); Teams hands it to the
 * tab as `page.subPageId`.
 * @returns the circle id, or undefined for anything else (a plain open, or a link we did not write).
 */
export function circleFromSubPage(subPageId: string | undefined): string | undefined {
  const match = /^circle:(.+)$/.exec(subPageId ?? "");
  return match?.[1];
}
