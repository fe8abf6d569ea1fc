import { describe, expect, it } from 'vitest';
import { erfHeaderLength, erfTime } from './erf';

/** An ERF record header: time (seconds, 2^-32 fraction), type, flags 0, lengths. */
function header(sec: number, frac: number, type: number, extra: number[] = []): Uint8Array {
  const b = new Uint8Array(16 + extra.length);
  const v = new DataView(b.buffer);
  v.setUint32(0, frac, true);
  v.setUint32(4, sec, true);
  b[8] = type;
  v.setUint16(10, b.length);
  b.set(extra, 16);
  return b;
}

describe('ERF record time (classic pcap)', () => {
  it('rounds the 2^-32 fraction to the nanosecond as wiretap does, carrying into seconds', () => {
    expect(erfTime(header(1709985600, 0x80000000, 22), 0)).toEqual({ sec: 1709985600, nsec: 5e8 });
    expect(erfTime(header(1709985600, 1, 22), 0)).toEqual({ sec: 1709985600, nsec: 0 });
    // 3 * 2^-32 s = 0.698 ns rounds up; 2 * 2^-32 = 0.466 ns rounds down
    expect(erfTime(header(1709985600, 3, 22), 0).nsec).toBe(1);
    expect(erfTime(header(1709985600, 2, 22), 0).nsec).toBe(0);
    expect(erfTime(header(1709985600, 0xffffffff, 22), 0)).toEqual({ sec: 1709985601, nsec: 0 });
    // seconds use all 32 bits (unsigned)
    expect(erfTime(header(0xfffffffe, 0, 22), 0).sec).toBe(0xfffffffe);
  });
});

describe('ERF headers before the frame', () => {
  it('counts the extension headers and the type header', () => {
    expect(erfHeaderLength(header(0, 0, 22, [0x45]), 0, 17)).toBe(16);
    expect(erfHeaderLength(header(0, 0, 2, [0, 0]), 0, 18)).toBe(18);
    expect(erfHeaderLength(header(0, 0, 5, [0, 0, 0, 0]), 0, 20)).toBe(20);
    const twoExt = [0x81, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(erfHeaderLength(header(0, 0, 0x82, twoExt), 0, 34)).toBe(34);
  });

  it('names what a record is too short for', () => {
    expect(erfHeaderLength(new Uint8Array(10), 0, 10)).toMatch(
      /too small for the 16-byte ERF header/,
    );
    const chain = header(0, 0, 0x82, [0x81, 0, 0, 0, 0, 0, 0, 0]);
    expect(erfHeaderLength(chain, 0, 24)).toMatch(/too small for its extension headers/);
    expect(erfHeaderLength(header(0, 0, 2, [0]), 0, 17)).toMatch(/2-byte header of its type/);
  });
});
