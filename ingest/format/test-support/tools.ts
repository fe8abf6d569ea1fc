/**
 * Running real tools from tests: scapy (system python3), editcap / mergecap / tshark, temp
 * directories that are removed afterwards, and a per-frame view of a capture as tshark sees it
 * next to the same view from our reader, so tests compare the two directly.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PacketRecord } from '../../decode/packet-record';
import { readCapture } from '../read-capture';

/** The system python with scapy (a venv python may lack it); SCANLINE_PYTHON overrides. */
export const PYTHON =
  process.env.SCANLINE_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

const toolCache = new Map<string, boolean>();

export function hasTool(cmd: string, args = ['--version']): boolean {
  const key = `${cmd} ${args.join(' ')}`;
  let ok = toolCache.get(key);
  if (ok === undefined) {
    ok = spawnSync(cmd, args, { stdio: 'ignore', timeout: 20_000 }).status === 0;
    toolCache.set(key, ok);
  }
  return ok;
}

export function hasScapy(): boolean {
  return hasTool(PYTHON, ['-c', 'import scapy.all']);
}

export function run(cmd: string, args: string[], input?: string, allowFailure = false): string {
  const r = spawnSync(cmd, args, {
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  if (r.status !== 0 && !(allowFailure && r.stdout !== null)) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  }
  return r.stdout;
}

/** Runs a scapy script (python source; `from scapy.all import *` is prepended). */
export function scapy(script: string): string {
  return run(PYTHON, [
    '-c',
    `import warnings\nwarnings.filterwarnings("ignore")\nfrom scapy.all import *\n${script}`,
  ]);
}

export interface TempDir {
  dir: string;
  path(name: string): string;
  remove(): void;
}

export function tempDir(prefix = 'scanline-test-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    path: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** One frame reduced to what inspect counts, comparable between tshark and us. */
export interface FrameView {
  /** "sec.nnnnnnnnn", or "" when the record has no time stamp. */
  time: string;
  ipLayer: 0 | 4 | 6;
  src: string | null;
  /** Transport after the outer IP header: 'tcp', 'udp', 'icmp', 'icmpv6', other, or null. */
  transport: string | null;
  dstPort: number | null;
  tcpFlags: number | null;
  tcpWindow: number | null;
}

const FIELDS = [
  'frame.time_epoch',
  'frame.protocols',
  'ip.src',
  'ipv6.src',
  'tcp.dstport',
  'udp.dstport',
  'tcp.flags',
  'tcp.window_size_value',
  'frame.encap_type',
];

/**
 * Frames as tshark sees them (outermost headers; reassembly off). Custom blocks dropped. On a
 * damaged file tshark prints the frames before the damage and fails: allowError keeps those.
 */
export function tsharkFrames(file: string, allowError = false): FrameView[] {
  return parseTshark(run('tshark', tsharkArgs(file), undefined, allowError));
}

/** tsharkFrames without blocking: several tshark runs can go in parallel. */
export function tsharkFramesAsync(file: string, allowError = false): Promise<FrameView[]> {
  return new Promise((resolve, reject) => {
    execFile(
      'tshark',
      tsharkArgs(file),
      { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err && !(allowError && typeof err.code === 'number'))
          reject(new Error(`tshark ${file}: ${stderr}`));
        else resolve(parseTshark(stdout));
      },
    );
  });
}

function tsharkArgs(file: string): string[] {
  return [
    '-n',
    '-r',
    file,
    '-o',
    'ip.defragment:FALSE',
    '-o',
    'ipv6.defragment:FALSE',
    '-o',
    'tcp.desegment_tcp_streams:FALSE',
    '-T',
    'fields',
    '-E',
    'occurrence=f',
    ...FIELDS.flatMap((f) => ['-e', f]),
  ];
}

function parseTshark(out: string): FrameView[] {
  const frames: FrameView[] = [];
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const [time, protos, ip4, ip6, tport, uport, flags, win, encap] = line.split('\t');
    if (!encap) continue;
    const chain = (protos ?? '').split(':');
    const outer = chain.findIndex((p) => p === 'ip' || p === 'ipv6');
    let ipLayer: 0 | 4 | 6 = 0;
    let src: string | null = null;
    let transport: string | null = null;
    if (outer >= 0) {
      ipLayer = chain[outer] === 'ip' ? 4 : 6;
      src = (ipLayer === 4 ? ip4 : ip6) || null;
      let i = outer + 1;
      while (i < chain.length && chain[i]!.startsWith('ipv6.')) i++;
      transport = chain[i] ?? null;
    }
    const num = (s: string | undefined, radix = 10) => (s ? Number.parseInt(s, radix) : null);
    frames.push({
      time: time ?? '',
      ipLayer,
      src,
      transport,
      dstPort: transport === 'tcp' ? num(tport) : transport === 'udp' ? num(uport) : null,
      tcpFlags: transport === 'tcp' ? num(flags, 16) : null,
      tcpWindow: transport === 'tcp' ? num(win) : null,
    });
  }
  return frames;
}

/** IPv6 text as tshark prints it (RFC 5952: lower case, longest zero run compressed). */
export function ipv6Text(b: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[i * 2]! << 8) | b[i * 2 + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  // IPv4-mapped / compatible forms are not used by the tests.
  const hex = g.map((x) => x.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function ipv4Text(v: number): string {
  return [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff].join('.');
}

const PROTO_NAMES: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6' };

/** Our view of one decoded record (same shape as tsharkFrames). */
export function frameView(rec: PacketRecord): FrameView {
  const src =
    rec.ipVersion === 4 ? ipv4Text(rec.src4) : rec.ipVersion === 6 ? ipv6Text(rec.src6) : null;
  // No transport header reached (later fragment, cut IP options...) is "something else" too.
  const transport =
    rec.ipVersion === 0
      ? null
      : rec.l4Start < 0
        ? 'other'
        : (PROTO_NAMES[rec.proto] ?? `proto-${rec.proto}`);
  const ports = (transport === 'tcp' || transport === 'udp') && rec.dstPort >= 0;
  return {
    time: rec.hasTimestamp ? `${rec.tsSec}.${String(rec.tsNsec).padStart(9, '0')}` : '',
    ipLayer: rec.ipLayer,
    src,
    transport,
    dstPort: ports ? rec.dstPort : null,
    tcpFlags: transport === 'tcp' && rec.tcpFlags >= 0 ? rec.tcpFlags : null,
    tcpWindow: transport === 'tcp' && rec.tcpWindow >= 0 ? rec.tcpWindow : null,
  };
}

export async function ourFrames(file: string): Promise<FrameView[]> {
  const frames: FrameView[] = [];
  await readCapture(file, (rec) => frames.push(frameView(rec)));
  return frames;
}

/**
 * Compares frame by frame on what both sides know. tshark names transports it does not
 * decode differently (e.g. 'data' for a later fragment), so the transport name is only
 * compared for tcp / udp.
 */
export function comparable(f: FrameView): FrameView {
  return {
    ...f,
    transport: f.transport === 'tcp' || f.transport === 'udp' ? f.transport : null,
    // tshark's tcp.flags has 12 bits (the reserved bits and NS too); ours is the flags byte
    tcpFlags: f.tcpFlags === null ? null : f.tcpFlags & 0xff,
  };
}
