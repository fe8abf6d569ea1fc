/**
 * Captures written by scapy (wrpcap / PcapWriter with an explicit link type), one per link
 * type, covering the decoder's corners. tshark reads the same files in the tests, so the
 * expected answers are never hand-written.
 */
import { scapy } from './tools';

/** Files written into `dir` by makeScapyCorpus, with their link type. */
export const SCAPY_FILES: Record<string, number> = {
  'eth.pcap': 1,
  'eth-cut.pcap': 1,
  'raw101.pcap': 101,
  'raw12.pcap': 12,
  'raw14.pcap': 14,
  'raw228.pcap': 228,
  'raw229.pcap': 229,
  'sll.pcap': 113,
  'sll2.pcap': 276,
  'null.pcap': 0,
  'loop.pcap': 108,
  'ppp.pcap': 9,
  'nflog.pcap': 239,
  'pflog.pcap': 117,
  'token-ring.pcap': 6,
  'fddi.pcap': 10,
  'chdlc.pcap': 104,
  'osi-llc.pcap': 1,
  'exported-pdu.pcap': 252,
  'juniper-ether.pcap': 178,
  'juniper-pppoe.pcap': 167,
  'juniper-ppp.pcap': 179,
  'juniper-chdlc.pcap': 181,
  'juniper-vp.pcap': 183,
  'juniper-svcs.pcap': 136,
  'juniper-ggsn.pcap': 133,
  'atm-clip.pcap': 106,
  'ethertypes.pcap': 1,
  'ppp-protocols.pcap': 9,
  'wlan.pcap': 105,
  'radiotap.pcap': 127,
  'ppi.pcap': 192,
  'prism.pcap': 119,
  'avs.pcap': 163,
  'frame-relay.pcap': 107,
  'juniper-frelay.pcap': 180,
};

const SCRIPT = String.raw`
import struct, sys, os
out = sys.argv[1] if len(sys.argv) > 1 else os.environ['OUT']
T0 = 1709942400  # 2024-03-09T00:00:00Z

def write(name, lt, frames, snaplen=65535):
    pk = []
    for i, f in enumerate(frames):
        wire = None
        if isinstance(f, tuple):
            f, wire = f
        b = bytes(f)
        p = Raw(b)
        p.time = T0 + i * 3637 + (i % 7) / 8.0
        p.wirelen = wire if wire is not None else len(b)
        pk.append(p)
    wrpcap(os.path.join(out, name), pk, linktype=lt, snaplen=snaplen)

E = Ether(src='00:11:22:33:44:55', dst='66:77:88:99:aa:bb')
def v4(src='198.51.100.%d', i=1, **kw):
    return IP(src=src % i if '%' in src else src, dst='192.0.2.10', **kw)
def v6(i=1, **kw):
    return IPv6(src='2001:db8:%x::%x' % (i, i), dst='2001:db8::10', **kw)

syn = lambda d, w=1024: TCP(sport=40000 + d % 100, dport=d, flags='S', window=w, seq=d * 7)
ip_pkts = [
    v4(i=1) / syn(445, 8192),
    v4(i=2) / TCP(sport=80, dport=51000, flags='SA', window=29200),
    v4(i=3) / TCP(sport=445, dport=51001, flags='R'),
    v4(i=3) / TCP(sport=445, dport=51001, flags='RA', window=0),
    v4(i=4) / UDP(sport=5353, dport=53) / b'hello',
    v4(i=5) / ICMP(type=8) / b'ping',
    v4(i=6) / ICMP(type=3, code=3) / IP(src='192.0.2.10', dst='198.51.100.6') / TCP(sport=1, dport=23),
    v4(i=7, options=[IPOption_RR()]) / syn(22, 65535),
    v4(i=8, flags='MF', frag=0, id=77) / syn(3389) / (b'x' * 16),
    v4(i=8, frag=3, id=77, proto=6) / (b'y' * 24),
    v4(i=9) / IP(src='10.9.9.9', dst='10.8.8.8') / syn(80),
    v4(i=10) / IPv6(src='2001:db8::99', dst='2001:db8::98') / syn(8443),
    v6(1) / syn(443, 4096),
    v6(2) / IPv6ExtHdrHopByHop() / syn(80),
    v6(3) / IPv6ExtHdrRouting(addresses=['2001:db8::77']) / UDP(sport=1, dport=500),
    v6(4) / IPv6ExtHdrDestOpt() / IPv6ExtHdrFragment(offset=0, m=1, id=9) / syn(21) / (b'z' * 8),
    v6(4) / IPv6ExtHdrFragment(offset=4, m=0, id=9, nh=6) / (b'z' * 16),
    v6(5) / ICMPv6EchoRequest(),
    v6(6) / ICMPv6DestUnreach() / IPv6(src='2001:db8::10', dst='2001:db8:6::6') / UDP(dport=161),
    IPv6(src='2001:db8:7::7', dst='2001:db8::10', nh=59) / b'',
    IPv6(src='2001:db8:8::8', dst='2001:db8::10', nh=50) / b'\x00\x00\x00\x01\x00\x00\x00\x01abcdefgh',
    v6(9) / IPv6(src='2001:db8::5', dst='2001:db8::6') / syn(25),
]
non_ip = [
    ARP(psrc='192.0.2.1', pdst='192.0.2.2'),
]

eth = [E / p for p in ip_pkts] + [E / a for a in non_ip]
eth += [
    Dot3(src='00:11:22:33:44:55', dst='01:80:c2:00:00:00') / LLC() / STP(),
    E / Dot1Q(vlan=5) / v4(i=20) / syn(1433),
    Ether(src='00:11:22:33:44:55', dst='66:77:88:99:aa:bb', type=0x88a8) / Dot1Q(vlan=100) / Dot1Q(vlan=5) / v4(i=21) / syn(5900),
    Ether(src='00:11:22:33:44:55', dst='66:77:88:99:aa:bb', type=0x9100) / Dot1Q(vlan=7) / v6(22) / syn(8080),
    E / Dot1Q(vlan=5) / ARP(),
    Dot3(src='00:11:22:33:44:55', dst='66:77:88:99:aa:bb') / LLC(dsap=0xaa, ssap=0xaa, ctrl=3) / SNAP(OUI=0, code=0x0800) / v4(i=23) / syn(110),
    Ether(src='00:11:22:33:44:55', dst='66:77:88:99:aa:bb', type=0x8847) / b'\x00\x01\x01\x40' / v4(i=24) / syn(111),
    Ether(src='00:11:22:33:44:55', dst='66:77:88:99:aa:bb', type=0x8864) / b'\x11\x00\x00\x01' / struct.pack('>H', 42) / b'\x00\x21' / v4(i=25) / syn(112),
    Ether(src='00:11:22:33:44:55', dst='66:77:88:99:aa:bb', type=0x88cc) / b'\x02\x07\x04\x00\x11\x22\x33\x44\x55\x00\x00',
    Ether(src='00:11:22:33:44:55', dst='66:77:88:99:aa:bb', type=0x0800) / (b'\x46' + b'\x00' * 12),
    Ether(src='00:11:22:33:44:55', dst='66:77:88:99:aa:bb', type=0x0800) / (b'\x43' + bytes(v4(i=26) / syn(1))[1:]),
    Ether(src='00:11:22:33:44:55', dst='66:77:88:99:aa:bb', type=0x86dd) / bytes(v4(i=27) / syn(1)),
]
# LLC DSAP 0x80 (3Com XNS): an ethertype after the control field (UI, or an I frame's 2 bytes).
xns = lambda ctrl, t, p: Dot3(src='00:11:22:33:44:55', dst='66:77:88:99:aa:bb') / (bytes([0x80, 0x80]) + ctrl + t + bytes(p))
eth += [xns(b'\x03', b'\x08\x00', v4(i=170) / syn(130)), xns(b'\x00\x00', b'\x86\xdd', v6(171) / syn(131)),
        xns(b'\x03', b'\x81\x00', b'\x00\x05\x08\x00' + bytes(v4(i=172) / syn(132))), xns(b'\x03', b'\x08\x06', v4(i=173) / syn(133))]
write('eth.pcap', 1, eth)

# Snap-length cuts at every byte count through the headers (original length kept).
full = bytes(E / v4(i=30) / TCP(sport=1234, dport=445, flags='S', window=8192, options=[('MSS', 1460)]))
full6 = bytes(E / v6(31) / IPv6ExtHdrHopByHop() / UDP(sport=1, dport=53) / b'abcd')
fullu = bytes(E / v4(i=32) / UDP(sport=9, dport=123) / b'abcd')
fulli = bytes(E / v4(i=33) / ICMP(type=8) / b'abcdefgh')
cut = [(Raw(full[:n]), len(full)) for n in range(0, len(full) + 1)]
cut += [(Raw(full6[:n]), len(full6)) for n in range(0, len(full6) + 1)]
cut += [(Raw(fullu[:n]), len(fullu)) for n in range(34, len(fullu) + 1)]
cut += [(Raw(fulli[:n]), len(fulli)) for n in range(34, len(fulli) + 1)]
write('eth-cut.pcap', 1, cut)

raw_ip = [p for p in ip_pkts]
write('raw101.pcap', 101, raw_ip + [b'\x55' * 20, b'\x00' * 10 + bytes(v4(i=40) / syn(7)), b'\xff\x03\x00\x21' + bytes(v4(i=41) / syn(8))])
write('raw12.pcap', 12, raw_ip)
write('raw14.pcap', 14, raw_ip)
write('raw228.pcap', 228, [p for p in ip_pkts if p.version == 4] + [b'', b'\x45\x00'])
write('raw229.pcap', 229, [p for p in ip_pkts if p.version == 6] + [b'', bytes(v4(i=42) / syn(9))])

def sll(proto, hatype=1):
    return struct.pack('>HHH8sH', 0, hatype, 6, b'\x00\x11\x22\x33\x44\x55\x00\x00', proto)
sll_frames = [sll(0x0800 if p.version == 4 else 0x86dd) + bytes(p) for p in ip_pkts]
sll_frames += [sll(0x0806) + bytes(ARP()), sll(0x8100) + b'\x00\x05\x08\x00' + bytes(v4(i=43) / syn(10)),
               sll(0x0800, 778) + bytes(v4(i=44) / syn(11)), sll(0x0800, 824) + bytes(v4(i=45) / syn(12)),
               sll(0x0004) + b'\xaa\xaa\x03\x00\x00\x00\x08\x00' + bytes(v4(i=46) / syn(13))]
write('sll.pcap', 113, sll_frames)

def sll2(proto, hatype=1):
    return struct.pack('>HHIHBB8s', proto, 0, 2, hatype, 0, 6, b'\x00\x11\x22\x33\x44\x55\x00\x00')
sll2_frames = [sll2(0x0800 if p.version == 4 else 0x86dd) + bytes(p) for p in ip_pkts]
sll2_frames += [sll2(0x0806) + bytes(ARP()), sll2(0x0800, 824) + bytes(v4(i=47) / syn(14))]
write('sll2.pcap', 276, sll2_frames)

null_frames = []
for p in ip_pkts:
    fam = 2 if p.version == 4 else [24, 28, 30][len(null_frames) % 3]
    order = '<I' if len(null_frames) % 2 == 0 else '>I'
    null_frames.append(struct.pack(order, fam) + bytes(p))
null_frames += [struct.pack('<I', 10) + bytes(v6(48) / syn(15)), struct.pack('<I', 0x800) + bytes(v4(i=49) / syn(16)),
                struct.pack('<I', 23) + b'\x00' * 30, b'\x00\x00\x02\x00' + bytes(v4(i=123) / syn(83)),
                b'\x00\x02\x00\x00' + bytes(v4(i=124) / syn(84)), b'\x00\x18\x00\x00' + bytes(v6(125) / syn(85)),
                b'\x00\x00\x18\x00' + bytes(v6(126) / syn(86)), b'\x00\x05\x02\x00' + bytes(v4(i=127) / syn(87)),
                b'\x00\x00\x06\x00' + bytes(v4(i=128) / syn(88)), b'\x02\x00\x01\x00' + bytes(v4(i=129) / syn(89)), struct.pack('<I', 7) + b'\xcc' + bytes(v4(i=75) / syn(40)), b'\xff\x03\x00\x21' + bytes(v4(i=50) / syn(17)), b'\x02\x00']
write('null.pcap', 0, null_frames)

loop_frames = [struct.pack('>I', 2 if p.version == 4 else 24) + bytes(p) for p in ip_pkts]
loop_frames += [struct.pack('<I', 2) + bytes(v4(i=51) / syn(18)), struct.pack('>I', 0x800) + bytes(v4(i=73) / syn(38)),
                struct.pack('>I', 7) + b'\xcc' + bytes(v4(i=74) / syn(39))]
write('loop.pcap', 108, loop_frames)

ppp_frames = [b'\xff\x03' + struct.pack('>H', 0x21 if p.version == 4 else 0x57) + bytes(p) for p in ip_pkts]
ppp_frames += [b'\x00\x21' + bytes(v4(i=52) / syn(19)), b'\x21' + bytes(v4(i=53) / syn(20)),
               b'\xff\x03\xc0\x21\x01\x01\x00\x04', b'\xff\x03\x00\x57' + bytes(v6(54) / syn(21))]
write('ppp.pcap', 9, ppp_frames)

def nflog(p, fam):
    b = bytes(p)
    tlvs = struct.pack('<HH', 8, 1) + (b'\x08\x00' if fam == 2 else b'\x86\xdd') + b'\x03\x00'  # packet header
    tlvs += struct.pack('<HH', 10, 10) + b'prefix' + b'\x00' * 2    # prefix (padded)
    tlvs += struct.pack('<HH', 4 + len(b), 9) + b + b'\x00' * ((4 - len(b) % 4) % 4)
    return struct.pack('>BBH', fam, 0, 0) + tlvs
def nflog_be(p):
    b = bytes(p)
    return struct.pack('>BBH', 2, 0, 0) + struct.pack('>HH', 8, 1) + b'\x08\x00\x03\x00' + struct.pack('>HH', 4 + len(b), 9) + b
nf_more = [nflog(v4(i=160) / syn(120), 2) + tail for tail in [struct.pack('<HH', 2, 5), struct.pack('<HH', 40, 5), b'\x00\x00',
           struct.pack('<HH', 8, 9) + b'\x45\x00\x00\x00', struct.pack('<HH', 4, 1)]]
write('nflog.pcap', 239, [nflog(p, 2 if p.version == 4 else 10) for p in ip_pkts]
      + [struct.pack('>BBH', 2, 0, 0) + struct.pack('<HH', 4 + 40, 9) + bytes(v4(i=55) / syn(22)), nflog_be(v4(i=161) / syn(121))] + nf_more)

def pflog(af, p, hl=61):
    h = bytes([hl, af]) + b'\x00' * (hl - 2)
    return h + b'\x00' * ((4 - len(h) % 4) % 4) + bytes(p)
write('pflog.pcap', 117, [pflog(2 if p.version == 4 else [24, 28, 30][i % 3], p) for i, p in enumerate(ip_pkts)]
      + [pflog(10, v6(56) / syn(23)), pflog(2, v4(i=57) / syn(24), 45)]
      + [bytes([hl, 2, 0, 0]) + bytes(v4(i=58) / syn(25)) for hl in (1, 3, 4)] + [bytes([5, 2, 0, 0, 0, 0, 0, 0]) + bytes(v4(i=59) / syn(26))])

# 802.2 LLC on Token Ring and FDDI. Token Ring: AC, FC (type 01 = LLC), addresses; a set top
# bit of the source announces a routing field (low 5 bits of its first byte: its length).
snap = lambda p: b'\xaa\xaa\x03\x00\x00\x00' + (b'\x08\x00' if p.version == 4 else b'\x86\xdd') + bytes(p)
def tr(p, fc=0x40, rif=b''):
    src0 = 0x82 if rif else 0x02
    return bytes([0x10, fc]) + b'\x02\x00\x00\x00\x00\x02' + bytes([src0]) + b'\x00\x00\x00\x00\x01' + rif + snap(p)
tr_frames = [tr(p, rif=[b'', b'\x02\x30', b'\x08\x30\x00\x10\x00\x20\x00\x30'][i % 3]) for i, p in enumerate(ip_pkts)]
tr_frames += [tr(v4(i=58) / syn(25), fc=0x00), tr(v4(i=59) / syn(26), fc=0x80),
              tr(v4(i=60) / syn(27), rif=b'\x1f' + b'\x00' * 30), b'\x10\x40' + b'\x00' * 12,
              b'\x10\x40' + b'\x00' * 6 + b'\x80' + b'\x00' * 5 + b'\x05']
write('token-ring.pcap', 6, tr_frames)

def fddi(p, fc=0x50):
    return bytes([fc]) + b'\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01' + snap(p)
write('fddi.pcap', 10, [fddi(p, 0x50 + i % 16) for i, p in enumerate(ip_pkts)]
      + [fddi(v4(i=61) / syn(28), 0x40), fddi(v4(i=62) / syn(29), 0x60), b'\x50' + b'\x00' * 11])

# Cisco HDLC: an ethertype, or 0xfefe, a padding byte and an OSI NLPID (0xcc IP, 0x8e IPv6).
chdlc = [b'\x0f\x00' + (b'\x08\x00' if p.version == 4 else b'\x86\xdd') + bytes(p) for p in ip_pkts]
chdlc += [b'\x0f\x00\xfe\xfe\x00\xcc' + bytes(v4(i=63) / syn(30)), b'\x0f\x00\xfe\xfe\x00\x8e' + bytes(v6(64) / syn(31)),
          b'\x0f\x00\xfe\xfe\xcc' + bytes(v4(i=65) / syn(32)), b'\x0f\x00\xfe\xfe\x00', b'\x8f\x00\x08\x06' + bytes(ARP())]
# Types the ethertype table knows but Cisco HDLC's does not (VLAN, 802.1ad, PPPoE, a length),
# MPLS and bridged Ethernet, which it does.
chdlc += [b'\x0f\x00\x81\x00\x00\x05\x08\x00' + bytes(v4(i=66) / syn(33)), b'\x0f\x00\x88\xa8\x00\x05\x08\x00' + bytes(v4(i=67) / syn(34)),
          b'\x0f\x00\x88\x64\x11\x00\x00\x01\x00\x2a\x00\x21' + bytes(v4(i=68) / syn(35)),
          b'\x0f\x00\x00\x40\xaa\xaa\x03\x00\x00\x00\x08\x00' + bytes(v4(i=69) / syn(36)),
          b'\x0f\x00\x88\x47\x00\x01\x01\x40' + bytes(v4(i=76) / syn(37)), b'\x0f\x00\x88\x48\x00\x01\x01\x40' + bytes(v6(77) / syn(38)),
          b'\x0f\x00\x65\x58' + bytes(E / v4(i=78) / syn(39))]
write('chdlc.pcap', 104, chdlc)

# tshark's OSI network layer behind LLC SAPs 14, 20, 34, 54 and FE: NLPID 0xcc is IP, 0x8e
# IPv6, 0xcf PPP; other SAPs and NLPIDs are not IP.
def dot3(payload):
    return Dot3(src='00:11:22:33:44:55', dst='66:77:88:99:aa:bb', len=len(payload)) / payload
osi = []
for sap in [0x14, 0x15, 0x20, 0x34, 0x54, 0xfe, 0xff]:
    osi += [dot3(bytes([sap, sap, 3, 0xcc]) + bytes(v4(i=sap % 200) / syn(33))),
            dot3(bytes([sap, sap, 3, 0x8e]) + bytes(v6(sap % 200) / syn(34))),
            dot3(bytes([sap, sap, 3, 0xcf, 0x00, 0x21]) + bytes(v4(i=70) / syn(35))),
            dot3(bytes([sap, sap, 3, 0x81]) + bytes(v4(i=71) / syn(36)))]
osi += [dot3(b'\xfe\xfe\x03'), dot3(b'\xfe\xfe\x00\x00\xcc' + bytes(v4(i=72) / syn(37)))]
write('osi-llc.pcap', 1, osi)

# Wireshark's exported PDUs: (tag, length) TLVs to the end tag, then the PDU for the dissector
# named by tag 12 (NUL-padded or not). Address tags come first in Wireshark's own exports.
def tlv(tag, val):
    return struct.pack('>HH', tag, len(val)) + val
END = tlv(0, b'')
def epdu(name, pdu, pre=b'', end=END):
    return pre + tlv(12, name) + end + bytes(pdu)
v4s = [p for p in ip_pkts if p.version == 4]
v6s = [p for p in ip_pkts if p.version == 6]
epdus = [epdu(b'ip', p) for p in v4s]
epdus += [epdu(b'ip\0\0', p, pre=tlv(20, bytes(p)[12:16]) + tlv(21, bytes(p)[16:20])) for p in v4s]
epdus += [epdu(b'ipv6', p) for p in v6s] + [epdu(b'ipv6', v4(i=80) / syn(41))]
epdus += [epdu(b'raw_ip', p) for p in ip_pkts[:6]]
epdus += [epdu(name, E / p) for name in [b'eth_withoutfcs', b'eth_maybefcs', b'eth_withfcs'] for p in ip_pkts]
epdus += [epdu(b'eth_withfcs', bytes(E / v4(i=81) / syn(42))[:58]), epdu(b'eth_withfcs', bytes(E / v4(i=82) / syn(43))[:52])]
epdus += [epdu(b'ip', v4(i=83) / syn(44), end=struct.pack('>HH', 0, 4) + b'\xde\xad\xbe\xef'),
          epdu(b'nosuch', v4(i=84) / syn(45)), epdu(b'eth', E / v4(i=85) / syn(46)),
          tlv(14, b'ethertype') + tlv(31, struct.pack('>I', 0x800)) + END + bytes(v4(i=86) / syn(47)),
          tlv(12, b'ip') + struct.pack('>HH', 99, 200) + bytes(v4(i=87) / syn(48)),
          tlv(12, b'ip'), b'\x00\x0c', b'',
          # Source address tags: what tshark reports as the source, even against the packet's.
          tlv(20, b'\xcb\x00\x71\x05') + tlv(12, b'ip') + END + bytes(v4(i=176) / syn(136)),
          tlv(20, b'\xcb\x00\x71\x06') + tlv(12, b'ip') + END + b'\x45\x00\x00\x05' + b'\x00' * 16,
          tlv(22, bytes(16)) + tlv(12, b'ipv6') + END + bytes(v6(177) / syn(137)),
          tlv(12, b'ip') + struct.pack('>HH', 20, 2) + b'\x01\x02']
write('exported-pdu.pcap', 252, epdus)

# Juniper Ethernet: "MGC", flags (0x80 extensions, 0x02 no L2 header, 0x01 inbound), an
# extension TLV block, then Ethernet, or a little-endian protocol word and the packet.
def jnpr(flags, payload, ext=None):
    h = b'MGC' + bytes([flags])
    if ext is not None:
        h += struct.pack('>H', len(ext)) + ext
    return h + payload
exts = [b'', b'\x01\x04\x00\x00\x00\x07\x04\x01\x05', b'\x02\x00\x03\x02\x00\x01', b'\x04\x09' + b'x' * 9]
jn = [jnpr(0x01, bytes(E / p)) for p in ip_pkts]
jn += [jnpr(0x81, bytes(E / p), exts[i % 4]) for i, p in enumerate(ip_pkts)]
jn += [bytes(E / p) for p in ip_pkts[:4]]
jn += [jnpr(0x02, struct.pack('<I', 2 if p.version == 4 else 6) + bytes(p)) for p in ip_pkts]
pres = [(3, b''), (7, b''), (0xa248, b'\x00' * 4), (204, bytes(E)[:14]), (5, b'\x00\x01\x01\x40'), (0, b''),
        (4, b'\x00\x01\x01\x40'), (8, b'\x00\x01\x01\x40'), (32, b'\x00\x01\x01\x40'), (10, b'\xcc'), (33, b'\xcc'),
        (201, b'\xcc'), (200, b'\x00\x21'), (200, b'\x21'), (200, b'\xff\x03\x00\x21'), (202, snap(v4())[:8]),
        (203, b'\xfe\xfe\x03\xcc'), (208, b'\x0f\x00\x08\x00'), (208, b'\x0f\x00\xfe\xfe\x00\xcc'), (11, b'')]
jn += [jnpr(0x02, struct.pack('<I', proto) + pre + bytes(v4(i=100 + k) / syn(60 + k))) for k, (proto, pre) in enumerate(pres)]
# IPv6 behind the words that do not announce IPv4 (tshark's ip:ipv6 is left out, see decode/README.md).
jn += [jnpr(0x02, struct.pack('<I', proto) + pre + bytes(v6(100 + k) / syn(60 + k)))
       for k, (proto, pre) in enumerate(pres + [(6, b''), (200, b'\x00\x57')]) if proto in (0, 4, 5, 6, 7, 8, 32) or pre == b'\x00\x57']
jn += [jnpr(0x02, struct.pack('<I', 0x00070002) + bytes(v4(i=98) / syn(58))), jnpr(0x02, struct.pack('<I', 0x02000000) + bytes(v4(i=99) / syn(59)))]
jn += [jnpr(0x82, struct.pack('<I', 2) + bytes(v4(i=97) / syn(57)), exts[1]),
       jnpr(0x80, b'', b'\x01\x04\x00'), jnpr(0x80, b'', b'\x01\x09\x00'), b'MGC\x80\x00', b'MGC', b'MG\x00\x00' + bytes(E / v4(i=98) / syn(58))]
write('juniper-ether.pcap', 178, jn)

# The other Juniper link types: the same header (with and without magic, extensions, no-L2
# words), then each one's own layout.
def jvariants(body, v4only=False):
    pk = [p for p in ip_pkts if p.version == 4] if v4only else ip_pkts
    out = []
    for i, p in enumerate(pk):
        b = body(p)
        out += [jnpr(0x01, b), jnpr(0x00, b), jnpr(0x81, b, exts[i % 4]), b]
    out += [jnpr(0x02, struct.pack('<I', 2) + bytes(v4(i=110) / syn(70))), jnpr(0x80, b'', b'\x01\x09\x00'), b'MGC']
    return out
ppp_proto = lambda p: b'\x00\x21' if p.version == 4 else b'\x00\x57'
write('juniper-pppoe.pcap', 167, jvariants(lambda p: bytes(E / p)))
write('juniper-ppp.pcap', 179, jvariants(lambda p: b'\xff\x03' + ppp_proto(p) + bytes(p)) + [jnpr(1, b'\xff\x03\x21' + bytes(v4(i=111) / syn(71)))])
write('juniper-chdlc.pcap', 181, jvariants(lambda p: b'\x0f\x00' + (b'\x08\x00' if p.version == 4 else b'\x86\xdd') + bytes(p)))
write('juniper-vp.pcap', 183, jvariants(lambda p: b'\x00' * 18 + bytes(p), v4only=True))
write('juniper-svcs.pcap', 136, jvariants(lambda p: b'\x00' * 12 + bytes(p), v4only=True) + jvariants(lambda p: b'\x00' * 16 + bytes(p), v4only=True))
write('juniper-ggsn.pcap', 133, jvariants(lambda p: struct.pack('<HH', 2 if p.version == 4 else 6, 7) + bytes(p))
      + [jnpr(0, struct.pack('<HH', w, 7) + pre + bytes(v4(i=112) / syn(72))) for w, pre in [(204, bytes(E)[:12] + b'\x08\x00'), (5, b'\x00\x01\x01\x40'), (9, b'')]] + [jnpr(0, b'\x02\x00')])
# Ethertypes beyond IP, VLAN, MPLS and PPPoE that tshark follows to IP: bridged Ethernet,
# VN-Tag, E-Tag, 802.1ah, TRILL (with options), NSH, jumbo LLC, Cisco ACI gleaning.
def eth_t(t, payload):
    return b'\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb' + struct.pack('>H', t) + bytes(payload)
def nsh(nxt, body, words=2, md=2):
    return bytes([0x0f, words, md, nxt]) + b'\x00\x00\x01\xff' + b'\x00' * (4 * (max(words, 2) - 2)) + bytes(body)
ets = []
for k, p in enumerate(ip_pkts[:8] + [v6(120) / syn(80)]):
    ip_t = 0x0800 if p.version == 4 else 0x86dd
    ets += [eth_t(0x6558, E / p), eth_t(0x8926, b'\x80\x01\x00\x02' + struct.pack('>H', ip_t) + bytes(p)),
            eth_t(0x893f, b'\x00\x01\x00\x02\x00\x03' + struct.pack('>H', ip_t) + bytes(p)),
            eth_t(0x88e7, b'\x00\x00\x01\x00' + bytes(E / p)), eth_t(0x22f3, b'\x00\x00\x00\x01\x00\x02' + bytes(E / p)),
            eth_t(0x22f3, b'\x00\x80\x00\x01\x00\x02' + b'\x00' * 8 + bytes(E / p)),
            eth_t(0x894f, nsh(1 if p.version == 4 else 2, p)), eth_t(0x894f, nsh(3, E / p, 6)),
            eth_t(0x894f, nsh(5, b'\x00\x01\x01\x40' + bytes(p))), eth_t(0x894f, nsh(4, nsh(1 if p.version == 4 else 2, p))),
            eth_t(0x8870, snap(p)), eth_t(0xfff2, p), eth_t(0x894f, nsh(1 if p.version == 4 else 2, b'\x00' * 16 + bytes(p), 2, 1)),
            eth_t(0x894f, nsh(1 if p.version == 4 else 2, p, 0, 7))]
ets += [eth_t(0x8926, b'\x80\x01\x00\x02\x00\x40' + snap(v4(i=121) / syn(81))), eth_t(0x8926, b'\x80\x01'),
        eth_t(0x894f, nsh(1, b'', 40)), eth_t(0x894f, b'\x0f\x02\x01\x01'), eth_t(0x894f, b'\x0f\x02\x02'), eth_t(0x22f3, b'\x00\xc0'),
        eth_t(0x88e7, b'\x00'), eth_t(0xfff2, b'\x00' * 40), eth_t(0xfff2, b'\x45'), eth_t(0xfff2, b''),
        # MD type 2 context headers: fitting ones, and one whose length runs past the packet.
        eth_t(0x894f, bytes([0x0f, 6, 2, 1]) + b'\x00\x00\x01\xff' + b'\x00\x01\x02\x05abcde\x00\x00\x00' + b'\x00\x00\x00\x00' + bytes(v4(i=174) / syn(134))),
        eth_t(0x894f, bytes([0x0f, 6, 2, 1]) + b'\x00\x00\x01\xff' + b'\x00\x01\x02\x7f' + b'\x00' * 12 + bytes(v4(i=175) / syn(135)))]
write('ethertypes.pcap', 1, ets)

# PPP protocols tshark follows to IP besides 0x0021 / 0x0057: 0x0800 / 0x86dd, MPLS, LLC.
pps = []
for p in ip_pkts[:8] + [v6(122) / syn(82)]:
    pps += [b'\xff\x03' + struct.pack('>H', 0x0800 if p.version == 4 else 0x86dd) + bytes(p),
            b'\xff\x03\x02\x81\x00\x01\x01\x40' + bytes(p), b'\xff\x03\x02\x83\x00\x01\x01\x40' + bytes(p),
            b'\xff\x03\x00\x4b' + snap(p), b'\xff\x03\x00\x31\x00\x01' + bytes(E / p)]
pps += [b'\xff\x03\x00\x31\x80\x01' + bytes(E / v4(i=130) / syn(90)) + b'\x00' * 4, b'\xff\x03\x00\x31\x03\x01' + bytes(E / v4(i=131) / syn(91)) + b'\x00' * 3,
        b'\xff\x03\x00\x31\x10\x01' + bytes(E / v4(i=132) / syn(92)), b'\xff\x03\x00\x31\x00\x03\x00' + bytes(E / v4(i=133) / syn(93)),
        b'\xff\x03\x00\x31\x8f\x01' + bytes(E)[:14], b'\xff\x03\x00\x31\x00', b'\xff\x03\x00\x31\x84\x01' + bytes(E / v4(i=134) / syn(94))[:40]]
write('ppp-protocols.pcap', 9, pps)

# 802.11 data frames (every address form, QoS, HT control, A-MSDU) and frames that carry no IP
# (null function, protected, more fragments, management); behind radiotap (with FCS, data pad
# and TSFT) and PPI.
def d11(subtype=0, fc=1, typ=2):
    return bytes(Dot11(type=typ, subtype=subtype, FCfield=fc, addr1='00:11:22:33:44:55', addr2='66:77:88:99:aa:bb',
                       addr3='00:00:00:00:00:01', addr4='00:00:00:00:00:02'))
wl = []
for i, p in enumerate(ip_pkts):
    body = snap(p)
    wl += [d11(0, i % 4) + body, d11(8, 1 + 2 * (i % 2)) + b'\x00\x00' + body, d11(8, 0x81) + b'\x00\x00' + b'\x00' * 4 + body]
    wl += [d11(8, 1) + b'\x80\x00' + b'\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb' + struct.pack('>H', len(body)) + body]
wl += [d11(4, 1) + snap(v4(i=140) / syn(100)), d11(0, 0x41) + b'\x00' * 8 + snap(v4(i=141) / syn(101)),
       d11(0, 0x05) + snap(v4(i=142) / syn(102)), d11(0, 0x09) + snap(v4(i=143) / syn(103)),
       bytes(Dot11(type=0, subtype=8) / Dot11Beacon() / Dot11Elt(ID=0, info=b'x')), d11(12, 1) + b'\x00\x00',
       d11(0, 1) + bytes(v4(i=144) / syn(104)), d11(0, 1)[:20],
       # Bodies tshark guesses: Ethernet when they start with the frame's destination or carry
       # its source next (ToDS: destination addr3, source addr2), IPX after FF FF, 00 00 skipped.
       d11(0, 1) + bytes(Ether(dst='00:00:00:00:00:01', src='00:00:00:00:00:09') / v4(i=146) / syn(106)),
       d11(0, 1) + bytes(Ether(dst='00:00:00:00:00:07', src='66:77:88:99:aa:bb') / v4(i=147) / syn(107)),
       d11(0, 1) + b'\xff\xff' + snap(v4(i=148) / syn(108)), d11(0, 1) + b'\x00\x00' + snap(v4(i=149) / syn(109)),
       d11(0, 1) + b'\x08\x00' + bytes(v4(i=150) / syn(110)), d11(0, 1) + b'\x86\xdd' + bytes(v6(151) / syn(111)),
       d11(0, 1) + b'\x06\x00\x03' + bytes(v4(i=152) / syn(112))]
write('wlan.pcap', 105, wl)
def rt(p, flags=None, tsft=False):
    if flags is None and not tsft:
        return bytes(RadioTap()) + p
    return bytes(RadioTap(present='TSFT+Flags' if tsft else 'Flags', Flags=flags or 0, mac_timestamp=7)) + p
rts = []
for i, f in enumerate(wl[:40]):
    rts += [rt(f), rt(f + b'\x11\x22\x33\x44', 'FCS'), rt(f, 'FCS'), rt(f + b'\x11\x22\x33\x44', 'FCS', True)]
rts += [rt(d11(8, 1) + b'\x00\x00\x00\x00' + snap(v4(i=145) / syn(105)), 'pad'), b'\x00\x00\x30\x00', b'\x01\x00\x08\x00\x00\x00\x00\x00' + wl[0]]
# Present words and fields past the header length: not read, 802.11 starts at the length.
rts += [b'\x00\x00\x09\x00\x02\x00\x00\x89\x10' + wl[0], b'\x00\x00\x09\x00\x03\x00\x00\x00\x10' + wl[1],
        b'\x6f\x00\x09\x00\x02\x00\x00\x00\x30' + wl[4]]  # version 0x6f: the pad flag is not read
write('radiotap.pcap', 127, rts)
def ppi(dlt, p):
    return struct.pack('<BBHI', 0, 0, 8, dlt) + p
def avs(f, ver=0x80211001, hlen=64):
    return struct.pack('>II', ver, hlen) + b'\x00' * (hlen - 8) + f
def prism(f, code=0x44, order='<'):
    return struct.pack(order + 'II', code, 144) + b'wlan0'.ljust(16, b'\x00') + b'\x00' * 120 + f
pr = [prism(f, [0x41, 0x44][i % 2], '<>'[i % 2]) for i, f in enumerate(wl[:24])] + [avs(f, 0x80211001 + i % 2) for i, f in enumerate(wl[24:36])]
pr += [prism(wl[0], 0x42), avs(wl[0], 0x80211000), wl[1], prism(wl[0])[:100], avs(wl[0], hlen=72)]
write('prism.pcap', 119, pr)
write('avs.pcap', 163, [avs(f, [0x80211001, 0x80211000, 0x1234][i % 3], [64, 72][i % 2]) for i, f in enumerate(wl[:30])] + [avs(wl[0], hlen=4)[:8] + wl[0], b'\x80\x21\x10\x01'])
write('ppi.pcap', 192, [ppi(105, f) for f in wl[:20]] + [ppi(1, bytes(E / p)) for p in ip_pkts] + [ppi(127, wl[0]), struct.pack('<BBHI', 0, 0, 40, 105)]
      + [ppi(228, bytes(v4(i=180) / syn(140))), ppi(136, b'\x00' * 12 + bytes(v4(i=181) / syn(141))), ppi(127, bytes(RadioTap()) + wl[1]),
         struct.pack('<BBHI', 0xbc, 0, 3, 105) + wl[2]])

# Frame relay: address fields of 1 (bogus), 2, 3, 4 and more octets (DLCI 0 included), then
# RFC 2427 (UI + NLPID, padding, SNAP with an ethertype or bridged Ethernet) or Cisco types.
fr_addrs = [b'\x18\x41', b'\x00\x01', b'\x01', b'\x18\x40\x01', b'\x18\x40\x02\x01', b'\x18\x40\x02\x00\x01', b'\x18\x40\x03']
def fr_bodies(p):
    b, t = bytes(p), (b'\x08\x00' if p.version == 4 else b'\x86\xdd')
    nl = b'\xcc' if p.version == 4 else b'\x8e'
    return [b'\x03' + nl + b, b'\x03\x00' + nl + b, b'\x03\xcf' + (b'\x00\x21' if p.version == 4 else b'\x00\x57') + b,
            b'\x03\x80\x00\x00\x00' + t + b, b'\x03\x80\x00\x80\xc2\x00\x07' + bytes(E / p),
            b'\x03\x80\x00\x80\xc2\x00\x01' + bytes(E / p) + b'\x00' * 4, b'\x03\x81' + b, b'\x03\x08' + b, t + b,
            b'\x65\x58' + bytes(E / p), b'\x81\x00\x00\x05' + t + b, b'\xaf' + b, b'\x03\x00\x00\xcc' + b,
            b'\x03\x80\x00\x00\x00\x81\x00\x00\x05' + t + b]
frs = [a + body for k, p in enumerate(ip_pkts[:6] + [v6(150) / syn(110)]) for a in fr_addrs[k % 3::3] for body in fr_bodies(p)]
frs += [a + body for a in fr_addrs for body in fr_bodies(v4(i=151) / syn(111))] + [b'\x18', b'\x18\x41', b'\x18\x41\x03', b'\x18\x40\x00\x00']
# Other control fields: an NLPID after them (U 1 byte, I / S 2), raw Ethernet when no known
# NLPID follows, SNAP's ethertype only in information frames (bridged Ethernet always).
b152 = bytes(v4(i=152) / syn(112))
frs += [b'\x18\x41\x46\x00\xcc' + b152, b'\x18\x41\x9b\x00\xcc' + b152, b'\x18\x41\x01\x03\x00\xcc' + b152,
        b'\x18\x41\x02\x14' + bytes(E / v4(i=153) / syn(113)) + b'\x00' * 4, b'\x18\x41\x01\x03\x80\x00\x00\x00\x08\x00' + b152,
        b'\x18\x41\x01\x03\x80\x00\x80\xc2\x00\x07' + bytes(E / v4(i=154) / syn(114)), b'\x18\x41\xe3\x80\x00\x00\x00\x08\x00' + b152]
write('frame-relay.pcap', 107, frs)
write('juniper-frelay.pcap', 180, [jnpr(1, f) for f in frs[:60]] + frs[60:80] + [jnpr(0x02, struct.pack('<I', 207) + f) for f in frs[:30]])

write('atm-clip.pcap', 106, [p for p in ip_pkts if p.version == 4] + [b'', b'\x45'])
`;

/** Writes SCAPY_FILES into dir (one python run). */
export function makeScapyCorpus(dir: string): void {
  scapy(`import sys\nsys.argv = ['x', ${JSON.stringify(dir)}]\n${SCRIPT}`);
}
