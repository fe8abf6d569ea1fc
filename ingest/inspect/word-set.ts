/**
 * Exact sets and counters for inspect, in typed arrays (open addressing, linear probing): no
 * allocation per key, only when a table doubles. Keys are 32-bit words; a zero word marks an
 * empty slot, so the key types below keep a non-zero word (or track zero apart).
 */

function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Set of unsigned 32-bit integers (IPv4 addresses). */
export class U32Set {
  size = 0;
  private keys: Int32Array;
  private mask: number;
  private hasZero = false;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.keys = new Int32Array(cap);
    this.mask = cap - 1;
  }

  /** Adds v; true when it was not there yet. */
  add(v: number): boolean {
    const k = v | 0;
    if (k === 0) {
      if (this.hasZero) return false;
      this.hasZero = true;
      this.size++;
      return true;
    }
    const keys = this.keys;
    const mask = this.mask;
    let i = mix32(k) & mask;
    for (;;) {
      const x = keys[i]!;
      if (x === k) return false;
      if (x === 0) break;
      i = (i + 1) & mask;
    }
    keys[i] = k;
    this.size++;
    if (this.size * 2 > keys.length) this.grow();
    return true;
  }

  private grow(): void {
    const old = this.keys;
    const keys = new Int32Array(old.length * 2);
    const mask = keys.length - 1;
    for (let j = 0; j < old.length; j++) {
      const k = old[j]!;
      if (k === 0) continue;
      let i = mix32(k) & mask;
      while (keys[i] !== 0) i = (i + 1) & mask;
      keys[i] = k;
    }
    this.keys = keys;
    this.mask = mask;
  }
}

/** Set of pairs (a, b) of 32-bit words with b never 0 (an IPv4 address and a port key + 1). */
export class PairSet {
  size = 0;
  private keys: Int32Array;
  private mask: number;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.keys = new Int32Array(cap * 2);
    this.mask = cap - 1;
  }

  add(a: number, b: number): boolean {
    const ka = a | 0;
    const kb = b | 0;
    const keys = this.keys;
    const mask = this.mask;
    let i = mix32(ka ^ Math.imul(kb, 0x9e3779b1)) & mask;
    for (;;) {
      const xb = keys[i * 2 + 1]!;
      if (xb === 0) break;
      if (xb === kb && keys[i * 2] === ka) return false;
      i = (i + 1) & mask;
    }
    keys[i * 2] = ka;
    keys[i * 2 + 1] = kb;
    this.size++;
    if (this.size * 2 > mask + 1) this.grow();
    return true;
  }

  private grow(): void {
    const old = this.keys;
    const cap = (this.mask + 1) * 2;
    const keys = new Int32Array(cap * 2);
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += 2) {
      const kb = old[j + 1]!;
      if (kb === 0) continue;
      const ka = old[j]!;
      let i = mix32(ka ^ Math.imul(kb, 0x9e3779b1)) & mask;
      while (keys[i * 2 + 1] !== 0) i = (i + 1) & mask;
      keys[i * 2] = ka;
      keys[i * 2 + 1] = kb;
    }
    this.keys = keys;
    this.mask = mask;
  }
}

/**
 * Set of keys of `width` words whose last word is never 0 (IPv6 address words + 1 marker word,
 * or + a port key + 1).
 */
export class WordSet {
  readonly width: number;
  size = 0;
  private keys: Int32Array;
  private mask: number;

  constructor(width: number, initialCapacity = 64) {
    this.width = width;
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.keys = new Int32Array(cap * width);
    this.mask = cap - 1;
  }

  private static hash(k: ArrayLike<number>, o: number, width: number): number {
    let h = 0x9e3779b9 | 0;
    for (let i = 0; i < width; i++) h = Math.imul(h ^ (k[o + i]! | 0), 0x85ebca6b) ^ (h >>> 15);
    return mix32(h);
  }

  /** Adds the key in k[0 .. width); its last word must not be 0. True when new. */
  add(k: ArrayLike<number>): boolean {
    const w = this.width;
    const keys = this.keys;
    const mask = this.mask;
    let i = WordSet.hash(k, 0, w) & mask;
    for (;;) {
      const o = i * w;
      if (keys[o + w - 1] === 0) break;
      let same = true;
      for (let j = 0; j < w; j++) {
        if (keys[o + j] !== (k[j]! | 0)) {
          same = false;
          break;
        }
      }
      if (same) return false;
      i = (i + 1) & mask;
    }
    const o = i * w;
    for (let j = 0; j < w; j++) keys[o + j] = k[j]! | 0;
    this.size++;
    if (this.size * 2 > mask + 1) this.grow();
    return true;
  }

  private grow(): void {
    const w = this.width;
    const old = this.keys;
    const cap = (this.mask + 1) * 2;
    const keys = new Int32Array(cap * w);
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += w) {
      if (old[j + w - 1] === 0) continue;
      let i = WordSet.hash(old, j, w) & mask;
      while (keys[i * w + w - 1] !== 0) i = (i + 1) & mask;
      keys.set(old.subarray(j, j + w), i * w);
    }
    this.keys = keys;
    this.mask = mask;
  }
}

/** Counters keyed by small non-negative integers (port keys, window values). */
export class IntCounter {
  size = 0;
  /** key + 1, 0 = empty */
  private keys: Int32Array;
  private counts: Float64Array;
  private extra: Float64Array;
  private mask: number;

  constructor(initialCapacity = 64) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.keys = new Int32Array(cap);
    this.counts = new Float64Array(cap);
    this.extra = new Float64Array(cap);
    this.mask = cap - 1;
  }

  /** Adds 1 to key's count (and `extra` to its second counter). */
  add(key: number, extra = 0): void {
    const k = key + 1;
    const keys = this.keys;
    const mask = this.mask;
    let i = mix32(k) & mask;
    for (;;) {
      const x = keys[i]!;
      if (x === k) {
        this.counts[i]! += 1;
        this.extra[i]! += extra;
        return;
      }
      if (x === 0) break;
      i = (i + 1) & mask;
    }
    keys[i] = k;
    this.counts[i] = 1;
    this.extra[i] = extra;
    this.size++;
    if (this.size * 2 > mask + 1) this.grow();
  }

  /** [key, count, extra] for every key, in no particular order. */
  entries(): [number, number, number][] {
    const out: [number, number, number][] = [];
    for (let i = 0; i < this.keys.length; i++) {
      const k = this.keys[i]!;
      if (k !== 0) out.push([k - 1, this.counts[i]!, this.extra[i]!]);
    }
    return out;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldCounts = this.counts;
    const oldExtra = this.extra;
    const cap = oldKeys.length * 2;
    this.keys = new Int32Array(cap);
    this.counts = new Float64Array(cap);
    this.extra = new Float64Array(cap);
    this.mask = cap - 1;
    for (let j = 0; j < oldKeys.length; j++) {
      const k = oldKeys[j]!;
      if (k === 0) continue;
      let i = mix32(k) & this.mask;
      while (this.keys[i] !== 0) i = (i + 1) & this.mask;
      this.keys[i] = k;
      this.counts[i] = oldCounts[j]!;
      this.extra[i] = oldExtra[j]!;
    }
  }
}
