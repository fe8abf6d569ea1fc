#!/usr/bin/python3
"""Captures that no capture tool on this machine writes, built with scapy.

Usage: synth.py OUT_DIR
Deterministic: fixed timestamps, fixed fields, so a rerun gives the same bytes.
Packet bytes come from scapy; pcap files are written by scapy's PcapWriter where it
can (link type, nanosecond, byte order); pcapng files by the small writer below
(scapy 2.5 cannot write big-endian sections, several interfaces or time resolutions).
"""

import struct
import sys
from pathlib import Path

from scapy.all import (
    ARP,
    GRE,
    ICMP,
    IP,
    TCP,
    UDP,
    Dot1AD,
    Dot1Q,
    Ether,
    ICMPv6DestUnreach,
    ICMPv6EchoReply,
    ICMPv6EchoRequest,
    ICMPv6ND_NS,
    IPOption_NOP,
    IPOption_RR,
    IPOption_Timestamp,
    IPv6,
    IPv6ExtHdrDestOpt,
    IPv6ExtHdrFragment,
    IPv6ExtHdrHopByHop,
    IPv6ExtHdrRouting,
    Jumbo,
    Pad1,
    PadN,
    PcapWriter,
    Raw,
    conf,
    fragment,
)
from scapy.contrib.lldp import (
    LLDPDUChassisID,
    LLDPDUEndOfLLDPDU,
    LLDPDUPortID,
    LLDPDUTimeToLive,
)

conf.verb = 0
OUT = Path(sys.argv[1])
OUT.mkdir(parents=True, exist_ok=True)

# 2024-03-09T12:00:00Z; all synthetic captures hang off this base.
BASE = 1709985600
DAY = 86400

MAC_A = '02:00:00:00:00:01'
MAC_B = '02:00:00:00:00:02'


def eth(p, t=None):
    return Ether(src=MAC_A, dst=MAC_B) / p if t is None else Ether(src=MAC_A, dst=MAC_B, type=t) / p


def write_pcap(name, linktype, records, nano=False, endianness='', snaplen=65535):
    """records: list of (sec, nsec, bytes)."""
    w = PcapWriter(str(OUT / name), linktype=linktype, nano=nano, endianness=endianness, snaplen=snaplen, sync=True)
    w._write_header(None)  # write_packet() alone does not emit the file header
    for sec, nsec, data in records:
        # PcapWriter takes the time as a float or as a Decimal-like EDecimal; feed sec/usec
        # explicitly so no float rounding touches the timestamp.
        if nano:
            w.write_packet(data, sec=sec, usec=nsec)
        else:
            w.write_packet(data, sec=sec, usec=nsec // 1000)
    w.close()


def seq(start, pkts, step_ns=1_000_000):
    """Times start, start+step, ... as (sec, nsec, bytes)."""
    out = []
    t = start * 1_000_000_000
    for p in pkts:
        out.append((t // 1_000_000_000, t % 1_000_000_000, bytes(p)))
        t += step_ns
    return out


# ---------------------------------------------------------------- IP payload sets

def v4_scan():
    """A small IPv4 darknet day: SYN scans, backscatter, UDP probes, ICMP."""
    pkts = []
    for i, port in enumerate([23, 445, 3389, 22, 23, 8080]):
        pkts.append(IP(src=f'198.51.100.{10 + i % 3}', dst='203.0.113.5', ttl=40 + i) /
                    TCP(sport=40000 + i, dport=port, flags='S', window=[8192, 1024, 65535][i % 3], seq=0x1000 + i))
    pkts.append(IP(src='198.51.100.20', dst='203.0.113.5') / TCP(sport=80, dport=51000, flags='SA', window=29200))
    pkts.append(IP(src='198.51.100.21', dst='203.0.113.5') / TCP(sport=443, dport=51001, flags='R', window=0))
    pkts.append(IP(src='198.51.100.21', dst='203.0.113.6') / TCP(sport=443, dport=51002, flags='RA', window=0))
    pkts.append(IP(src='198.51.100.22', dst='203.0.113.6') / TCP(sport=5555, dport=80, flags='A', window=512))
    pkts.append(IP(src='198.51.100.23', dst='203.0.113.7') / UDP(sport=5353, dport=53) / Raw(b'\x12\x34' + b'\x00' * 10))
    pkts.append(IP(src='198.51.100.23', dst='203.0.113.7') / UDP(sport=5353, dport=123) / Raw(b'\x17' + b'\x00' * 47))
    pkts.append(IP(src='198.51.100.24', dst='203.0.113.7') / ICMP(type=8, code=0, id=1, seq=1))
    return pkts


def v6_scan():
    pkts = []
    for i, port in enumerate([22, 80, 443]):
        pkts.append(IPv6(src=f'2001:db8:1::{i + 1:x}', dst='2001:db8:ff::5', hlim=50) /
                    TCP(sport=41000 + i, dport=port, flags='S', window=8192))
    pkts.append(IPv6(src='2001:db8:1::a', dst='2001:db8:ff::5') / UDP(sport=1234, dport=53) / Raw(b'\x00' * 12))
    pkts.append(IPv6(src='2001:db8:1::b', dst='2001:db8:ff::5') / ICMPv6EchoRequest(id=7, seq=1))
    return pkts


def mixed():
    return v4_scan() + v6_scan()


def af_null(af, order):
    return struct.pack(order + 'I', af)


# ---------------------------------------------------------------- raw IP link types

for lt, pk in [(101, mixed()), (228, v4_scan()), (229, v6_scan()), (12, mixed())]:
    write_pcap(f'raw-linktype{lt}.pcap', lt, seq(BASE, pk))

# BSD loopback (linktype 0): AF value in the writer's byte order. AF_INET6 differs per
# OS: 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS); a reader must accept all three.
for order, name in [('<', 'null-le.pcap'), ('>', 'null-be.pcap')]:
    recs = []
    for i, p in enumerate(mixed()):
        af = 2 if p.version == 4 else [24, 28, 30][i % 3]
        recs.append(af_null(af, order) + bytes(p))
    write_pcap(name, 0, seq(BASE + 3600, [Raw(r) for r in recs]), endianness=order)
# OpenBSD loop (linktype 108): AF always in network byte order.
write_pcap('loop-linktype108.pcap', 108,
           seq(BASE + 7200, [Raw(af_null(2 if p.version == 4 else 24, '>') + bytes(p)) for p in mixed()]))

# ---------------------------------------------------------------- VLAN tags

vlan = []
for i, p in enumerate(mixed()):
    if i % 3 == 0:
        vlan.append(Ether(src=MAC_A, dst=MAC_B) / Dot1Q(vlan=100) / p)
    elif i % 3 == 1:  # 802.1ad QinQ: S-tag 0x88a8 then C-tag 0x8100
        vlan.append(Ether(src=MAC_A, dst=MAC_B) / Dot1AD(vlan=20) / Dot1Q(vlan=200) / p)
    else:  # old-style double 0x8100
        vlan.append(Ether(src=MAC_A, dst=MAC_B) / Dot1Q(vlan=30) / Dot1Q(vlan=300) / p)
vlan.append(Ether(src=MAC_A, dst='ff:ff:ff:ff:ff:ff') / Dot1Q(vlan=100) / ARP(psrc='192.0.2.1', pdst='192.0.2.2'))
write_pcap('vlan-qinq.pcap', 1, seq(BASE, vlan))

# ---------------------------------------------------------------- IPv4 options, fragments, tunnels

opts = [
    IP(src='198.51.100.30', dst='203.0.113.9', options=[IPOption_NOP(), IPOption_NOP(), IPOption_NOP(), IPOption_NOP()]) /
    TCP(sport=1111, dport=445, flags='S', window=8192),
    IP(src='198.51.100.31', dst='203.0.113.9', options=[IPOption_RR(routers=['192.0.2.1', '192.0.2.2'])]) /
    UDP(sport=2222, dport=161) / Raw(b'\x30' + b'\x00' * 20),
    IP(src='198.51.100.32', dst='203.0.113.9', options=[IPOption_Timestamp(flg=0, timestamp=1)]) /
    TCP(sport=3333, dport=23, flags='S', window=14600),
]
write_pcap('ipv4-options.pcap', 1, seq(BASE, [eth(p) for p in opts]))

frags = []
big_tcp = IP(src='198.51.100.40', dst='203.0.113.10', id=0x4242) / TCP(sport=4444, dport=80, flags='S', window=8192) / Raw(b'A' * 120)
frags += fragment(big_tcp, fragsize=48)
big_udp = IP(src='198.51.100.41', dst='203.0.113.10', id=0x4343) / UDP(sport=5555, dport=53) / Raw(b'B' * 100)
frags += fragment(big_udp, fragsize=40)
# Later fragments arriving before the first one (reordered), from a third source.
big_udp2 = IP(src='198.51.100.42', dst='203.0.113.11', id=0x4444) / UDP(sport=6666, dport=1900) / Raw(b'C' * 60)
f2 = fragment(big_udp2, fragsize=32)
frags += list(reversed(f2))
# A lone later fragment (offset != 0) whose payload happens to look like a TCP header:
# must not be counted as TCP.
frags.append(IP(src='198.51.100.43', dst='203.0.113.12', id=0x4545, proto=6, frag=100) /
             Raw(bytes(TCP(sport=7777, dport=22, flags='S', window=8192))))
write_pcap('ipv4-fragments.pcap', 1, seq(BASE, [eth(p) for p in frags]))

tunnels = [
    # IP-in-IP: outer protocol 4, inner TCP SYN must not count as TCP.
    IP(src='198.51.100.50', dst='203.0.113.13') / IP(src='10.9.9.9', dst='10.8.8.8') / TCP(sport=1, dport=445, flags='S'),
    # 6in4 (protocol 41)
    IP(src='198.51.100.51', dst='203.0.113.13') / IPv6(src='2001:db8:9::1', dst='2001:db8:9::2') / UDP(sport=2, dport=53),
    # GRE carrying IPv4 UDP
    IP(src='198.51.100.52', dst='203.0.113.13') / GRE() / IP(src='10.7.7.7', dst='10.6.6.6') / UDP(sport=3, dport=123),
    # IPv4-in-IPv6 (next header 4)
    IPv6(src='2001:db8:2::1', dst='2001:db8:ff::1') / IP(src='10.5.5.5', dst='10.4.4.4') / TCP(sport=4, dport=22, flags='S'),
    TCP(sport=9, dport=9) and IP(src='198.51.100.53', dst='203.0.113.13') / TCP(sport=5, dport=8443, flags='S', window=4096),
]
write_pcap('tunnels.pcap', 1, seq(BASE, [eth(p) for p in tunnels]))

# ---------------------------------------------------------------- IPv6 extension headers

v6x = [
    IPv6(src='2001:db8:3::1', dst='2001:db8:ff::1') / IPv6ExtHdrHopByHop() / TCP(sport=100, dport=443, flags='S', window=8192),
    IPv6(src='2001:db8:3::2', dst='2001:db8:ff::1') / IPv6ExtHdrRouting(addresses=['2001:db8:ff::2']) / UDP(sport=101, dport=53) / Raw(b'\x00' * 12),
    IPv6(src='2001:db8:3::3', dst='2001:db8:ff::1') / IPv6ExtHdrDestOpt() / TCP(sport=102, dport=22, flags='S', window=1024),
    IPv6(src='2001:db8:3::4', dst='2001:db8:ff::1') / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() / IPv6ExtHdrRouting(addresses=[]) /
    IPv6ExtHdrDestOpt() / TCP(sport=103, dport=80, flags='SA', window=65535),
    # Atomic fragment (offset 0, M=0): carries the whole TCP header.
    IPv6(src='2001:db8:3::5', dst='2001:db8:ff::1') / IPv6ExtHdrFragment(id=77, offset=0, m=0) / TCP(sport=104, dport=3389, flags='S', window=8192),
    # First fragment of a fragmented UDP datagram, then its later fragment.
    IPv6(src='2001:db8:3::6', dst='2001:db8:ff::1') / IPv6ExtHdrFragment(id=78, offset=0, m=1, nh=17) /
    Raw(bytes(UDP(sport=105, dport=500, len=8 + 64)) + b'D' * 24),
    IPv6(src='2001:db8:3::6', dst='2001:db8:ff::1') / IPv6ExtHdrFragment(id=78, offset=4, m=0, nh=17) / Raw(b'D' * 40),
    # A lone later fragment whose bytes look like TCP.
    IPv6(src='2001:db8:3::7', dst='2001:db8:ff::1') / IPv6ExtHdrFragment(id=79, offset=10, m=0, nh=6) /
    Raw(bytes(TCP(sport=106, dport=22, flags='S', window=8192))),
    # Hop-by-hop then fragment header then TCP (first fragment).
    IPv6(src='2001:db8:3::8', dst='2001:db8:ff::1') / IPv6ExtHdrHopByHop() / IPv6ExtHdrFragment(id=80, offset=0, m=1, nh=6) /
    Raw(bytes(TCP(sport=107, dport=445, flags='S', window=8192)) + b'E' * 16),
    # No next header (59).
    IPv6(src='2001:db8:3::9', dst='2001:db8:ff::1', nh=59),
]
write_pcap('ipv6-extension-headers.pcap', 1, seq(BASE, [eth(p) for p in v6x]))

# ---------------------------------------------------------------- ICMP errors and ICMPv6

icmp = [
    # Backscatter: port unreachable / host unreachable quoting a TCP SYN and a UDP probe.
    IP(src='198.51.100.60', dst='203.0.113.20') / ICMP(type=3, code=3) /
    IP(src='203.0.113.20', dst='198.51.100.99') / TCP(sport=445, dport=31337, flags='S', window=8192),
    IP(src='198.51.100.61', dst='203.0.113.20') / ICMP(type=3, code=1) /
    IP(src='203.0.113.20', dst='198.51.100.98') / UDP(sport=53, dport=40000),
    IP(src='198.51.100.62', dst='203.0.113.20') / ICMP(type=11, code=0) /
    IP(src='203.0.113.20', dst='198.51.100.97', ttl=1) / TCP(sport=80, dport=12345, flags='SA', window=29200),
    IPv6(src='2001:db8:4::1', dst='2001:db8:ff::20') / ICMPv6DestUnreach(code=4) /
    IPv6(src='2001:db8:ff::20', dst='2001:db8:4::99') / TCP(sport=443, dport=23456, flags='S', window=8192),
    IPv6(src='2001:db8:4::2', dst='2001:db8:ff::20') / ICMPv6EchoRequest(id=1, seq=1),
    IPv6(src='2001:db8:ff::20', dst='2001:db8:4::2') / ICMPv6EchoReply(id=1, seq=1),
    IPv6(src='fe80::1', dst='ff02::1:ff00:20', hlim=255) / ICMPv6ND_NS(tgt='2001:db8:ff::20'),
    IP(src='198.51.100.63', dst='203.0.113.20') / ICMP(type=0, code=0),
]
write_pcap('icmp-errors.pcap', 1, seq(BASE, [eth(p) for p in icmp]))

# ---------------------------------------------------------------- non-IP frames

nonip = [
    Ether(src=MAC_A, dst='ff:ff:ff:ff:ff:ff') / ARP(op=1, psrc='192.0.2.1', pdst='192.0.2.2'),
    Ether(src=MAC_B, dst=MAC_A) / ARP(op=2, psrc='192.0.2.2', pdst='192.0.2.1', hwsrc=MAC_B),
    Ether(src=MAC_A, dst='01:80:c2:00:00:0e') / LLDPDUChassisID(subtype=4, id=MAC_A) / LLDPDUPortID(subtype=5, id=b'eth0') /
    LLDPDUTimeToLive(ttl=120) / LLDPDUEndOfLLDPDU(),
    # 802.3 length field + LLC (STP-like), not Ethernet II.
    Ether(src=MAC_A, dst='01:80:c2:00:00:00', type=38) / Raw(b'\x42\x42\x03' + b'\x00' * 35),
] + [eth(p) for p in v4_scan()[:3]]
write_pcap('non-ip-frames.pcap', 1, seq(BASE, nonip))

# ---------------------------------------------------------------- time edges (nanosecond pcap)

t_mid = BASE + 12 * 3600  # 2024-03-10T00:00:00Z
edges = [
    (t_mid - 1, 999_999_999, v4_scan()[0]),  # 23:59:59.999999999 on 2024-03-09
    (t_mid, 0, v4_scan()[1]),  # 00:00:00.000000000 on 2024-03-10
    (t_mid, 1, v6_scan()[0]),
    (t_mid - 1, 999_999_998, v6_scan()[1]),  # out of order: back on the previous day
    (951782400 - 1, 500_000_000, v4_scan()[2]),  # 2000-02-28T23:59:59.5
    (951782400 + DAY, 0, v4_scan()[3]),  # 2000-03-01 (leap day skipped over)
    (1582934400 + 10, 0, v4_scan()[4]),  # 2020-02-29 leap day
    (2147483647, 999_999_999, v4_scan()[5]),  # 2038-01-19T03:14:07.999999999, last signed 32-bit second
    (2147483648, 0, v4_scan()[6]),  # first second past it
    (4294967295, 123_456_789, v6_scan()[2]),  # 2106-02-07T06:28:15, largest unsigned 32-bit second
]
write_pcap('time-edges-nsec.pcap', 1, [(s, ns, bytes(eth(p))) for s, ns, p in edges], nano=True)

# Many days: 40 days, a few hundred distinct sources, usec pcap.
many = []
for d in range(40):
    for k in range(8):
        src = f'10.{d}.{k}.{(d * 7 + k) % 5 + 1}' if k % 4 else f'2001:db8:{d:x}::{k + 1:x}'
        port = [23, 445, 22, 80, 3389, 8080, 53, 123][k]
        if k % 4 == 0:
            p = IPv6(src=src, dst='2001:db8:ff::1') / TCP(sport=1000 + d, dport=port, flags='S', window=8192)
        elif port in (53, 123):
            p = IP(src=src, dst='203.0.113.1') / UDP(sport=1000 + d, dport=port)
        else:
            p = IP(src=src, dst='203.0.113.1') / TCP(sport=1000 + d, dport=port, flags='S', window=[1024, 8192, 29200][k % 3])
        many.append((BASE + d * DAY + k * 3000 + d, (k * 123457) % 1_000_000 * 1000, bytes(eth(p))))
write_pcap('many-days.pcap', 1, many)

# ---------------------------------------------------------------- pcapng writer


class Ng:
    def __init__(self, order):
        self.o = order
        self.buf = bytearray()

    def block(self, btype, body):
        pad = (-len(body)) % 4
        total = 12 + len(body) + pad
        self.buf += struct.pack(self.o + 'II', btype, total) + body + b'\x00' * pad + struct.pack(self.o + 'I', total)

    def opts(self, items):
        out = b''
        for code, val in items:
            out += struct.pack(self.o + 'HH', code, len(val)) + val + b'\x00' * ((-len(val)) % 4)
        return out + (struct.pack(self.o + 'HH', 0, 0) if items else b'')

    def shb(self, comment=None):
        o = [(1, comment.encode())] if comment else []
        self.block(0x0A0D0D0A, struct.pack(self.o + 'IHHq', 0x1A2B3C4D, 1, 0, -1) + self.opts(o))

    def idb(self, linktype, tsresol=None, tsoffset=None, name=None, snaplen=0):
        o = []
        if name:
            o.append((2, name.encode()))
        if tsresol is not None:
            o.append((9, bytes([tsresol])))
        if tsoffset is not None:
            o.append((14, struct.pack(self.o + 'q', tsoffset)))
        self.block(1, struct.pack(self.o + 'HHI', linktype, 0, snaplen) + self.opts(o))

    def epb(self, ifid, units, data, orig=None, comment=None):
        o = [(1, comment.encode())] if comment else []
        body = struct.pack(self.o + 'IIIII', ifid, units >> 32, units & 0xFFFFFFFF, len(data), orig or len(data))
        body += data + b'\x00' * ((-len(data)) % 4) + self.opts(o)
        self.block(6, body)

    def obsolete_pb(self, ifid, units, data):
        body = struct.pack(self.o + 'HHIIII', ifid, 0, units >> 32, units & 0xFFFFFFFF, len(data), len(data))
        self.block(2, body + data + b'\x00' * ((-len(data)) % 4))

    def isb(self, ifid, units):
        self.block(5, struct.pack(self.o + 'III', ifid, units >> 32, units & 0xFFFFFFFF) +
                   self.opts([(4, struct.pack(self.o + 'Q', 10)), (5, struct.pack(self.o + 'Q', 0))]))

    def nrb(self):
        rec = struct.pack(self.o + 'HH', 1, 4 + 13) + bytes([198, 51, 100, 10]) + b'scanner.test\x00'
        rec += b'\x00' * ((-len(rec)) % 4)
        self.block(4, rec + struct.pack(self.o + 'HH', 0, 0))

    def custom(self):
        # Custom block that may be copied (0x00000BAD), private enterprise number 32473 (example PEN).
        self.block(0x00000BAD, struct.pack(self.o + 'I', 32473) + b'scanline-test')

    def unknown(self):
        self.block(0x0000ABCD & 0x7FFFFFFF, b'\x01\x02\x03\x04')


def usec(sec, ns=0):
    return sec * 1_000_000 + ns // 1000


# Big-endian section: Ethernet + raw IP interfaces, microsecond and nanosecond resolution.
ng = Ng('>')
ng.shb('big-endian section written by synth.py')
ng.idb(1, name='eth-be')
ng.idb(101, tsresol=9, name='raw-ns-be')
for i, p in enumerate(v4_scan()):
    ng.epb(0, usec(BASE + 600 + i, 250_000), bytes(eth(p)))
for i, p in enumerate(v6_scan()):
    ng.epb(1, (BASE + 700 + i) * 1_000_000_000 + 123_456_789, bytes(p))
(OUT / 'pcapng-big-endian.pcapng').write_bytes(bytes(ng.buf))

# Little-endian file exercising block types and interface options: millisecond and
# binary (2^-10 s) resolutions, an interface offset, NRB, ISB, custom and unknown
# blocks, the obsolete Packet Block, comments, a packet with orig_len > cap_len.
ng = Ng('<')
ng.shb('block zoo written by synth.py')
ng.nrb()
ng.idb(1, tsresol=3, name='ms')  # 10^-3 s
ng.idb(228, tsresol=0x8A, name='bin10')  # 2^-10 s
ng.idb(229, name='us-v6')
ng.custom()
for i, p in enumerate(v4_scan()[:6]):
    ng.epb(0, (BASE + 800 + i) * 1000 + 7 * i, bytes(eth(p)), comment='ms' if i == 0 else None)
ng.unknown()
for i, p in enumerate(v4_scan()[6:]):
    ng.epb(1, (BASE + 900 + i) * 1024 + 2 * i, bytes(p))  # even units: exact in nanoseconds
for i, p in enumerate(v6_scan()):
    ng.epb(2, usec(BASE + 1000 + i, 1000 * i), bytes(p))
ng.obsolete_pb(0, (BASE + 1100) * 1000, bytes(eth(v4_scan()[0])))
ng.isb(0, (BASE + 1200) * 1000)
# Truncated by the capturer: 40 of 54 bytes kept.
ng.epb(0, (BASE + 1300) * 1000, bytes(eth(v4_scan()[1]))[:40], orig=54)
# An interface described after packets of the others (Linux cooked v2), then its packet.
ng.idb(276, name='late-sll2')
sll2 = struct.pack('!HHIHBB8s', 0x0800, 0, 2, 1, 0, 6, bytes.fromhex('020000000001') + b'\x00\x00')
ng.epb(3, usec(BASE + 1400), sll2 + bytes(v4_scan()[5]))
(OUT / 'pcapng-block-zoo.pcapng').write_bytes(bytes(ng.buf))

# Two sections of opposite byte order in one file: section 2 redefines interface 0.
a = Ng('<')
a.shb('section 1 little-endian')
a.idb(1)
for i, p in enumerate(v4_scan()[:4]):
    a.epb(0, usec(BASE + DAY + i), bytes(eth(p)))
b = Ng('>')
b.shb('section 2 big-endian')
b.idb(229, tsresol=9)
for i, p in enumerate(v6_scan()):
    b.epb(0, (BASE + 2 * DAY + i) * 1_000_000_000 + i, bytes(p))
(OUT / 'pcapng-mixed-endian-sections.pcapng').write_bytes(bytes(a.buf) + bytes(b.buf))

# pcapng interface with an if_tsoffset (seconds added to every timestamp).
ng = Ng('<')
ng.shb()
ng.idb(1, tsoffset=DAY * 3)
for i, p in enumerate(v4_scan()[:5]):
    ng.epb(0, usec(BASE + i), bytes(eth(p)))
(OUT / 'pcapng-tsoffset.pcapng').write_bytes(bytes(ng.buf))

# A negative if_tsoffset: times before the epoch, with fractions (tshark prints -1.5 s as
# "-2.500000000": negative seconds, then positive nanoseconds).
ng = Ng('<')
ng.shb()
ng.idb(1, tsoffset=-2)
for i, units in enumerate([500_000, 4, 1_999_999, 2_000_000]):
    ng.epb(0, units, bytes(eth(v4_scan()[i])))
(OUT / 'pcapng-negative-tsoffset.pcapng').write_bytes(bytes(ng.buf))

# ---------------------------------------------------------------- link-layer encapsulations

from scapy.all import AH, ESP, LLC, PPP, SNAP, Dot3, PPPoE  # noqa: E402
from scapy.contrib.mpls import MPLS  # noqa: E402

encaps = [
    Ether(src=MAC_A, dst=MAC_B) / MPLS(label=100, s=1) / v4_scan()[0],
    Ether(src=MAC_A, dst=MAC_B) / MPLS(label=100, s=0) / MPLS(label=200, s=1) / v6_scan()[0],
    # PPPoE session with the usual 2-byte PPP protocol field (0x0021 IPv4, 0x0057 IPv6).
    Ether(src=MAC_A, dst=MAC_B) / PPPoE(sessionid=7) / Raw(b'\x00\x21' + bytes(v4_scan()[1])),
    Ether(src=MAC_A, dst=MAC_B) / PPPoE(sessionid=7) / Raw(b'\x00\x57' + bytes(v6_scan()[1])),
    Dot3(src=MAC_A, dst=MAC_B) / LLC(dsap=0xAA, ssap=0xAA, ctrl=3) / SNAP(OUI=0, code=0x0800) / v4_scan()[2],
    Ether(src=MAC_A, dst=MAC_B, type=0x9100) / Dot1Q(vlan=5) / v4_scan()[3],
    Raw(bytes(Ether(src=MAC_A, dst=MAC_B))[:10]),  # runt: 10 bytes, no ethertype
    Raw(b''),  # zero-length record
]
write_pcap('ethernet-encapsulations.pcap', 1, seq(BASE, encaps))

# PPP protocol field compression (RFC 1661 6.5): a 1-byte protocol (0x21 IPv4, 0x57 IPv6).
# This is what scapy's PPP layer writes for these protocols.
pfc = [
    Ether(src=MAC_A, dst=MAC_B) / PPPoE(sessionid=8) / PPP(proto=0x0021) / v4_scan()[4],
    Ether(src=MAC_A, dst=MAC_B) / PPPoE(sessionid=8) / PPP(proto=0x0057) / v6_scan()[2],
]
write_pcap('pppoe-protocol-field-compression.pcap', 1, seq(BASE, pfc))

# 802.2 LLC variants, as tshark's LLC dissector reads them: a U frame has a 1-byte control
# field, I and S frames 2 bytes; only I frames and UI (control exactly 0x03) carry a payload.
# DSAP 06 is IP without SNAP; SNAP carries an ethertype for OUI 00-00-00 and 00-00-F8 only.
def llc(head, payload):
    return Dot3(src=MAC_A, dst=MAC_B) / Raw(head + bytes(payload))


llc_frames = [
    llc(b'\x06\x06\x03', v4_scan()[0]),  # DSAP 06, UI: IP
    llc(b'\x06\x06\x00\x02', v4_scan()[1]),  # DSAP 06, I frame (2-byte control): IP
    llc(b'\x06\x06\x13', v4_scan()[2]),  # UI with the P bit: not an information frame
    llc(b'\x06\x06\x01\x00', v4_scan()[3]),  # S frame: no payload protocol
    llc(b'\x07\x07\x03', v4_scan()[4]),  # another SAP: not IP
    llc(b'\xaa\xaa\x02\x04\x00\x00\x00\x08\x00', v4_scan()[5]),  # SNAP in an I frame: IP
    llc(b'\xaa\xaa\x03\x00\x00\xf8\x86\xdd', v6_scan()[0]),  # SNAP, OUI 00-00-F8: IPv6
    llc(b'\xaa\xaa\x03\x08\x00\x07\x08\x00', v4_scan()[6]),  # SNAP, Apple OUI: not IP
    llc(b'\xaa\xaa\x13\x00\x00\x00\x08\x00', v4_scan()[7]),  # SNAP UI with P bit: not IP
    llc(b'\xaa\x06\x03', v4_scan()[8]),  # DSAP AA without SSAP AA: not SNAP, not IP
    Ether(src=MAC_A, dst=MAC_B) / Dot1Q(vlan=9, type=len(v4_scan()[9]) + 3) / Raw(b'\x06\x06\x03' + bytes(v4_scan()[9])),
]
write_pcap('llc-variants.pcap', 1, seq(BASE, llc_frames))

# Link-layer length fields that end the payload before the frame does (tshark cuts there):
# the 802.3 length (also behind an 802.1Q tag) and the PPPoE payload length; and a PPPoE
# Credits tag (RFC 5578) before the PPP protocol.
def dot3_len(length, payload):
    return Raw(bytes(Ether(src=MAC_A, dst=MAC_B))[:12] + length.to_bytes(2, 'big') + payload)


lf_ip = bytes(v4_scan()[0])
lf_ip6 = bytes(v6_scan()[0])
length_frames = [
    dot3_len(3 + 10, b'\x06\x06\x03' + lf_ip),  # cuts the IPv4 header
    dot3_len(3 + 20, b'\x06\x06\x03' + lf_ip),  # IPv4 header only
    dot3_len(3 + 22, b'\x06\x06\x03' + lf_ip),  # 2 bytes of TCP: no destination port
    dot3_len(3 + 200, b'\x06\x06\x03' + lf_ip),  # longer than the frame: no cut
    Ether(src=MAC_A, dst=MAC_B) / PPPoE(sessionid=1, len=1 + 20) / Raw(b'\x57' + lf_ip6),
    Ether(src=MAC_A, dst=MAC_B) / PPPoE(sessionid=1, len=2 + 24) / Raw(b'\x00\x21' + lf_ip),
    Ether(src=MAC_A, dst=MAC_B) / PPPoE(sessionid=1, len=1500) / Raw(b'\x00\x21' + lf_ip),
    Ether(src=MAC_A, dst=MAC_B) / PPPoE(sessionid=1, len=10 + len(lf_ip))
    / Raw(b'\x01\x06\x00\x04\x00\x01\x00\x02\x00\x21' + lf_ip),
    Ether(src=MAC_A, dst=MAC_B) / Dot1Q(vlan=3, type=3 + 12) / Raw(b'\x06\x06\x03' + lf_ip),
    # Credits tags whose length is not 4: within the frame (read past), beyond it (tshark stops).
    Ether(src=MAC_A, dst=MAC_B) / PPPoE(sessionid=1, len=10 + len(lf_ip))
    / Raw(b'\x01\x06\x00\x02\x00\x01\x00\x02\x00\x21' + lf_ip),
    Ether(src=MAC_A, dst=MAC_B) / PPPoE(sessionid=1, len=10 + len(lf_ip))
    / Raw(b'\x01\x06\x09\x04\x00\x01\x00\x02\x00\x21' + lf_ip),
]
write_pcap('length-fields.pcap', 1, seq(BASE, length_frames))

# IPv6 routing headers whose type-specific fields announce more than the header holds:
# tshark's dissector for the type reads what the fields announce and stops at the end
# (no transport). Types 2, 3 (RPL), 4 (SRH), 5/6 (CRH); type 0 and unknown types are
# skipped by length.
def rh(typ, hdrlen, segleft, body):
    total = (hdrlen + 1) * 8
    b = bytes([6, hdrlen, typ, segleft]) + body
    return (b + bytes(max(0, total - len(b))))[:total]


rt_tcp = bytes(TCP(sport=40000, dport=22, flags='S', window=1024))
rt_headers = [
    rh(4, 2, 0, bytes([0, 0, 0, 0]) + bytes(16)),  # SRH, one segment: fits
    rh(4, 2, 0, bytes([1, 0, 0, 0]) + bytes(16)),  # SRH, last entry 1: two segments announced
    rh(4, 0, 0, bytes(4)),  # SRH with no room for its segment
    rh(2, 0, 0, bytes(4)),  # type 2 without its home address
    rh(2, 2, 1, bytes(20)),  # type 2 with it
    rh(0, 1, 0, bytes(4)),  # type 0, odd length
    rh(0, 2, 5, bytes(20)),  # type 0, segments left past the addresses
    rh(3, 0, 0, bytes(4)),  # RPL, no addresses
    rh(3, 1, 1, bytes(4)),  # RPL announcing a 16-byte address in 12
    rh(3, 2, 1, bytes(20)),  # RPL with it
    rh(3, 0, 1, bytes([0xFF, 0xF0, 0, 0])),  # RPL, negative address count
    rh(3, 1, 3, bytes([0xF0, 0, 0, 0]) + bytes(8)),  # RPL, cmprI 15
    rh(5, 0, 9, bytes(4)),  # CRH-16, current SID past the header
    rh(6, 0, 2, bytes(4)),  # CRH-32, current SID past the header
    rh(5, 0, 1, bytes([0, 1, 0, 2])),  # CRH-16, all SIDs non-zero: read one past the last
    rh(5, 0, 1, bytes([0, 1, 0, 0])),  # CRH-16, a zero SID ends the list
    rh(7, 0, 0, bytes(4)),  # unknown type
]
rt_frames = [
    Ether(src=MAC_A, dst=MAC_B)
    / IPv6(src='2001:db8:7::%x' % (i + 1), dst='2001:db8:1::1', nh=43)
    / Raw(h + rt_tcp)
    for i, h in enumerate(rt_headers)
]
write_pcap('routing-headers.pcap', 1, seq(BASE, rt_frames))

# IPv6 jumbograms (RFC 2675): payload length 0 and a Jumbo Payload option in the hop-by-hop
# header. tshark reads the transport for values 65536 .. 2^32 - 41 (value + 40 is its 32-bit
# total length), not below nor above, nor with a payload length set or the option elsewhere.
# The frames are short: the jumbo length runs past them, as in a capture cut by its snap length.
jumbo_tcp = TCP(sport=40000, dport=80, flags='S', window=777)
jumbo_frames = [
    eth(IPv6(src='2001:db8:9::%x' % (i + 1), dst='2001:db8:1::1', plen=plen)
        / IPv6ExtHdrHopByHop(options=opts) / body)
    for i, (plen, opts, body) in enumerate([
        (0, [Jumbo(jumboplen=70000)], jumbo_tcp),
        (0, [Jumbo(jumboplen=65536)], UDP(sport=5353, dport=53)),
        (0, [Jumbo(jumboplen=65535)], jumbo_tcp),
        (0, [Jumbo(jumboplen=2**31)], jumbo_tcp),
        (0, [Jumbo(jumboplen=2**32 - 41)], jumbo_tcp),
        (0, [Jumbo(jumboplen=2**32 - 40)], jumbo_tcp),
        (0, [Jumbo(jumboplen=2**32 - 1)], jumbo_tcp),
        (0, [Pad1(), Pad1(), Jumbo(jumboplen=70000)], jumbo_tcp),
        (0, [PadN(optdata=b'\0\0'), Jumbo(jumboplen=70000)], jumbo_tcp),
        (0, [Jumbo(jumboplen=100), Jumbo(jumboplen=70000)], jumbo_tcp),
        (28, [Jumbo(jumboplen=70000)], jumbo_tcp),
    ])
]
jumbo_frames.append(eth(IPv6(src='2001:db8:9::ff', dst='2001:db8:1::1', plen=0)
                        / IPv6ExtHdrDestOpt(options=[Jumbo(jumboplen=70000)]) / jumbo_tcp))
write_pcap('ipv6-jumbograms.pcap', 1, seq(BASE, jumbo_frames))

# MPLS special-purpose labels: a bottom label 13 (GAL) or 14 (OAM alert) carries no IP for
# tshark; above the bottom they are labels like any other.
def mpls_label(label, bottom):
    return struct.pack('>I', (label << 12) | (bottom << 8) | 64)


mpls_ip = bytes(IP(src='198.51.100.77', dst='192.0.2.1') / TCP(sport=40000, dport=22, flags='S'))
mpls_frames = [
    Ether(src=MAC_A, dst=MAC_B, type=0x8847) / Raw(b''.join(labels) + mpls_ip)
    for labels in [
        [mpls_label(13, 1)],
        [mpls_label(14, 1)],
        [mpls_label(100, 0), mpls_label(13, 1)],
        [mpls_label(13, 0), mpls_label(100, 1)],
        [mpls_label(14, 0), mpls_label(100, 1)],
        [mpls_label(12, 1)],
        [mpls_label(15, 1)],
    ]
]
write_pcap('mpls-special-labels.pcap', 1, seq(BASE, mpls_frames))

# Cisco ISL: tshark reads an 802.3 frame to 01-00-0C-00-00-xx or 0C-00-0C-00-00-xx as ISL
# (26-byte header; type 0: an Ethernet frame with its FCS, the length field counting the
# bytes after it, 0 for all), whatever its LLC would say.
isl_inner4 = bytes(Ether(src=MAC_A, dst=MAC_B) / IP(src='198.51.100.91', dst='192.0.2.1')
                   / TCP(sport=40000, dport=22, flags='S')) + bytes(4)
isl_inner6 = bytes(Ether(src=MAC_A, dst=MAC_B) / IPv6(src='2001:db8:91::1', dst='2001:db8:1::1')
                   / UDP(sport=5353, dport=53)) + bytes(4)


def isl(dst5, typ, inner, length=None, cut=0):
    body = bytes.fromhex('aaaa03001122') + struct.pack('>H', 10 << 1) + bytes(4) + inner
    frame = dst5 + bytes([typ << 4]) + bytes.fromhex('001122334455') + \
        struct.pack('>H', len(body) if length is None else length) + body
    return frame[:len(frame) - cut]


ISL_A = bytes.fromhex('01000c0000')
ISL_B = bytes.fromhex('0c000c0000')
isl_llc_ip = b'\x06\x06\x03' + bytes(IP(src='198.51.100.92', dst='192.0.2.1') / TCP(dport=22, flags='S'))
isl_frames = [
    isl(ISL_A, 0, isl_inner4),
    isl(ISL_B, 0, isl_inner4),
    isl(ISL_A, 0, isl_inner6),
    isl(ISL_A, 1, isl_inner4),  # Token Ring: not decoded, not IP for tshark either
    isl(ISL_A, 0, isl_inner4, length=30),  # the inner frame ends inside the IPv4 header
    isl(ISL_A, 0, isl_inner4, length=0),
    isl(ISL_A, 0, isl_inner4, cut=30),
    isl(bytes.fromhex('01000c0001'), 0, isl_inner4),  # not an ISL address
    ISL_A + bytes(1) + bytes.fromhex('001122334455') + struct.pack('>H', len(isl_llc_ip)) + isl_llc_ip,
]
write_pcap('cisco-isl.pcap', 1, seq(BASE, isl_frames))

# OpenBSD enc (109; wiretap reads DLT 13 the same): family, SPI, flags, then the packet.
# tshark takes the family in either byte order: 2 IPv4, 24 IPv6, others not IP.
enc_v4 = bytes(IP(src='198.51.100.93', dst='192.0.2.1') / TCP(sport=40000, dport=500, flags='S'))
enc_v6 = bytes(IPv6(src='2001:db8:93::1', dst='2001:db8:1::1') / UDP(sport=500, dport=4500))
enc_frames = [
    struct.pack(order + 'I', af) + struct.pack('>II', 0x1001, 0) + body
    for order in '<>'
    for af, body in [(2, enc_v4), (24, enc_v6), (28, enc_v6), (30, enc_v6), (0, enc_v4)]
]
write_pcap('enc-linktype109.pcap', 109, seq(BASE, [Raw(f) for f in enc_frames]))
# Linux ATM CLIP under DLT 19 (also 16 and 18 for wiretap): the IP packet itself.
write_pcap('atm-clip-linktype19.pcap', 19, seq(BASE, [Raw(enc_v4), Raw(enc_v6)]))

# Endace ERF records (link type 197, DAG capture cards): a 16-byte header (64-bit time:
# seconds and a binary fraction, little-endian; type; flags; record, loss and wire
# lengths), 8-byte extension headers while the type's top bit (then each header's) is
# set, a 2-byte header for Ethernet types and 4 bytes for multichannel ones, the frame.
# In classic pcap tshark takes the time from the ERF header, in pcapng from the block.


def erf(typ, payload, sec, frac=0x80000000, ext=b''):
    return struct.pack('<Q', (sec << 32) | frac) + bytes([typ, 0x04]) + \
        struct.pack('>HHH', 16 + len(ext) + len(payload), 0, len(payload)) + ext + payload


def erf_v4(i, dport=22):
    return bytes(IP(src=f'198.51.100.{i}', dst='192.0.2.1') / TCP(sport=40000, dport=dport, flags='S'))


def erf_eth(i):
    return b'\x00\x00' + bytes(eth(IP(src=f'198.51.100.{i}', dst='192.0.2.1') / TCP(sport=40000, dport=80, flags='S')))


erf_v6 = bytes(IPv6(src='2001:db8:94::1', dst='2001:db8:1::1') / UDP(sport=5353, dport=53))
ERF_T = BASE + DAY // 2 - 1  # 23:59:59 of the pcap records' day
erf_records = [
    erf(2, erf_eth(101), ERF_T),  # ETH
    erf(0x82, erf_eth(102), ERF_T, ext=bytes([0x01]) + bytes(7)),  # one extension header
    erf(0x82, erf_eth(103), ERF_T, ext=bytes([0x81]) + bytes(7) + bytes([0x01]) + bytes(7)),  # two
    erf(11, erf_eth(104), ERF_T), erf(16, erf_eth(105), ERF_T), erf(20, erf_eth(106), ERF_T),  # coloured ETH
    erf(22, erf_v4(107), ERF_T),  # IPV4
    erf(22, erf_v6, ERF_T),  # IPV4 type, IPv6 packet: the IPv4 dissector hands it on
    erf(23, erf_v6, ERF_T),  # IPV6
    erf(23, erf_v4(108), ERF_T),  # IPV6 type, IPv4 packet: not IP
    erf(1, bytes.fromhex('0f000800') + erf_v4(109), ERF_T),  # HDLC_POS: Cisco HDLC
    erf(1, bytes.fromhex('8f000800') + erf_v4(110), ERF_T),
    erf(1, bytes.fromhex('ff030021') + erf_v4(111), ERF_T),  # HDLC_POS: PPP
    erf(1, bytes.fromhex('00000800') + erf_v4(112), ERF_T),  # neither: PPP, not IP
    erf(10, bytes.fromhex('0f000800') + erf_v4(113), ERF_T), erf(15, bytes.fromhex('0f000800') + erf_v4(114), ERF_T),
    erf(19, bytes.fromhex('ff030057') + erf_v6, ERF_T),
    erf(5, bytes(4) + bytes.fromhex('0f000800') + erf_v4(115), ERF_T),  # MC_HDLC
    erf(17, bytes(4) + bytes.fromhex('0f000800') + erf_v4(116), ERF_T),  # COLOR_MC_HDLC_POS
    erf(6, bytes(4) + erf_v4(117), ERF_T), erf(4, erf_v4(118), ERF_T), erf(21, erf_v4(119), ERF_T),  # not IP
    erf(27, erf_v4(120), ERF_T), erf(0, erf_v4(121), ERF_T), erf(24, erf_v4(122), ERF_T),
    erf(22, erf_v4(123), ERF_T, frac=0xFFFFFFFF),  # rounds up to the next second: the next day
    erf(22, erf_v4(124), ERF_T, frac=1),
    erf(22, erf_v4(125), ERF_T + 2, frac=0x40000000),
    erf(0x96, bytes(IP(src='198.51.100.126', dst='192.0.2.1') / TCP(dport=23, flags='S')), ERF_T,
        ext=bytes(8)),  # IPV4 with an extension header
]
write_pcap('erf-linktype197.pcap', 197, seq(BASE, [Raw(r) for r in erf_records]))
ng = Ng('<')
ng.shb()
ng.idb(197, tsresol=9)
ng.idb(1, tsresol=9)
ng.epb(0, BASE * 10**9, erf(22, erf_v4(130), ERF_T))  # block time, not the ERF time
ng.epb(1, BASE * 10**9 + 1, bytes(eth(IP(src='198.51.100.131', dst='192.0.2.1') / TCP(dport=80, flags='S'))))
ng.epb(0, (BASE + DAY) * 10**9, erf(2, erf_eth(132), ERF_T))
open(OUT / 'erf-linktype197.pcapng', 'wb').write(bytes(ng.buf))
# Damaged: the extension-header chain runs past the record (tshark: "too small to include
# the extension headers"); the record before it counts.
write_pcap('damaged-erf-extension-headers.pcap', 197, seq(BASE, [
    Raw(erf(22, erf_v4(140), ERF_T)),
    Raw(erf(0x82, b'', ERF_T, ext=bytes([0x81]) + bytes(7))),
    Raw(erf(22, erf_v4(141), ERF_T)),
]))

# ---------------------------------------------------------------- malformed / unusual IP and transport headers


def raw_v4(ihl_ver, tot_len, proto, src, dst, payload=b'', frag=0, extra=b''):
    """An IPv4 header built by hand (scapy would fix the fields we want wrong)."""
    hdr = struct.pack('!BBHHHBBH4s4s', ihl_ver, 0, tot_len, 1, frag, 64, proto, 0,
                      bytes(map(int, src.split('.'))), bytes(map(int, dst.split('.'))))
    return hdr + extra + payload


tcp_syn = bytes(TCP(sport=1234, dport=445, flags='S', window=8192))
mal = [
    eth(Raw(raw_v4(0x44, 40, 6, '198.51.100.70', '203.0.113.30', tcp_syn)), 0x0800),  # IHL 4 (bogus)
    eth(Raw(raw_v4(0x45, 12, 6, '198.51.100.71', '203.0.113.30', tcp_syn)), 0x0800),  # total length < header
    eth(Raw(raw_v4(0x45, 1000, 6, '198.51.100.72', '203.0.113.30', tcp_syn)), 0x0800),  # total length > captured
    eth(Raw(raw_v4(0x4F, 60, 6, '198.51.100.73', '203.0.113.30', tcp_syn)), 0x0800),  # IHL 15 > captured
    eth(Raw(bytes(v6_scan()[0])), 0x0800),  # IPv6 packet in an IPv4 ethertype
    eth(Raw(b'\x55' + bytes(v4_scan()[0])[1:]), 0x0800),  # version 5
    eth(Raw(bytes(v4_scan()[1])), 0x86DD),  # IPv4 packet in an IPv6 ethertype
    eth(IPv6(src='2001:db8:5::1', dst='2001:db8:ff::1', plen=0) / TCP(sport=1, dport=22, flags='S', window=8192)),
    eth(IP(src='198.51.100.74', dst='203.0.113.30') / TCP(sport=1, dport=80, flags='S', dataofs=3, window=8192)),
    eth(IP(src='198.51.100.75', dst='203.0.113.30') / TCP(sport=1, dport=443, flags='S', dataofs=15, window=8192)),
    eth(IP(src='198.51.100.76', dst='203.0.113.30') / UDP(sport=1, dport=53, len=3) / Raw(b'\x00' * 8)),
    eth(IPv6(src='::ffff:198.51.100.77', dst='2001:db8:ff::1') / TCP(sport=1, dport=23, flags='S', window=8192)),
    eth(IP(src='198.51.100.77', dst='203.0.113.30') / TCP(sport=1, dport=23, flags='S', window=8192)),
    eth(IP(src='198.51.100.78', dst='203.0.113.30') / TCP(sport=1, dport=0, flags='S', window=0)),
    eth(IP(src='198.51.100.78', dst='203.0.113.30') / UDP(sport=1, dport=0)),
    eth(IP(src='198.51.100.79', dst='203.0.113.30') / TCP(sport=1, dport=8080, flags='FSRPAUEC', window=1)),
    eth(IP(src='198.51.100.79', dst='203.0.113.30') / TCP(sport=1, dport=8080, flags='SR', window=2)),
    eth(IP(src='198.51.100.79', dst='203.0.113.30') / TCP(sport=1, dport=8080, flags='', window=3)),
    # First fragments too short for the transport header: 4 bytes of UDP, 12 bytes of TCP.
    eth(Raw(raw_v4(0x45, 24, 17, '198.51.100.80', '203.0.113.30', bytes(UDP(sport=9, dport=161, len=40))[:4], frag=0x2000)), 0x0800),
    eth(Raw(raw_v4(0x45, 32, 6, '198.51.100.81', '203.0.113.30', tcp_syn[:12], frag=0x2000)), 0x0800),
    # Protocol 6 but no room at all for TCP.
    eth(Raw(raw_v4(0x45, 20, 6, '198.51.100.82', '203.0.113.30')), 0x0800),
    # Unknown transport (SCTP, 132) and protocol 255.
    eth(Raw(raw_v4(0x45, 32, 132, '198.51.100.83', '203.0.113.30', b'\x00\x01\x00\x50' + b'\x00' * 8)), 0x0800),
    eth(Raw(raw_v4(0x45, 24, 255, '198.51.100.84', '203.0.113.30', b'\x00' * 4)), 0x0800),
]
write_pcap('ip-malformed.pcap', 1, seq(BASE, mal))

ipsec = [
    eth(IP(src='198.51.100.90', dst='203.0.113.40', proto=51) / AH(nh=6, payloadlen=4, spi=1, seq=1, icv=b'\x00' * 12) /
        TCP(sport=1, dport=445, flags='S', window=8192)),
    eth(IPv6(src='2001:db8:6::1', dst='2001:db8:ff::40', nh=51) / AH(nh=17, payloadlen=4, spi=2, seq=1, icv=b'\x00' * 12) /
        UDP(sport=2, dport=53)),
    eth(IP(src='198.51.100.91', dst='203.0.113.40') / ESP(spi=3, seq=1, data=b'\x11' * 24)),
    eth(IPv6(src='2001:db8:6::2', dst='2001:db8:ff::40') / ESP(spi=4, seq=1, data=b'\x22' * 24)),
]
write_pcap('ipsec-ah-esp.pcap', 1, seq(BASE, ipsec))

# BSD loopback written by one host, read elsewhere: little-endian file, AF in big-endian.
write_pcap('null-af-opposite-order.pcap', 0,
           seq(BASE, [Raw(af_null(2 if p.version == 4 else 30, '>') + bytes(p)) for p in mixed()]))

# ---------------------------------------------------------------- pcap record quirks


def raw_pcap(name, snaplen, linktype, recs, magic=0xA1B2C3D4):
    """recs: (sec, frac, incl_len, orig_len, data) written exactly as given."""
    out = struct.pack('<IHHiIII', magic, 2, 4, 0, 0, snaplen, linktype)
    for sec, frac, incl, orig, data in recs:
        out += struct.pack('<IIII', sec, frac, incl, orig) + data
    (OUT / name).write_bytes(out)


p0 = bytes(eth(v4_scan()[0]))
p1 = bytes(eth(v4_scan()[1]))
raw_pcap('pcap-record-quirks.pcap', 0, 1, [  # snap length 0 in the header
    (BASE, 0, len(p0), len(p0), p0),
    (BASE + 1, 999_999, len(p1), 40, p1),  # cap_len > orig_len
    (BASE + 2, 0, 0, 60, b''),  # empty record
    (BASE + 3, 5, len(p0), 1514, p0),  # cut by the capturer: orig_len > cap_len
])
raw_pcap('pcap-usec-overflow.pcap', 65535, 1, [  # fraction >= 1 s (buggy writers)
    (BASE, 1_500_000, len(p0), len(p0), p0),
    (BASE + 43199, 2_000_000, len(p1), len(p1), p1),  # 23:59:59 + 2 s: the next day
])

# ---------------------------------------------------------------- more pcapng

ng = Ng('<')
ng.shb()
ng.idb(1, tsresol=9)
ng.idb(101, tsresol=12)  # picoseconds
big = (1 << 63) + 123_456_789  # > 2^63 ns: year 2262+, unsigned 64-bit
ng.epb(0, big, bytes(eth(v4_scan()[0])))
ng.epb(0, (1 << 64) - 1, bytes(eth(v4_scan()[1])))  # largest timestamp
ng.epb(1, 1_000_000_000_000_000_123, bytes(v4_scan()[2]))  # 1e6 s + 123 ps (not a whole ns)
# 1970-01-01T23:59:59.017000000001: a sub-nanosecond remainder again. (A fraction of
# 0.018 s or more would overflow tshark 4.0's 64-bit arithmetic for 10^-12 units.)
ng.epb(1, 86_399_017_000_000_001, bytes(v4_scan()[3]))
(OUT / 'pcapng-extreme-timestamps.pcapng').write_bytes(bytes(ng.buf))

ng = Ng('<')
ng.shb()
ng.idb(1, snaplen=64)
for i, p in enumerate(v4_scan()[:3]):
    data = bytes(eth(p))
    # Simple Packet Block: original length, then data; no interface id, no time stamp.
    ng.block(3, struct.pack('<I', len(data)) + data + b'\x00' * ((-len(data)) % 4))
(OUT / 'pcapng-simple-packet-blocks.pcapng').write_bytes(bytes(ng.buf))

# ---------------------------------------------------------------- damaged pcapng

ng = Ng('<')
ng.shb()
ng.idb(1)
ng.epb(0, usec(BASE), bytes(eth(v4_scan()[0])))
ng.epb(0, usec(BASE + 1), bytes(eth(v4_scan()[1])))
ng.epb(3, usec(BASE + 2), bytes(eth(v4_scan()[2])))  # interface 3 was never described
ng.epb(0, usec(BASE + 3), bytes(eth(v4_scan()[3])))
(OUT / 'damaged-pcapng-unknown-interface.pcapng').write_bytes(bytes(ng.buf))

ng = Ng('<')
ng.shb()
ng.idb(1)
ng.epb(0, usec(BASE), bytes(eth(v4_scan()[0])))
mark = len(ng.buf)
ng.epb(0, usec(BASE + 1), bytes(eth(v4_scan()[1])))
ng.epb(0, usec(BASE + 2), bytes(eth(v4_scan()[2])))
buf = bytearray(ng.buf)
struct.pack_into('<I', buf, mark + 4, struct.unpack_from('<I', buf, mark + 4)[0] + 2)  # not a multiple of 4
(OUT / 'damaged-pcapng-bad-block-length.pcapng').write_bytes(bytes(buf))

ng = Ng('<')
ng.block(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 2, 0, -1))  # major version 2
ng.idb(1)
ng.epb(0, usec(BASE), bytes(eth(v4_scan()[0])))
(OUT / 'damaged-pcapng-version-2.pcapng').write_bytes(bytes(ng.buf))

import gzip as _gzip  # noqa: E402

(OUT / 'damaged-gzip-of-text.pcap.gz').write_bytes(
    _gzip.compress(b'not a capture, but properly gzip-compressed\n', mtime=0))
