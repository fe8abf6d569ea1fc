import { parseArgs } from 'node:util';
import { databaseUrl } from '../../lib/db/url';
import { loadGeoDb } from '../enrich/geo-db';
import { rereadableSize, statCapture } from '../format/read-capture';
import { collectCommandInputs, type InputFile } from '../pipeline/collect-inputs';
import { BATCH_BYTES, BATCH_FILES, fileBatches } from '../pipeline/file-batches';
import {
  type BatchFile,
  type FileReport,
  failedReport,
  ingestFiles,
} from '../pipeline/ingest-file';
import { defaultWorkers, IngestPool } from '../pipeline/ingest-pool';
import { cacheBytesFor, DEFAULT_BUFFER_BYTES } from '../pipeline/part-writer';
import { watchSpool } from '../pipeline/watch-spool';
import { openStore } from '../store';
import { detectAfterIngest } from './detect-command';
import { formatBytes, formatRate, ProgressBar } from './progress';
import { checkSpoolArgs } from './sensor-args';
import { warmAfterIngest } from './warm-command';
import { watchIngest } from './watch-handler';

const USAGE = `usage: scanline ingest [--sensor NAME] [--prefixes CIDR,...] [--db URL] [--json] [--workers N] [--group N] [--buffer-mb N] <files or dirs>...
       scanline ingest --watch DIR [--sensor NAME] [--settle-ms N] [--exit-after-s N]

After new data, the anomaly detectors run on the days it touched, then the dashboard's
month caches are made (scanline warm); --no-detect skips both.

Reads pcap / pcapng captures (optionally .gz) and adds their daily aggregates to the
database (DATABASE_URL, default: the embedded SQLite file). A directory is read as
DIR/<sensor>/... (directory-per-sensor) unless --sensor names the sensor; - reads
one capture from standard input.
--prefixes CIDR,... (with --sensor) records the blocks the sensor monitors: from then
on only packets to them count ('' clears them).
Each file is all-or-nothing; consecutive files of one sensor are aggregated together
and committed in one transaction (a day's rotated captures write each row once); the
same file again is skipped.
--workers N: files are ingested by N worker threads at once, whole files each
(default: one per core, at most one per file; 1 = in this thread).
--group N: at most N files share a transaction (default 64, and at most 256 MB of
captures; 1 = one transaction per file).
--buffer-mb N: memory for the aggregates waiting for a commit (default 512); a file
that needs more alone is written out in parts inside its own transaction, holding the
commit lock while it is read.`;

export async function runIngest(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      sensor: { type: 'string' },
      prefixes: { type: 'string' },
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
      watch: { type: 'string' },
      'settle-ms': { type: 'string', default: '2000' },
      'exit-after-s': { type: 'string' },
      'no-detect': { type: 'boolean', default: false },
      workers: { type: 'string' },
      group: { type: 'string' },
      'buffer-mb': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || (positionals.length === 0 && !values.watch)) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const checked = checkSpoolArgs(values);
  if ('error' in checked) {
    console.error(`scanline ingest: ${checked.error}`);
    return 2;
  }
  let bufferBytes = DEFAULT_BUFFER_BYTES;
  const bufferMb = values['buffer-mb'];
  if (bufferMb !== undefined) {
    if (!/^[1-9]\d{0,6}$/.test(bufferMb)) {
      console.error(`scanline ingest: --buffer-mb must be a positive integer (got ${bufferMb})`);
      return 2;
    }
    bufferBytes = Number(bufferMb) * 2 ** 20;
  }
  const url = values.db ?? databaseUrl();
  const store = await openStore(url, { cacheBytes: cacheBytesFor(bufferBytes) });
  try {
    const geo = loadGeoDb();
    const sensorIds = new Map<string, number>();
    const sensorId = async (name: string): Promise<number> => {
      let id = sensorIds.get(name);
      if (id === undefined) {
        id = await store.ensureSensor(name, values.sensor === name ? checked.prefixes : undefined);
        sensorIds.set(name, id);
      }
      return id;
    };
    const summary = new Summary(values.json, Boolean(values.watch));

    if (values.watch) {
      await watchSpool({
        dir: values.watch,
        sensor: values.sensor,
        settleMs: Number(values['settle-ms']),
        exitAfterMs: values['exit-after-s'] ? Number(values['exit-after-s']) * 1000 : undefined,
        onFiles: watchIngest({
          store,
          geo,
          bufferBytes,
          sensorId,
          log: (report) => summary.log(report),
        }),
      });
      return summary.finish();
    }

    let inputs: InputFile[];
    try {
      inputs = await collectCommandInputs(positionals, values.sensor);
    } catch (err) {
      console.error(`scanline ingest: ${(err as Error).message}`);
      return 2;
    }
    let workers: number;
    if (values.workers === undefined) workers = defaultWorkers(inputs.length);
    else if (/^[1-9]\d{0,3}$/.test(values.workers)) workers = Number(values.workers);
    else {
      console.error(
        `scanline ingest: --workers must be a positive integer (got ${values.workers})`,
      );
      return 2;
    }
    const stats = await Promise.all(inputs.map((f) => statCapture(f.path)));
    const sizes = stats.map((s) => s.size);
    const streamed = inputs.some((f, i) => rereadableSize(f.path, stats[i]!) === null);
    const bar = new ProgressBar(streamed ? null : sizes.reduce((a, b) => a + b, 0));
    let group = BATCH_FILES;
    if (values.group !== undefined) {
      if (!/^[1-9]\d{0,5}$/.test(values.group)) {
        console.error(`scanline ingest: --group must be a positive integer (got ${values.group})`);
        return 2;
      }
      group = Number(values.group);
    }
    // Sensors are created here, once, before any commit (or thread) writes into them.
    for (const input of inputs) await sensorId(input.sensor);
    const batches = fileBatches(sizes, BATCH_BYTES, group).map(([start, end]) =>
      inputs.slice(start, end).map((input, k) => ({
        ...input,
        sensorId: sensorIds.get(input.sensor)!,
        size: sizes[start + k]!,
      })),
    );
    if (workers > 1 && batches.length > 1) {
      await ingestInThreads(url, workers, bufferBytes, inputs.length, batches, bar, summary);
    } else {
      let before = 0;
      let done = 0;
      for (const files of batches) {
        done += files.length;
        let reports: FileReport[];
        try {
          reports = await ingestFiles(store, geo, files, {
            bufferBytes,
            onProgress: (bytes, packets) =>
              bar.update(before + bytes, summary.packets + packets, `${done}/${inputs.length}`),
          });
        } catch (err) {
          reports = files.map((f) => failedReport(f, err));
        }
        for (const f of files) before += f.size;
        bar.clear();
        for (const report of reports) summary.log(report);
      }
    }
    if (!values['no-detect'] && summary.counts.stored + summary.counts.partial > 0)
      await runDetectors(url);
    return summary.finish();
  } finally {
    await store.close();
  }
}

/**
 * Ingests the batches (of `fileCount` files in all) on a pool of `workers` threads, one
 * batch of whole files per thread; reports are logged as batches finish (not in input
 * order). The bar sums the bytes and packets of finished batches and of every batch in
 * flight.
 */
async function ingestInThreads(
  url: string,
  workers: number,
  bufferBytes: number,
  fileCount: number,
  batches: Required<BatchFile>[][],
  bar: ProgressBar,
  summary: Summary,
): Promise<void> {
  const pool = new IngestPool({ url, size: Math.min(workers, batches.length), bufferBytes });
  const inFlight = new Map<number, { bytes: number; packets: number }>();
  let doneBytes = 0;
  let doneFiles = 0;
  const draw = () => {
    let bytes = doneBytes;
    let packets = summary.packets;
    for (const f of inFlight.values()) {
      bytes += f.bytes;
      packets += f.packets;
    }
    bar.update(bytes, packets, `${doneFiles}/${fileCount} (${inFlight.size} running)`);
  };
  try {
    await Promise.all(
      batches.map(async (files, b) => {
        let reports: FileReport[];
        try {
          reports = await pool.run(files, (bytes, packets) => {
            inFlight.set(b, { bytes, packets });
            draw();
          });
        } catch (err) {
          reports = files.map((f) => failedReport(f, err));
        }
        inFlight.delete(b);
        for (const f of files) doneBytes += f.size;
        doneFiles += files.length;
        bar.clear();
        for (const report of reports) summary.log(report);
      }),
    );
  } finally {
    await pool.close();
  }
}

async function runDetectors(url: string): Promise<void> {
  const started = performance.now();
  const found = await detectAfterIngest(url);
  console.log(
    `anomaly detection: ${found} anomalies in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  // A cache: the views make what is missing themselves, so a failure here fails nothing.
  try {
    const warm = await warmAfterIngest(url);
    console.log(`month caches: ${warm.months} months in ${warm.seconds.toFixed(1)} s`);
  } catch (err) {
    console.error(`month caches not made: ${(err as Error).message}`);
  }
}

export class Summary {
  files = 0;
  packets = 0;
  bytes = 0;
  /** IP packets left out: outside their sensor's prefixes. */
  outside = 0;
  readonly counts = { stored: 0, partial: 0, duplicate: 0, failed: 0 };
  /** Partial files that only end early (see FileReport.cutShort). */
  private cutShort = 0;
  private readonly started = performance.now();

  /**
   * `watching`: files are taken from a spool (`--watch`, the queue's workers), where a
   * file that ends early is most likely one the sensor was still writing when it paused
   * for longer than the settle time. Its packets so far are stored, the rest is counted
   * once it has grown, so it does not make the exit code non-zero; damage does.
   */
  constructor(
    private readonly json: boolean,
    private readonly watching = false,
  ) {}

  log(r: FileReport): void {
    this.files++;
    this.packets += r.packets;
    this.bytes += r.bytes;
    this.outside += r.outside ?? 0;
    this.counts[r.outcome]++;
    if (r.outcome === 'partial' && r.cutShort) this.cutShort++;
    if (this.json) {
      console.log(
        JSON.stringify({
          file: r.path,
          sensor: r.sensor,
          outcome: r.outcome,
          packets: r.packets,
          error: r.error,
          ...(r.parts === undefined ? {} : { parts: r.parts }),
          ...(r.outside === undefined ? {} : { outside: r.outside }),
        }),
      );
    } else {
      const line = `${r.outcome.padEnd(9)} ${r.message}`;
      if (r.outcome === 'failed' || r.outcome === 'partial') console.error(line);
      else console.log(line);
    }
  }

  finish(): number {
    const secs = (performance.now() - this.started) / 1000;
    const c = this.counts;
    const line = `${this.files} files (${c.stored} stored, ${c.partial} partial, ${c.duplicate} already ingested, ${c.failed} failed), ${this.packets} packets, ${formatBytes(this.bytes)} in ${secs.toFixed(1)} s (${formatRate(this.packets / Math.max(secs, 1e-3))} packets/s)${this.outside > 0 ? `; ${this.outside} packets outside the sensors' prefixes not counted` : ''}`;
    if (this.json)
      console.log(
        JSON.stringify({
          summary: {
            ...c,
            files: this.files,
            packets: this.packets,
            ...(this.outside > 0 ? { outside: this.outside } : {}),
            seconds: secs,
          },
        }),
      );
    else console.log(line);
    const damaged = this.watching ? c.partial - this.cutShort : c.partial;
    return c.failed > 0 || damaged > 0 ? 1 : 0;
  }
}
