/**
 * Interval tables for IP lookups: a sorted partition of the address space.
 *
 * Source CSVs list inclusive ranges sorted by start that may nest (a more specific
 * geofeed range inside a WHOIS block), overlap, or repeat a start. `paintRanges` flattens
 * them into a partition where a row overrides the rows before it wherever they overlap
 * (file order wins: what the packages' own mmdb builds answer), gaps carry value 0, and
 * adjacent segments with the same value are merged. A lookup is then "last segment
 * start <= address": no end check needed.
 *
 * Keys are W big-endian 32-bit words (W = 1 for IPv4, 4 for IPv6), stored flat in
 * Uint32Arrays with stride W.
 */

export interface RawRanges {
  words: number;
  count: number;
  starts: Uint32Array;
  ends: Uint32Array;
  values: Uint32Array;
}

/** A partition of the whole key space: segment i covers [starts[i], starts[i + 1]). */
export interface Partition {
  words: number;
  count: number;
  starts: Uint32Array;
  values: Uint32Array;
}

function cmp(a: Uint32Array, ai: number, b: Uint32Array, bi: number, w: number): number {
  for (let k = 0; k < w; k++) {
    const x = a[ai + k]!;
    const y = b[bi + k]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function sortedByStart(r: RawRanges): boolean {
  const w = r.words;
  for (let i = 1; i < r.count; i++) {
    if (cmp(r.starts, (i - 1) * w, r.starts, i * w, w) > 0) return false;
  }
  return true;
}

/** Stable sort by start (rows with equal starts keep their file order). */
function sortByStart(r: RawRanges): RawRanges {
  const w = r.words;
  const idx = Array.from({ length: r.count }, (_, i) => i);
  idx.sort((a, b) => cmp(r.starts, a * w, r.starts, b * w, w));
  const starts = new Uint32Array(r.count * w);
  const ends = new Uint32Array(r.count * w);
  const values = new Uint32Array(r.count);
  idx.forEach((from, to) => {
    starts.set(r.starts.subarray(from * w, from * w + w), to * w);
    ends.set(r.ends.subarray(from * w, from * w + w), to * w);
    values[to] = r.values[from]!;
  });
  return { words: w, count: r.count, starts, ends, values };
}

/**
 * Flattens rows into a partition; where rows overlap, the later row wins. Rows are
 * expected sorted by start (the packaged files are); otherwise they are first stably
 * sorted by start, and "later" then means later in that order.
 *
 * A sweep with a stack of open rows (file order): the top is the latest row still open,
 * so it owns the addresses until it ends; then the next open row below resumes.
 */
export function paintRanges(input: RawRanges): Partition {
  const raw = sortedByStart(input) ? input : sortByStart(input);
  return raw.words === 1 ? paint1(raw) : paintWords(raw);
}

/** The same sweep for one-word keys, on plain numbers (the IPv4 load path). */
function paint1(raw: RawRanges): Partition {
  const { starts, ends, values } = raw;
  const outStarts = new Uint32Array(2 * raw.count + 2);
  const outValues = new Uint32Array(2 * raw.count + 2);
  const stack = new Int32Array(raw.count);
  let sp = 0;
  let m = 1; // segment 0 starts at 0 with value 0
  const emit = (x: number, value: number): void => {
    if (x > 0xffffffff) return;
    if (outStarts[m - 1] === x) {
      outValues[m - 1] = value;
      if (m > 1 && outValues[m - 2] === value) m--;
    } else if (outValues[m - 1] !== value) {
      outStarts[m] = x;
      outValues[m] = value;
      m++;
    }
  };
  const popAndResume = (): void => {
    const cursor = ends[stack[--sp]!]! + 1;
    while (sp > 0 && ends[stack[sp - 1]!]! < cursor) sp--;
    emit(cursor, sp > 0 ? values[stack[sp - 1]!]! : 0);
  };
  for (let i = 0; i < raw.count; i++) {
    const s = starts[i]!;
    while (sp > 0 && ends[stack[sp - 1]!]! < s) popAndResume();
    emit(s, values[i]!);
    stack[sp++] = i;
  }
  while (sp > 0) popAndResume();
  return { words: 1, count: m, starts: outStarts.slice(0, m), values: outValues.slice(0, m) };
}

function paintWords(raw: RawRanges): Partition {
  const w = raw.words;
  const { starts, ends, values } = raw;
  const cap = 2 * raw.count + 2;
  const outStarts = new Uint32Array(cap * w);
  const outValues = new Uint32Array(cap);
  let m = 0;
  const cursor = new Uint32Array(w);
  const stack = new Int32Array(raw.count);
  let sp = 0;

  const emit = (src: Uint32Array, si: number, value: number): void => {
    if (m > 0 && cmp(outStarts, (m - 1) * w, src, si, w) === 0) {
      // Same position as the previous boundary: the later value wins.
      outValues[m - 1] = value;
      if (m > 1 && outValues[m - 2] === value) m--;
      return;
    }
    if (m > 0 && outValues[m - 1] === value) return;
    for (let k = 0; k < w; k++) outStarts[m * w + k] = src[si + k]!;
    outValues[m] = value;
    m++;
  };

  /** Pops the top range; returns false when it ended at the top of the key space. */
  const popAndResume = (): boolean => {
    const t = stack[--sp]!;
    // cursor = end(t) + 1, with carry; all-ones means nothing follows.
    let carry = 1;
    for (let k = w - 1; k >= 0; k--) {
      const v = ends[t * w + k]! + carry;
      cursor[k] = v >>> 0;
      carry = v > 0xffffffff ? 1 : 0;
    }
    if (carry) {
      sp = 0;
      return false;
    }
    // Ranges beneath that end inside t are fully shadowed from here on.
    while (sp > 0 && cmp(ends, stack[sp - 1]! * w, cursor, 0, w) < 0) sp--;
    emit(cursor, 0, sp > 0 ? values[stack[sp - 1]!]! : 0);
    return true;
  };

  emit(new Uint32Array(w), 0, 0);
  let open = true;
  for (let i = 0; i < raw.count && open; i++) {
    while (open && sp > 0 && cmp(ends, stack[sp - 1]! * w, starts, i * w, w) < 0) {
      open = popAndResume();
    }
    if (!open) break;
    emit(starts, i * w, values[i]!);
    stack[sp++] = i;
  }
  while (open && sp > 0) open = popAndResume();

  return {
    words: w,
    count: m,
    starts: outStarts.slice(0, m * w),
    values: outValues.slice(0, m),
  };
}

/**
 * IPv4 partition with a /16 index: idx[h] is the segment holding address h << 16, so
 * the segment of any address in /16 h lies in [idx[h], idx[h + 1]].
 */
export class Table4 {
  readonly starts: Uint32Array;
  readonly values: Uint32Array;
  private readonly idx: Uint32Array;

  constructor(p: Partition) {
    if (p.words !== 1) throw new Error('Table4 needs a one-word partition');
    this.starts = p.starts;
    this.values = p.values;
    this.idx = new Uint32Array(65537);
    let seg = 0;
    for (let h = 0; h < 65536; h++) {
      const a = h * 65536;
      while (seg + 1 < p.count && this.starts[seg + 1]! <= a) seg++;
      this.idx[h] = seg;
    }
    this.idx[65536] = p.count - 1;
  }

  /** Segment index of `ip` (an unsigned 32-bit integer). */
  find(ip: number): number {
    const starts = this.starts;
    const h = ip >>> 16;
    let lo = this.idx[h]!;
    let hi = this.idx[h + 1]!;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= ip) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  lookup(ip: number): number {
    return this.values[this.find(ip >>> 0)]!;
  }

  get count(): number {
    return this.values.length;
  }

  /** Inclusive end of segment i. */
  end(i: number): number {
    return i + 1 < this.starts.length ? this.starts[i + 1]! - 1 : 0xffffffff;
  }
}

/** IPv6 partition (4 words per key) with an index on the first 16 bits. */
export class Table6 {
  readonly starts: Uint32Array;
  readonly values: Uint32Array;
  private readonly idx: Uint32Array;

  constructor(p: Partition) {
    if (p.words !== 4) throw new Error('Table6 needs a four-word partition');
    this.starts = p.starts;
    this.values = p.values;
    this.idx = new Uint32Array(65537);
    let seg = 0;
    for (let h = 0; h < 65536; h++) {
      const a = h * 65536;
      // Advance while the next segment starts at or before address h << 112.
      while (seg + 1 < p.count && startLe(this.starts, (seg + 1) * 4, a)) seg++;
      this.idx[h] = seg;
    }
    this.idx[65536] = p.count - 1;
  }

  /** `addr` is 16 bytes, network order. */
  lookup(addr: Uint8Array): number {
    const w0 = ((addr[0]! << 24) | (addr[1]! << 16) | (addr[2]! << 8) | addr[3]!) >>> 0;
    const w1 = ((addr[4]! << 24) | (addr[5]! << 16) | (addr[6]! << 8) | addr[7]!) >>> 0;
    const w2 = ((addr[8]! << 24) | (addr[9]! << 16) | (addr[10]! << 8) | addr[11]!) >>> 0;
    const w3 = ((addr[12]! << 24) | (addr[13]! << 16) | (addr[14]! << 8) | addr[15]!) >>> 0;
    const s = this.starts;
    const h = w0 >>> 16;
    let lo = this.idx[h]!;
    let hi = this.idx[h + 1]!;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      const o = mid * 4;
      const a = s[o]!;
      let le: boolean;
      if (a !== w0) le = a < w0;
      else {
        const b = s[o + 1]!;
        if (b !== w1) le = b < w1;
        else {
          const c = s[o + 2]!;
          if (c !== w2) le = c < w2;
          else le = s[o + 3]! <= w3;
        }
      }
      if (le) lo = mid;
      else hi = mid - 1;
    }
    return this.values[lo]!;
  }
}

/** True when the 4-word key at s[o] is <= (first word `a`, rest zero). */
function startLe(s: Uint32Array, o: number, a: number): boolean {
  const w0 = s[o]!;
  if (w0 !== a) return w0 < a;
  return s[o + 1] === 0 && s[o + 2] === 0 && s[o + 3] === 0;
}

/**
 * Forces value 0 over the given inclusive IPv4 ranges (sorted, disjoint) of a one-word
 * partition; used for special-purpose blocks that the source data wrongly places.
 */
export function maskPartition4(
  p: Partition,
  masks: ReadonlyArray<readonly [number, number]>,
): Partition {
  if (p.words !== 1) throw new Error('maskPartition4 needs a one-word partition');
  const cap = p.count + masks.length * 2;
  const starts = new Uint32Array(cap);
  const values = new Uint32Array(cap);
  let m = 0;
  const emit = (x: number, v: number): void => {
    if (m > 0 && values[m - 1] === v) return;
    starts[m] = x;
    values[m] = v;
    m++;
  };
  let mi = 0;
  let cur = 0;
  for (let i = 0; i < p.count && cur <= 0xffffffff; i++) {
    const e = i + 1 < p.count ? p.starts[i + 1]! - 1 : 0xffffffff;
    const v = p.values[i]!;
    while (cur <= e) {
      while (mi < masks.length && masks[mi]![1] < cur) mi++;
      const mask = masks[mi];
      if (mask && mask[0] <= cur) {
        emit(cur, 0);
        cur = mask[1] + 1;
      } else {
        emit(cur, v);
        cur = (mask ? Math.min(e, mask[0] - 1) : e) + 1;
      }
    }
  }
  return { words: 1, count: m, starts: starts.slice(0, m), values: values.slice(0, m) };
}
