/**
 * IP address and prefix parsing shared by the API (lib/api/params.ts) and the views (the
 * host search): kept free of zod so it adds nothing to the views' JavaScript.
 */

/** An IPv4 or IPv6 address in canonical text (IPv6 lowercased and compressed). */
export function canonicalIp(s: string): string | null {
  const t = s.trim();
  const m4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(t);
  if (m4) {
    const octets = m4.slice(1).map(Number);
    if (octets.some((o) => o > 255)) return null;
    return octets.join('.');
  }
  if (!/^[0-9a-fA-F:.]+$/.test(t) || !t.includes(':') || t.length > 45) return null;
  try {
    return new URL(`http://[${t}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
}

/**
 * An address prefix: an IPv4 CIDR ('203.0.113.0/24', '198.51.100.0/22'), a dotted IPv4
 * start ('203.0.113.', '203.0'), or an IPv6 CIDR on a 16-bit boundary ('2001:db8::/32',
 * matched on the address text). Parsed to SQL LIKE patterns (at most 128).
 */
export interface IpPrefix {
  /** Patterns such as '203.0.113.%'; an address matches when it matches any. */
  likes: string[];
  label: string;
}

export function parseIpPrefix(s: string): IpPrefix | null {
  const t = s.trim();
  const cidr = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(t);
  if (cidr) {
    const addr = canonicalIp(cidr[1]!);
    const bits = Number(cidr[2]);
    if (!addr) return null;
    if (!addr.includes(':')) {
      if (bits > 32 || bits < 1) return null;
      const n = addr.split('.').reduce((a, o) => a * 256 + Number(o), 0);
      const size = 2 ** (32 - bits);
      const base = Math.floor(n / size) * size;
      const octets = [
        Math.floor(base / 16777216),
        (base >>> 16) & 255,
        (base >>> 8) & 255,
        base & 255,
      ];
      const label = `${octets.join('.')}/${bits}`;
      if (bits === 32) return { likes: [octets.join('.')], label };
      const whole = Math.floor(bits / 8);
      const head = octets
        .slice(0, whole)
        .map((o) => `${o}.`)
        .join('');
      const rest = bits % 8;
      if (rest === 0) return { likes: [`${head}%`], label };
      const count = 2 ** (8 - rest);
      const first = octets[whole]!;
      const likes: string[] = [];
      for (let o = first; o < first + count; o++)
        likes.push(whole === 3 ? `${head}${o}` : `${head}${o}.%`);
      return { likes, label };
    }
    if (bits > 128 || bits < 16 || bits % 16 !== 0) return null;
    if (bits === 128) return { likes: [addr], label: `${addr}/128` };
    const groups = expandIPv6(addr).slice(0, bits / 16);
    return { likes: [`${groups.join(':')}:%`], label: `${addr}/${bits}` };
  }
  const dotted = /^(\d{1,3})(\.\d{1,3}){0,2}\.?$/.exec(t);
  if (dotted) {
    const octets = t.replace(/\.$/, '').split('.').map(Number);
    if (octets.some((o) => o > 255)) return null;
    const head = `${octets.join('.')}.`;
    return { likes: [`${head}%`], label: `${head}*` };
  }
  return null;
}

/** The eight hex groups of a canonical IPv6 text ('::' expanded to its zero groups). */
export function expandIPv6(addr: string): string[] {
  const [head, tail] = addr.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const zeros = addr.includes('::') ? Array(8 - h.length - t.length).fill('0') : [];
  return [...h, ...zeros, ...t];
}
