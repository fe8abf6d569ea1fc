/**
 * `npx tsx bench/sketch-merge-bench.ts [DATABASE_FILE] [--from DAY --to DAY] [--runs N]`:
 * merging stored daily sketches per country the way the queries did before 4f2a69f
 * (deserialize each row, then merge) and the way they do now (`mergeSerialized`: the
 * bytes unpacked into the running sketch), on one file in the same run, checking both
 * give byte-identical sketches. Also prints how long better-sqlite3 takes to read them.
 * Default: the largest dashboard bench file, its first quarter.
 */
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { SourceSketch } from '@/ingest/aggregate/source-sketch';
import { sqlitePath } from '@/lib/db/url';
import { largestBenchDb } from './sql-bench-support';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    from: { type: 'string', default: '2023-01-01' },
    to: { type: 'string', default: '2023-03-31' },
    runs: { type: 'string', default: '3' },
  },
});
const file = positionals[0] ?? sqlitePath(largestBenchDb());
const db = new Database(file, { readonly: true });
let t = performance.now();
const rows = db
  .prepare(
    'SELECT country, sketch FROM daily_country WHERE sensor_id = 0 AND day >= ? AND day <= ?',
  )
  .all(values.from, values.to) as { country: string; sketch: Buffer }[];
const readMs = performance.now() - t;
const mb = rows.reduce((a, r) => a + r.sketch.length, 0) / 1e6;
console.log(
  `${rows.length} daily country sketches, ${mb.toFixed(1)} MB, ${values.from} to ${values.to}: read in ${readMs.toFixed(0)} ms`,
);
for (let run = 0; run < Number(values.runs); run++) {
  t = performance.now();
  const before = new Map<string, SourceSketch>();
  for (const r of rows) {
    const s = SourceSketch.deserialize(r.sketch);
    const cur = before.get(r.country);
    if (cur) cur.merge(s);
    else before.set(r.country, s);
  }
  const beforeMs = performance.now() - t;
  t = performance.now();
  const now = new Map<string, SourceSketch>();
  for (const r of rows) {
    const cur = now.get(r.country);
    if (cur) cur.mergeSerialized(r.sketch);
    else now.set(r.country, SourceSketch.deserialize(r.sketch));
  }
  const nowMs = performance.now() - t;
  const same = [...before].every(([k, s]) =>
    Buffer.from(s.serialize()).equals(Buffer.from(now.get(k)!.serialize())),
  );
  console.log(
    `deserialize + merge ${beforeMs.toFixed(0)} ms, mergeSerialized ${nowMs.toFixed(0)} ms, identical sketches: ${same}`,
  );
}
db.close();
