import { describe, expect, it } from 'vitest';
import { AliasTable, hash2, hashString, Rng } from './prng';

describe('Rng', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xa = Array.from({ length: 8 }, () => a.u32());
    expect(Array.from({ length: 8 }, () => b.u32())).toEqual(xa);
    expect(Array.from({ length: 8 }, () => c.u32())).not.toEqual(xa);
    a.reseed(42);
    expect(a.u32()).toBe(xa[0]);
  });

  it('draws uniform doubles and bounded integers', () => {
    const r = new Rng(1);
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = r.next();
      sum += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
    const seen = new Set(Array.from({ length: 1000 }, () => r.range(3, 5)));
    expect([...seen].sort()).toEqual([3, 4, 5]);
  });

  it.each([0.3, 5, 11.9, 12, 40, 2500])(
    'samples Poisson with mean and variance lambda (%d)',
    (lambda) => {
      const r = new Rng(7);
      const n = 40_000;
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const k = r.poisson(lambda);
        s += k;
        s2 += k * k;
      }
      const mean = s / n;
      const variance = s2 / n - mean * mean;
      expect(Math.abs(mean - lambda)).toBeLessThan(4 * Math.sqrt(lambda / n) + 1e-9);
      expect(variance / lambda).toBeGreaterThan(0.93);
      expect(variance / lambda).toBeLessThan(1.07);
    },
  );
});

describe('hashes', () => {
  it('are stable', () => {
    expect(hash2(1, 2)).toBe(hash2(1, 2));
    expect(hash2(1, 2)).not.toBe(hash2(2, 1));
    expect(hashString('nz-exchange')).toBe(hashString('nz-exchange'));
  });
});

describe('AliasTable', () => {
  it('samples in proportion to the weights', () => {
    const t = new AliasTable();
    const w = [1, 2, 3, 4, 0];
    t.build(w, w.length);
    const r = new Rng(3);
    const counts = [0, 0, 0, 0, 0];
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[t.sample(r)]! += 1;
    expect(counts[4]).toBe(0);
    for (let i = 0; i < 4; i++) expect(counts[i]! / n).toBeCloseTo(w[i]! / 10, 2);
  });
});
