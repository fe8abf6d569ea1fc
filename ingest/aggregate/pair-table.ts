/**
 * Open-addressing hash table from a pair of 32-bit integers to a slot with inline
 * 32-bit counters: no allocation per insert, linear probing, grows at 70% load.
 * Each entry's keys, occupancy flag and counters are interleaved in one Int32Array,
 * so a lookup touches one cache line.
 */
export class PairTable {
  private capacity: number;
  private mask: number;
  /** Entry i occupies data[i * stride .. i * stride + stride): a, b, used, lane 0..n-1. */
  data: Int32Array;
  readonly stride: number;
  size = 0;

  constructor(
    readonly laneCount: number,
    initialCapacity = 1 << 12,
  ) {
    this.stride = 3 + laneCount;
    this.capacity = nextPow2(Math.max(16, initialCapacity));
    this.mask = this.capacity - 1;
    this.data = new Int32Array(this.capacity * this.stride);
  }

  /**
   * Offset in `data` of the entry (a, b), inserting it with zero counters when absent.
   * Counter i of the entry is data[offset + 3 + i]. Offsets are valid until the next call.
   */
  slot(a: number, b: number): number {
    const stride = this.stride;
    const mask = this.mask;
    const data = this.data;
    a |= 0;
    b |= 0;
    let i = pairHash(a, b) & mask;
    for (;;) {
      const o = i * stride;
      if (data[o + 2] === 0) {
        if ((this.size + 1) * 10 > this.capacity * 7) {
          this.grow();
          return this.slot(a, b);
        }
        data[o] = a;
        data[o + 1] = b;
        data[o + 2] = 1;
        this.size++;
        return o;
      }
      if (data[o] === a && data[o + 1] === b) return o;
      i = (i + 1) & mask;
    }
  }

  /** Calls fn(a, b, offset) for every entry (a and b as unsigned), in slot order. */
  forEach(fn: (a: number, b: number, offset: number) => void): void {
    const data = this.data;
    const stride = this.stride;
    const end = this.capacity * stride;
    for (let o = 0; o < end; o += stride) {
      if (data[o + 2] !== 0) fn(data[o]! >>> 0, data[o + 1]! >>> 0, o);
    }
  }

  private grow(): void {
    const old = this.data;
    const stride = this.stride;
    const oldEnd = this.capacity * stride;
    this.capacity *= 2;
    this.mask = this.capacity - 1;
    this.data = new Int32Array(this.capacity * stride);
    const data = this.data;
    const mask = this.mask;
    for (let s = 0; s < oldEnd; s += stride) {
      if (old[s + 2] === 0) continue;
      let i = pairHash(old[s]!, old[s + 1]!) & mask;
      while (data[i * stride + 2] !== 0) i = (i + 1) & mask;
      const d = i * stride;
      for (let w = 0; w < stride; w++) data[d + w] = old[s + w]!;
    }
  }
}

export function pairHash(a: number, b: number): number {
  let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
