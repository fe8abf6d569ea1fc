/**
 * Orders strings by UTF-16 code unit, as `<` does: the order of SQLite's BINARY
 * collation for ASCII keys, and independent of locale (unlike localeCompare), so
 * sorted output is the same on every machine.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
