/**
 * Scanner and spoofing fingerprints as data: each row has a name, a description, a
 * public reference and a per-packet test. A row's index is its bit in
 * fingerprintMask(), so a new fingerprint is a new row (append only: stored rows refer
 * to rules by name, the mask by position). Tests are integer-only and allocate nothing.
 * See docs/FINGERPRINTS.md.
 */
import type { PacketRecord } from '../decode/packet-record';
import { isSpecialPurpose4, isSpecialPurpose6 } from '../enrich/special-ranges';

// Module-local bindings for the hot path: under a CommonJS transpile (tsx), every use
// of an imported binding is a getter call on the module object.
const PROTO_TCP = 6;
const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_RST = 0x04;
const TCP_ACK = 0x10;
const special4 = isSpecialPurpose4;
const special6 = isSpecialPurpose6;

export interface FingerprintRule {
  name: string;
  description: string;
  reference: string;
  test: (rec: PacketRecord) => boolean;
}

/** A bare TCP SYN: SYN set; ACK, RST and FIN clear (ECN/PSH/URG bits ignored). */
export function isBareSyn(rec: PacketRecord): boolean {
  return (
    rec.proto === PROTO_TCP &&
    !rec.laterFragment &&
    rec.tcpFlags >= 0 &&
    (rec.tcpFlags & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN)) === TCP_SYN
  );
}

function sameAddress(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const FINGERPRINT_RULES: readonly FingerprintRule[] = Object.freeze([
  {
    name: 'mirai',
    description:
      'Mirai-family telnet/IoT scanner: IPv4 TCP SYN whose sequence number equals the ' +
      'destination IPv4 address.',
    reference:
      'Mirai source, bot/scanner.c (`tcph->seq = iph->daddr`), github.com/jgamblin/Mirai-Source-Code; ' +
      'Antonakakis et al., "Understanding the Mirai Botnet", USENIX Security 2017',
    test: (r) => r.ipVersion === 4 && isBareSyn(r) && r.tcpSeq === r.dst4,
  },
  {
    name: 'zmap',
    description:
      'IPv4 identification 54321, the constant ZMap writes in every probe (any protocol). ' +
      'Weak alone: many raw-socket tools copy the value.',
    reference:
      'ZMap source, src/probe_modules/packet.c make_ip_header (`ip_id = htons(54321)`), ' +
      'github.com/zmap/zmap; Durumeric et al., "ZMap", USENIX Security 2013',
    test: (r) => r.ipVersion === 4 && !r.laterFragment && r.ipId === 54321,
  },
  {
    name: 'masscan',
    description:
      'masscan SYN probe: IPv4 TCP SYN with IP ID = (destination IPv4 xor destination ' +
      'port xor sequence number) & 0xffff (1 in 65536 chance match otherwise).',
    reference:
      'masscan source, src/templ-pkt.c tcp_create_packet (`ip_id = ip_them ^ port_them ^ seqno`), ' +
      'github.com/robertdavidgraham/masscan',
    test: (r) =>
      r.ipVersion === 4 &&
      isBareSyn(r) &&
      r.ipId >= 0 &&
      r.tcpSeq >= 0 &&
      r.ipId === ((r.dst4 ^ r.dstPort ^ r.tcpSeq) & 0xffff),
  },
  {
    name: 'large-scale-scanner',
    description:
      'Stateless mass-scanner profile: TCP SYN without ACK, window 1024, no TCP options ' +
      "(masscan's default SYN template and many bots built on it).",
    reference:
      'masscan source, src/templ-pkt.c default_tcp_template ("window fixed to 1024"; no TCP ' +
      'options before an MSS option was added), github.com/robertdavidgraham/masscan',
    test: (r) => isBareSyn(r) && r.tcpWindow === 1024 && r.tcpOptionsLen === 0,
  },
  {
    name: 'eternalblue-window',
    description:
      'TCP SYN to 445/TCP with window 8192: the SYN of Windows hosts infected by MS17-010 ' +
      '(EternalBlue) worms, e.g. WannaCry-style spreaders, scanning for SMB.',
    reference:
      'JPCERT/CC Internet threat monitoring (TSUBAME) quarterly report, July-September 2020 ' +
      '(window 8192 SYNs to 445/TCP); Microsoft Security Bulletin MS17-010',
    test: (r) => isBareSyn(r) && r.dstPort === 445 && r.tcpWindow === 8192,
  },
  {
    name: 'bogon-source',
    description:
      'Spoofing hint: the source is a special-purpose address (private, loopback, link ' +
      'local, shared, documentation, multicast, reserved) that cannot route back.',
    reference:
      'IANA IPv4/IPv6 Special-Purpose Address Registries (RFC 6890); RFC 1918; RFC 6598; ' +
      'RFC 4193; RFC 4291; RFC 3849; RFC 6666; RFC 9637; BCP 38 (RFC 2827)',
    test: (r) => (r.ipVersion === 4 ? special4(r.src4) : r.ipVersion === 6 && special6(r.src6)),
  },
  {
    name: 'land',
    description:
      'Spoofing hint: source address equals destination address (the "LAND" attack ' +
      'pattern; to a darknet, packets forged with our own address).',
    reference: 'CERT Advisory CA-1997-28 (LAND); CVE-1999-0016',
    test: (r) =>
      r.ipVersion === 4 ? r.src4 === r.dst4 : r.ipVersion === 6 && sameAddress(r.src6, r.dst6),
  },
] satisfies FingerprintRule[]);

if (FINGERPRINT_RULES.length > 31) throw new Error('fingerprintMask holds at most 31 rules');

/**
 * The dispatcher is generated from the table once: one call site per rule, so each
 * site sees a single function and V8 can inline it (a loop over the table is one
 * megamorphic call site; measured ~2x slower).
 */
function compileMask(
  tests: ReadonlyArray<(rec: PacketRecord) => boolean>,
): (rec: PacketRecord) => number {
  const decls = tests.map((_, i) => `const t${i} = t[${i}];`).join('\n');
  const checks = tests.map((_, i) => `  if (t${i}(rec)) m |= ${2 ** i};`).join('\n');
  const src = `${decls}
return function fingerprintMask(rec) {
  if (rec.ipVersion === 0) return 0;
  let m = 0;
${checks}
  return m;
};`;
  return new Function('t', src)(tests) as (rec: PacketRecord) => number;
}

/** Bit i set when FINGERPRINT_RULES[i] matches. No allocation. */
export const fingerprintMask: (rec: PacketRecord) => number = compileMask(
  FINGERPRINT_RULES.map((r) => r.test),
);

/** Rule names of a mask, in table order (not for the hot path). */
export function fingerprintNames(mask: number): string[] {
  return FINGERPRINT_RULES.filter((_, i) => (mask & (1 << i)) !== 0).map((r) => r.name);
}
