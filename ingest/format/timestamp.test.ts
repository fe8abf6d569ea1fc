import { describe, expect, it } from 'vitest';
import { TickConverter, TickKind, tickUnit } from './timestamp';

/** Exact reference: floor(ticks / perSec) and floor((ticks % perSec) * 1e9 / perSec). */
function reference(ticks: bigint, tsresol: number): [bigint, bigint] {
  const exp = BigInt(tsresol & 0x7f);
  const perSec = tsresol & 0x80 ? 1n << exp : 10n ** exp;
  return [ticks / perSec, ((ticks % perSec) * 1_000_000_000n) / perSec];
}

// Deterministic pseudo-random 64-bit values (xorshift).
function* randomTicks(n: number): Generator<bigint> {
  let x = 0x9e3779b97f4a7c15n;
  for (let i = 0; i < n; i++) {
    x ^= (x << 13n) & 0xffffffffffffffffn;
    x ^= x >> 7n;
    x ^= (x << 17n) & 0xffffffffffffffffn;
    yield x & 0xffffffffffffffffn;
  }
}

const EDGES = [
  0n,
  1n,
  999_999n,
  1_000_000n,
  (1n << 32n) - 1n,
  1n << 32n,
  (1n << 53n) - 1n,
  1n << 53n,
  (1n << 53n) + 1n,
  1_700_000_000_999_999_999n, // ns ticks past 2^53
  1_709_251_199_999_999n,
  (1n << 64n) - 1n,
  (1n << 63n) + 12345n,
];

describe('pcapng tick conversion', () => {
  const resolutions = [
    ...Array.from({ length: 20 }, (_, k) => k), // 10^-0 .. 10^-19
    ...Array.from({ length: 64 }, (_, k) => 0x80 | k), // 2^-0 .. 2^-63
  ];

  it.each(resolutions)('if_tsresol 0x%s is exact against a BigInt reference', (tsresol) => {
    const u = tickUnit(tsresol);
    const c = new TickConverter();
    for (const t of [...EDGES, ...randomTicks(400)]) {
      const hi = Number(t >> 32n);
      const lo = Number(t & 0xffffffffn);
      c.convert(hi, lo, u);
      const [sec, nsec] = reference(t, tsresol);
      // Seconds beyond 2^53 cannot be exact as a number; they only occur for absurd times.
      if (sec <= BigInt(Number.MAX_SAFE_INTEGER)) expect(c.sec, `ticks ${t}`).toBe(Number(sec));
      expect(c.nsec, `ticks ${t}`).toBe(Number(nsec));
      expect(Number.isInteger(c.nsec) && c.nsec >= 0 && c.nsec < 1e9).toBe(true);
    }
  });

  it('defaults and out-of-range exponents', () => {
    expect(tickUnit(6).kind).toBe(TickKind.Pow10);
    expect(tickUnit(9).div).toBe(1e9);
    expect(tickUnit(12).kind).toBe(TickKind.Pow10Fine);
    expect(tickUnit(20).kind).toBe(TickKind.Invalid);
    expect(tickUnit(0x80 | 64).kind).toBe(TickKind.Invalid);
    const c = new TickConverter();
    c.convert(123, 456, tickUnit(20));
    expect([c.sec, c.nsec]).toEqual([0, 0]);
  });

  it('a nanosecond tick count beyond 2^53 keeps every digit', () => {
    const t = 1_709_251_199_123_456_789n;
    const c = new TickConverter();
    c.convert(Number(t >> 32n), Number(t & 0xffffffffn), tickUnit(9));
    expect([c.sec, c.nsec]).toEqual([1_709_251_199, 123_456_789]);
  });
});
