/**
 * `scanline ingest --watch` on a spool the sensor writes its capture into in place, as
 * tcpdump does without a rename: the file is created empty, then grows by the 4 KB its
 * buffered writer flushes at a time, and a quiet sensor pauses longer than the settle time
 * with the file ending inside a record. The watcher takes it at each pause (its packets so
 * far), then the rest as it grows: on a real SQLite file and a real PostgreSQL server,
 * the database ends as one run over the finished file, and a stop signal exits 0 (a file
 * still being written is not damage). The capture is tcpdump's (lo-bulk, a real-tools
 * fixture).
 */
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { getPrisma } from '../../lib/db/prisma';
import { expectCountedOnce } from '../../tests/support/counted-once';
import { ENGINES, freshDbsFor } from '../../tests/support/db';
import { dumpAggregates } from '../../tests/support/dump';
import { finished, ingestJson, startScanline } from '../../tests/support/scanline-cli';
import { until } from '../../tests/support/until';

const FIXTURE = fileURLToPath(
  new URL('../../tests/real-tools/fixtures/lo-bulk.pcap.gz', import.meta.url),
);
const FLUSH_BYTES = 4096;
/** Where the writer pauses (in flushes): the file ends inside a record there. */
const PAUSES = [40, 300];
const SETTLE_MS = 300;

const full = gunzipSync(readFileSync(FIXTURE));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'scanline-watch-writer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function ledger(url: string) {
  const rows = await getPrisma(url).ingestedFile.findMany({ orderBy: { id: 'asc' } });
  return rows.map((r) => ({ size: Number(r.size), status: r.status, packets: Number(r.packets) }));
}

/** Waits until the ledger has a row of this size (the watcher took the file as it is). */
function takenAt(url: string, size: number): Promise<void> {
  return until(`the watcher takes the file at ${size} bytes`, async () =>
    (await ledger(url)).some((r) => r.size === size),
  );
}

describe.each(ENGINES)(
  '--watch on a capture written in place, on %s',
  { timeout: 240_000 },
  (engine) => {
    const fresh = freshDbsFor(engine);

    it('taken at each pause, then the rest: counted once, and a stop exits 0', async () => {
      const whole = path.join(tmp, `whole-${engine}.pcap`);
      writeFileSync(whole, full);
      const reference = await fresh();
      const one = await ingestJson(['--db', reference.url, '--sensor', 'east', whole]);
      expect(one, one.stderr).toMatchObject({ code: 0, signal: null });

      const db = await fresh();
      const spool = path.join(tmp, `spool-${engine}`);
      mkdirSync(path.join(spool, 'east'), { recursive: true });
      const watcher = startScanline([
        'ingest',
        '--no-detect',
        '--db',
        db.url,
        '--watch',
        spool,
        '--settle-ms',
        String(SETTLE_MS),
      ]);
      const done = finished(watcher, 180_000, 'ingest --watch');
      const live = path.join(spool, 'east', 'live.pcap');
      // Opened by the sensor, nothing flushed yet: not a capture to take (nor a failure).
      writeFileSync(live, '');
      await sleep(SETTLE_MS * 4);
      // The flushes between two pauses go out in one write: a busy test machine that
      // stalled between two of them for longer than the settle time would let the
      // watcher take the file at a size the ledger check below does not expect.
      let at = 0;
      for (const flushes of [...PAUSES, Number.POSITIVE_INFINITY]) {
        const until = Math.min(full.length, flushes * FLUSH_BYTES);
        appendFileSync(live, full.subarray(at, until));
        at = until;
        await takenAt(db.url, until);
      }
      watcher.kill('SIGTERM');
      const run = await done;
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).not.toContain('failed');
      expect(run.stderr).toContain('if the sensor is still writing it');

      const rows = await ledger(db.url);
      expect(rows.map((r) => [r.size, r.status])).toEqual([
        ...PAUSES.map((p) => [p * FLUSH_BYTES, 'partial']),
        [full.length, 'complete'],
      ]);
      expectCountedOnce(await dumpAggregates(db.url), await dumpAggregates(reference.url));
    });
  },
);
