/** Small packet builders for decoder tests (big-endian network headers). */

export function hexBytes(hex: string): Uint8Array {
  const h = hex.replace(/[^0-9a-f]/gi, '');
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function be16(v: number): number[] {
  return [(v >>> 8) & 0xff, v & 0xff];
}

function be32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

export function ipv4Addr(s: string): number[] {
  return s.split('.').map(Number);
}

export function ipv6Addr(s: string): number[] {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':').filter(Boolean) : [];
  const t = tail ? tail.split(':').filter(Boolean) : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => be16(Number.parseInt(g, 16)));
}

export function ethernet(
  type: number,
  payload: ArrayLike<number>,
  vlans: number[][] = [],
): Uint8Array {
  const b = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb];
  for (const [tpid, vid] of vlans) b.push(...be16(tpid!), ...be16(vid!));
  b.push(...be16(type), ...Array.from(payload));
  return Uint8Array.from(b);
}

export interface Ipv4Spec {
  src?: string;
  dst?: string;
  proto: number;
  ttl?: number;
  id?: number;
  /** Fragment offset in 8-byte units and flags (0x2000 = MF). */
  fragField?: number;
  options?: number[];
  /** Overrides total length. */
  totalLength?: number;
  /** Overrides the version/IHL byte. */
  verIhl?: number;
}

export function ipv4(spec: Ipv4Spec, payload: ArrayLike<number>): Uint8Array {
  const opts = spec.options ?? [];
  const ihl = 5 + Math.ceil(opts.length / 4);
  const optsPadded = [...opts, ...Array(ihl * 4 - 20 - opts.length).fill(0)];
  const total = spec.totalLength ?? ihl * 4 + payload.length;
  const b = [
    spec.verIhl ?? 0x40 | ihl,
    0,
    ...be16(total),
    ...be16(spec.id ?? 0x1234),
    ...be16(spec.fragField ?? 0),
    spec.ttl ?? 64,
    spec.proto,
    0,
    0,
    ...ipv4Addr(spec.src ?? '192.0.2.1'),
    ...ipv4Addr(spec.dst ?? '198.51.100.7'),
    ...optsPadded,
    ...Array.from(payload),
  ];
  return Uint8Array.from(b);
}

export interface Ipv6Spec {
  src?: string;
  dst?: string;
  nextHeader: number;
  hopLimit?: number;
  payloadLength?: number;
}

export function ipv6(spec: Ipv6Spec, payload: ArrayLike<number>): Uint8Array {
  const b = [
    0x60,
    0,
    0,
    0,
    ...be16(spec.payloadLength ?? payload.length),
    spec.nextHeader,
    spec.hopLimit ?? 64,
    ...ipv6Addr(spec.src ?? '2001:db8::1'),
    ...ipv6Addr(spec.dst ?? '2001:db8::2'),
    ...Array.from(payload),
  ];
  return Uint8Array.from(b);
}

/** An IPv6 extension header (hop-by-hop 0, routing 43, destination options 60): 8 bytes. */
export function ext6(nextHeader: number, body: number[] = [1, 4, 0, 0, 0, 0]): number[] {
  const len = Math.ceil((body.length + 2) / 8) * 8;
  return [nextHeader, len / 8 - 1, ...body, ...Array(len - 2 - body.length).fill(0)];
}

export function frag6(
  nextHeader: number,
  offset8: number,
  more: boolean,
  id = 0xabcd1234,
): number[] {
  return [nextHeader, 0, ...be16((offset8 << 3) | (more ? 1 : 0)), ...be32(id)];
}

export function ah(nextHeader: number, icvLen = 12): number[] {
  const len = 12 + icvLen;
  return [nextHeader, len / 4 - 2, 0, 0, ...be32(0x100), ...be32(1), ...Array(icvLen).fill(0)];
}

export interface TcpSpec {
  sport?: number;
  dport: number;
  seq?: number;
  ack?: number;
  flags?: number;
  window?: number;
  options?: number[];
  /** Overrides the data offset nibble. */
  dataOffset?: number;
}

export function tcp(spec: TcpSpec, payload: ArrayLike<number> = []): number[] {
  const opts = spec.options ?? [];
  const doff = spec.dataOffset ?? 5 + Math.ceil(opts.length / 4);
  return [
    ...be16(spec.sport ?? 40000),
    ...be16(spec.dport),
    ...be32(spec.seq ?? 1000),
    ...be32(spec.ack ?? 0),
    doff << 4,
    spec.flags ?? 0x02,
    ...be16(spec.window ?? 1024),
    0,
    0,
    0,
    0,
    ...opts,
    ...Array(Math.max(0, (5 + Math.ceil(opts.length / 4)) * 4 - 20 - opts.length)).fill(0),
    ...Array.from(payload),
  ];
}

export function udp(sport: number, dport: number, payload: number[] = []): number[] {
  return [...be16(sport), ...be16(dport), ...be16(8 + payload.length), 0, 0, ...payload];
}

export function icmp(type: number, code: number, rest: number[] = [0, 0, 0, 0]): number[] {
  return [type, code, 0, 0, ...rest];
}
