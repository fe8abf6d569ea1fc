/**
 * IPv4 special-purpose blocks (IANA IPv4 Special-Purpose Address Registry, RFC 6890 and
 * successors; multicast RFC 5771; reserved 240/4 RFC 1112). These never belong to a
 * country or an AS, but spoofed packets carry them, and the packaged data places some of
 * them (e.g. 172.16.0.0/12, 192.168.0.0/16) in a country. Lookups answer 'ZZ' / 0 here.
 */
const BLOCKS: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private (RFC 1918)
  ['100.64.0.0', 10], // shared address space (RFC 6598)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link local
  ['172.16.0.0', 12], // private (RFC 1918)
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.168.0.0', 16], // private (RFC 1918)
  ['198.18.0.0', 15], // benchmarking (RFC 2544)
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
];

function toRange([addr, bits]: readonly [string, number]): readonly [number, number] {
  const start = addr.split('.').reduce((a, b) => a * 256 + Number(b), 0);
  return [start, start + 2 ** (32 - bits) - 1] as const;
}

/** Inclusive [start, end] uint32 ranges, sorted. */
export const SPECIAL_PURPOSE_IPV4: ReadonlyArray<readonly [number, number]> = Object.freeze(
  BLOCKS.map(toRange),
);

/** Per first octet: 0 = no special block, 1 = the whole /8 is special, 2 = look closer. */
const FIRST_OCTET = (() => {
  const t = new Uint8Array(256);
  for (const [s, e] of SPECIAL_PURPOSE_IPV4) {
    for (let o = s >>> 24; o <= e >>> 24; o++) {
      const whole = s <= o * 2 ** 24 && e >= (o + 1) * 2 ** 24 - 1;
      t[o] = whole ? 1 : Math.max(t[o]!, 2);
    }
  }
  return t;
})();

/** True for addresses in a special-purpose block (`ip` an unsigned 32-bit integer). */
export function isSpecialPurpose4(ip: number): boolean {
  const kind = FIRST_OCTET[ip >>> 24]!;
  if (kind !== 2) return kind === 1;
  ip >>>= 0;
  for (const [s, e] of SPECIAL_PURPOSE_IPV4) if (ip >= s && ip <= e) return true;
  return false;
}

/**
 * IPv6 sources that cannot be genuine on the Internet: unspecified (::), loopback
 * (::1), discard-only (100::/64), unique local (fc00::/7), link local (fe80::/10),
 * multicast (ff00::/8, never a source), documentation (2001:db8::/32 and 3fff::/20)
 * (RFC 4291, 6666, 4193, 3849, 9637; IANA IPv6 special-purpose registry). `addr` is
 * 16 bytes.
 */
export function isSpecialPurpose6(addr: Uint8Array): boolean {
  const b0 = addr[0]!;
  if (b0 === 0xff || (b0 & 0xfe) === 0xfc) return true;
  if (b0 === 0xfe) return (addr[1]! & 0xc0) === 0x80;
  if (b0 === 0x20) return addr[1] === 0x01 && addr[2] === 0x0d && addr[3] === 0xb8;
  if (b0 === 0x3f) return addr[1] === 0xff && (addr[2]! & 0xf0) === 0;
  if (b0 === 0x01) return addr[1] === 0 && zeroBytes(addr, 2, 8);
  if (b0 !== 0) return false;
  return zeroBytes(addr, 1, 15) && addr[15]! <= 1;
}

/** True when addr[from..to) are all zero. */
function zeroBytes(addr: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (addr[i] !== 0) return false;
  return true;
}
