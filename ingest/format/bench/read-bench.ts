/**
 * Read + decode throughput of the capture reader, with a trivial consumer, against tcpdump
 * (`tcpdump -r FILE -w /dev/null`) on the same file in the same run. Prints figures; not a test.
 *
 *   npx tsx ingest/format/bench/read-bench.ts FILE [--runs 5] [--stream] [--memory] [--no-peer]
 *
 * --stream  read through readCaptureStream (fs read stream) instead of readCapture
 * --memory  also time parse + decode alone on the file preloaded in memory (no I/O)
 *
 * Make a test file with the C generator in the shared bench folder, e.g.
 *   gcc -O2 -o gen_pcap gen_pcap.c -lm && ./gen_pcap big.pcap 10000000 1000000
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { decodePacket } from '../../decode/decode-packet';
import { PacketRecord } from '../../decode/packet-record';
import { CaptureParser } from '../capture-parser';
import { readCapture, readCaptureStream } from '../read-capture';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
  console.error('usage: read-bench.ts FILE [--runs N] [--stream] [--memory] [--no-peer]');
  process.exit(2);
}
const runsIdx = args.indexOf('--runs');
const runs = runsIdx >= 0 ? Number(args[runsIdx + 1]) : 5;
const stream = args.includes('--stream');
const memory = args.includes('--memory');
const peer = !args.includes('--no-peer');

const size = statSync(file).size;

/** CPU seconds of the main (JavaScript) thread, from /proc on Linux; NaN elsewhere. */
function mainThreadCpu(): number {
  try {
    const s = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
const fmt = (n: number) => n.toFixed(2);

// A trivial consumer that still touches the decoded fields.
let sink = 0;
const consume = (r: PacketRecord) => {
  sink = (sink + r.dstPort + r.ipVersion) | 0;
};

async function once(): Promise<{ packets: number; wall: number; cpu: number; main: number }> {
  const c0 = process.cpuUsage();
  const m0 = mainThreadCpu();
  const t0 = performance.now();
  const r = stream
    ? await readCaptureStream(createReadStream(file!, { highWaterMark: 1 << 20 }), file!, consume)
    : await readCapture(file!, consume);
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const main = mainThreadCpu() - m0;
  if (r.error) console.log(`  (error: ${r.error.message})`);
  return { packets: r.packets, wall, cpu: (c.user + c.system) / 1e6, main };
}

console.log(
  `${file}: ${(size / 1e6).toFixed(0)} MB, ${stream ? 'readCaptureStream' : 'readCapture'}`,
);
let best = 0;
let bestMain = 0;
for (let i = 0; i < runs; i++) {
  const { packets, wall, cpu, main } = await once();
  const rate = packets / wall / 1e6;
  best = Math.max(best, rate);
  bestMain = Math.max(bestMain, packets / main / 1e6);
  console.log(
    `  run ${i + 1}: ${packets} packets in ${fmt(wall)} s = ${fmt(rate)} M packets/s wall (${fmt(size / wall / 1e9)} GB/s); CPU: main thread ${fmt(main)} s = ${fmt(packets / main / 1e6)} M packets/s, whole process ${fmt(cpu)} s`,
  );
}
console.log(
  `  best: ${fmt(best)} M packets/s wall, ${fmt(bestMain)} M packets/s per main-thread CPU second`,
);

if (memory) {
  // Parse + decode only: the file (up to 1.5 GB) preloaded in 1 MiB chunks.
  const fd = openSync(file, 'r');
  const chunks: Uint8Array[] = [];
  for (let total = 0; total < 1.5e9; ) {
    const b = new Uint8Array(1 << 20);
    const n = readSync(fd, b, 0, b.length, null);
    if (n === 0) break;
    chunks.push(n === b.length ? b : b.subarray(0, n));
    total += n;
  }
  let bestMem = 0;
  for (let i = 0; i < runs; i++) {
    const p = new CaptureParser(consume, new PacketRecord(), decodePacket);
    const t0 = performance.now();
    for (const c of chunks) p.push(c);
    p.end();
    const s = (performance.now() - t0) / 1000;
    bestMem = Math.max(bestMem, p.packets / s / 1e6);
  }
  console.log(`  in memory (parse + decode, no I/O): best ${fmt(bestMem)} M packets/s`);
}

if (peer) {
  const t0 = performance.now();
  const r = spawnSync('tcpdump', ['-r', file, '-w', '/dev/null'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const s = (performance.now() - t0) / 1000;
  if (r.status === 0) {
    const m = /(\d+) packets/.exec(r.stderr.toString());
    console.log(
      `  peer: tcpdump -r -w /dev/null: ${fmt(s)} s${m ? ` = ${fmt(Number(m[1]) / s / 1e6)} M packets/s` : ''}`,
    );
  } else {
    console.log('  peer: tcpdump not available');
  }
}
console.log(`  (checksum ${sink})`);
