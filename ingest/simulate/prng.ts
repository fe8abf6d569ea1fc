/**
 * Seeded randomness for the synthetic telescope. Everything is 32-bit integer math
 * (Math.imul), so a given seed yields the same stream on every platform. No Math.random.
 *
 * - `mix32` / `hash2..hash4` / `hashString`: stateless hashes, used to give every
 *   (seed, day, sensor, slice, population) its own independent stream and every host a
 *   stable identity (address, TTL, window...) that does not depend on iteration order.
 * - `Rng`: xoshiro128** seeded through splitmix32.
 */

/** murmur3's 32-bit finaliser: a bijective avalanche mix. */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function hash2(a: number, b: number): number {
  return mix32(Math.imul(mix32(a) ^ 0x9e3779b9, 0x01000193) ^ mix32(b + 0x7f4a7c15));
}

export function hash3(a: number, b: number, c: number): number {
  return hash2(hash2(a, b), c);
}

export function hash4(a: number, b: number, c: number, d: number): number {
  return hash2(hash2(hash2(a, b), c), d);
}

/** FNV-1a over UTF-16 code units, then mixed. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** A uniform double in [0, 1) from a 32-bit hash. */
export function unit(h: number): number {
  return (h >>> 0) / 4294967296;
}

const LOG_FACTORIAL_SMALL: number[] = [0];
for (let k = 1; k < 16; k++) LOG_FACTORIAL_SMALL[k] = LOG_FACTORIAL_SMALL[k - 1]! + Math.log(k);

function logFactorial(k: number): number {
  if (k < 16) return LOG_FACTORIAL_SMALL[k]!;
  // Stirling series, accurate to ~1e-10 for k >= 16.
  const x = k + 1;
  return (
    (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3)
  );
}

/** xoshiro128** (Blackman & Vigna), 32-bit state words. */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  constructor(seed: number) {
    this.reseed(seed);
  }

  /** Reinitialises the state from a 32-bit seed (splitmix32 expansion). */
  reseed(seed: number): void {
    let z = seed | 0;
    z = (z + 0x9e3779b9) | 0;
    this.s0 = splitmix32(z);
    z = (z + 0x9e3779b9) | 0;
    this.s1 = splitmix32(z);
    z = (z + 0x9e3779b9) | 0;
    this.s2 = splitmix32(z);
    z = (z + 0x9e3779b9) | 0;
    this.s3 = splitmix32(z);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next unsigned 32-bit integer. */
  u32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r >>> 0;
  }

  /** Uniform double in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n) for n <= 2^32 (multiply-shift, negligible bias). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi] inclusive. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** Standard normal (Box-Muller, one value per call). */
  gaussian(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Poisson-distributed count: Knuth below 12, Hormann's PTRS above. */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda < 12) {
      const l = Math.exp(-lambda);
      let k = 0;
      let p = this.next();
      while (p > l) {
        k++;
        p *= this.next();
      }
      return k;
    }
    const slam = Math.sqrt(lambda);
    const loglam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.next() - 0.5;
      const v = this.next();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      const lhs = Math.log(v * invalpha) - Math.log(a / (us * us) + b);
      if (lhs <= -lambda + k * loglam - logFactorial(k)) return k;
    }
  }
}

function splitmix32(z: number): number {
  let t = z;
  t ^= t >>> 16;
  t = Math.imul(t, 0x21f0aaad);
  t ^= t >>> 15;
  t = Math.imul(t, 0x735a2d97);
  t ^= t >>> 15;
  return t | 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Walker/Vose alias table over n weights: O(n) to build, O(1) per draw.
 * Reused between days: `build` overwrites in place and grows only when needed.
 */
export class AliasTable {
  prob: Float64Array = new Float64Array(0);
  alias: Uint32Array = new Uint32Array(0);
  size = 0;
  private small: Uint32Array = new Uint32Array(0);
  private large: Uint32Array = new Uint32Array(0);

  build(weights: ArrayLike<number>, n: number): void {
    if (this.prob.length < n) {
      const cap = Math.max(n, this.prob.length * 2, 16);
      this.prob = new Float64Array(cap);
      this.alias = new Uint32Array(cap);
      this.small = new Uint32Array(cap);
      this.large = new Uint32Array(cap);
    }
    this.size = n;
    if (n === 0) return;
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i]!;
    const prob = this.prob;
    const alias = this.alias;
    const small = this.small;
    const large = this.large;
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < n; i++) {
      const p = total > 0 ? (weights[i]! * n) / total : 1;
      prob[i] = p;
      alias[i] = i;
      if (p < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns]!;
      const l = large[--nl]!;
      alias[s] = l;
      const pl = prob[l]! + prob[s]! - 1;
      prob[l] = pl;
      if (pl < 1) small[ns++] = l;
      else large[nl++] = l;
    }
    while (nl > 0) prob[large[--nl]!] = 1;
    while (ns > 0) prob[small[--ns]!] = 1;
  }

  /** Index in [0, size). */
  sample(rng: Rng): number {
    const x = rng.next() * this.size;
    const i = Math.floor(x);
    return x - i < this.prob[i]! ? i : this.alias[i]!;
  }
}
