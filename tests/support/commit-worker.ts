/**
 * A separate process committing synthetic files, for concurrency and crash tests:
 *
 *   node --import tsx tests/support/commit-worker.ts <url> <sensor> <file>...
 *
 * Each <file> is `<sha256>:<seed>:<packets>`; its packets come from synthPackets(seed,
 * packets) (same day), so a test can rebuild the same aggregates in-process. Prints one
 * JSON line per file: {"sha256": ..., "result": "stored" | "duplicate"}.
 * SCANLINE_TEST_CRASH_AFTER_ROWS makes the store kill this process mid-commit.
 * SCANLINE_TEST_START_AT (epoch ms): the inputs are built first, then the commits wait
 * for that instant, so that two workers really commit at the same time.
 * SCANLINE_TEST_BULK_DERIVED_MIN: the store's bulkDerivedMin (SQLite).
 */
import { openStore } from '../../ingest/store';
import { aggregatePackets, ledgerEntryFor, synthPackets } from './aggregates';

export interface WorkerFile {
  sha256: string;
  seed: number;
  packets: number;
}

export function fileArg(f: WorkerFile): string {
  return `${f.sha256}:${f.seed}:${f.packets}`;
}

export function fileInput(f: WorkerFile) {
  const packets = synthPackets(f.seed, f.packets, { sources: 300 });
  return { entry: ledgerEntryFor(f.sha256, packets), aggregates: aggregatePackets(packets) };
}

async function main(): Promise<void> {
  const [url, sensor, ...files] = process.argv.slice(2);
  if (!url || !sensor)
    throw new Error('usage: commit-worker.ts <url> <sensor> <sha:seed:packets>...');
  const inputs = files.map((arg) => {
    const [sha256 = '', seed = '0', packets = '0'] = arg.split(':');
    return { sha256, ...fileInput({ sha256, seed: Number(seed), packets: Number(packets) }) };
  });
  const bulk = process.env.SCANLINE_TEST_BULK_DERIVED_MIN;
  const store = await openStore(url, bulk ? { bulkDerivedMin: Number(bulk) } : {});
  try {
    const sensorId = await store.ensureSensor(sensor);
    const startAt = Number(process.env.SCANLINE_TEST_START_AT ?? 0);
    if (startAt > Date.now()) await new Promise((r) => setTimeout(r, startAt - Date.now()));
    for (const { sha256, entry, aggregates } of inputs) {
      const result = await store.commitFile(entry, sensorId, aggregates);
      console.log(JSON.stringify({ sha256, result, at: Date.now() }));
    }
  } finally {
    await store.close();
  }
}

if (process.argv[1]?.endsWith('commit-worker.ts')) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
