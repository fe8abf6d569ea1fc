/**
 * A capture the sensor is still writing when it is ingested (a watched spool, or a
 * periodic run over the directory), on a real SQLite file and a real PostgreSQL server.
 * The capture is tcpdump's (lo-bulk, a real-tools fixture). Whatever the sensor appends
 * while the file is being read is left for the next ingest: the ledger row describes the
 * bytes the file had when its ingest began, so that the grown file counts only the rest.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPrisma } from '../../lib/db/prisma';
import { expectCountedOnce } from '../../tests/support/counted-once';
import { ENGINES, freshDbsFor } from '../../tests/support/db';
import { type Dump, dumpAggregates } from '../../tests/support/dump';
import { loadGeoDb } from '../enrich/geo-db';
import { openStore } from '../store';
import { type FileReport, ingestFiles } from './ingest-file';

const FIXTURE = path.resolve(__dirname, '../../tests/real-tools/fixtures/lo-bulk.pcap.gz');
/** The reader's chunk is 1 MB: the sensor appends after the first one. */
const FIRST_BYTES = 1_500_000;

let dir = '';
let full = Buffer.alloc(0);

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'scanline-grown-'));
  full = gunzipSync(readFileSync(FIXTURE));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Ingests one file in this process; `onFirstChunk` runs once, after the first chunk read. */
async function ingestOnce(url: string, file: string, onFirstChunk?: () => void) {
  const store = await openStore(url);
  try {
    const sensorId = await store.ensureSensor('east');
    let first = true;
    const [report] = await ingestFiles(
      store,
      loadGeoDb(),
      [{ path: file, sensor: 'east', sensorId }],
      {
        onProgress: () => {
          if (first && onFirstChunk) onFirstChunk();
          first = false;
        },
      },
    );
    return report as FileReport;
  } finally {
    await store.close();
  }
}

describe.each(ENGINES)(
  'a capture that grows while it is read, on %s',
  { timeout: 120_000 },
  (engine) => {
    const fresh = freshDbsFor(engine);
    let once: Dump;
    let allPackets = 0;

    beforeAll(async () => {
      const whole = path.join(dir, `whole-${engine}.pcap`);
      writeFileSync(whole, full);
      const db = await fresh();
      const report = await ingestOnce(db.url, whole);
      expect(report.outcome).toBe('stored');
      allPackets = report.packets;
      once = await dumpAggregates(db.url);
    });

    it('what is appended during the read is counted by the next ingest, not twice', async () => {
      const live = path.join(dir, `live-${engine}.pcap`);
      writeFileSync(live, full.subarray(0, FIRST_BYTES));
      const db = await fresh();
      const early = await ingestOnce(db.url, live, () =>
        appendFileSync(live, full.subarray(FIRST_BYTES)),
      );
      // Cut inside a record at the size the file had: partial, the packets before kept.
      expect(early.outcome).toBe('partial');
      expect(early.error?.offset).toBeLessThanOrEqual(FIRST_BYTES);
      expect(early.packets).toBeGreaterThan(0);
      expect(early.packets).toBeLessThan(allPackets);

      const later = await ingestOnce(db.url, live);
      expect(later.outcome).toBe('stored');
      expect(later.packets).toBe(allPackets - early.packets);
      expectCountedOnce(await dumpAggregates(db.url), once);
      const ledger = await getPrisma(db.url).ingestedFile.findMany({ orderBy: { id: 'asc' } });
      expect(ledger.map((r) => [Number(r.size), r.status, Number(r.packets)])).toEqual([
        [FIRST_BYTES, 'partial', early.packets],
        [full.length, 'complete', allPackets],
      ]);
    });

    it('a compressed capture that grows: the rest is counted, not the whole again', async () => {
      const packed = gzipSync(full);
      const cut = Math.floor(packed.length / 2);
      const live = path.join(dir, `live-${engine}.pcap.gz`);
      writeFileSync(live, packed.subarray(0, cut));
      const db = await fresh();
      const early = await ingestOnce(db.url, live);
      expect(early.outcome).toBe('partial');
      expect(early.packets).toBeGreaterThan(0);
      writeFileSync(live, packed);
      const later = await ingestOnce(db.url, live);
      expect(later.outcome).toBe('stored');
      expect(later.packets).toBe(allPackets - early.packets);
      expectCountedOnce(await dumpAggregates(db.url), once);
    });

    // Two processes on one growing file (overlapping periodic runs, say): the second read
    // it before the first committed its part, and commits after. Whole, or in parts
    // (a 1-byte memory budget).
    it.each([
      ['in one commit', undefined],
      ['in parts', 1],
    ])(
      'read by two processes at once, %s: the later one reads again and counts the rest',
      async (_, bufferBytes) => {
        const live = path.join(dir, `race-${engine}-${bufferBytes ?? 'whole'}.pcap`);
        writeFileSync(live, full.subarray(0, FIRST_BYTES));
        const db = await fresh();
        const early = await ingestOnce(db.url, live);
        expect(early.outcome).toBe('partial');
        appendFileSync(live, full.subarray(FIRST_BYTES));

        const store = await openStore(db.url);
        try {
          // Its first look at the ledger came before the other process's commit.
          let raced = false;
          const racing = Object.assign(Object.create(store) as typeof store, {
            findFileByPath: async (p: string, size?: number) => {
              if (!raced && size === undefined) {
                raced = true;
                return null;
              }
              return store.findFileByPath(p, size);
            },
          });
          const sensorId = await store.ensureSensor('east');
          const [later] = await ingestFiles(
            racing,
            loadGeoDb(),
            [{ path: live, sensor: 'east', sensorId }],
            { bufferBytes },
          );
          expect(raced).toBe(true);
          expect(later?.outcome).toBe('stored');
          expect(later?.packets).toBe(allPackets - early.packets);
          if (bufferBytes !== undefined) expect(later?.parts).toBeGreaterThan(1);
        } finally {
          await store.close();
        }
        expectCountedOnce(await dumpAggregates(db.url), once);
      },
    );
  },
);
