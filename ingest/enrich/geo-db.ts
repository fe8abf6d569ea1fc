/**
 * IP -> country and IP -> AS number + organisation, from data shipped in npm packages
 * (no network): `@ip-location-db/geo-whois-asn-country` (country) and
 * `@ip-location-db/asn` (AS number and name). The CSVs are parsed once per process into
 * sorted typed arrays (see range-table.ts); a lookup is a /16 index probe plus a short
 * binary search, with no allocation. IPv6 tables are built on first IPv6 use.
 * Special-purpose blocks (private, loopback, multicast, documentation...) of either
 * family always answer 'ZZ' / 0.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  COUNTRY_STRINGS as COUNTRY_STRING_TABLE,
  countLines,
  countryIndex,
  Scanner,
} from './csv-scan';
import { maskPartition4, paintRanges, type RawRanges, Table4, Table6 } from './range-table';
import { isSpecialPurpose6, SPECIAL_PURPOSE_IPV4 } from './special-ranges';

export interface DatasetInfo {
  name: string;
  version: string;
  /** YYYY-MM-DD, from the package version (2.3.2026061719 -> 2026-06-17). */
  date: string;
  licence: string;
  attribution: string;
}

export interface GeoDb {
  readonly datasets: readonly DatasetInfo[];
  /**
   * ISO 3166-1 alpha-2, uppercase; 'ZZ' when unknown or special-purpose (private,
   * loopback, multicast...). `ip` is an unsigned 32-bit integer.
   */
  country4(ip: number): string;
  /** `addr` is 16 bytes in network order. */
  country6(addr: Uint8Array): string;
  /** 0 when unknown. */
  asn4(ip: number): number;
  asn6(addr: Uint8Array): number;
  /** '' when unknown. */
  asOrg(asn: number): string;
  /** IPv4 [start, end] inclusive uint32 ranges whose country is `cc`, sorted; [] if none. */
  rangesForCountry(cc: string): ReadonlyArray<readonly [number, number]>;
  /** IPv4 [start, end] inclusive uint32 ranges announced by / registered to `asn`, sorted. */
  rangesForAsn(asn: number): ReadonlyArray<readonly [number, number]>;
  /**
   * ASes whose organisation name matches; `country` is the country holding most of the
   * AS's IPv4 addresses ('ZZ' when it has none); `addresses` counts its IPv4 addresses.
   * Sorted by addresses (descending), then AS number.
   */
  findAsns(
    orgPattern: RegExp,
    country?: string,
  ): Array<{ asn: number; org: string; country: string; addresses: number }>;
}

export const COUNTRY_PACKAGE = '@ip-location-db/geo-whois-asn-country';
export const ASN_PACKAGE = '@ip-location-db/asn';

/** Module-local binding: imported bindings are getter calls under a CommonJS transpile. */
const COUNTRY_STRINGS = COUNTRY_STRING_TABLE;

const COUNTRY4_FILE = 'geo-whois-asn-country-ipv4-num.csv';
const COUNTRY6_FILE = 'geo-whois-asn-country-ipv6.csv';
const ASN4_FILE = 'asn-ipv4-num.csv';
const ASN6_FILE = 'asn-ipv6.csv';

const DATASET_TERMS: Record<string, { licence: string; attribution: string }> = {
  [COUNTRY_PACKAGE]: {
    licence: 'CC0-1.0',
    attribution:
      'Country: ip-location-db geo-whois-asn-country (GeoFeed + RIR WHOIS + ASN), ' +
      'with RIR data from the NRO (https://www.nro.net/, CC BY 4.0)',
  },
  [ASN_PACKAGE]: {
    licence: 'CC-BY-4.0',
    attribution:
      'AS numbers and names: IP to ASN Lite by DB-IP (https://db-ip.com), RouteViews ' +
      '(https://www.routeviews.org/) and the NRO (https://www.nro.net/), CC BY 4.0, ' +
      'via ip-location-db',
  },
};

/** '2.3.2026061719' -> '2026-06-17' ('' when the version carries no date). */
export function versionDate(version: string): string {
  const m = /^\d+\.\d+\.(\d{4})(\d{2})(\d{2})\d*$/.exec(version);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : '';
}

function packageDir(name: string): string {
  try {
    const req = createRequire(import.meta.url);
    return path.dirname(req.resolve(`${name}/package.json`));
  } catch {
    return path.join(process.cwd(), 'node_modules', name);
  }
}

function datasetInfo(name: string, dir: string): DatasetInfo {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    version?: string;
  };
  const version = pkg.version ?? '';
  const terms = DATASET_TERMS[name] ?? { licence: '', attribution: '' };
  return { name, version, date: versionDate(version), ...terms };
}

function rawRanges(words: number, count: number): RawRanges {
  return {
    words,
    count: 0,
    starts: new Uint32Array(count * words),
    ends: new Uint32Array(count * words),
    values: new Uint32Array(count),
  };
}

/** `start,end,CC` with numeric IPv4 bounds. */
function parseCountry4(file: string): RawRanges {
  const buf = readFileSync(file);
  const r = rawRanges(1, countLines(buf));
  const sc = new Scanner(buf, path.basename(file));
  let n = 0;
  while (!sc.done) {
    r.starts[n] = sc.uint();
    sc.comma();
    r.ends[n] = sc.uint();
    sc.comma();
    r.values[n] = sc.country();
    sc.endLine();
    n++;
  }
  r.count = n;
  return r;
}

/** `start,end,CC` with textual IPv6 bounds. */
function parseCountry6(file: string): RawRanges {
  const buf = readFileSync(file);
  const r = rawRanges(4, countLines(buf));
  const sc = new Scanner(buf, path.basename(file));
  let n = 0;
  while (!sc.done) {
    sc.ipv6(r.starts, n * 4);
    sc.comma();
    sc.ipv6(r.ends, n * 4);
    sc.comma();
    r.values[n] = sc.country();
    sc.endLine();
    n++;
  }
  r.count = n;
  return r;
}

/** `start,end,asn,org` (IPv4 numeric or IPv6 textual bounds); fills `orgs` (first name wins). */
function parseAsn(file: string, words: 1 | 4, orgs: Map<number, string>): RawRanges {
  const buf = readFileSync(file);
  const r = rawRanges(words, countLines(buf));
  const sc = new Scanner(buf, path.basename(file));
  const span = new Int32Array(2);
  let n = 0;
  while (!sc.done) {
    if (words === 1) {
      r.starts[n] = sc.uint();
      sc.comma();
      r.ends[n] = sc.uint();
    } else {
      sc.ipv6(r.starts, n * 4);
      sc.comma();
      sc.ipv6(r.ends, n * 4);
    }
    sc.comma();
    const asn = sc.uint();
    if (asn > 0xffffffff) sc.fail('AS number out of range');
    r.values[n] = asn;
    sc.comma();
    if (asn !== 0 && !orgs.has(asn)) {
      const quoted = sc.restOfLine(span);
      let org = buf.toString('utf8', span[0], span[1]);
      if (quoted) org = org.replaceAll('""', '"');
      orgs.set(asn, org.trim());
    } else {
      sc.skipLine(); // a known AS: its name was read already
    }
    n++;
  }
  r.count = n;
  return r;
}

const EMPTY: ReadonlyArray<readonly [number, number]> = Object.freeze([]);

class PackagedGeoDb implements GeoDb {
  readonly datasets: readonly DatasetInfo[];
  private readonly country4Table: Table4;
  private readonly asn4Table: Table4;
  private readonly orgs = new Map<number, string>();
  private readonly countryDir: string;
  private readonly asnDir: string;
  private country6Table: Table6 | undefined;
  private asn6Table: Table6 | undefined;
  private byCountry: Map<number, Array<readonly [number, number]>> | undefined;
  private asnOrder: { segs: Uint32Array; spans: Map<number, [number, number]> } | undefined;
  private readonly asnRanges = new Map<number, ReadonlyArray<readonly [number, number]>>();

  constructor() {
    this.countryDir = packageDir(COUNTRY_PACKAGE);
    this.asnDir = packageDir(ASN_PACKAGE);
    this.datasets = Object.freeze([
      datasetInfo(COUNTRY_PACKAGE, this.countryDir),
      datasetInfo(ASN_PACKAGE, this.asnDir),
    ]);
    const country = paintRanges(parseCountry4(path.join(this.countryDir, COUNTRY4_FILE)));
    this.country4Table = new Table4(maskPartition4(country, SPECIAL_PURPOSE_IPV4));
    const asn = paintRanges(parseAsn(path.join(this.asnDir, ASN4_FILE), 1, this.orgs));
    this.asn4Table = new Table4(maskPartition4(asn, SPECIAL_PURPOSE_IPV4));
  }

  country4(ip: number): string {
    return COUNTRY_STRINGS[this.country4Table.lookup(ip)] ?? 'ZZ';
  }

  asn4(ip: number): number {
    return this.asn4Table.lookup(ip);
  }

  country6(addr: Uint8Array): string {
    if (isSpecialPurpose6(addr)) return 'ZZ';
    return COUNTRY_STRINGS[this.countryTable6().lookup(addr)] ?? 'ZZ';
  }

  asn6(addr: Uint8Array): number {
    return isSpecialPurpose6(addr) ? 0 : this.asnTable6().lookup(addr);
  }

  asOrg(asn: number): string {
    const org = this.orgs.get(asn);
    if (org !== undefined) return org;
    if (this.asn6Table === undefined && asn !== 0) {
      this.asnTable6(); // IPv6-only ASes are named in the IPv6 file.
      return this.orgs.get(asn) ?? '';
    }
    return '';
  }

  rangesForCountry(cc: string): ReadonlyArray<readonly [number, number]> {
    if (!this.byCountry) {
      const map = new Map<number, Array<readonly [number, number]>>();
      const t = this.country4Table;
      for (let i = 0; i < t.count; i++) {
        const v = t.values[i]!;
        if (v === 0) continue;
        let list = map.get(v);
        if (!list) {
          list = [];
          map.set(v, list);
        }
        list.push(Object.freeze([t.starts[i]!, t.end(i)] as const));
      }
      for (const list of map.values()) Object.freeze(list);
      this.byCountry = map;
    }
    const code = countryIndex(cc.toUpperCase());
    return (code && this.byCountry.get(code)) || EMPTY;
  }

  rangesForAsn(asn: number): ReadonlyArray<readonly [number, number]> {
    const cached = this.asnRanges.get(asn);
    if (cached) return cached;
    const order = this.asnOrderIndex();
    const span = order.spans.get(asn);
    if (!span) return EMPTY;
    const t = this.asn4Table;
    const list: Array<readonly [number, number]> = [];
    for (let k = span[0]; k < span[1]; k++) {
      const i = order.segs[k]!;
      list.push(Object.freeze([t.starts[i]!, t.end(i)] as const));
    }
    Object.freeze(list);
    this.asnRanges.set(asn, list);
    return list;
  }

  findAsns(
    orgPattern: RegExp,
    country?: string,
  ): Array<{ asn: number; org: string; country: string; addresses: number }> {
    this.asnTable6(); // so that IPv6-only ASes are named too
    const want = country === undefined ? undefined : country.toUpperCase();
    const out: Array<{ asn: number; org: string; country: string; addresses: number }> = [];
    for (const [asn, org] of this.orgs) {
      orgPattern.lastIndex = 0;
      if (!orgPattern.test(org)) continue;
      const ranges = this.rangesForAsn(asn);
      let addresses = 0;
      for (const [s, e] of ranges) addresses += e - s + 1;
      const cc = this.majorityCountry(ranges);
      if (want !== undefined && cc !== want) continue;
      out.push({ asn, org, country: cc, addresses });
    }
    out.sort((a, b) => b.addresses - a.addresses || a.asn - b.asn);
    return out;
  }

  private majorityCountry(ranges: ReadonlyArray<readonly [number, number]>): string {
    const t = this.country4Table;
    const counts = new Map<number, number>();
    for (const [s, e] of ranges) {
      for (let i = t.find(s); i < t.count && t.starts[i]! <= e; i++) {
        const v = t.values[i]!;
        if (v === 0) continue;
        const n = Math.min(e, t.end(i)) - Math.max(s, t.starts[i]!) + 1;
        counts.set(v, (counts.get(v) ?? 0) + n);
      }
    }
    let best = 0;
    let bestN = 0;
    for (const [v, n] of counts) {
      if (n > bestN || (n === bestN && v < best)) {
        best = v;
        bestN = n;
      }
    }
    return COUNTRY_STRINGS[best] ?? 'ZZ';
  }

  /** Segment indices of the IPv4 AS table grouped by AS number (built on first use). */
  private asnOrderIndex(): { segs: Uint32Array; spans: Map<number, [number, number]> } {
    if (this.asnOrder) return this.asnOrder;
    const t = this.asn4Table;
    // Sort key asn * 2^21 + segment index is exact in a double (asn < 2^32, index < 2^21).
    if (t.count >= 2 ** 21) throw new Error('AS table too large for the index');
    const keys = new Float64Array(t.count);
    let n = 0;
    for (let i = 0; i < t.count; i++) {
      const asn = t.values[i]!;
      if (asn !== 0) keys[n++] = asn * 2 ** 21 + i;
    }
    const sorted = keys.subarray(0, n).sort();
    const segs = new Uint32Array(n);
    const spans = new Map<number, [number, number]>();
    let from = 0;
    for (let k = 0; k < n; k++) {
      const key = sorted[k]!;
      const asn = Math.floor(key / 2 ** 21);
      segs[k] = key - asn * 2 ** 21;
      const next = sorted[k + 1];
      if (next === undefined || Math.floor(next / 2 ** 21) !== asn) {
        spans.set(asn, [from, k + 1]);
        from = k + 1;
      }
    }
    this.asnOrder = { segs, spans };
    return this.asnOrder;
  }

  private countryTable6(): Table6 {
    this.country6Table ??= new Table6(
      paintRanges(parseCountry6(path.join(this.countryDir, COUNTRY6_FILE))),
    );
    return this.country6Table;
  }

  private asnTable6(): Table6 {
    this.asn6Table ??= new Table6(
      paintRanges(parseAsn(path.join(this.asnDir, ASN6_FILE), 4, this.orgs)),
    );
    return this.asn6Table;
  }
}

let cached: GeoDb | undefined;

/** Loads (once per process) the packaged country and AS tables. Synchronous. */
export function loadGeoDb(): GeoDb {
  cached ??= new PackagedGeoDb();
  return cached;
}
