import { tokens } from "@fluentui/react-components";
import type { GriffelStyle } from "@fluentui/react-components";

/**
 * Styles for a list shown as a grid of cards (figures, circles), to spread into a `makeStyles`.
 * Columns are at least `minColumn` wide but never wider than the screen, so at 320 px it is one column.
 */
export function cardGridStyle(minColumn: string): GriffelStyle {
  return {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "grid",
    gap: tokens.spacingHorizontalM,
    gridTemplateColumns: `repeat(auto-fill, minmax(min(100%, ${minColumn}), 1fr))`,
  };
}

/** One card of such a grid: a column on a subtle surface with a thin border, in every theme. */
export const cardStyle: GriffelStyle = {
  display: "flex",
  flexDirection: "column",
  rowGap: tokens.spacingVerticalXS,
  padding: tokens.spacingHorizontalM,
  borderRadius: tokens.borderRadiusLarge,
  backgroundColor: tokens.colorNeutralBackground2,
  border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  minWidth: 0,
};
