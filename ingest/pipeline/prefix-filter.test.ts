import { describe, expect, it } from 'vitest';
import { parseIPv4 } from '../aggregate/ip-format';
import { PacketRecord } from '../decode/packet-record';
import { blockText, parseBlock, prefixFilter } from './prefix-filter';

function v4(dst: string): PacketRecord {
  const r = new PacketRecord();
  r.ipVersion = 4;
  r.ipLayer = 4;
  r.dst4 = parseIPv4(dst)!;
  return r;
}

function v6(dst: string): PacketRecord {
  const r = new PacketRecord();
  r.ipVersion = 6;
  r.ipLayer = 6;
  const groups = dst.split(':').map((g) => Number.parseInt(g, 16));
  groups.forEach((g, i) => {
    r.dst6[2 * i] = g >> 8;
    r.dst6[2 * i + 1] = g & 0xff;
  });
  return r;
}

describe('prefixFilter', () => {
  it('no prefixes: no filter (every packet counts)', () => {
    expect(prefixFilter('')).toBeNull();
    expect(prefixFilter(' , ')).toBeNull();
  });

  it('IPv4 blocks of any length, both edges of each block', () => {
    const covers = prefixFilter('192.0.2.0/24,198.51.100.128/25,203.0.113.7/32')!;
    const inside = ['192.0.2.0', '192.0.2.255', '198.51.100.128', '198.51.100.255', '203.0.113.7'];
    const outside = ['192.0.1.255', '192.0.3.0', '198.51.100.127', '203.0.113.6', '203.0.113.8'];
    for (const a of inside) expect(covers(v4(a)), a).toBe(true);
    for (const a of outside) expect(covers(v4(a)), a).toBe(false);
    // The top half of the address space: the masks are unsigned.
    const high = prefixFilter('240.0.0.0/4')!;
    expect(high(v4('255.255.255.255'))).toBe(true);
    expect(high(v4('239.255.255.255'))).toBe(false);
    expect(prefixFilter('0.0.0.0/0')!(v4('8.8.8.8'))).toBe(true);
  });

  it('IPv6 blocks, on and off byte boundaries; IPv4 blocks do not cover IPv6 and back', () => {
    const covers = prefixFilter('2001:db8:1::/48,2001:db8:ff80::/41,192.0.2.0/24')!;
    expect(covers(v6('2001:db8:1:0:0:0:0:1'))).toBe(true);
    expect(covers(v6('2001:db8:1:ffff:ffff:ffff:ffff:ffff'))).toBe(true);
    expect(covers(v6('2001:db8:2:0:0:0:0:1'))).toBe(false);
    expect(covers(v6('2001:db8:ff80:0:0:0:0:0'))).toBe(true);
    expect(covers(v6('2001:db8:ffff:ffff:0:0:0:0'))).toBe(true);
    expect(covers(v6('2001:db8:ff7f:ffff:0:0:0:0'))).toBe(false);
    expect(prefixFilter('2001:db8::/32')!(v4('192.0.2.1'))).toBe(false);
    expect(prefixFilter('192.0.2.0/24')!(v6('2001:db8:0:0:0:0:0:1'))).toBe(false);
  });

  it('a stored block that does not parse throws, naming it', () => {
    expect(() => prefixFilter('192.0.2.0/24,bogus')).toThrow("sensor prefixes: 'bogus'");
  });
});

describe('parseBlock', () => {
  it('stores IPv6 in its RFC 5952 form and refuses host bits', () => {
    const b = parseBlock('2001:0DB8:0000::/32');
    expect('error' in b ? b.error : blockText(b)).toBe('2001:db8::/32');
    expect(parseBlock('::/0')).toMatchObject({ version: 6, bits: 0 });
    expect(parseBlock('192.0.2.1/31')).toEqual({
      error: "'192.0.2.1/31' has host bits set (the block is 192.0.2.0/31)",
    });
  });
});
