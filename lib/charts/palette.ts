/** Restrained categorical colours (readable on white, distinct in print). */
export const PALETTE = [
  '#2f6fde',
  '#e0792b',
  '#2a9d74',
  '#8a5cd6',
  '#d1495b',
  '#1f9bb5',
  '#b8920f',
  '#c2569d',
  '#5c6f82',
  '#6c9a1f',
];

export const MUTED = '#9aa5b1';
export const ACCENT = '#2f6fde';
export const AXIS = '#5b6570';
export const GRID_LINE = '#e6eaee';
export const TEXT = '#1b1f24';

/** Series that stand for "everything else" are grey, whatever their index. */
const GREY_NAMES = new Set(['other', 'rest of world', 'previous period']);

export function seriesColor(name: string, index: number): string {
  if (GREY_NAMES.has(name)) return MUTED;
  return PALETTE[index % PALETTE.length]!;
}

/** Sequential blues for the choropleth, light to dark. */
export const SEQUENTIAL = [
  '#e3edf9',
  '#c3d8f2',
  '#98bce8',
  '#6a9cdb',
  '#4079c9',
  '#2458a8',
  '#143a78',
];
export const NO_DATA = '#eef0f2';
