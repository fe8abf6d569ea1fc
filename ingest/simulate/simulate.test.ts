/**
 * The generator end to end at the `test` scale: determinism, valid captures (tshark),
 * addresses that enrichment maps back to the intended countries and ASes, and every
 * finding of SCENARIO.md in the generated files.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGeoDb } from '../enrich/geo-db';
import { AddressPools } from './address-pool';
import { listCaptureFiles, readCaptureFile } from './capture-reader';
import { aggregateCaptures, evaluateFindings, formatFindings } from './check-scenario';
import { dayNumber } from './days';
import { expectedAggregates, portKey, rank } from './expected';
import { ipv4FromString } from './scales';
import { compileFull, scenarioByName } from './scenarios';
import { simulate } from './simulate-command';
import { hasTshark, tshark } from './test-tools';

const geo = loadGeoDb();
const root = mkdtempSync(path.join(tmpdir(), 'scanline-sim-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function digest(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of listCaptureFiles(dir)) {
    out.set(path.relative(dir, f), createHash('sha256').update(readFileSync(f)).digest('hex'));
  }
  return out;
}

const short = {
  scenario: '2020-q3',
  scale: 'test',
  from: '2020-08-26',
  to: '2020-08-28',
  geo,
} as const;

describe('simulate: files and determinism', () => {
  beforeAll(async () => {
    await simulate({ ...short, outDir: path.join(root, 'a') });
    await simulate({ ...short, outDir: path.join(root, 'b') });
    await simulate({ ...short, outDir: path.join(root, 'c'), seed: 7 });
    await simulate({ ...short, outDir: path.join(root, 'hour'), per: 'hour' });
    await simulate({ ...short, outDir: path.join(root, 'ng'), format: 'pcapng', resolution: 'ns' });
  });

  it('writes one file per sensor per day in a folder per sensor, then scenario.json and .complete', () => {
    const a = path.join(root, 'a');
    expect(readdirSync(a).sort()).toEqual(['.complete', 'scenario.json', 'sin1', 'tyo1']);
    expect(readdirSync(path.join(a, 'tyo1'))).toEqual([
      'tyo1-20200826.pcap',
      'tyo1-20200827.pcap',
      'tyo1-20200828.pcap',
    ]);
    const manifest = JSON.parse(readFileSync(path.join(a, 'scenario.json'), 'utf8'));
    expect(manifest.sensors.map((s: { prefix: string }) => s.prefix)).toEqual([
      '192.0.2.16/29',
      '203.0.113.32/29',
    ]);
    expect(manifest.params).toMatchObject({
      scenario: '2020-q3',
      scale: 'test',
      seed: 20200930,
      from: '2020-08-26',
    });
    expect(JSON.parse(readFileSync(path.join(a, '.complete'), 'utf8'))).toEqual(manifest.params);
    expect(readdirSync(path.join(root, 'hour', 'tyo1'))).toHaveLength(72);
    expect(readdirSync(path.join(root, 'ng', 'sin1'))[0]).toBe('sin1-20200826.pcapng');
  });

  it('is byte-identical for the same seed and arguments, different for another seed', () => {
    const a = digest(path.join(root, 'a'));
    expect(a.size).toBe(6);
    expect(digest(path.join(root, 'b'))).toEqual(a);
    const c = digest(path.join(root, 'c'));
    for (const [k, v] of a) expect(c.get(k)).not.toBe(v);
  });

  it('writes the same packets whatever the file layout or format', () => {
    const fingerprint = (dir: string): string[] => {
      const out: string[] = [];
      for (const f of listCaptureFiles(dir)) {
        readCaptureFile(f, (p) => {
          out.push(
            `${path.basename(path.dirname(f))} ${p.tsSec}.${Math.floor(p.tsNsec / 1000)} ${p.src} ${p.dst} ${p.proto} ${p.dstPort} ${p.seq}`,
          );
        });
      }
      return out;
    };
    const day = fingerprint(path.join(root, 'a'));
    expect(fingerprint(path.join(root, 'hour'))).toEqual(day);
    expect(fingerprint(path.join(root, 'ng'))).toEqual(day);
  });

  it('produces the same day whether generated alone or within a longer run', async () => {
    await simulate({
      ...short,
      from: '2020-08-27',
      to: '2020-08-27',
      outDir: path.join(root, 'one'),
    });
    const one = digest(path.join(root, 'one'));
    const a = digest(path.join(root, 'a'));
    for (const [k, v] of one) expect(a.get(k)).toBe(v);
  });

  it('reuses a complete directory with the same parameters', async () => {
    const s = await simulate({ ...short, outDir: path.join(root, 'a'), reuse: true });
    expect(s.reused).toBe(true);
  });

  it.skipIf(!hasTshark())(
    'writes captures tshark reads, with valid IP/TCP/UDP/ICMP checksums',
    () => {
      const files = [
        ...listCaptureFiles(path.join(root, 'a')).slice(0, 2),
        listCaptureFiles(path.join(root, 'ng'))[0]!,
      ];
      expect(tshark(['-r', files[0]!, '-c', '5']).trim().split('\n')).toHaveLength(5);
      for (const f of files) {
        const fields = [
          'ip.checksum.status',
          'tcp.checksum.status',
          'udp.checksum.status',
          'icmp.checksum.status',
        ];
        const out = tshark([
          '-r',
          f,
          '-o',
          'ip.check_checksum:TRUE',
          '-o',
          'tcp.check_checksum:TRUE',
          '-o',
          'udp.check_checksum:TRUE',
          '-T',
          'fields',
          ...fields.flatMap((x) => ['-e', x]),
          '-e',
          '_ws.expert.severity',
        ]);
        const lines = out.replace(/\n$/, '').split('\n');
        let n = 0;
        readCaptureFile(f, () => n++);
        expect(lines).toHaveLength(n);
        for (const line of lines) {
          // status 1 = good, 0 = bad; ICMP errors quote an inner IP header (a second value).
          const [ip, tcp, udp, icmp] = line
            .split('\t')
            .concat(['', '', '', ''])
            .map((c) => c.split(',').filter((x) => x !== ''));
          expect(ip![0], line).toBe('1');
          const transport = [...tcp!, ...udp!, ...icmp!];
          expect(transport[0], line).toBe('1');
          expect([...ip!, ...transport], line).not.toContain('0');
        }
      }
    },
  );
});

describe('simulate: addresses', () => {
  it('draws addresses that map back to the intended country and AS', () => {
    const pools = new AddressPools(geo, 99);
    const cases: Array<[string, string, number[] | undefined]> = [
      ['ru', 'RU', undefined],
      ['jp', 'JP', undefined],
      ['nz', 'NZ', undefined],
      ['de-hetzner', 'DE', [24940]],
      ['nl-hosting', 'NL', [202425, 49981, 50673]],
    ];
    for (const [pool, cc, asns] of cases) {
      pools.register(pool, cc, asns);
      for (let i = 0; i < 300; i++) {
        const ip = pools.address(pool, i);
        expect(geo.country4(ip)).toBe(cc);
        if (asns) expect(asns).toContain(geo.asn4(ip));
        else expect(geo.asn4(ip)).toBeGreaterThan(0);
        expect(pools.address(pool, i)).toBe(ip);
      }
    }
  });

  it('puts the New Zealand victims in the exchange and bank ASes', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'a', 'scenario.json'), 'utf8'));
    const byPool = new Map<
      string,
      { asns: Array<{ asn: number; org: string }>; addresses: string[] }
    >(manifest.namedHosts.map((h: { pool: string }) => [h.pool, h]));
    const nzx = byPool.get('nz-exchange/NZ')!;
    const bank = byPool.get('nz-bank/NZ')!;
    expect(nzx.asns).toEqual([{ asn: 137052, org: 'NZX Limited' }]);
    expect(bank.asns[0]!.org).toMatch(/ANZ BANK NEW ZEALAND/);
    expect(nzx.addresses).toHaveLength(4);
    expect(bank.addresses).toHaveLength(7);
    for (const a of nzx.addresses) {
      expect(geo.asn4(ipv4FromString(a))).toBe(137052);
      expect(geo.country4(ipv4FromString(a))).toBe('NZ');
    }
    for (const a of bank.addresses) {
      expect(geo.asn4(ipv4FromString(a))).toBe(139656);
      expect(geo.country4(ipv4FromString(a))).toBe('NZ');
    }
  });
});

describe('scenario 2020-q3', () => {
  it('has comfortable margins between the ranked ports and countries (expected values)', () => {
    const c = compileFull(scenarioByName('2020-q3'));
    const e = expectedAggregates(c);
    const q2: [number, number] = [0, dayNumber('2020-06-30') - c.startDay];
    const q3: [number, number] = [q2[1] + 1, c.days - 1];
    const label = (k: number) => `${k >>> 16}/${k & 0xffff}`;
    const check = <K>(r: Array<[K, number]>, n: number) => {
      for (let i = 0; i < n; i++) expect(r[i]![1] / r[i + 1]![1]).toBeGreaterThan(1.1);
    };
    const p2 = rank(e.port, ...q2);
    const p3 = rank(e.port, ...q3);
    expect(p2.slice(0, 5).map(([k]) => label(k))).toEqual([
      '6/23',
      '6/445',
      '6/1433',
      '6/80',
      '6/22',
    ]);
    expect(p3.slice(0, 5).map(([k]) => label(k))).toEqual([
      '6/445',
      '6/23',
      '6/1433',
      '6/22',
      '6/80',
    ]);
    check(p2, 5);
    check(p3, 5);
    const c2 = rank(e.country, ...q2);
    const c3 = rank(e.country, ...q3);
    expect(c2.slice(0, 9).map(([k]) => k)).toEqual([
      'RU',
      'US',
      'NL',
      'CN',
      'KR',
      'BR',
      'IN',
      'VN',
      'DE',
    ]);
    expect(c3.slice(0, 5).map(([k]) => k)).toEqual(['US', 'RU', 'CN', 'NL', 'DE']);
    check(c2, 3);
    expect(c2[7]![1] / c2[8]![1]).toBeGreaterThan(1.1);
    expect(c2[8]![1] / c2[9]![1]).toBeGreaterThan(1.1);
    check(c3, 5);
    expect(e.port.get(portKey(6, 445))).toBeDefined();
  });

  it('shows every SCENARIO.md finding in the test-scale captures', async () => {
    const dir = path.join(root, 'full');
    await simulate({ scenario: '2020-q3', scale: 'test', outDir: dir, geo });
    const agg = aggregateCaptures(dir, geo);
    const findings = evaluateFindings(agg);
    const report = formatFindings(agg, findings);
    for (const f of findings) expect(f.ok, `${f.id}\n${report}`).toBe(true);
    expect(findings.map((f) => f.id)).toEqual([
      'ports',
      'rising',
      'countries',
      'country-ports',
      'japan-445',
      'window-8192',
      'nz-backscatter',
    ]);
  });
});
