import { PairTable } from './pair-table';
import { HLL_REGISTERS, SourceSketch } from './source-sketch';

const LIMIT = SourceSketch.EXACT_LIMIT;
/** Members per row up to which keys are sorted (duplicates are possible, see sketchOf). */
const SORTED_MAX = 2 * LIMIT;
const orderScratch = new Float64Array(SORTED_MAX);
const pairScratch = new Uint32Array(2 * SORTED_MAX);

/**
 * The rows of one aggregate family for one day, keyed by two integers, each with its
 * packets and the hosts that contributed to it. Within one day a host joins a row at
 * most once (rows derive from host records and (host, key) pairs, which are unique), so
 * a row's distinct sources are its member list: no per-row hash set is ever built. The
 * sketch is made at the end from the hosts' precomputed keys: sorted for an exact
 * sketch, register maxima for a HyperLogLog.
 */
export class RowSet {
  private readonly index = new PairTable(1, 1 << 10);
  readonly keyA: number[] = [];
  readonly keyB: number[] = [];
  readonly packets: number[] = [];
  private memberRow = new Int32Array(1 << 12);
  private memberHost = new Int32Array(1 << 12);
  private members = 0;

  get size(): number {
    return this.keyA.length;
  }

  rowOf(a: number, b: number): number {
    const o = this.index.slot(a, b);
    const id1 = this.index.data[o + 3]!;
    if (id1 !== 0) return id1 - 1;
    const id = this.keyA.length;
    this.keyA.push(a);
    this.keyB.push(b);
    this.packets.push(0);
    this.index.data[o + 3] = id + 1;
    return id;
  }

  add(row: number, host: number, packets: number): void {
    this.packets[row]! += packets;
    if (this.members === this.memberRow.length) {
      const rows = new Int32Array(this.members * 2);
      rows.set(this.memberRow);
      this.memberRow = rows;
      const hosts = new Int32Array(this.members * 2);
      hosts.set(this.memberHost);
      this.memberHost = hosts;
    }
    this.memberRow[this.members] = row;
    this.memberHost[this.members] = host;
    this.members++;
  }

  /** One sketch per row, from the hosts' keys (hi, lo interleaved) and HLL slots. */
  sketches(keys: Uint32Array, slots: Uint32Array): SourceSketch[] {
    const rows = this.size;
    const start = new Int32Array(rows + 1);
    for (let i = 0; i < this.members; i++) start[this.memberRow[i]! + 1]! += 1;
    for (let r = 0; r < rows; r++) start[r + 1]! += start[r]!;
    const fill = start.slice(0, rows);
    const hosts = new Int32Array(this.members);
    for (let i = 0; i < this.members; i++) {
      const r = this.memberRow[i]!;
      hosts[fill[r]!++] = this.memberHost[i]!;
    }
    const out: SourceSketch[] = new Array(rows);
    for (let r = 0; r < rows; r++) out[r] = sketchOf(hosts, start[r]!, start[r + 1]!, keys, slots);
    return out;
  }
}

/** The sketch of the hosts in hosts[from, to) (each host once). */
export function sketchOf(
  hosts: Int32Array,
  from: number,
  to: number,
  keys: Uint32Array,
  slots: Uint32Array,
): SourceSketch {
  const n = to - from;
  if (n === 1) {
    const h = hosts[from]!;
    pairScratch[0] = keys[2 * h]!;
    pairScratch[1] = keys[2 * h + 1]!;
    return SourceSketch.ofSortedKeys(pairScratch, 1);
  }
  if (n <= SORTED_MAX) {
    // Sort by the key's high word (with the member's position in the low 12 bits, so
    // the sort is a native numeric one). Only IPv6 keys can share a high word.
    const order = orderScratch.subarray(0, n);
    for (let i = 0; i < n; i++) order[i] = keys[2 * hosts[from + i]!]! * SORTED_MAX + i;
    order.sort();
    const pairs = pairScratch;
    let m = 0;
    let ties = false;
    for (let j = 0; j < n; j++) {
      const h = hosts[from + (order[j]! % SORTED_MAX)]!;
      const hi = keys[2 * h]!;
      const lo = keys[2 * h + 1]!;
      if (m > 0 && pairs[2 * m - 2] === hi) {
        if (pairs[2 * m - 1] === lo) continue; // an IPv4-mapped IPv6 source and its IPv4
        ties = true;
      }
      pairs[2 * m] = hi;
      pairs[2 * m + 1] = lo;
      m++;
    }
    if (ties) m = sortTies(pairs, m);
    if (m <= LIMIT) return SourceSketch.ofSortedKeys(pairs, m);
  }
  const regs = new Uint8Array(HLL_REGISTERS);
  for (let i = from; i < to; i++) {
    const s = slots[hosts[i]!]!;
    const idx = s >>> 8;
    const rank = s & 0xff;
    if (rank > regs[idx]!) regs[idx] = rank;
  }
  return SourceSketch.ofRegisters(regs);
}

/**
 * Orders runs of equal high words by the low word (insertion sort: such runs need a
 * 32-bit collision of IPv6 keys) and drops duplicates that were not adjacent before.
 * Returns the new number of pairs.
 */
function sortTies(pairs: Uint32Array, m: number): number {
  for (let i = 1; i < m; i++) {
    const hi = pairs[2 * i]!;
    const lo = pairs[2 * i + 1]!;
    let j = i - 1;
    while (j >= 0 && pairs[2 * j] === hi && pairs[2 * j + 1]! > lo) {
      pairs[2 * j + 2] = pairs[2 * j]!;
      pairs[2 * j + 3] = pairs[2 * j + 1]!;
      j--;
    }
    pairs[2 * j + 2] = hi;
    pairs[2 * j + 3] = lo;
  }
  let k = 0;
  for (let i = 0; i < m; i++) {
    if (k > 0 && pairs[2 * k - 2] === pairs[2 * i] && pairs[2 * k - 1] === pairs[2 * i + 1])
      continue;
    pairs[2 * k] = pairs[2 * i]!;
    pairs[2 * k + 1] = pairs[2 * i + 1]!;
    k++;
  }
  return k;
}
