/**
 * Text widths for ECharts' layout on the server, where there is no canvas to measure
 * with. ECharts then falls back to an Arial-like table, but librsvg draws the server PNGs
 * with DejaVu Sans (fontconfig's sans-serif on Debian), about 12% wider: legend items ran
 * into each other. These are DejaVu Sans advance widths of ASCII 32-126 in thousandths of
 * an em (read from DejaVuSans.ttf's hmtx table); other characters count 0.6 em, and bold
 * text 9% more (DejaVu Sans Bold's digits are 696 against 636).
 */
const ASCII_WIDTHS = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
  636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
  575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
  611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
  278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];
const OTHER = 600;
const BOLD = 1.09;

/** The width in px of `text` drawn in a CSS `font` ('bold 14px system-ui, ...'). */
export function dejaVuTextWidth(text: string, font = '12px sans-serif'): number {
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? 12);
  let em = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    em += (c >= 32 && c < 127 ? ASCII_WIDTHS[c - 32]! : OTHER) / 1000;
  }
  return em * size * (/\b(bold|[6-9]00)\b/.test(font) ? BOLD : 1);
}
