import { describe, expect, it } from 'vitest';
import { IntCounter, PairSet, U32Set, WordSet } from './word-set';

function* rand(n: number, seed = 7): Generator<number> {
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    yield x >>> 0;
  }
}

describe('exact sets and counters', () => {
  it('U32Set equals a Set, zero and 0xffffffff included, across growth', () => {
    const s = new U32Set(4);
    const ref = new Set<number>();
    for (const v of [0, 0, 0xffffffff, 1, ...[...rand(50_000)].map((x) => x % 20_000)]) {
      expect(s.add(v)).toBe(!ref.has(v));
      ref.add(v);
    }
    expect(s.size).toBe(ref.size);
  });

  it('PairSet equals a Set of pairs', () => {
    const s = new PairSet(4);
    const ref = new Set<string>();
    const r = [...rand(60_000, 3)];
    for (let i = 0; i < r.length; i++) {
      const a = r[i]! % 3000;
      const b = (r[i]! >>> 20) + 1;
      expect(s.add(a, b)).toBe(!ref.has(`${a},${b}`));
      ref.add(`${a},${b}`);
    }
    expect(s.size).toBe(ref.size);
  });

  it('WordSet (IPv6 keys) equals a Set of strings', () => {
    const s = new WordSet(5, 4);
    const ref = new Set<string>();
    const r = [...rand(40_000, 11)];
    for (let i = 0; i + 4 < r.length; i += 4) {
      const k = [0x20010db8, 0, r[i]! % 7, r[i + 1]! % 900, 1];
      expect(s.add(k)).toBe(!ref.has(k.join(',')));
      ref.add(k.join(','));
    }
    expect(s.add([0, 0, 0, 0, 1])).toBe(true); // "::"
    expect(s.add([0, 0, 0, 0, 1])).toBe(false);
    expect(s.size).toBe(ref.size + 1);
  });

  it('IntCounter counts and carries the extra counter', () => {
    const c = new IntCounter(2);
    const ref = new Map<number, [number, number]>();
    for (const v of rand(30_000, 5)) {
      const k = v % 70_000;
      const e = v & 1;
      c.add(k, e);
      const cur = ref.get(k) ?? [0, 0];
      ref.set(k, [cur[0] + 1, cur[1] + e]);
    }
    c.add(0);
    ref.set(0, [(ref.get(0)?.[0] ?? 0) + 1, ref.get(0)?.[1] ?? 0]);
    const got = new Map(c.entries().map(([k, n, e]) => [k, [n, e]]));
    expect(got).toEqual(ref);
  });
});
