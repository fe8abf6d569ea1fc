import {
  type PacketRecord,
  PROTO_ICMP,
  PROTO_ICMPV6,
  PROTO_TCP,
  PROTO_UDP,
} from '../decode/packet-record';

/**
 * A destination "port" as one 24-bit integer: protocol << 16 | port.
 * TCP/UDP use the destination port; ICMP and ICMPv6 use type << 8 | code; other IP
 * protocols use 0. Returns -1 when the packet has no such field (a later fragment,
 * or a transport header cut by the snap length).
 */
export function portKeyOf(r: PacketRecord): number {
  const proto = r.proto;
  if (proto === PROTO_TCP || proto === PROTO_UDP) {
    return r.dstPort >= 0 ? (proto << 16) | r.dstPort : -1;
  }
  if (proto === PROTO_ICMP || proto === PROTO_ICMPV6) {
    return r.icmpType >= 0 ? (proto << 16) | (r.icmpType << 8) | Math.max(0, r.icmpCode) : -1;
  }
  if (proto < 0 || r.laterFragment) return -1;
  return proto << 16;
}

export function protoName(proto: number): string {
  switch (proto) {
    case PROTO_TCP:
      return 'tcp';
    case PROTO_UDP:
      return 'udp';
    case PROTO_ICMP:
      return 'icmp';
    case PROTO_ICMPV6:
      return 'icmp6';
    default:
      return String(proto);
  }
}

export function protoOfKey(key: number): number {
  return key >>> 16;
}

export function portOfKey(key: number): number {
  return key & 0xffff;
}

/** 'tcp/445', 'icmp/8.0' style label of a port key. */
export function portLabel(key: number): string {
  const proto = protoOfKey(key);
  const port = portOfKey(key);
  if (proto === PROTO_ICMP || proto === PROTO_ICMPV6) {
    return `${protoName(proto)}/${port >>> 8}.${port & 0xff}`;
  }
  return `${protoName(proto)}/${port}`;
}
