/**
 * Distinct sources of a few keys (the ranked ports or countries) over a period: their
 * daily sketches merged. A /16 day's sketches of a large key are HyperLogLogs of 12 KB,
 * so a quarter of 250 countries is ~90 MB to read. Each whole calendar month's merge is
 * kept in month_sketch, with the sensor's packet total of the month beside it: made
 * after each ingest for the keys the views rank (warm-months.ts), else the first time a
 * query needs it; while that total is unchanged (no file has added to the
 * month since), later periods that cover the month read one sketch per key instead of
 * ~30. The days around the whole months are read from the daily rows as before.
 * Several sensors chosen together are read from the daily rows only.
 */
import 'server-only';
import { SourceSketch } from '@/ingest/aggregate/source-sketch';
import { monthOf, monthsOf, type Period, splitByMonth } from '@/lib/api/period';
import { keepRows } from './cache-write';
import { bytes, num, Prisma, rows, type SensorScope } from './db';
import { SketchMerger } from './sketch';

export interface SketchSource {
  /** The daily table and slice the keys come from (month_sketch.kind), e.g. 'port'. */
  kind: string;
  /** The daily sketch rows of `keys` over `period` in the scope's sensors. */
  read(period: Period, keys: string[]): Promise<{ key: string; sketch: unknown }[]>;
}

const INSERT = 'INSERT INTO month_sketch (kind, sensor_id, month, "key", total, sketch)';
const ON_CONFLICT = `ON CONFLICT (kind, sensor_id, month, "key")
  DO UPDATE SET total = excluded.total, sketch = excluded.sketch`;

/** Packets of each month (of `months`) in daily_total for one sensor. */
export async function monthTotals(
  sensorId: number,
  months: string[],
): Promise<Map<string, number>> {
  const from = `${months[0]}-01`;
  const to = monthOf(`${months[months.length - 1]}-01`).to;
  const rs = await rows<{ month: string; total: unknown }>(Prisma.sql`
    SELECT substr(day, 1, 7) AS month, SUM(packets) AS total FROM daily_total
    WHERE sensor_id = ${sensorId} AND day >= ${from} AND day <= ${to}
    GROUP BY substr(day, 1, 7)`);
  return new Map(rs.map((r) => [r.month, num(r.total)]));
}

/** Keeps month sketches (see cache-write.ts: a failed write only costs time). */
function keep(
  kind: string,
  sensorId: number,
  month: string,
  total: number,
  sketches: [key: string, sketch: SourceSketch][],
): Promise<boolean> {
  return keepRows(
    INSERT,
    ON_CONFLICT,
    sketches.map(([key, s]) => [kind, sensorId, month, key, total, Buffer.from(s.serialize())]),
  );
}

/** Distinct sources of each key over the period (0 for a key without rows). */
export async function periodSources(
  src: SketchSource,
  period: Period,
  scope: SensorScope,
  keys: string[],
): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const merger = new SketchMerger<string>();
  const readDays = async (p: Period) => {
    for (const r of await src.read(p, keys)) merger.add(r.key, r.sketch);
  };
  const { months, days } = splitByMonth(period);
  const sensorId = scope.ids.length === 1 ? scope.ids[0]! : null;
  if (months === null || sensorId === null) {
    await readDays(period);
  } else {
    const list = monthsOf(months);
    const totals = await monthTotals(sensorId, list);
    const kept = await rows<{ month: string; key: string; total: unknown; sketch: unknown }>(
      Prisma.sql`
        SELECT month, "key" AS key, total, sketch FROM month_sketch
        WHERE kind = ${src.kind} AND sensor_id = ${sensorId}
          AND month IN (${Prisma.join(list)}) AND "key" IN (${Prisma.join(keys)})`,
    );
    const have = new Set<string>();
    for (const r of kept) {
      if (num(r.total) !== (totals.get(r.month) ?? 0)) continue;
      have.add(`${r.month}\u0000${r.key}`);
      merger.add(r.key, r.sketch);
    }
    for (const month of list) {
      const missing = keys.filter((k) => !have.has(`${month}\u0000${k}`));
      if (missing.length === 0) continue;
      const made = new Map(missing.map((k) => [k, new SourceSketch()]));
      for (const r of await src.read(monthOf(`${month}-01`), missing)) {
        made.get(r.key)?.mergeSerialized(bytes(r.sketch));
      }
      // Kept before merging: the merger may take a made sketch as the key's running merge.
      await keep(src.kind, sensorId, month, totals.get(month) ?? 0, [...made]);
      for (const [k, s] of made) merger.addSketch(k, s);
    }
    for (const d of days) await readDays(d);
  }
  return new Map(keys.map((k) => [k, merger.estimate(k)]));
}
