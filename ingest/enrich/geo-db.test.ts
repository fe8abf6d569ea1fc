import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Reader } from 'maxmind';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GeoDb, loadGeoDb, versionDate } from './geo-db';
import { isSpecialPurpose4 } from './special-ranges';

/** The packages' mmdb records are { country_code }. */
const cc = (rec: unknown): string | undefined =>
  (rec as { country_code?: string } | null)?.country_code;

const req = createRequire(import.meta.url);
const pkgDir = (name: string): string => path.dirname(req.resolve(`${name}/package.json`));

const ip4 = (s: string): number => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);

function ip6(s: string): Uint8Array {
  const [head = '', tail] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = Number.parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 255;
  });
  return out;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const dotted = (n: number): string =>
  `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

let db: GeoDb;
beforeAll(() => {
  db = loadGeoDb();
});

describe('loadGeoDb', () => {
  it('is cached per process and records the datasets', () => {
    expect(loadGeoDb()).toBe(db);
    const names = db.datasets.map((d) => d.name);
    expect(names).toEqual(['@ip-location-db/geo-whois-asn-country', '@ip-location-db/asn']);
    for (const d of db.datasets) {
      const pkg = JSON.parse(readFileSync(path.join(pkgDir(d.name), 'package.json'), 'utf8'));
      expect(d.version).toBe(pkg.version);
      expect(d.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(d.licence).not.toBe('');
      expect(d.attribution).not.toBe('');
    }
    expect(db.datasets[1]!.attribution).toContain('DB-IP');
  });

  it('derives the date from the package version', () => {
    expect(versionDate('2.3.2026061719')).toBe('2026-06-17');
    expect(versionDate('1.0.0')).toBe('');
  });
});

describe('IPv4 lookups (expected values checked against the CSV rows)', () => {
  it.each([
    // address, country, asn, org
    ['1.1.1.1', 'AU', 13335, 'Cloudflare, Inc.'], // APNIC-registered block 1.1.1.0/24
    ['8.8.8.8', 'US', 15169, 'Google LLC'],
    ['9.9.9.9', 'US', 19281, 'Quad9'],
    ['193.0.14.129', 'NL', 25152, 'Reseaux IP Europeens Network Coordination Centre (RIPE NCC)'],
    ['202.12.27.33', 'JP', 7500, 'WIDE Project'],
    ['133.1.1.1', 'JP', 4730, 'Osaka University'],
  ])('%s -> %s AS%i', (addr, cc, asn, org) => {
    expect(db.country4(ip4(addr))).toBe(cc);
    expect(db.asn4(ip4(addr))).toBe(asn);
    expect(db.asOrg(asn)).toBe(org);
  });

  it('unescapes quoted organisation names', () => {
    // CSV: 35309568,35313663,201907,"LLC ""SPUTNIK"""
    expect(db.asn4(35309568)).toBe(201907);
    expect(db.asOrg(201907)).toBe('LLC "SPUTNIK"');
  });

  it('lets a nested (more specific) range win over its container', () => {
    // 37405696-37406207 DE contains 37405967 BE (2.58.197.15)
    expect(db.country4(ip4('2.58.197.15'))).toBe('BE');
    expect(db.country4(ip4('2.58.197.14'))).toBe('DE');
    expect(db.country4(ip4('2.58.197.16'))).toBe('DE');
  });

  it('lets a later row with the same start win, as the mmdb build does', () => {
    // 3517600032,3517600063,MX then 3517600032,3517600079,US: the mmdb answers US.
    expect(db.country4(3517600032)).toBe('US');
    expect(db.country4(3517600079)).toBe('US');
    // 3526958848,3526959103,TW then 3526958848,3526959359,VN: the mmdb answers VN.
    expect(db.country4(3526958848)).toBe('VN');
  });

  it.each([
    '0.0.0.0',
    '10.0.0.1',
    '127.0.0.1',
    '169.254.1.1',
    '172.16.5.5',
    '192.168.1.1',
    '240.0.0.1',
    '255.255.255.255',
  ])('%s (unallocated / private) -> ZZ, 0', (addr) => {
    expect(db.country4(ip4(addr))).toBe('ZZ');
    expect(db.asn4(ip4(addr))).toBe(0);
  });

  it("returns '' for unknown AS numbers", () => {
    expect(db.asOrg(0)).toBe('');
    expect(db.asOrg(4_294_967_295)).toBe('');
  });

  it('agrees with every row of the AS CSV at both ends (except the one overlap)', () => {
    const csv = readFileSync(path.join(pkgDir('@ip-location-db/asn'), 'asn-ipv4-num.csv'), 'utf8');
    const rows = csv
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(',', 3).map(Number) as [number, number, number]);
    let checked = 0;
    for (let i = 0; i < rows.length; i++) {
      const [s, e, asn] = rows[i]!;
      const prevEnd = rows[i - 1]?.[1] ?? -1;
      const nextStart = rows[i + 1]?.[0] ?? 2 ** 32;
      if (s <= prevEnd || e >= nextStart || isSpecialPurpose4(s) || isSpecialPurpose4(e)) continue;
      if (db.asn4(s) !== asn || db.asn4(e) !== asn) {
        throw new Error(`row ${i + 1}: ${s}-${e} AS${asn}, got ${db.asn4(s)} / ${db.asn4(e)}`);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(rows.length - 5);
  });

  it('agrees with maxmind on the mmdb build for 100k random addresses (bar special blocks)', () => {
    const file = path.join(
      pkgDir('@ip-location-db/geo-whois-asn-country-mmdb'),
      'geo-whois-asn-country-ipv4.mmdb',
    );
    const mm = new Reader(readFileSync(file));
    for (const seed of [1, 2]) {
      const next = rng(seed);
      const mismatches: string[] = [];
      for (let i = 0; i < 50_000; i++) {
        const a = next();
        // The data places 172.16/12 and 192.168/16 in AU; we answer ZZ there.
        const want = isSpecialPurpose4(a) ? 'ZZ' : (cc(mm.get(dotted(a))) ?? 'ZZ');
        const got = db.country4(a);
        if (want !== got) mismatches.push(`${dotted(a)}: maxmind ${want}, ours ${got}`);
      }
      expect(mismatches).toEqual([]);
    }
  });
});

describe('IPv6 lookups', () => {
  it.each([
    ['2001:4860:4860::8888', 'US', 15169],
    ['2606:4700:4700::1111', 'US', 13335],
    ['2a00:1450:4001::1', 'IE', 15169],
  ])('%s -> %s AS%i', (addr, cc, asn) => {
    expect(db.country6(ip6(addr))).toBe(cc);
    expect(db.asn6(ip6(addr))).toBe(asn);
  });

  it.each([
    '::',
    '::1',
    'fe80::1',
    'fc00::1',
    'ff02::1',
    'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    // Documentation prefixes, which the packaged data places in JP (2001:db8::/32).
    '2001:db8::1',
    '2001:db8:1::5',
    '3fff::1',
    '100::1',
  ])('%s -> ZZ, 0', (addr) => {
    expect(db.country6(ip6(addr))).toBe('ZZ');
    expect(db.asn6(ip6(addr))).toBe(0);
  });

  it('agrees with maxmind on addresses inside the IPv6 table', () => {
    const file = path.join(
      pkgDir('@ip-location-db/geo-whois-asn-country-mmdb'),
      'geo-whois-asn-country-ipv6.mmdb',
    );
    const mm = new Reader(readFileSync(file));
    const next = rng(9);
    const b = new Uint8Array(16);
    const mismatches: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      // 2000::/4 .. 2fff::/16 region, random low bits
      const w0 = 0x20000000 | (next() & 0x0fffffff);
      const v = new DataView(b.buffer);
      v.setUint32(0, w0);
      v.setUint32(4, next());
      v.setUint32(8, next());
      v.setUint32(12, next());
      const text = Array.from({ length: 8 }, (_, k) => v.getUint16(k * 2).toString(16)).join(':');
      const want = cc(mm.get(text)) ?? 'ZZ';
      const got = db.country6(b);
      if (want !== got) mismatches.push(`${text}: maxmind ${want}, ours ${got}`);
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
  });
});

describe('reverse lookups', () => {
  it('rangesForCountry gives sorted, disjoint ranges that map back to the country', () => {
    const nz = db.rangesForCountry('nz');
    expect(nz.length).toBeGreaterThan(10);
    expect(db.rangesForCountry('NZ')).toBe(nz);
    let prevEnd = -1;
    for (const [s, e] of nz) {
      expect(s).toBeGreaterThan(prevEnd);
      expect(e).toBeGreaterThanOrEqual(s);
      expect(db.country4(s)).toBe('NZ');
      expect(db.country4(e)).toBe('NZ');
      expect(db.country4(s + Math.floor((e - s) / 2))).toBe('NZ');
      prevEnd = e;
    }
    expect(db.rangesForCountry('XX')).toEqual([]);
    expect(db.rangesForCountry('ZZ')).toEqual([]);
  });

  it('rangesForAsn gives the AS ranges', () => {
    const cf = db.rangesForAsn(13335);
    expect(cf.some(([s, e]) => s <= ip4('1.1.1.1') && ip4('1.1.1.1') <= e)).toBe(true);
    let prevEnd = -1;
    for (const [s, e] of cf) {
      expect(s).toBeGreaterThan(prevEnd);
      expect(db.asn4(s)).toBe(13335);
      expect(db.asn4(e)).toBe(13335);
      prevEnd = e;
    }
    expect(db.rangesForAsn(0)).toEqual([]);
    expect(db.rangesForAsn(4_294_967_295)).toEqual([]);
  });

  it('findAsns matches organisation names, with the majority country', () => {
    const google = db.findAsns(/^Google LLC$/);
    const g = google.find((x) => x.asn === 15169);
    expect(g).toMatchObject({ org: 'Google LLC', country: 'US' });
    expect(g!.addresses).toBeGreaterThan(1000);
    for (let i = 1; i < google.length; i++) {
      expect(google[i - 1]!.addresses).toBeGreaterThanOrEqual(google[i]!.addresses);
    }
    const jp = db.findAsns(/university/i, 'jp');
    expect(jp.length).toBeGreaterThan(0);
    expect(jp.every((x) => x.country === 'JP' && /university/i.test(x.org))).toBe(true);
    expect(jp.some((x) => x.asn === 4730)).toBe(true);
    // a global regex is safe to reuse
    const re = /cloudflare/gi;
    expect(db.findAsns(re).length).toBe(db.findAsns(re).length);
  });
});
