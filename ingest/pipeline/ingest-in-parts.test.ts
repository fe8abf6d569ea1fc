import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPrisma } from '../../lib/db/prisma';
import { ENGINES, freshDbsFor } from '../../tests/support/db';
import { mergedDemoCapture } from '../../tests/support/demo-capture';
import { type Dump, dumpAggregates } from '../../tests/support/dump';
import { ingestLines } from '../../tests/support/scanline-cli';

/** Host fields that add up exactly, whatever the parts. */
const EXACT_HOST_FIELDS = [
  'country',
  'asn',
  'asOrg',
  'packets',
  'bytes',
  'syn',
  'synAck',
  'rst',
  'ack',
  'otherTcp',
  'udp',
  'icmp',
  'scanPackets',
  'backscatterPackets',
  'fingerprints',
  'firstSeen',
  'lastSeen',
  'distinctDsts',
  'dstRegisters',
] as const;

let dir = '';
let capture = '';
let captureGz = '';
let captureCopy = '';

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'scanline-parts-'));
  capture = await mergedDemoCapture(dir, '2020-08-28', '2020-08-31');
  captureGz = path.join(dir, 'capture.pcap.gz');
  writeFileSync(captureGz, gzipSync(readFileSync(capture)));
  captureCopy = path.join(dir, 'capture-copy.pcap');
  copyFileSync(capture, captureCopy);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function withoutHosts(d: Dump): Dump {
  const { host: _host, ...rest } = d;
  return rest;
}

/** Host rows compared on what merges exactly (not the majority votes or the port list). */
function expectSameHosts(parts: Dump, whole: Dump): void {
  const a = (parts.host ?? {}) as Record<string, Record<string, unknown>>;
  const b = (whole.host ?? {}) as Record<string, Record<string, unknown>>;
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const [key, row] of Object.entries(b)) {
    const got = a[key]!;
    for (const f of EXACT_HOST_FIELDS) expect([key, f, got[f]]).toEqual([key, f, row[f]]);
  }
}

async function ledger(url: string) {
  return getPrisma(url).ingestedFile.findMany({
    select: { status: true, packets: true, days: true, sha256: true },
  });
}

describe.each(ENGINES)('a file over the memory budget on %s', { timeout: 300_000 }, (engine) => {
  const fresh = freshDbsFor(engine);
  let whole: Dump;
  let wholeLedger: Awaited<ReturnType<typeof ledger>>;
  let parts: Dump;
  let partsUrl = '';

  it('ingested whole (the default budget) and in parts: the same aggregates', async () => {
    const one = await fresh();
    const run = await ingestLines(['--db', one.url, '--sensor', 'all', capture]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.lines).toEqual([expect.objectContaining({ outcome: 'stored' })]);
    expect(run.lines[0]!.parts).toBeUndefined();
    whole = await dumpAggregates(one.url);
    wholeLedger = await ledger(one.url);
    expect(Object.keys(whole.total ?? {})).toHaveLength(8); // 4 days, sensor and rollup
    expect(Object.keys(whole.host ?? {}).length).toBeGreaterThan(5000);

    const split = await fresh();
    partsUrl = split.url;
    const inParts = await ingestLines([
      '--db',
      split.url,
      '--sensor',
      'all',
      '--buffer-mb',
      '1',
      capture,
    ]);
    expect(inParts.code, inParts.stderr).toBe(0);
    expect(inParts.lines[0]).toMatchObject({ outcome: 'stored', packets: run.lines[0]!.packets });
    expect(inParts.lines[0]!.parts).toBeGreaterThanOrEqual(4);
    parts = await dumpAggregates(split.url);
    expect(withoutHosts(parts)).toEqual(withoutHosts(whole));
    expectSameHosts(parts, whole);
    expect(await ledger(split.url)).toEqual(wholeLedger);
  });

  it('the gzip copy in parts: the same aggregates', async () => {
    const db = await fresh();
    const run = await ingestLines([
      '--db',
      db.url,
      '--sensor',
      'all',
      '--buffer-mb',
      '1',
      captureGz,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.lines[0]!.parts).toBeGreaterThanOrEqual(2);
    const dump = await dumpAggregates(db.url);
    expect(withoutHosts(dump)).toEqual(withoutHosts(whole));
    expectSameHosts(dump, whole);
  });

  it('the same content under another name, in parts: a duplicate, nothing changes', async () => {
    const run = await ingestLines([
      '--db',
      partsUrl,
      '--sensor',
      'all',
      '--buffer-mb',
      '1',
      captureCopy,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.lines).toEqual([expect.objectContaining({ outcome: 'duplicate' })]);
    expect(await dumpAggregates(partsUrl)).toEqual(parts);
    expect(await ledger(partsUrl)).toHaveLength(1);
  });

  it('killed after some parts (SIGKILL): nothing kept; a re-run gives the same database', async () => {
    const db = await fresh();
    const args = ['--db', db.url, '--sensor', 'all', '--buffer-mb', '1', capture];
    // About half of the ~170k rows the parts write.
    const killed = await ingestLines(args, { SCANLINE_TEST_CRASH_AFTER_ROWS: '80000' });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(await ledger(db.url)).toHaveLength(0);
    expect(await getPrisma(db.url).dailyPort.count()).toBe(0);
    expect(await getPrisma(db.url).dailyHost.count()).toBe(0);
    const rerun = await ingestLines(args);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(await dumpAggregates(db.url)).toEqual(parts);
  });
});
