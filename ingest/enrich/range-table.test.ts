import { describe, expect, it } from 'vitest';
import { maskPartition4, paintRanges, type RawRanges, Table4, Table6 } from './range-table';

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

type Row = [start: number, end: number, value: number];

/** Reference semantics: the last row (stably sorted by start) containing x wins. */
function brute(rows: Row[], x: number): number {
  const sorted = [...rows].sort((a, b) => a[0] - b[0]);
  let v = 0;
  for (const [s, e, val] of sorted) if (s <= x && x <= e) v = val;
  return v;
}

function raw4(rows: Row[]): RawRanges {
  return {
    words: 1,
    count: rows.length,
    starts: Uint32Array.from(rows, (r) => r[0]),
    ends: Uint32Array.from(rows, (r) => r[1]),
    values: Uint32Array.from(rows, (r) => r[2]),
  };
}

function raw6(rows: Row[]): RawRanges {
  const starts = new Uint32Array(rows.length * 4);
  const ends = new Uint32Array(rows.length * 4);
  rows.forEach(([s, e], i) => {
    starts[i * 4 + 3] = s;
    ends[i * 4 + 3] = e;
  });
  return {
    words: 4,
    count: rows.length,
    starts,
    ends,
    values: Uint32Array.from(rows, (r) => r[2]),
  };
}

describe('paintRanges', () => {
  it('matches the reference on random nested / overlapping / same-start ranges', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = rng(seed);
      const rows: Row[] = [];
      const n = 1 + (next() % 12);
      for (let i = 0; i < n; i++) {
        const s = next() % 200;
        rows.push([s, s + (next() % 60), 1 + (next() % 4)]);
      }
      // Sorted by start (ties keep their random order) for half the seeds, as the
      // packaged files are; unsorted input is stably sorted first.
      if (seed % 2) rows.sort((a, b) => a[0] - b[0]);
      const t = new Table4(paintRanges(raw4(rows)));
      // The same rows as 4-word keys (value in the last word) take the generic path.
      const t6 = new Table6(paintRanges(raw6(rows)));
      const addr = new Uint8Array(16);
      for (let x = 0; x < 300; x++) {
        const want = brute(rows, x);
        expect(t.lookup(x), `seed ${seed} x ${x}`).toBe(want);
        addr[14] = x >> 8;
        addr[15] = x & 255;
        expect(t6.lookup(addr), `seed ${seed} x ${x} (4 words)`).toBe(want);
      }
      // Partition invariants: strictly increasing starts, no equal neighbours.
      for (let i = 1; i < t.count; i++) {
        expect(t.starts[i]!).toBeGreaterThan(t.starts[i - 1]!);
        expect(t.values[i]).not.toBe(t.values[i - 1]);
      }
    }
  });

  it('lets a later row with the same start override an earlier one (file order)', () => {
    // geo-whois-asn-country: 3517600032,3517600063,MX then 3517600032,3517600079,US
    const t = new Table4(
      paintRanges(
        raw4([
          [100, 131, 1],
          [100, 147, 2],
          [148, 155, 1],
        ]),
      ),
    );
    expect(t.lookup(100)).toBe(2);
    expect(t.lookup(131)).toBe(2);
    expect(t.lookup(147)).toBe(2);
    expect(t.lookup(148)).toBe(1);
  });

  it('handles ranges ending at the top of the space', () => {
    const rows: Row[] = [
      [0xffffff00, 0xffffffff, 7],
      [0xfffffff0, 0xffffffff, 8],
      [5, 9, 3],
    ];
    const t = new Table4(paintRanges(raw4(rows)));
    expect(t.lookup(0xffffffff)).toBe(8);
    expect(t.lookup(0xffffffef)).toBe(7);
    expect(t.lookup(0xfffffeff)).toBe(0);
    expect(t.lookup(7)).toBe(3);
    expect(t.lookup(10)).toBe(0);
    expect(t.end(t.count - 1)).toBe(0xffffffff);
  });

  it('paints 4-word (IPv6) keys with carries across words', () => {
    // [a::, a::ffff:ffff:ffff:ffff] (value 1), nested [a::1:0:0, a::1:ffff:ffff] (value 2).
    const starts = Uint32Array.of(0x000a0000, 0, 0, 0, 0x000a0000, 0, 1, 0);
    const ends = Uint32Array.of(
      0x000a0000,
      0,
      0xffffffff,
      0xffffffff,
      0x000a0000,
      0,
      1,
      0xffffffff,
    );
    const t = new Table6(
      paintRanges({ words: 4, count: 2, starts, ends, values: Uint32Array.of(1, 2) }),
    );
    const addr = (w: number[]): Uint8Array => {
      const b = new Uint8Array(16);
      const v = new DataView(b.buffer);
      w.forEach((x, i) => {
        v.setUint32(i * 4, x);
      });
      return b;
    };
    expect(t.lookup(addr([0x000a0000, 0, 0, 5]))).toBe(1);
    expect(t.lookup(addr([0x000a0000, 0, 1, 0]))).toBe(2);
    expect(t.lookup(addr([0x000a0000, 0, 1, 0xffffffff]))).toBe(2);
    expect(t.lookup(addr([0x000a0000, 0, 2, 0]))).toBe(1);
    expect(t.lookup(addr([0x000a0000, 1, 0, 0]))).toBe(0);
    expect(t.lookup(addr([0x0009ffff, 0xffffffff, 0xffffffff, 0xffffffff]))).toBe(0);
    expect(t.lookup(addr([0xffffffff, 0, 0, 0]))).toBe(0);
  });
});

describe('maskPartition4', () => {
  it('forces 0 over masked ranges and keeps the rest', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const next = rng(seed);
      const rows: Row[] = [];
      for (let i = 0; i < 8; i++) {
        const s = next() % 200;
        rows.push([s, s + (next() % 60), 1 + (next() % 4)]);
      }
      const masks: Array<readonly [number, number]> = [];
      let at = next() % 20;
      while (at < 260) {
        const len = next() % 15;
        masks.push([at, at + len]);
        at += len + 2 + (next() % 40);
      }
      const t = new Table4(maskPartition4(paintRanges(raw4(rows)), masks));
      for (let x = 0; x < 300; x++) {
        const inMask = masks.some(([s, e]) => s <= x && x <= e);
        expect(t.lookup(x), `seed ${seed} x ${x}`).toBe(inMask ? 0 : brute(rows, x));
      }
      for (let i = 1; i < t.count; i++) expect(t.values[i]).not.toBe(t.values[i - 1]);
    }
    const top = new Table4(
      maskPartition4(paintRanges(raw4([[0, 0xffffffff, 5]])), [[0xf0000000, 0xffffffff]]),
    );
    expect(top.lookup(0xefffffff)).toBe(5);
    expect(top.lookup(0xffffffff)).toBe(0);
  });
});
