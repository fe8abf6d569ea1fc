import { describe, expect, it } from 'vitest';
import { PacketRecord, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../decode/packet-record';
import {
  CLASS_BACKSCATTER,
  CLASS_NAMES,
  CLASS_OTHER,
  CLASS_SCAN,
  classify,
  FINGERPRINT_RULES,
  fingerprintMask,
  fingerprintNames,
} from './index';

const PSH = 0x08;
const URG = 0x20;
const ECE = 0x40;
const CWR = 0x80;

const ip4 = (s: string): number => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);
const DST = ip4('198.51.100.7'); // a darknet address (TEST-NET-2 stands in)
const SRC = ip4('203.0.114.9');

interface Tcp {
  flags?: number;
  sport?: number;
  dport?: number;
  seq?: number;
  win?: number;
  opts?: number;
  ipId?: number;
  src?: number;
  dst?: number;
}

function tcp(o: Tcp = {}): PacketRecord {
  const r = new PacketRecord();
  r.reset();
  r.ipVersion = 4;
  r.src4 = o.src ?? SRC;
  r.dst4 = o.dst ?? DST;
  r.proto = 6;
  r.ttl = 50;
  r.ipId = o.ipId ?? 4242;
  r.srcPort = o.sport ?? 40000;
  r.dstPort = o.dport ?? 23;
  r.tcpFlags = o.flags ?? TCP_SYN;
  r.tcpWindow = o.win ?? 29200;
  r.tcpSeq = o.seq ?? 123456789;
  r.tcpOptionsLen = o.opts ?? 20;
  return r;
}

function udp(sport: number, dport: number): PacketRecord {
  const r = new PacketRecord();
  r.reset();
  r.ipVersion = 4;
  r.src4 = SRC;
  r.dst4 = DST;
  r.proto = 17;
  r.srcPort = sport;
  r.dstPort = dport;
  return r;
}

function icmp(type: number, v6 = false): PacketRecord {
  const r = new PacketRecord();
  r.reset();
  r.ipVersion = v6 ? 6 : 4;
  r.src4 = v6 ? 0 : SRC;
  r.dst4 = v6 ? 0 : DST;
  if (v6) {
    r.src6.set([0x20, 0x01, 0x48, 0x60]);
    r.dst6.set([0x20, 0x01, 0x02, 0x00]);
  }
  r.proto = v6 ? 58 : 1;
  r.icmpType = type;
  r.icmpCode = 0;
  return r;
}

const name = (c: number): string => CLASS_NAMES[c]!;

describe('classify', () => {
  it('names the classes', () => {
    expect([CLASS_SCAN, CLASS_BACKSCATTER, CLASS_OTHER]).toEqual([0, 1, 2]);
    expect(CLASS_NAMES).toEqual(['scan', 'backscatter', 'other']);
  });

  it.each([
    ['SYN', TCP_SYN, 'scan'],
    ['SYN+ECE+CWR (ECN setup)', TCP_SYN | ECE | CWR, 'scan'],
    ['SYN+FIN', TCP_SYN | TCP_FIN, 'scan'],
    ['NULL (no flags)', 0, 'scan'],
    ['FIN', TCP_FIN, 'scan'],
    ['XMAS (FIN+PSH+URG)', TCP_FIN | PSH | URG, 'scan'],
    ['SYN+ACK', TCP_SYN | TCP_ACK, 'backscatter'],
    ['RST', TCP_RST, 'backscatter'],
    ['RST+ACK', TCP_RST | TCP_ACK, 'backscatter'],
    ['SYN+RST', TCP_SYN | TCP_RST, 'backscatter'],
    ['lone ACK', TCP_ACK, 'other'],
    ['PSH+ACK', PSH | TCP_ACK, 'other'],
    ['FIN+ACK', TCP_FIN | TCP_ACK, 'other'],
  ])('TCP %s -> %s', (_label, flags, want) => {
    expect(name(classify(tcp({ flags })))).toBe(want);
  });

  it('TCP without readable flags (truncated) is other', () => {
    expect(classify(tcp({ flags: -1 }))).toBe(CLASS_OTHER);
  });

  it.each([
    [40000, 53, 'scan'], // DNS query probe
    [53, 40000, 'backscatter'], // DNS response
    [53, 53, 'backscatter'],
    [123, 40000, 'backscatter'], // NTP server response
    [123, 123, 'scan'], // NTP symmetric-mode request
    [40000, 123, 'scan'],
    [40000, 1900, 'scan'],
    [-1, -1, 'other'], // truncated UDP header
  ])('UDP %i -> %i: %s', (sport, dport, want) => {
    expect(name(classify(udp(sport, dport)))).toBe(want);
  });

  it.each([
    [8, 'scan'],
    [13, 'scan'],
    [15, 'scan'],
    [17, 'scan'],
    [0, 'backscatter'],
    [3, 'backscatter'],
    [4, 'backscatter'],
    [5, 'backscatter'],
    [11, 'backscatter'],
    [12, 'backscatter'],
    [14, 'backscatter'],
    [16, 'backscatter'],
    [18, 'backscatter'],
    [9, 'other'],
    [10, 'other'],
    [42, 'other'],
    [-1, 'other'],
  ])('ICMP type %i -> %s', (type, want) => {
    expect(name(classify(icmp(type)))).toBe(want);
  });

  it.each([
    [128, 'scan'],
    [129, 'backscatter'],
    [1, 'backscatter'],
    [2, 'backscatter'],
    [3, 'backscatter'],
    [4, 'backscatter'],
    [133, 'other'], // router solicitation
    [135, 'other'], // neighbour solicitation
    [143, 'other'], // MLDv2 report
  ])('ICMPv6 type %i -> %s', (type, want) => {
    expect(name(classify(icmp(type, true)))).toBe(want);
  });

  it('non-IP records, later fragments and other protocols are other', () => {
    const r = new PacketRecord();
    r.reset();
    expect(classify(r)).toBe(CLASS_OTHER);
    const frag = tcp();
    frag.laterFragment = true;
    frag.tcpFlags = -1;
    expect(classify(frag)).toBe(CLASS_OTHER);
    const gre = tcp();
    gre.proto = 47;
    expect(classify(gre)).toBe(CLASS_OTHER);
  });

  it('IPv6 TCP and UDP are classified like IPv4', () => {
    const r = tcp({ flags: TCP_SYN | TCP_ACK });
    r.ipVersion = 6;
    expect(classify(r)).toBe(CLASS_BACKSCATTER);
    const u = udp(5000, 53);
    u.ipVersion = 6;
    expect(classify(u)).toBe(CLASS_SCAN);
  });
});

describe('fingerprint rules', () => {
  const bit = (rule: string): number => {
    const i = FINGERPRINT_RULES.findIndex((r) => r.name === rule);
    if (i < 0) throw new Error(`no rule ${rule}`);
    return 1 << i;
  };
  const has = (rec: PacketRecord, rule: string): boolean =>
    (fingerprintMask(rec) & bit(rule)) !== 0;

  it('is a table of documented rules with unique names', () => {
    const names = FINGERPRINT_RULES.map((r) => r.name);
    expect(names).toEqual([
      'mirai',
      'zmap',
      'masscan',
      'large-scale-scanner',
      'eternalblue-window',
      'bogon-source',
      'land',
    ]);
    expect(new Set(names).size).toBe(names.length);
    for (const r of FINGERPRINT_RULES) {
      expect(r.name).toMatch(/^[a-z0-9-]+$/);
      expect(r.description.length).toBeGreaterThan(20);
      expect(r.reference.length).toBeGreaterThan(10);
    }
  });

  it('an ordinary SYN matches nothing', () => {
    expect(fingerprintMask(tcp())).toBe(0);
    expect(fingerprintNames(0)).toEqual([]);
  });

  it('mirai: SYN with seq == destination address', () => {
    expect(has(tcp({ seq: DST }), 'mirai')).toBe(true);
    expect(has(tcp({ seq: DST + 1 }), 'mirai')).toBe(false);
    expect(has(tcp({ seq: DST, flags: TCP_SYN | TCP_ACK }), 'mirai')).toBe(false);
    const v6 = tcp({ seq: DST });
    v6.ipVersion = 6;
    expect(has(v6, 'mirai')).toBe(false);
    // high-bit destination addresses (unsigned compare)
    const hi = ip4('203.0.113.200');
    expect(has(tcp({ dst: hi, seq: hi }), 'mirai')).toBe(true);
  });

  it('zmap: IP ID 54321, any protocol', () => {
    expect(has(tcp({ ipId: 54321 }), 'zmap')).toBe(true);
    const u = udp(40000, 161);
    u.ipId = 54321;
    expect(has(u, 'zmap')).toBe(true);
    expect(has(tcp({ ipId: 54320 }), 'zmap')).toBe(false);
    const v6 = tcp({ ipId: 54321 });
    v6.ipVersion = 6;
    expect(has(v6, 'zmap')).toBe(false);
  });

  it('masscan: IP ID == (dst ^ dport ^ seq) & 0xffff on a bare SYN', () => {
    const seq = 0x9abcdef0;
    const dport = 3389;
    const ipId = (DST ^ dport ^ seq) & 0xffff;
    expect(has(tcp({ seq, dport, ipId }), 'masscan')).toBe(true);
    expect(has(tcp({ seq, dport, ipId: ipId ^ 1 }), 'masscan')).toBe(false);
    expect(has(tcp({ seq, dport: dport + 1, ipId }), 'masscan')).toBe(false);
    expect(has(tcp({ seq, dport, ipId, flags: TCP_SYN | TCP_ACK }), 'masscan')).toBe(false);
    expect(has(tcp({ seq, dport, ipId, flags: TCP_RST }), 'masscan')).toBe(false);
  });

  it('large-scale-scanner: SYN, window 1024, no options', () => {
    expect(has(tcp({ win: 1024, opts: 0 }), 'large-scale-scanner')).toBe(true);
    expect(has(tcp({ win: 1024, opts: 4 }), 'large-scale-scanner')).toBe(false);
    expect(has(tcp({ win: 1024, opts: -1 }), 'large-scale-scanner')).toBe(false);
    expect(has(tcp({ win: 1025, opts: 0 }), 'large-scale-scanner')).toBe(false);
    expect(has(tcp({ win: 1024, opts: 0, flags: TCP_SYN | TCP_ACK }), 'large-scale-scanner')).toBe(
      false,
    );
  });

  it('eternalblue-window: SYN to 445 with window 8192', () => {
    expect(has(tcp({ dport: 445, win: 8192 }), 'eternalblue-window')).toBe(true);
    expect(has(tcp({ dport: 445, win: 8192, opts: 0 }), 'eternalblue-window')).toBe(true);
    expect(has(tcp({ dport: 139, win: 8192 }), 'eternalblue-window')).toBe(false);
    expect(has(tcp({ dport: 445, win: 65535 }), 'eternalblue-window')).toBe(false);
    expect(
      has(tcp({ dport: 445, win: 8192, flags: TCP_SYN | TCP_ACK }), 'eternalblue-window'),
    ).toBe(false);
  });

  it('bogon-source: special-purpose source addresses', () => {
    expect(has(tcp({ src: ip4('10.1.2.3') }), 'bogon-source')).toBe(true);
    expect(has(tcp({ src: ip4('192.168.1.1') }), 'bogon-source')).toBe(true);
    expect(has(tcp({ src: ip4('0.0.0.0') }), 'bogon-source')).toBe(true);
    expect(has(tcp({ src: ip4('8.8.8.8') }), 'bogon-source')).toBe(false);
    const v6 = icmp(128, true);
    expect(has(v6, 'bogon-source')).toBe(false);
    v6.src6.set([0xfe, 0x80]);
    expect(has(v6, 'bogon-source')).toBe(true);
  });

  it('land: source == destination', () => {
    expect(has(tcp({ src: DST }), 'land')).toBe(true);
    expect(has(tcp(), 'land')).toBe(false);
    const v6 = icmp(128, true);
    expect(has(v6, 'land')).toBe(false);
    v6.src6.set(v6.dst6);
    expect(has(v6, 'land')).toBe(true);
  });

  it('combines bits and names them in table order', () => {
    // masscan's template: window 1024, no options, IP ID from its formula, seq == dst too
    const seq = DST;
    const r = tcp({ seq, win: 1024, opts: 0, dport: 23, ipId: (DST ^ 23 ^ seq) & 0xffff });
    expect(fingerprintNames(fingerprintMask(r))).toEqual([
      'mirai',
      'masscan',
      'large-scale-scanner',
    ]);
  });

  it('a non-IP record has an empty mask', () => {
    const r = new PacketRecord();
    r.reset();
    expect(fingerprintMask(r)).toBe(0);
  });
});
