/** Decode + full aggregation of one capture, no database: the ingest's CPU path alone. */
import { FileAggregator } from '../aggregate/file-aggregator';
import { loadGeoDb } from '../enrich/geo-db';
import { readCapture } from '../format/read-capture';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: aggregate-only.ts FILE');
  const geo = loadGeoDb();
  const agg = new FileAggregator(geo);
  const started = performance.now();
  const result = await readCapture(file, (r) => agg.add(r));
  const read = (performance.now() - started) / 1000;
  const rows = agg.finish();
  const total = (performance.now() - started) / 1000;
  console.log(
    JSON.stringify({
      packets: result.packets,
      readAggregateSeconds: read,
      withRowsSeconds: total,
      hosts: rows.hosts.length,
      error: result.error,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
