/**
 * A map kept on globalThis under `scanline.<name>`: `next dev` reloads modules, and a
 * reloaded module must find the connections its earlier copy opened, not open more.
 */
export function processMap<V>(name: string): Map<string, V> {
  const g = globalThis as unknown as Record<symbol, Map<string, V> | undefined>;
  const key = Symbol.for(`scanline.${name}`);
  g[key] ??= new Map();
  return g[key];
}
