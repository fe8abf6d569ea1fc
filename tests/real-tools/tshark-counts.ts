/**
 * The judge's side of the real-tool golden tests: what tshark (Wireshark 4.x) reads in a
 * capture, reduced to the same shape as `scanline inspect --json`.
 *
 * One tshark run per file prints one line per frame:
 *   frame.number, frame.time_epoch, frame.protocols,
 *   ip.src, ipv6.src, tcp.dstport, udp.dstport, tcp.flags, tcp.window_size_value
 * with `-E occurrence=f` (first occurrence = outermost header) and IPv4/IPv6
 * reassembly and TCP desegmentation off, so each frame is judged on its own bytes.
 *
 * Outer headers only: frame.protocols gives the dissection chain in order
 * ("eth:ethertype:ip:icmp:ip:tcp"). The outer IP layer is the first `ip` / `ipv6`
 * token; the transport is the next token after it, skipping IPv6 extension headers
 * (`ipv6.hopopts`, `ipv6.routing`, `ipv6.fraghdr`, `ipv6.dstopts`, ...). Only when that
 * token is `tcp` / `udp` are the tcp/udp fields used: an ICMP error quoting TCP, an
 * IP-in-IP or GRE packet carrying TCP, or a later fragment (`ip:data`) has no outer
 * port. The source is ip.src when the outer layer is IPv4 and ipv6.src when it is IPv6
 * (ip.src of an IPv6 packet carrying IPv4 is the inner address).
 *
 * Times: frame.time_epoch is printed with 9 fractional digits; it is parsed as two
 * integers (never as a float) and the UTC day comes from the whole seconds.
 *
 * Normalisation (see README): frames with no encapsulation type (pcapng custom blocks,
 * which tshark shows as frames) are not packets and are dropped.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface PortCounts {
  packets: number;
  sources: number;
}

export interface DayCounts {
  packets: number;
  sources: number;
  ports: Record<string, PortCounts>;
  tcpFlags: { syn: number; synAck: number; rst: number };
  tcpWindows: Record<string, number>;
}

/** The counting part of an inspect line, as tshark sees the file. */
export interface Counts {
  packets: number;
  ipPackets: number;
  nonIpPackets: number;
  first: string | null;
  last: string | null;
  days: Record<string, DayCounts>;
}

export interface TsharkReport extends Counts {
  /** Earliest / latest frame time ("first"/"last" above) and the first / last record's time. */
  firstRecord: string | null;
  lastRecord: string | null;
  /** tshark's exit code and its error text (stderr without the "running as root" line). */
  exitCode: number;
  error: string | null;
}

/** One decoded frame as tshark sees it. */
export interface TsharkFrame {
  number: number;
  sec: bigint;
  nsec: number;
  protocols: string[];
  /** 4 or 6 when the outermost network layer is IP, else 0. */
  ipVersion: 0 | 4 | 6;
  src: string | null;
  /** 'tcp' | 'udp' | other chain token after the outer IP header | null. */
  transport: string | null;
  dstPort: number | null;
  tcpFlags: number | null;
  tcpWindow: number | null;
  /** False for non-packet records (pcapng custom blocks). */
  isPacket: boolean;
}

const FIELDS = [
  'frame.number',
  'frame.time_epoch',
  'frame.protocols',
  'ip.src',
  'ipv6.src',
  'tcp.dstport',
  'udp.dstport',
  'tcp.flags',
  'tcp.window_size_value',
  'frame.encap_type',
] as const;

export const TSHARK_ARGS = [
  '-n',
  '-o',
  'ip.defragment:FALSE',
  '-o',
  'ipv6.defragment:FALSE',
  '-o',
  'tcp.desegment_tcp_streams:FALSE',
  '-T',
  'fields',
  '-E',
  'separator=/t',
  '-E',
  'occurrence=f',
  '-E',
  'header=n',
  ...FIELDS.flatMap((f) => ['-e', f]),
];

function parseIntOrNull(s: string | undefined, radix = 10): number | null {
  if (s === undefined || s === '') return null;
  const n = Number.parseInt(s, radix);
  return Number.isNaN(n) ? null : n;
}

/**
 * "1710028799.999999999" -> { sec: 1710028799n, nsec: 999999999 } (exact).
 * tshark prints the nanoseconds with %09d, so a pcap record whose microsecond field is
 * 1 s or more (a buggy writer) prints as "1709985600.1500000000": the fraction is then an
 * unnormalised nanosecond count, which is carried into the seconds here.
 */
export function parseEpoch(s: string): { sec: bigint; nsec: number } {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) throw new Error(`unparseable frame.time_epoch ${JSON.stringify(s)}`);
  const fracText = m[3] ?? '';
  const fracNs = BigInt(fracText.length >= 9 ? fracText : fracText.padEnd(9, '0'));
  let sec = BigInt(m[2]!) + fracNs / 1_000_000_000n;
  const nsec = Number(fracNs % 1_000_000_000n);
  // tshark prints a time before the epoch as its (negative) seconds and its (positive)
  // nanoseconds: -1.750000000 is -1 s + 0.75 s (frame.time: 23:59:59.750 on 1969-12-31).
  if (m[1] === '-') sec = -sec;
  return { sec, nsec };
}

/** ISO-8601 UTC with 9 fractional digits, as inspect prints it. */
export function isoNanos(sec: bigint, nsec: number): string {
  const d = new Date(Number(sec) * 1000);
  return `${d.toISOString().slice(0, 19)}.${String(nsec).padStart(9, '0')}Z`;
}

export function utcDay(sec: bigint): string {
  return new Date(Number(sec) * 1000).toISOString().slice(0, 10);
}

export function parseFrame(line: string): TsharkFrame {
  const c = line.split('\t');
  const get = (name: (typeof FIELDS)[number]) => c[FIELDS.indexOf(name)] ?? '';
  const protocols = get('frame.protocols').split(':').filter(Boolean);
  const isPacket = get('frame.encap_type') !== '';
  const epoch = get('frame.time_epoch');
  const { sec, nsec } = epoch === '' ? { sec: 0n, nsec: 0 } : parseEpoch(epoch);

  let ipVersion: 0 | 4 | 6 = 0;
  let src: string | null = null;
  let transport: string | null = null;
  let outer = protocols.findIndex((p) => p === 'ip' || p === 'ipv6');
  // tshark's IPv4 dissector hands a version-6 packet to the IPv6 dissector without adding
  // any IPv4 field ("ip:ipv6:..." and no ip.src): that packet's outer layer is IPv6.
  if (
    outer >= 0 &&
    protocols[outer] === 'ip' &&
    protocols[outer + 1] === 'ipv6' &&
    get('ip.src') === ''
  ) {
    outer++;
  }
  if (outer >= 0) {
    ipVersion = protocols[outer] === 'ip' ? 4 : 6;
    src = (ipVersion === 4 ? get('ip.src') : get('ipv6.src')) || null;
    let i = outer + 1;
    // IPv6 extension headers, and AH (an extension header in IPv6, and tshark dissects
    // the transport after it in IPv4 too), belong to the outer IP header chain.
    while (i < protocols.length && (protocols[i]!.startsWith('ipv6.') || protocols[i] === 'ah'))
      i++;
    transport = protocols[i] ?? null;
  }
  let dstPort: number | null = null;
  let tcpFlags: number | null = null;
  let tcpWindow: number | null = null;
  if (transport === 'tcp') {
    dstPort = parseIntOrNull(get('tcp.dstport'));
    tcpFlags = parseIntOrNull(get('tcp.flags'), 16);
    tcpWindow = parseIntOrNull(get('tcp.window_size_value'));
  } else if (transport === 'udp') {
    dstPort = parseIntOrNull(get('udp.dstport'));
  }
  return {
    number: Number(get('frame.number')),
    sec,
    nsec,
    protocols,
    ipVersion,
    src,
    transport,
    dstPort,
    tcpFlags,
    tcpWindow,
    isPacket,
  };
}

const TCP_SYN = 0x02;
const TCP_RST = 0x04;
const TCP_ACK = 0x10;

interface DayAcc {
  packets: number;
  sources: Set<string>;
  ports: Map<string, { packets: number; sources: Set<string> }>;
  syn: number;
  synAck: number;
  rst: number;
  windows: Map<number, number>;
}

/** Reduces frames to inspect's counting shape. */
export function countFrames(frames: TsharkFrame[]): Counts & {
  firstRecord: string | null;
  lastRecord: string | null;
} {
  const days = new Map<string, DayAcc>();
  let packets = 0;
  let ipPackets = 0;
  let min: TsharkFrame | null = null;
  let max: TsharkFrame | null = null;
  let firstRec: TsharkFrame | null = null;
  let lastRec: TsharkFrame | null = null;
  const before = (a: TsharkFrame, b: TsharkFrame) =>
    a.sec < b.sec || (a.sec === b.sec && a.nsec < b.nsec);

  for (const f of frames) {
    if (!f.isPacket) continue;
    packets++;
    firstRec ??= f;
    lastRec = f;
    if (!min || before(f, min)) min = f;
    if (!max || before(max, f)) max = f;
    if (f.ipVersion === 0) continue;
    ipPackets++;
    const day = utcDay(f.sec);
    let d = days.get(day);
    if (!d) {
      d = {
        packets: 0,
        sources: new Set(),
        ports: new Map(),
        syn: 0,
        synAck: 0,
        rst: 0,
        windows: new Map(),
      };
      days.set(day, d);
    }
    d.packets++;
    if (f.src !== null) d.sources.add(f.src);
    if ((f.transport === 'tcp' || f.transport === 'udp') && f.dstPort !== null) {
      const key = `${f.transport}/${f.dstPort}`;
      let p = d.ports.get(key);
      if (!p) {
        p = { packets: 0, sources: new Set() };
        d.ports.set(key, p);
      }
      p.packets++;
      if (f.src !== null) p.sources.add(f.src);
    }
    if (f.transport === 'tcp') {
      if (f.tcpFlags !== null) {
        if (f.tcpFlags & TCP_SYN) {
          if (f.tcpFlags & TCP_ACK) d.synAck++;
          else d.syn++;
        }
        if (f.tcpFlags & TCP_RST) d.rst++;
      }
      if (f.tcpWindow !== null) d.windows.set(f.tcpWindow, (d.windows.get(f.tcpWindow) ?? 0) + 1);
    }
  }

  const out: Record<string, DayCounts> = {};
  for (const day of [...days.keys()].sort()) {
    const d = days.get(day)!;
    const ports: Record<string, PortCounts> = {};
    for (const key of [...d.ports.keys()].sort()) {
      const p = d.ports.get(key)!;
      ports[key] = { packets: p.packets, sources: p.sources.size };
    }
    const tcpWindows: Record<string, number> = {};
    for (const w of [...d.windows.keys()].sort((a, b) => a - b))
      tcpWindows[String(w)] = d.windows.get(w)!;
    out[day] = {
      packets: d.packets,
      sources: d.sources.size,
      ports,
      tcpFlags: { syn: d.syn, synAck: d.synAck, rst: d.rst },
      tcpWindows,
    };
  }
  const iso = (f: TsharkFrame | null) => (f ? isoNanos(f.sec, f.nsec) : null);
  return {
    packets,
    ipPackets,
    nonIpPackets: packets - ipPackets,
    first: iso(min),
    last: iso(max),
    firstRecord: iso(firstRec),
    lastRecord: iso(lastRec),
    days: out,
  };
}

function cleanStderr(stderr: string): string | null {
  const text = stderr
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.includes('This could be dangerous'))
    .join('\n')
    .trim();
  return text === '' ? null : text;
}

/** Runs tshark on one file and reduces its frames. Never throws on a damaged file. */
export async function tsharkCounts(file: string, tshark = 'tshark'): Promise<TsharkReport> {
  let stdout: string;
  let stderr: string;
  let exitCode = 0;
  try {
    ({ stdout, stderr } = await execFileAsync(tshark, ['-r', file, ...TSHARK_ARGS], {
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    }));
  } catch (e) {
    const err = e as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof err.code !== 'number') throw e;
    exitCode = err.code;
    stdout = err.stdout ?? '';
    stderr = err.stderr ?? '';
  }
  const frames = stdout
    .split('\n')
    .filter((l) => l !== '')
    .map(parseFrame);
  return {
    ...countFrames(frames),
    exitCode,
    error: cleanStderr(stderr),
  };
}

// ------------------------------------------------------------------ capinfos

export interface CapinfosReport {
  /** 'pcap' | 'pcapng' | null (capinfos could not tell). */
  format: 'pcap' | 'pcapng' | null;
  /** Raw "File type" text, e.g. "nsecpcap", "pcap (gzip compressed)". */
  fileType: string | null;
  compression: 'gzip' | null;
  /** Wiretap short names of the interfaces' encapsulations (sorted, distinct). */
  encaps: string[];
  nanosecond: boolean;
  packets: number | null;
}

/** Parses `capinfos -M` output of several files (blocks start with "File name:"). */
export function parseCapinfos(text: string): Map<string, CapinfosReport> {
  const out = new Map<string, CapinfosReport>();
  let cur: CapinfosReport | null = null;
  for (const line of text.split('\n')) {
    const name = /^File name:\s+(.*)$/.exec(line);
    if (name) {
      cur = {
        format: null,
        fileType: null,
        compression: null,
        encaps: [],
        nanosecond: false,
        packets: null,
      };
      out.set(name[1]!.trim(), cur);
      continue;
    }
    if (!cur) continue;
    const type = /^File type:\s+(.*)$/.exec(line);
    if (type) {
      const t = type[1]!.trim();
      cur.fileType = t;
      // pcap, nsecpcap, modpcap, rh6_1pcap, suse6_3pcap, nokiapcap (+ " (gzip compressed)")
      cur.format = t.startsWith('pcapng') ? 'pcapng' : /^[\w]*pcap\b/.test(t) ? 'pcap' : null;
      cur.compression = /gzip/.test(t) ? 'gzip' : null;
      cur.nanosecond = t.startsWith('nsecpcap');
    }
    const enc = /Encapsulation = .*\(\d+ - ([\w-]+)\)/.exec(line);
    if (enc && !cur.encaps.includes(enc[1]!)) {
      cur.encaps.push(enc[1]!);
      cur.encaps.sort();
    }
    const n = /^Number of packets:\s+(\d+)/.exec(line);
    if (n) cur.packets = Number(n[1]);
  }
  return out;
}

export async function capinfos(files: string[]): Promise<Map<string, CapinfosReport>> {
  let stdout = '';
  try {
    ({ stdout } = await execFileAsync('capinfos', ['-M', ...files], {
      maxBuffer: 64 * 1024 * 1024,
    }));
  } catch (e) {
    // capinfos exits non-zero when any file is unreadable but still reports the others.
    stdout = (e as { stdout?: string }).stdout ?? '';
  }
  return parseCapinfos(stdout);
}

/**
 * LINKTYPE_* number -> the wiretap encapsulation that tshark maps it to. 12 and 101 are
 * both raw IP ("rawip") in wiretap, so the number itself is checked against the corpus
 * manifest and only the encapsulation against capinfos.
 */
export const LINKTYPE_ENCAP: Record<number, string> = {
  0: 'null',
  1: 'ether',
  6: 'tr',
  12: 'rawip',
  19: 'linux-atm-clip',
  101: 'rawip',
  104: 'chdlc',
  108: 'loop',
  109: 'enc',
  113: 'linux-sll',
  178: 'juniper-ether',
  197: 'erf',
  228: 'rawip4',
  229: 'rawip6',
  239: 'nflog',
  252: 'wireshark-upper-pdu',
  276: 'linux-sll2',
};
