/**
 * Per-packet classification + fingerprint cost on a darknet-like record mix (CPU time).
 *
 *   npx tsx ingest/bench/features-bench.ts [packets]
 */
import { PacketRecord } from '../decode/packet-record';
import { classify, fingerprintMask } from '../features';

const N = Number(process.argv[2] ?? 20_000_000);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

// 4096 pre-built records, cycled (the decoder reuses one record; here fields vary).
const next = rng(7);
const recs: PacketRecord[] = [];
for (let i = 0; i < 4096; i++) {
  const r = new PacketRecord();
  r.reset();
  r.ipVersion = 4;
  r.src4 = next();
  r.dst4 = (0xc6336400 + (next() & 0xff)) >>> 0;
  r.ipId = next() & 0xffff;
  const kind = next() % 10;
  if (kind < 7) {
    r.proto = 6;
    r.srcPort = 1024 + (next() % 60000);
    r.dstPort = [23, 445, 22, 80, 1433, 3389][next() % 6]!;
    r.tcpFlags = kind < 6 ? 0x02 : 0x12;
    r.tcpWindow = [1024, 8192, 29200, 65535][next() % 4]!;
    r.tcpOptionsLen = next() % 2 ? 0 : 20;
    r.tcpSeq = next() % 5 === 0 ? r.dst4 : next();
    if (next() % 10 === 0) r.ipId = 54321;
  } else if (kind < 9) {
    r.proto = 17;
    r.srcPort = next() % 4 === 0 ? 53 : 40000;
    r.dstPort = 5060;
  } else {
    r.proto = 1;
    r.icmpType = next() % 2 ? 8 : 0;
    r.icmpCode = 0;
  }
  recs.push(r);
}

for (let round = 0; round < 3; round++) {
  // CPU time, not wall time: figures stay meaningful on a shared machine.
  const cpuMs = (since: NodeJS.CpuUsage): number => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 1000;
  };
  let sink = 0;
  let t = process.cpuUsage();
  for (let i = 0; i < N; i++) sink = (sink + classify(recs[i & 4095]!)) | 0;
  const cls = cpuMs(t);
  t = process.cpuUsage();
  for (let i = 0; i < N; i++) sink = (sink + fingerprintMask(recs[i & 4095]!)) | 0;
  const fp = cpuMs(t);
  console.log(
    `classify ${((N / cls) * 1e-3).toFixed(1)} M packets/s; fingerprintMask ` +
      `${((N / fp) * 1e-3).toFixed(1)} M packets/s (sink ${sink & 7})`,
  );
}
