/**
 * Source addresses drawn from the enrichment datasets, so that the ingest's enrichment
 * maps every packet back to the intended country (and AS). Each draw is verified with
 * the same lookups the ingest uses (country4, asn4) and redrawn if it misses, since the
 * country and AS datasets disagree at the edges.
 *
 * A host's address is a pure function of (run seed, pool, host index): host i of a
 * population keeps its address on every day, and whichever days are generated.
 */
import type { GeoDb } from '../enrich/geo-db';
import { hash3, hashString, Rng } from './prng';

const MAX_TRIES = 2000;

/** Ranges of one source spec (a country, optionally restricted to ASes) with cumulative sizes. */
export class SourceRanges {
  readonly starts: Float64Array;
  readonly cum: Float64Array;
  readonly total: number;

  constructor(
    readonly country: string,
    readonly asns: readonly number[] | undefined,
    ranges: ReadonlyArray<readonly [number, number]>,
  ) {
    this.starts = new Float64Array(ranges.length);
    this.cum = new Float64Array(ranges.length);
    let acc = 0;
    ranges.forEach(([a, b], i) => {
      this.starts[i] = a;
      acc += b - a + 1;
      this.cum[i] = acc;
    });
    this.total = acc;
  }

  /** The address at offset x in [0, total). */
  at(x: number): number {
    const cum = this.cum;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    const before = lo > 0 ? cum[lo - 1]! : 0;
    return (this.starts[lo]! + (x - before)) >>> 0;
  }
}

export class AddressPools {
  private readonly sources = new Map<string, SourceRanges>();
  private readonly pools = new Map<
    string,
    { src: SourceRanges; salt: number; addrs: Uint32Array }
  >();
  private readonly rng = new Rng(0);
  redraws = 0;

  constructor(
    private readonly geo: GeoDb,
    private readonly seed: number,
  ) {}

  /** Resolves (and checks) a pool: its country, optional ASes and their expected organisation. */
  register(
    pool: string,
    country: string,
    asns: readonly number[] | undefined,
    expectOrg?: RegExp,
  ): void {
    if (this.pools.has(pool)) return;
    const key = `${country}|${(asns ?? []).join(',')}`;
    let src = this.sources.get(key);
    if (!src) {
      let ranges: Array<readonly [number, number]>;
      if (asns && asns.length > 0) {
        ranges = [];
        for (const asn of asns) {
          const org = this.geo.asOrg(asn);
          if (expectOrg && !expectOrg.test(org)) {
            throw new Error(`pool ${pool}: AS${asn} is '${org}', expected ${expectOrg}`);
          }
          ranges.push(...this.geo.rangesForAsn(asn));
        }
        ranges.sort((a, b) => a[0] - b[0]);
      } else {
        ranges = [...this.geo.rangesForCountry(country)];
      }
      if (ranges.length === 0) {
        throw new Error(
          `pool ${pool}: no IPv4 ranges for ${country}${asns ? ` AS${asns.join(',')}` : ''}`,
        );
      }
      src = new SourceRanges(country, asns, ranges);
      this.sources.set(key, src);
    }
    this.pools.set(pool, { src, salt: hashString(`addr:${pool}`), addrs: new Uint32Array(64) });
  }

  /** The address of host `index` of `pool` (drawn once, then cached). */
  address(pool: string, index: number): number {
    const p = this.pools.get(pool);
    if (!p) throw new Error(`unknown pool ${pool}`);
    if (index >= p.addrs.length) {
      let cap = p.addrs.length;
      while (cap <= index) cap *= 2;
      const next = new Uint32Array(cap);
      next.set(p.addrs);
      p.addrs = next;
    }
    const cached = p.addrs[index]!;
    if (cached !== 0) return cached;
    const a = this.draw(p.src, hash3(this.seed, p.salt, index));
    p.addrs[index] = a;
    return a;
  }

  /** Draws a verified address of the source spec from a 32-bit seed. */
  draw(src: SourceRanges, seed: number): number {
    const rng = this.rng;
    rng.reseed(seed);
    for (let t = 0; t < MAX_TRIES; t++) {
      const ip = src.at(Math.floor(rng.next() * src.total));
      const last = ip & 0xff;
      if (last !== 0 && last !== 255 && this.matches(src, ip)) return ip;
      this.redraws++;
    }
    throw new Error(`could not draw an address for ${src.country} ${src.asns?.join(',') ?? ''}`);
  }

  matches(src: SourceRanges, ip: number): boolean {
    if (this.geo.country4(ip) !== src.country) return false;
    const asn = this.geo.asn4(ip);
    if (src.asns && src.asns.length > 0) return src.asns.includes(asn);
    return asn > 0;
  }

  /** Addresses drawn so far for a pool (index order), for reports. */
  drawn(pool: string, count: number): number[] {
    return Array.from({ length: count }, (_, i) => this.address(pool, i));
  }
}
