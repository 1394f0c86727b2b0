/**
 * The colours of the figures: one per label (so a digit has the same colour
 * in every figure), grey for unlabelled points, a white-to-blue scale for
 * heatmap cells, and how labels are named in legends. Private to
 * `report/figures/`.
 *
 * @module
 */

/**
 * Ten label colours (the "category10" palette of D3 and matplotlib): saturated
 * enough that small points stay visible on white, and well apart in hue so
 * that neighbouring clusters in a scatter stay distinguishable.
 */
export const LABEL_PALETTE: readonly string[] = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

/** The colour of points without a label (label -1: images from a folder of unlabelled files). */
const UNLABELLED_COLOUR = "#b0b0b0";

/**
 * The colour of a label: the palette for 0..9; further labels get hues
 * spread by the golden angle so that any number of labels stays distinct;
 * negative labels (unknown) are grey.
 */
export function labelColour(label: number): string {
  if (label < 0) return UNLABELLED_COLOUR;
  const fromPalette = LABEL_PALETTE[label];
  if (fromPalette !== undefined) return fromPalette;
  const hue = Math.round((label * 137.508) % 360);
  return `hsl(${hue}, 65%, 45%)`;
}

/**
 * How a label is named in legends, captions and headers: its entry in
 * `names` (the data set's label names: "7", "cat"), else its number;
 * `unlabelled` below 0.
 */
export function labelName(label: number, names?: readonly string[]): string {
  return label < 0 ? "unlabelled" : names?.[label] ?? String(label);
}

/**
 * A sequential colour from white (0) to a deep blue (1), for heatmap cells,
 * and whether text on it should be white to stay readable.
 */
export function heatColour(fraction: number): { fill: string; darkBackground: boolean } {
  const t = Math.min(1, Math.max(0, fraction));
  // Interpolate white → #08306b (the dark end of ColorBrewer's Blues).
  const channel = (end: number) => Math.round(255 + (end - 255) * t);
  const fill = `rgb(${channel(0x08)},${channel(0x30)},${channel(0x6b)})`;
  return { fill, darkBackground: t > 0.5 };
}
