#!/usr/bin/env bash
# Regenerates the real-tool capture corpus used by inspect-vs-tshark.test.ts.
#
#   sudo tests/real-tools/make-captures.sh [OUT_DIR]     (default: tests/real-tools/fixtures)
#
# Live captures: tcpdump / tshark record nmap, hping3, masscan and zmap traffic that goes
# ONLY to loopback (127.0.0.0/8, ::1) or to a private network namespace this script
# creates (veth pair, 10.77.0.0/24 and fd77::/64) and removes on exit. Every tool is
# bounded in packet count and wrapped in `timeout`. Synthetic captures for link types
# no tool here writes come from synth.py (scapy). Damaged files are cut or edited copies.
#
# Idempotent: OUT_DIR is emptied and rebuilt (it must be empty, absent, or hold the
# marker file .scanline-corpus). Needs root (raw sockets, capture, netns). Takes ~1 min.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE/fixtures}"
PY=/usr/bin/python3

die() {
  echo "make-captures: $*" >&2
  exit 1
}

[[ $(id -u) -eq 0 ]] || die "must run as root (packet capture, raw sockets, network namespaces)"

missing=()
for tool in tcpdump tshark editcap mergecap randpkt text2pcap tcprewrite capinfos nmap masscan hping3 zmap ip iptables ip6tables gzip timeout; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[[ -x $PY ]] || missing+=("$PY")
((${#missing[@]} == 0)) || die "missing tools: ${missing[*]} (Debian: apt-get install tcpdump tshark tcpreplay nmap masscan hping3 zmap iproute2 iptables python3-scapy)"
$PY -c 'import scapy' 2>/dev/null || die "python3-scapy is not installed (apt-get install python3-scapy)"

if [[ -e $OUT ]]; then
  if [[ -n $(ls -A "$OUT") && ! -e $OUT/.scanline-corpus ]]; then
    die "$OUT is not empty and has no .scanline-corpus marker; refusing to overwrite it"
  fi
  rm -rf "$OUT"
fi
mkdir -p "$OUT"
touch "$OUT/.scanline-corpus"
OUT="$(cd "$OUT" && pwd)"

WORK="$(mktemp -d)"
NS=sl-rt-ns
VETH=sl-rt0
VETH_NS=sl-rt1
PIDS=()

cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  ip netns del "$NS" 2>/dev/null || true
  ip link del "$VETH" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# ------------------------------------------------------------------ network namespace
ip netns del "$NS" 2>/dev/null || true
ip link del "$VETH" 2>/dev/null || true
ip netns add "$NS"
ip link add "$VETH" type veth peer name "$VETH_NS"
ip link set "$VETH_NS" netns "$NS"
ip addr add 10.77.0.1/24 dev "$VETH"
ip -6 addr add fd77::1/64 dev "$VETH" nodad
ip link set "$VETH" up
ip netns exec "$NS" ip addr add 10.77.0.2/24 dev "$VETH_NS"
ip netns exec "$NS" ip -6 addr add fd77::2/64 dev "$VETH_NS" nodad
ip netns exec "$NS" ip link set "$VETH_NS" up
ip netns exec "$NS" ip link set lo up
NS_MAC="$(ip netns exec "$NS" cat "/sys/class/net/$VETH_NS/address")"
sleep 1

# Listeners so that some probes are answered with SYN/ACK (bounded lifetime).
LISTEN_PY='
import socket, sys, time
socks = []
for fam, addr in [(socket.AF_INET, sys.argv[1]), (socket.AF_INET6, sys.argv[2])]:
    s = socket.socket(fam)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(sys.argv[3])))
    s.listen(16)
    socks.append(s)
time.sleep(float(sys.argv[4]))
'
timeout 300 $PY -c "$LISTEN_PY" 127.0.0.1 ::1 18080 290 &
PIDS+=($!)
timeout 300 ip netns exec "$NS" $PY -c "$LISTEN_PY" 10.77.0.2 fd77::2 80 290 &
PIDS+=($!)
sleep 0.5

# Only the traffic this script makes (loopback may carry other programs' traffic).
PORTS_TCP='port 21 or port 22 or port 80 or port 443 or port 445 or port 3389 or port 18080'
PORTS_UDP='port 53 or port 123 or port 161'
LO_FILTER="(tcp and ($PORTS_TCP)) or (udp and ($PORTS_UDP)) or icmp or icmp6 or (ip and ip[6:2] & 0x3fff != 0)"
ANY_FILTER="($LO_FILTER) or net 10.77.0.0/24 or net fd77::/64"

# start_capture NAME CMD... : runs a capture tool in the background, waits until it listens.
CAP_PID=
start_capture() {
  local name=$1
  shift
  : >"$WORK/$name.log"
  "$@" 2>"$WORK/$name.log" &
  CAP_PID=$!
  PIDS+=("$CAP_PID")
  local i
  for i in $(seq 1 50); do
    if grep -qE 'listening on|Capturing on' "$WORK/$name.log"; then
      sleep 0.3
      return 0
    fi
    kill -0 "$CAP_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$WORK/$name.log" >&2
  die "capture $name did not start"
}
stop_capture() {
  sleep 0.5
  kill -INT "$CAP_PID" 2>/dev/null || true
  wait "$CAP_PID" 2>/dev/null || true
}

tcpdump_cap() { # tcpdump_cap NAME ARGS... (writes $OUT/NAME)
  local name=$1
  shift
  start_capture "$name" timeout 120 tcpdump -Z root -U -w "$OUT/$name" "$@"
}
tshark_cap() {
  local name=$1
  shift
  start_capture "$name" timeout 120 tshark -q -F pcapng -w "$OUT/$name" "$@"
}

NMAP="timeout 60 nmap -n -Pn -T4 --max-retries 1 --host-timeout 20s"
HPING="timeout 30 hping3 -q"
quiet() { "$@" >/dev/null 2>&1 || true; }

nmap_lo() {
  quiet $NMAP -sS -p 21,22,80,443,445,18080 127.0.0.1
  quiet $NMAP -6 -sS -p 21,22,80,443,445,18080 ::1
}

# ------------------------------------------------------------------ live captures
echo "live: tcpdump -i lo, nmap SYN + UDP scans of 127.0.0.1 and ::1"
tcpdump_cap lo-nmap.pcap -i lo "$LO_FILTER"
nmap_lo
quiet $NMAP -sU -p 53,123,161 --max-retries 0 127.0.0.1
stop_capture

echo "live: tcpdump -i lo, hping3 bursts"
tcpdump_cap lo-hping3.pcap -i lo "$LO_FILTER"
quiet $HPING -S -p 445 -w 8192 -M 305419896 -t 33 -c 5 -i u20000 -a 127.0.0.5 127.0.0.1
quiet $HPING -S -p 18080 -w 65535 -M 1 -t 64 -c 3 -i u20000 -a 127.0.0.9 127.0.0.1
quiet $HPING -A -p 80 -w 1024 -c 3 -i u20000 -a 127.0.0.6 127.0.0.1
quiet $HPING -R -p 443 -w 0 -c 3 -i u20000 127.0.0.1
quiet $HPING -S -A -p 3389 -w 29200 -c 2 -i u20000 -a 127.0.0.10 127.0.0.1
quiet $HPING -2 -p 53 -s 5353 -k -c 3 -i u20000 -a 127.0.0.7 127.0.0.1
quiet $HPING -2 -p 123 -c 2 -i u20000 127.0.0.1
quiet $HPING -1 -c 3 -i u20000 -a 127.0.0.8 127.0.0.1
stop_capture

echo "live: tcpdump -i lo, hping3 fragmented TCP (16-byte and 24-byte fragments)"
tcpdump_cap lo-hping3-fragments.pcap -i lo "$LO_FILTER"
quiet $HPING -S -p 22 -w 8192 -d 40 -f -c 2 -i u20000 -a 127.0.0.11 127.0.0.1
quiet $HPING -S -p 21 -w 8192 -d 40 -m 24 -c 2 -i u20000 -a 127.0.0.12 127.0.0.1
quiet $HPING -2 -p 161 -d 60 -m 32 -c 2 -i u20000 -a 127.0.0.13 127.0.0.1
stop_capture

echo "live: tcpdump -i lo, nmap scan types and hping3 options"
tcpdump_cap lo-scan-variety.pcap -i lo "not (tcp port 5432 or tcp port 3000)"
for args in "-sA -p 20-30" "-sF -p 20-30" "-sX -p 20-30" "-sN -p 20-30" "-sW -p 20-25" \
  "-sM -p 20-25" "-sO -p 1,6,17,47,50,132" "-sY -p 20-25" "-sZ -p 20-25" "-sS -f -p 20-25" \
  "-sS --mtu 16 -p 20-25" "-sS --ip-options R -p 22" "-sS --ip-options T -p 22" \
  "-sS --badsum -p 22" "-sS --data-length 40 -p 22" "-sS --ttl 3 -p 22" "-sS -g 53 -p 22-25" \
  "-sU --data-length 10 -p 53,123,161" "-sn -PE -PP -PM" "-sn -PS22 -PA80 -PU53 -PY80" \
  "-O --osscan-limit -p 22,1" "-sV -p 22 --version-light"; do
  # shellcheck disable=SC2086
  quiet $NMAP --max-retries 0 $args 127.0.0.1
done
for args in "-sS -p 20-25" "-sU -p 53" "-sA -p 22"; do
  # shellcheck disable=SC2086
  quiet $NMAP -6 --max-retries 0 $args ::1
done
for args in "-S -p 445 -c 3" "-F -P -U -p 80 -c 2" "-2 -p 53 -c 3 -d 20" "-1 -C 13 -c 2" \
  "-1 -C 3 -K 3 -c 2" "-S -f -p 22 -c 2 -d 60" "-S -x -p 22 -c 2" "-S -y -p 22 -c 2" \
  "-S -o 8 -p 22 -c 2" "-S -N 54321 -p 23 -c 2" "-S -w 1024 -p 23 -c 2" \
  "-S -M 2130706433 -p 23 -c 2" "-S --tcp-timestamp -p 80 -c 2" "-0 -H 47 -c 2" \
  "-S -b -p 22 -c 2" "-S -Q -p 22 -c 1"; do
  # shellcheck disable=SC2086
  quiet $HPING $args -i u10000 127.0.0.1
done
stop_capture

echo "live: tcpdump -i $VETH (netns), masscan"
tcpdump_cap veth-masscan.pcap -i "$VETH"
quiet timeout 60 masscan 10.77.0.2 -p 22,80,445,3389,U:53 --rate 100 --wait 1 \
  --adapter "$VETH" --adapter-ip 10.77.0.10 --router-mac "$NS_MAC"
stop_capture

echo "live: tcpdump -i $VETH (netns), zmap"
: >"$WORK/zmap-blocklist"
printf '10.77.0.2/31\n' >"$WORK/zmap-allowlist"
tcpdump_cap veth-zmap.pcap -i "$VETH" ip
quiet timeout 60 zmap -p 445 -i "$VETH" -G "$NS_MAC" -S 10.77.0.1 -b "$WORK/zmap-blocklist" \
  -w "$WORK/zmap-allowlist" -n 2 -r 10 -c 1 -o /dev/null
quiet timeout 60 zmap -p 80 -i "$VETH" -G "$NS_MAC" -S 10.77.0.1 -b "$WORK/zmap-blocklist" \
  -w "$WORK/zmap-allowlist" -n 2 -r 10 -c 1 -o /dev/null
stop_capture

traffic_any() {
  quiet $NMAP -sS -p 22,80,445 127.0.0.1
  quiet $NMAP -sS -p 22,80,445 10.77.0.2
  quiet $NMAP -6 -sS -p 22,80,443 fd77::2
  quiet $HPING -2 -p 53 -c 2 -i u20000 10.77.0.2
}
echo "live: tcpdump -i any (Linux cooked v2, SLL2)"
tcpdump_cap any-sll2.pcap -i any "$ANY_FILTER"
traffic_any
stop_capture

echo "live: tcpdump -i any -y LINUX_SLL (Linux cooked v1)"
tcpdump_cap any-sll.pcap -i any -y LINUX_SLL "$ANY_FILTER"
traffic_any
stop_capture

echo "live: tshark -i lo -F pcapng"
tshark_cap tshark-lo.pcapng -i lo -f "$LO_FILTER"
nmap_lo
stop_capture

echo "live: tshark -i lo -i $VETH -F pcapng (two interfaces)"
tshark_cap tshark-two-interfaces.pcapng -i lo -f "$LO_FILTER" -i "$VETH"
quiet $HPING -S -p 445 -w 8192 -c 3 -i u20000 -a 127.0.0.20 127.0.0.1
quiet $NMAP -sS -p 22,80,445 10.77.0.2
stop_capture

# From the namespace to the host side, through the namespace's netfilter hooks. nmap
# sends on a packet socket to a link-layer target, past netfilter: --send-ip.
netfilter_traffic() {
  quiet ip netns exec "$NS" $NMAP --send-ip -sS -p 21,22,80,445 10.77.0.1
  quiet ip netns exec "$NS" $NMAP --send-ip -6 -sS -p 22,80 fd77::1
  quiet ip netns exec "$NS" $HPING -2 -p 53 -c 2 -i u20000 10.77.0.1
}

echo "live: tcpdump -i nflog:7 in the namespace (iptables / ip6tables NFLOG rules)"
# Link type 239: each packet wrapped in netfilter's TLVs (little-endian on this host).
for chain in OUTPUT INPUT; do
  ip netns exec "$NS" iptables -A "$chain" -j NFLOG --nflog-group 7
  ip netns exec "$NS" ip6tables -A "$chain" -j NFLOG --nflog-group 7
done
start_capture nflog-iptables.pcap timeout 120 ip netns exec "$NS" \
  tcpdump -Z root -U -w "$WORK/nflog-iptables.pcap" -i nflog:7
netfilter_traffic
quiet ip netns exec "$NS" $HPING -S -p 23 -w 1024 -c 2 -i u20000 -f -d 40 10.77.0.1
# nfnetlink_log holds a group's packets in one buffer until it fills or its flush timer
# (1 s) fires, and drops what it holds when tcpdump closes the socket: stopped 0.5 s
# after the last packet, tcpdump had received nothing in some runs.
sleep 1.5
stop_capture
# Should it still capture nothing, the fixture is left as it was, not replaced by an
# empty capture.
if [[ $(capinfos -T -r -c "$WORK/nflog-iptables.pcap" | cut -f2) -gt 0 ]]; then
  mv "$WORK/nflog-iptables.pcap" "$OUT/nflog-iptables.pcap"
else
  echo "warning: tcpdump -i nflog:7 captured no packets; $OUT/nflog-iptables.pcap not replaced" >&2
fi
for t in iptables ip6tables; do ip netns exec "$NS" "$t" -F; done

echo "live: tcpdump -i tun7 in the namespace (a tun device: raw IP, link type 101)"
# A tun device passes packets only while a process holds it open (else: no carrier).
TUN_PY='
import fcntl, os, struct, sys, time
fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
fcntl.ioctl(fd, 0x400454CA, struct.pack("16sH", b"tun7", 0x0001 | 0x1000))  # IFF_TUN | IFF_NO_PI
end = time.time() + float(sys.argv[1])
while time.time() < end:
    try:
        os.read(fd, 65536)
    except BlockingIOError:
        time.sleep(0.01)
'
timeout 60 ip netns exec "$NS" $PY -c "$TUN_PY" 50 &
PIDS+=($!)
for _ in $(seq 1 50); do ip netns exec "$NS" ip link show tun7 >/dev/null 2>&1 && break; sleep 0.1; done
ip netns exec "$NS" ip link set tun7 up
ip netns exec "$NS" ip addr add 10.88.0.1/24 dev tun7
ip netns exec "$NS" ip -6 addr add fd88::1/64 dev tun7 nodad
start_capture tun-raw-ip.pcap timeout 120 ip netns exec "$NS" \
  tcpdump -Z root -U -w "$OUT/tun-raw-ip.pcap" -i tun7
quiet ip netns exec "$NS" $NMAP -sS -p 22,80,445 10.88.0.6
quiet ip netns exec "$NS" $NMAP -6 -sS -p 22,80 fd88::6
quiet ip netns exec "$NS" $HPING -2 -p 53 -c 2 -i u20000 10.88.0.7
quiet ip netns exec "$NS" $HPING -S -p 23 -w 1024 -c 2 -i u20000 -f -d 40 10.88.0.7
quiet ip netns exec "$NS" $HPING -1 -c 2 -i u20000 10.88.0.7
stop_capture

echo "live: tcpdump -i nfqueue:8 in the namespace (iptables / ip6tables NFQUEUE rules)"
# libpcap reads the queue as link type 228 (raw IPv4) whatever the packet's version, and
# gives each packet an ACCEPT verdict. Only the veth traffic is queued.
for t in iptables ip6tables; do
  ip netns exec "$NS" "$t" -A OUTPUT -o "$VETH_NS" -j NFQUEUE --queue-num 8 --queue-bypass
done
start_capture nfqueue-ipv4-linktype.pcap timeout 120 ip netns exec "$NS" \
  tcpdump -Z root -U -w "$OUT/nfqueue-ipv4-linktype.pcap" -i nfqueue:8
netfilter_traffic
stop_capture
for t in iptables ip6tables; do ip netns exec "$NS" "$t" -F; done

echo "live: tcpdump --time-stamp-precision=nano -i lo"
tcpdump_cap lo-nanosecond.pcap --time-stamp-precision=nano -i lo "$LO_FILTER"
nmap_lo
stop_capture

echo "live: tcpdump -i lo, bulk hping3 traffic (2.3 MB: records straddle the decoder's 1 MiB reads)"
tcpdump_cap lo-bulk.pcap -i lo "(tcp and portrange 1000-1999) or (udp and port 53) or icmp"
quiet $HPING -2 -p 53 -d 40000 -c 20 -i u5000 -a 127.0.0.30 127.0.0.1
quiet $HPING -S -p ++1000 -d 1400 -w 8192 -c 1000 -i u300 -a 127.0.0.31 127.0.0.1
stop_capture
# Committed compressed only; the test also inflates it to exercise the plain-file reader.
gzip -9 -n "$OUT/lo-bulk.pcap"

echo "live: tcpdump and tshark capturing nothing (a filter no packet matches)"
tcpdump_cap tcpdump-no-packets.pcap -i lo 'tcp port 1'
stop_capture
tshark_cap tshark-no-packets.pcapng -i lo -f 'tcp port 1'
stop_capture

echo "live: tcpdump -s 40 -i lo (cut by snap length)"
# The kernel filter sees only the first 40 bytes too: IPv6 ports are out of its reach.
tcpdump_cap lo-snaplen40.pcap -s 40 -i lo "ip6 or $LO_FILTER"
nmap_lo
quiet $HPING -2 -p 53 -d 30 -c 2 -i u20000 127.0.0.1
stop_capture

# ------------------------------------------------------------------ synthetic (scapy)
echo "synthetic: synth.py (scapy)"
$PY "$HERE/synth.py" "$OUT" >/dev/null

# ------------------------------------------------------------------ derived with editcap / mergecap / gzip
echo "derived: editcap, mergecap, cat, gzip"
editcap -F nsecpcap "$OUT/lo-hping3.pcap" "$OUT/editcap-nsecpcap.pcap"
editcap -F pcap -s 30 "$OUT/lo-hping3.pcap" "$OUT/editcap-snaplen30.pcap"

# Shift lo-nmap.pcap so that UTC midnight falls between its middle two packets.
read -r SHIFT < <($PY - "$OUT/lo-nmap.pcap" <<'EOF'
import subprocess, sys
out = subprocess.run(['tshark', '-r', sys.argv[1], '-T', 'fields', '-e', 'frame.time_epoch'],
                     capture_output=True, text=True, check=True).stdout.split()
ns = [int(s.replace('.', '')) for s in out]  # 9 fractional digits -> integer nanoseconds
mid = len(ns) // 2
target = (ns[mid - 1] + ns[mid]) // 2
midnight = (target // 86_400_000_000_000 + 1) * 86_400_000_000_000
shift = midnight - target
# A whole number of microseconds keeps the usec pcap exact.
shift -= shift % 1000
print(f'{shift // 1_000_000_000}.{shift % 1_000_000_000:09d}')
EOF
)
editcap -F pcap -t "$SHIFT" "$OUT/lo-nmap.pcap" "$OUT/editcap-across-midnight.pcap"

mergecap -F pcapng -w "$OUT/mergecap-ether-sll-rawip.pcapng" \
  "$OUT/lo-nmap.pcap" "$OUT/any-sll.pcap" "$OUT/raw-linktype101.pcap"
cat "$OUT/tshark-lo.pcapng" "$OUT/tshark-two-interfaces.pcapng" >"$OUT/cat-two-sections.pcapng"
gzip -9 -n -c "$OUT/lo-nmap.pcap" >"$OUT/lo-nmap.pcap.gz"
gzip -9 -n -c "$OUT/tshark-lo.pcapng" >"$OUT/tshark-lo.pcapng.gz"
gzip -9 -n -c "$OUT/many-days.pcap" >"$OUT/many-days.pcap.gz"
# Two gzip members (as `cat a.gz b.gz` or appending writers make), split inside a record.
HALF=$(($(stat -c %s "$OUT/lo-hping3.pcap") / 2))
{
  head -c "$HALF" "$OUT/lo-hping3.pcap" | gzip -9 -n
  tail -c +$((HALF + 1)) "$OUT/lo-hping3.pcap" | gzip -9 -n
} >"$OUT/gzip-two-members.pcap.gz"
# Old pcap variants editcap still writes: modified (Kuznetzov) magic with 24-byte record
# headers, and the RedHat 6.1, SuSE 6.3 and Nokia layouts.
for variant in modpcap rh6_1pcap suse6_3pcap nokiapcap; do
  editcap -F "$variant" "$OUT/lo-hping3.pcap" "$OUT/editcap-$variant.pcap"
done

echo "generated: randpkt"
# Wireshark's random packet generator writes its TCP packets as Token Ring (link type 6)
# frames: LLC/SNAP, then IPv4 and TCP with random fields. 120-byte packets keep it small.
randpkt -b 120 -c 200 -t tcp "$OUT/randpkt-token-ring-tcp.pcap"

echo "generated: text2pcap exported PDUs"
# Wireshark's exported PDUs (link type 252, what "Export PDUs" and text2pcap -P write): a
# dissector-name tag, then the PDU. Hex dumps of lo-scan-variety's frames and IP packets.
$PY - "$OUT/lo-scan-variety.pcap" "$WORK" <<'EOF'
import sys
from scapy.all import rdpcap
frames = [bytes(p) for p in rdpcap(sys.argv[1])]
def dump(path, packets):
    with open(path, 'w') as out:
        for b in packets:
            for i in range(0, len(b), 16):
                out.write('%06x  %s\n' % (i, ' '.join('%02x' % c for c in b[i:i + 16])))
            out.write('\n')
dump(sys.argv[2] + '/frames.hex', frames)
dump(sys.argv[2] + '/ip.hex', [b[14:] for b in frames])
EOF
text2pcap -q -P ip "$WORK/ip.hex" "$OUT/text2pcap-exported-ip.pcapng"
text2pcap -q -F pcap -P ipv6 "$WORK/ip.hex" "$OUT/text2pcap-exported-ipv6.pcap"
text2pcap -q -P eth_withfcs "$WORK/frames.hex" "$OUT/text2pcap-exported-eth-fcs.pcapng"

echo "generated: tcprewrite Juniper Ethernet"
# tcprewrite (tcpreplay) writes link type 178 without Juniper's "MGC" header, as older
# JUNOS releases did: tshark reads the frame as Ethernet straight away.
# tcprewrite 4.4.3 aborts on an assertion in its clean-up after the file is written.
tcprewrite --dlt=jnpr_eth -i "$OUT/lo-scan-variety.pcap" -o "$OUT/tcprewrite-juniper-ether.pcap" 2>/dev/null || true
[[ $(capinfos -T -r -c "$OUT/tcprewrite-juniper-ether.pcap" | cut -f2) -gt 0 ]] || die "tcprewrite wrote no packets"

echo "generated: tcprewrite Cisco HDLC"
# Link type 104 with the address byte of unicast Cisco HDLC (tcprewrite's default, 0,
# leaves tshark no protocol to follow). The live captures merged first give it IPv4,
# IPv6, fragments and ARP.
mergecap -F pcap -a -w "$WORK/for-hdlc.pcap" "$OUT"/{lo-nmap,lo-hping3,lo-hping3-fragments,veth-masscan}.pcap
tcprewrite --dlt=hdlc --hdlc-address=0x0f --hdlc-control=0 -i "$WORK/for-hdlc.pcap" \
  -o "$OUT/tcprewrite-cisco-hdlc.pcap" >/dev/null

# ------------------------------------------------------------------ byte-level edits (python)
echo "derived: byte-swapped and damaged files"
$PY - "$OUT" <<'EOF'
import struct, sys
from pathlib import Path

out = Path(sys.argv[1])


def records(buf):
    """(offset, incl_len) of each record of a little-endian pcap."""
    off, res = 24, []
    while off + 16 <= len(buf):
        incl = struct.unpack_from('<I', buf, off + 8)[0]
        res.append((off, incl))
        off += 16 + incl
    return res


# Big-endian pcap: byte-swap every header field of a tcpdump (little-endian) file.
src = (out / 'lo-hping3.pcap').read_bytes()
assert src[:4] == b'\xd4\xc3\xb2\xa1', 'expected a little-endian usec pcap from tcpdump'
be = bytearray(struct.pack('>IHHiIII', *struct.unpack_from('<IHHiIII', src, 0)))
for off, incl in records(src):
    be += struct.pack('>IIII', *struct.unpack_from('<IIII', src, off)) + src[off + 16: off + 16 + incl]
(out / 'bigendian-from-tcpdump.pcap').write_bytes(bytes(be))

# Snap length in the header smaller than some records (wiretap and libpcap read such
# records whole; only lengths beyond the link type's maximum are errors).
small = bytearray(src)
struct.pack_into('<I', small, 16, 48)
(out / 'pcap-caplen-over-snaplen.pcap').write_bytes(bytes(small))

nmap = (out / 'lo-nmap.pcap').read_bytes()
recs = records(nmap)
k = len(recs) // 2
# Cut in the middle of record k's data / in the middle of record k's 16-byte header.
(out / 'damaged-cut-in-record-data.pcap').write_bytes(nmap[: recs[k][0] + 16 + recs[k][1] // 2])
(out / 'damaged-cut-in-record-header.pcap').write_bytes(nmap[: recs[k][0] + 8])
(out / 'damaged-cut-in-file-header.pcap').write_bytes(nmap[:12])
(out / 'damaged-empty.pcap').write_bytes(b'')
(out / 'damaged-not-a-capture.pcap').write_bytes(
    b'This is a text file that someone named .pcap.\nIt has no capture magic number.\n')
# Record 5 claims 1 MiB: beyond the 65535 snap length and beyond any link type maximum.
huge = bytearray(nmap)
struct.pack_into('<I', huge, recs[4][0] + 8, 0x00100000)
(out / 'damaged-record-length-huge.pcap').write_bytes(bytes(huge))

gz = (out / 'lo-nmap.pcap.gz').read_bytes()
(out / 'damaged-cut.pcap.gz').write_bytes(gz[: len(gz) * 2 // 3])

ng = (out / 'tshark-lo.pcapng').read_bytes()
# Walk the blocks (little-endian: tshark on x86) and cut inside the middle EPB.
off, blocks = 0, []
while off + 12 <= len(ng):
    btype, blen = struct.unpack_from('<II', ng, off)
    blocks.append((off, btype, blen))
    off += blen
epbs = [b for b in blocks if b[1] == 6]
mid = epbs[len(epbs) // 2]
(out / 'damaged-cut-in-block.pcapng').write_bytes(ng[: mid[0] + mid[2] // 2])
EOF

chmod 644 "$OUT"/*
rm -f "$OUT/.scanline-corpus"
touch "$OUT/.scanline-corpus"
echo "corpus written to $OUT:"
ls -l "$OUT" | tail -n +2
du -sh "$OUT"
