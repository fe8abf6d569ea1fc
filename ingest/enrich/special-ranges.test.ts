import { describe, expect, it } from 'vitest';
import { isSpecialPurpose4, isSpecialPurpose6, SPECIAL_PURPOSE_IPV4 } from './special-ranges';

const ip4 = (s: string): number => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);

describe('special-purpose addresses', () => {
  it('IPv4: matches the block list exactly, at the edges too', () => {
    const naive = (ip: number): boolean =>
      SPECIAL_PURPOSE_IPV4.some(([s, e]) => s <= ip && ip <= e);
    const edges: number[] = [];
    for (const [s, e] of SPECIAL_PURPOSE_IPV4) edges.push(s - 1, s, e, e + 1);
    for (const ip of edges.filter((x) => x >= 0 && x <= 0xffffffff)) {
      expect(isSpecialPurpose4(ip), String(ip)).toBe(naive(ip));
    }
    for (let i = 0; i < 100_000; i++) {
      const ip = (Math.imul(i, 2654435761) >>> 0) ^ 0x5bd1e995;
      if (isSpecialPurpose4(ip >>> 0) !== naive(ip >>> 0)) throw new Error(`mismatch at ${ip}`);
    }
    for (const s of [
      '10.1.2.3',
      '172.31.255.255',
      '192.168.0.1',
      '127.0.0.1',
      '0.1.2.3',
      '100.64.0.1',
      '224.0.0.1',
      '255.255.255.255',
    ]) {
      expect(isSpecialPurpose4(ip4(s)), s).toBe(true);
    }
    for (const s of [
      '8.8.8.8',
      '172.32.0.1',
      '100.128.0.1',
      '192.169.0.1',
      '223.255.255.255',
      '1.1.1.1',
    ]) {
      expect(isSpecialPurpose4(ip4(s)), s).toBe(false);
    }
  });

  it('IPv6', () => {
    const a = (...bytes: number[]): Uint8Array => {
      const out = new Uint8Array(16);
      out.set(bytes.slice(0, 4));
      if (bytes.length > 4) out[15] = bytes[4]!;
      return out;
    };
    expect(isSpecialPurpose6(a(0, 0, 0, 0))).toBe(true); // ::
    expect(isSpecialPurpose6(a(0, 0, 0, 0, 1))).toBe(true); // ::1
    expect(isSpecialPurpose6(a(0, 0, 0, 0, 2))).toBe(false); // ::2 (IPv4-compatible, not listed)
    expect(isSpecialPurpose6(a(0xfc, 0, 0, 0))).toBe(true);
    expect(isSpecialPurpose6(a(0xfd, 0x12, 0, 0))).toBe(true);
    expect(isSpecialPurpose6(a(0xfe, 0x80, 0, 0))).toBe(true);
    expect(isSpecialPurpose6(a(0xfe, 0xc0, 0, 0))).toBe(false); // deprecated site-local: not listed
    expect(isSpecialPurpose6(a(0xff, 0x02, 0, 0))).toBe(true);
    expect(isSpecialPurpose6(a(0x20, 0x01, 0x0d, 0xb8))).toBe(true);
    expect(isSpecialPurpose6(a(0x20, 0x01, 0x48, 0x60))).toBe(false);
    expect(isSpecialPurpose6(a(0x3f, 0xff, 0x0f, 0xff))).toBe(true); // 3fff:fff::
    expect(isSpecialPurpose6(a(0x3f, 0xff, 0x10, 0))).toBe(false); // 3fff:1000:: is past /20
    expect(isSpecialPurpose6(a(0x01, 0, 0, 0, 0xff))).toBe(true); // 100::ff
    expect(isSpecialPurpose6(a(0x01, 0, 0, 1))).toBe(false); // 100:1::, past /64
  });
});
