/**
 * Real-tool golden tests: every capture in fixtures/ (made by tcpdump, tshark, nmap,
 * hping3, masscan, zmap, editcap, mergecap, gzip and scapy; see corpus.ts / README.md)
 * is read by `scanline inspect --json` and by tshark, and the counts must be equal.
 * tshark's side is computed here at test time (tshark-counts.ts), not stored.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, type CorpusEntry } from './corpus';
import { countsOf, type InspectRun, pool, runInspect } from './inspect-run';
import {
  type CapinfosReport,
  type Counts,
  capinfos,
  LINKTYPE_ENCAP,
  type TsharkReport,
  tsharkCounts,
} from './tshark-counts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const FIXTURES = join(HERE, 'fixtures');

const TOOLS_PRESENT = ['tshark', 'capinfos'].every(
  (t) => spawnSync(t, ['--version'], { stdio: 'ignore' }).status === 0,
);
// tshark is the judge: without it the comparison cannot run, so it fails (no silent skip).
if (!TOOLS_PRESENT) {
  throw new Error('tests/real-tools needs tshark and capinfos (Debian: apt-get install tshark)');
}
const suite = describe;

/** One file to compare: a corpus file, or the inflated copy of a gzip corpus file. */
interface Case {
  /** Test name. */
  name: string;
  /** Absolute path (for tshark / capinfos). */
  abs: string;
  /** The path given to inspect: relative to the repository root, as a user would type it. */
  given: string;
  entry: CorpusEntry;
  inflated: boolean;
}

// Created in beforeAll (nothing is written when the suite is skipped).
const INFLATE_DIR = join(tmpdir(), `scanline-real-tools-${process.pid}`);
const CASES: Case[] = CORPUS.flatMap((entry) => {
  const abs = join(FIXTURES, entry.file);
  const own: Case = { name: entry.file, abs, given: relative(ROOT, abs), entry, inflated: false };
  if (!entry.alsoPlain) return [own];
  const plain = join(INFLATE_DIR, entry.file.replace(/\.gz$/, ''));
  return [
    own,
    {
      name: `${entry.file} (inflated)`,
      abs: plain,
      given: plain,
      entry: { ...entry, compression: null },
      inflated: true,
    },
  ];
});

/** One tshark run per file for the whole test file (both suites share it). */
const tsharkRuns = new Map<string, Promise<TsharkReport>>();
function tsharkOf(abs: string): Promise<TsharkReport> {
  let p = tsharkRuns.get(abs);
  if (!p) {
    p = tsharkCounts(abs);
    tsharkRuns.set(abs, p);
  }
  return p;
}

/** How many bytes a (possibly cut) gzip stream decompresses to. */
function decompressedPrefixLength(gz: Buffer): number {
  try {
    return gunzipSync(gz).length;
  } catch {
    return gunzipSync(gz, { finishFlush: 2 /* Z_SYNC_FLUSH */ }).length;
  }
}

suite('inspect --json vs tshark on real-tool captures', () => {
  let good: InspectRun;
  let damaged: InspectRun;
  const tshark = new Map<string, TsharkReport>();
  let caps: Map<string, CapinfosReport>;

  beforeAll(async () => {
    if (!TOOLS_PRESENT)
      throw new Error('tshark and capinfos are required (apt-get install tshark)');
    mkdirSync(INFLATE_DIR, { recursive: true });
    for (const c of CASES.filter((c) => c.inflated)) {
      writeFileSync(c.abs, gunzipSync(readFileSync(join(FIXTURES, c.entry.file))));
    }
    const width = Math.max(2, availableParallelism());
    const [g, d, , ci] = await Promise.all([
      runInspect(CASES.filter((c) => !c.entry.damaged).map((c) => c.given)),
      runInspect(CASES.filter((c) => c.entry.damaged).map((c) => c.given)),
      pool(CASES, width, async (c) => void tshark.set(c.abs, await tsharkOf(c.abs))),
      capinfos(CASES.map((c) => c.abs)),
    ]);
    good = g;
    damaged = d;
    caps = ci;
  });

  afterAll(() => rmSync(INFLATE_DIR, { recursive: true, force: true }));

  it('the fixtures directory holds exactly the files corpus.ts lists', () => {
    const onDisk = readdirSync(FIXTURES)
      .filter((f) => !f.startsWith('.'))
      .sort();
    expect(onDisk).toEqual(CORPUS.map((e) => e.file).sort());
  });

  it('the corpus stays small', () => {
    const total = CORPUS.reduce((s, e) => s + statSync(join(FIXTURES, e.file)).size, 0);
    expect(total).toBeLessThan(3 * 1024 * 1024);
  });

  it('the corpus covers every link type, format, compression and damage kind it must', () => {
    const lts = new Set(CORPUS.flatMap((e) => e.linkTypes ?? []));
    for (const lt of [0, 1, 12, 101, 108, 113, 228, 229, 276]) {
      expect(lts, `link type ${lt}`).toContain(lt);
    }
    const combos = new Set(
      CORPUS.filter((e) => !e.damaged).map((e) => `${e.format}/${e.compression}`),
    );
    for (const c of ['pcap/null', 'pcapng/null', 'pcap/gzip', 'pcapng/gzip'])
      expect(combos).toContain(c);
    expect(CORPUS.some((e) => e.nanosecond)).toBe(true);
    expect(CORPUS.filter((e) => e.damaged).length).toBeGreaterThanOrEqual(8);
  });

  it('inspect of all intact files exits 0 with one line per file', () => {
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
    const expected = CASES.filter((c) => !c.entry.damaged).map((c) => c.given);
    expect([...good.lines.keys()].sort()).toEqual(expected.sort());
  });

  it('inspect of the damaged files exits non-zero and still prints one line per file', () => {
    expect(damaged.code).not.toBe(0);
    expect(damaged.code).not.toBeNull();
    const expected = CASES.filter((c) => c.entry.damaged).map((c) => c.given);
    expect([...damaged.lines.keys()].sort()).toEqual(expected.sort());
  });

  describe.each(CASES.map((c) => [c.name, c] as [string, Case]))('%s', (_name, c) => {
    const entry = c.entry;

    it('is what corpus.ts claims (capinfos)', () => {
      const t = tshark.get(c.abs)!;
      if (entry.damaged) {
        // capinfos refuses damaged files; tshark must report the damage instead
        // (a 0-byte file is the exception: wiretap opens it as an empty ERF file).
        if (statSync(c.abs).size > 0) {
          expect(t.exitCode).not.toBe(0);
          expect(t.error).toBeTruthy();
        }
        return;
      }
      const ci = caps.get(c.abs);
      expect(ci, 'capinfos could not read the file').toBeDefined();
      expect(ci!.format).toBe(entry.format);
      expect(ci!.compression).toBe(entry.compression);
      expect(ci!.nanosecond).toBe(entry.nanosecond ?? false);
      const encaps = [...new Set((entry.linkTypes ?? []).map((lt) => LINKTYPE_ENCAP[lt]))].sort();
      expect(ci!.encaps).toEqual(encaps);
      expect(ci!.packets).toBe(t.packets);
    });

    it('inspect --json equals tshark', () => {
      const t = tshark.get(c.abs)!;
      const ours = (entry.damaged ? damaged : good).lines.get(c.given);
      expect(ours, 'no inspect line for this file').toBeDefined();
      const o = ours!;
      expect(o.file).toBe(c.given);
      if (entry.format !== undefined) expect(o.format).toBe(entry.format);
      if (entry.compression !== undefined) expect(o.compression).toBe(entry.compression);
      // Order is not part of the contract (inspect lists interfaces in file order).
      if (entry.linkTypes !== undefined) {
        expect([...o.linkTypes].sort((a, b) => a - b)).toEqual(entry.linkTypes);
      }

      if (!entry.damaged) {
        expect(t.exitCode, `tshark failed: ${t.error}`).toBe(0);
        expect(o.error).toBeNull();
        expect(o.ok).toBe(true);
      } else {
        expect(o.ok).toBe(false);
        expect(o.error).not.toBeNull();
        const err = o.error!;
        expect(typeof err.message).toBe('string');
        expect(err.message.length).toBeGreaterThan(0);
        expect(Number.isInteger(err.record)).toBe(true);
        expect(Number.isInteger(err.offset)).toBe(true);
        // The failing record is the one after those read (or 0 for a bad file header).
        expect(err.record === o.packets + 1 || (o.packets === 0 && err.record === 0)).toBe(true);
        const raw = readFileSync(c.abs);
        const size = entry.compression === 'gzip' ? decompressedPrefixLength(raw) : raw.length;
        expect(err.offset).toBeGreaterThanOrEqual(0);
        expect(err.offset).toBeLessThanOrEqual(size);
        if (entry.format === 'pcap' && entry.compression === null && t.packets > 0) {
          // pcap: the failing record's header starts right after the records tshark read
          // (walked through the file: tshark's lengths leave out pseudo-headers such as ERF's).
          expect(err.offset, 'offset of the damaged record header').toBe(
            pcapRecordOffset(raw, t.packets),
          );
        }
      }
      expect(countsOf(o)).toEqual(countsOf(t));
    });
  });
});

// The judge is checked too: hand-counted expectations for synthetic files whose every
// packet is known (synth.py), so a regression in tshark-counts.ts cannot hide.
suite('tshark-counts.ts on hand-counted synthetic captures', () => {
  const fixture = (f: string) => tsharkOf(join(FIXTURES, f));
  const day = (d: Partial<Counts['days'][string]>) => ({
    packets: 0,
    sources: 0,
    ports: {},
    tcpFlags: { syn: 0, synAck: 0, rst: 0 },
    tcpWindows: {},
    ...d,
  });
  const one = { packets: 1, sources: 1 };

  it('tunnels: outer header only (IP-in-IP, 6in4, GRE, 4in6 carry no ports)', async () => {
    const t = await fixture('tunnels.pcap');
    expect(t.days).toEqual({
      '2024-03-09': day({
        packets: 5,
        sources: 5,
        ports: { 'tcp/8443': one },
        tcpFlags: { syn: 1, synAck: 0, rst: 0 },
        tcpWindows: { '4096': 1 },
      }),
    });
  });

  it('icmp-errors: quoted TCP/UDP headers are not counted', async () => {
    const t = await fixture('icmp-errors.pcap');
    expect(t.packets).toBe(8);
    expect(t.days).toEqual({ '2024-03-09': day({ packets: 8, sources: 8 }) });
  });

  it('ipv6-extension-headers: ports behind extension headers and first fragments only', async () => {
    const t = await fixture('ipv6-extension-headers.pcap');
    expect(t.days).toEqual({
      '2024-03-09': day({
        packets: 10,
        sources: 9,
        ports: {
          'tcp/22': one,
          'tcp/3389': one,
          'tcp/443': one,
          'tcp/445': one,
          'tcp/80': one,
          'udp/500': one,
          'udp/53': one,
        },
        tcpFlags: { syn: 4, synAck: 1, rst: 0 },
        tcpWindows: { '1024': 1, '8192': 3, '65535': 1 },
      }),
    });
  });

  it('ipsec-ah-esp: the transport after AH counts, ESP has none', async () => {
    const t = await fixture('ipsec-ah-esp.pcap');
    expect(t.days).toEqual({
      '2024-03-09': day({
        packets: 4,
        sources: 4,
        ports: { 'tcp/445': one, 'udp/53': one },
        tcpFlags: { syn: 1, synAck: 0, rst: 0 },
        tcpWindows: { '8192': 1 },
      }),
    });
  });

  it('time-edges-nsec: exact nanoseconds and UTC days, out-of-order min/max', async () => {
    const t = await fixture('time-edges-nsec.pcap');
    expect(t.firstRecord).toBe('2024-03-09T23:59:59.999999999Z');
    expect(t.first).toBe('2000-02-28T23:59:59.500000000Z');
    expect(t.last).toBe('2106-02-07T06:28:15.123456789Z');
    expect(Object.fromEntries(Object.entries(t.days).map(([d, c]) => [d, c.packets]))).toEqual({
      '2000-02-28': 1,
      '2000-03-01': 1,
      '2020-02-29': 1,
      '2024-03-09': 2,
      '2024-03-10': 2,
      '2038-01-19': 2,
      '2106-02-07': 1,
    });
  });

  it('pcapng-negative-tsoffset: before the epoch, -2.5 printed by tshark is -2 s + 0.5 s', async () => {
    const t = await fixture('pcapng-negative-tsoffset.pcapng');
    expect(t.first).toBe('1969-12-31T23:59:58.000004000Z');
    expect(t.last).toBe('1970-01-01T00:00:00.000000000Z');
    expect(Object.fromEntries(Object.entries(t.days).map(([d, c]) => [d, c.packets]))).toEqual({
      '1969-12-31': 3,
      '1970-01-01': 1,
    });
  });

  it('pcap-usec-overflow: an unnormalised fraction is carried into the seconds', async () => {
    const t = await fixture('pcap-usec-overflow.pcap');
    expect(t.first).toBe('2024-03-09T12:00:01.500000000Z');
    expect(t.last).toBe('2024-03-10T00:00:01.000000000Z');
  });
});

/** Byte offset of record `n + 1` of a classic pcap file (standard magics only). */
function pcapRecordOffset(file: Buffer, n: number): number {
  const magic = file.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && file.readUInt32BE(0) !== 0xa1b2c3d4 && file.readUInt32BE(0) !== 0xa1b23c4d) {
    throw new Error('pcapRecordOffset: not a standard pcap magic');
  }
  let offset = 24;
  for (let i = 0; i < n; i++) {
    offset += 16 + (le ? file.readUInt32LE(offset + 8) : file.readUInt32BE(offset + 8));
  }
  return offset;
}
