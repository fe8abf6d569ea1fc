/**
 * Column values from any driver in one shape: SQLite (Prisma's adapter or better-sqlite3
 * directly) and PostgreSQL return counters as number, bigint or numeric text, timestamps
 * as Date, ISO text or epoch ms, and bytes as Buffer, Uint8Array or ArrayBuffer. Shared by
 * the view queries (lib/queries) and the anomaly loaders (lib/anomalies), which also run
 * outside Next.js.
 */

/** A counter from any driver (number, bigint, Decimal, numeric string, null) as a number. */
export function num(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return Number(String(v));
}

/** A timestamp from any driver (Date, ISO text, epoch ms) as ISO 8601 UTC text. */
export function isoTime(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number' || typeof v === 'bigint') return new Date(Number(v)).toISOString();
  const d = new Date(String(v));
  return Number.isNaN(d.getTime()) ? String(v) : d.toISOString();
}

/** Bytes from any driver as a Uint8Array. */
export function bytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (Array.isArray(v)) return Uint8Array.from(v as number[]);
  throw new Error('expected a byte column');
}
