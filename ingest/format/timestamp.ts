/**
 * Exact conversion of pcapng 64-bit time stamps (a tick count split in two 32-bit halves) to
 * whole seconds + nanoseconds, without floating-point loss and without BigInt: hi * 2^32 + lo
 * exceeds 2^53 for nanosecond ticks, so the division is done in 16-bit limbs, each step below
 * 2^50 so that every double operation is exact. Resolutions finer than a nanosecond are floored
 * to the nanosecond.
 *
 * if_tsresol: bit 7 clear = 10^-n seconds, set = 2^-n seconds; default 10^-6. Exponents past
 * what fits 64 bits (10^-20 and finer, 2^-64 and finer) make wiretap use 2^64-1 ticks per second;
 * we give such time stamps 0 s (documented, no real tool writes them).
 */

/** How an interface's ticks turn into time (TickUnit.kind). */
export const TickKind = {
  /** 10^-k, k <= 9: ticks / 10^k, remainder * 10^(9-k) ns. */
  Pow10: 0,
  /** 10^-k, 9 < k <= 19: ns = ticks / 10^(k-9), then / 10^9. */
  Pow10Fine: 1,
  /** 2^-k, k <= 63. */
  Pow2: 2,
  /** Unsupported resolution. */
  Invalid: 3,
} as const;

export interface TickUnit {
  kind: number;
  /** Exponent k (10^-k or 2^-k). */
  exp: number;
  /** Pow10: 10^k; Pow10Fine: 10^(k-9); Pow2: unused. */
  div: number;
  /** Pow10: 10^(9-k) ns per tick. */
  mul: number;
}

export function tickUnit(tsresol: number): TickUnit {
  const exp = tsresol & 0x7f;
  if (tsresol & 0x80) {
    if (exp > 63) return { kind: TickKind.Invalid, exp, div: 1, mul: 0 };
    return { kind: TickKind.Pow2, exp, div: 1, mul: 0 };
  }
  if (exp <= 9) return { kind: TickKind.Pow10, exp, div: 10 ** exp, mul: 10 ** (9 - exp) };
  if (exp <= 19) return { kind: TickKind.Pow10Fine, exp, div: 10 ** (exp - 9), mul: 1 };
  return { kind: TickKind.Invalid, exp, div: 1, mul: 0 };
}

export const MICROSECONDS: TickUnit = tickUnit(6);

const TWO32 = 4294967296;

/**
 * Converts ticks to time; the result lands in `out` (reused, no allocation).
 * `out.sec` may exceed 2^53 only for absurd time stamps (seconds resolution near 2^64).
 */
export class TickConverter {
  sec = 0;
  nsec = 0;
  // 64-bit quotient of the last div64 as two 32-bit halves, and its remainder.
  private qHi = 0;
  private qLo = 0;
  private rem = 0;

  /** (hi * 2^32 + lo) / d for an integer 1 <= d <= 2^34; sets qHi, qLo, rem. */
  private div64(hi: number, lo: number, d: number): void {
    // Limbs of 16 bits: every partial dividend r * 65536 + limb < d * 65536 <= 2^50, exact; and
    // the quotient of each step is < 2^16 so Math.floor of the correctly rounded division is
    // exact (its error is far below 1/d).
    let x = hi >>> 16;
    const q3 = Math.floor(x / d);
    let r = x - q3 * d;
    x = r * 65536 + (hi & 0xffff);
    const q2 = Math.floor(x / d);
    r = x - q2 * d;
    x = r * 65536 + (lo >>> 16);
    const q1 = Math.floor(x / d);
    r = x - q1 * d;
    x = r * 65536 + (lo & 0xffff);
    const q0 = Math.floor(x / d);
    r = x - q0 * d;
    // q3 can exceed 16 bits only when d < 1; q2..q0 < 65536 as r < d.
    this.qHi = q3 * 65536 + q2;
    this.qLo = q1 * 65536 + q0;
    this.rem = r;
  }

  /** Ticks hi:lo (unsigned 32-bit halves) in unit u. */
  convert(hi: number, lo: number, u: TickUnit): void {
    switch (u.kind) {
      case TickKind.Pow10: {
        if (u.div === 1) {
          this.sec = hi * TWO32 + lo;
          this.nsec = 0;
          return;
        }
        this.div64(hi, lo, u.div);
        this.sec = this.qHi * TWO32 + this.qLo;
        this.nsec = this.rem * u.mul;
        return;
      }
      case TickKind.Pow10Fine: {
        this.div64(hi, lo, u.div); // -> nanoseconds (floored)
        this.div64(this.qHi, this.qLo, 1e9);
        this.sec = this.qHi * TWO32 + this.qLo;
        this.nsec = this.rem;
        return;
      }
      case TickKind.Pow2: {
        this.pow2(hi, lo, u.exp);
        return;
      }
      default:
        this.sec = 0;
        this.nsec = 0;
    }
  }

  private pow2(hi: number, lo: number, k: number): void {
    // 1e9 = 1953125 * 2^9, so nsec = floor(rem * 1953125 / 2^(k-9)) and rem * 1953125 stays
    // below 2^53 piece by piece.
    if (k <= 32) {
      const p = 2 ** k;
      const loQ = Math.floor(lo / p);
      const rem = lo - loQ * p;
      this.sec = hi * 2 ** (32 - k) + loQ;
      const m = rem * 1953125; // < 2^32 * 2^21 = 2^53
      this.nsec = k >= 9 ? Math.floor(m / 2 ** (k - 9)) : m * 2 ** (9 - k);
      return;
    }
    // k in 33..63: sec = hi >> (k - 32); rem = (hi mod 2^(k-32)) * 2^32 + lo.
    const p = 2 ** (k - 32);
    const hiQ = Math.floor(hi / p);
    const remHi = hi - hiQ * p; // < 2^31
    this.sec = hiQ;
    // value = rem * 1953125 = H * 2^32 + L, nsec = floor(value / 2^s), s = k - 9 in 24..54.
    const H = remHi * 1953125; // < 2^52
    const L = lo * 1953125; // < 2^53
    const s = k - 9;
    if (s <= 32) {
      this.nsec = H * 2 ** (32 - s) + Math.floor(L / 2 ** s);
    } else {
      const Lh = Math.floor(L / TWO32);
      this.nsec = Math.floor((H + Lh) / 2 ** (s - 32));
    }
  }
}
