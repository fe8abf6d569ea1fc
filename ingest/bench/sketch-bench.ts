/**
 * SourceSketch figures: add and merge speed, serialized sizes, and estimate error over
 * cardinalities (relative error in units of the standard error 1.04 / sqrt(2^14)).
 *
 *   npx tsx ingest/bench/sketch-bench.ts [seeds]
 *
 * Beside it, the same 10M adds into a Set<number> (the exact in-memory baseline).
 * Times are process CPU time.
 */
import { SourceSketch } from '../aggregate/source-sketch';

const SEEDS = Number(process.argv[2] ?? 20);

/** Process CPU milliseconds (user + system): timings stay meaningful on a busy machine. */
function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
const SE = 1.04 / Math.sqrt(16384);

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

// 10M adds, 1M distinct, in a scattered order (a day of darknet-like sources).
const N = 10_000_000;
const D = 1_000_000;
const next = rng(42);
const base = Uint32Array.from({ length: D }, () => next());
const stream = new Uint32Array(N);
for (let i = 0; i < N; i++) stream[i] = base[next() % D]!;
const distinct = new Set(stream).size;

for (let round = 0; round < 2; round++) {
  const s = new SourceSketch();
  let t = cpuNow();
  for (let i = 0; i < N; i++) s.addIPv4(stream[i]!);
  const ms = cpuNow() - t;
  const set = new Set<number>();
  t = cpuNow();
  for (let i = 0; i < N; i++) set.add(stream[i]!);
  const setMs = cpuNow() - t;
  console.log(
    `add ${N / 1e6}M IPv4 (${distinct} distinct): ${ms.toFixed(0)} ms = ${(N / ms / 1e3).toFixed(1)} M/s; ` +
      `estimate ${s.estimate()} (${(((s.estimate() - distinct) / distinct) * 100).toFixed(3)}%); ` +
      `Set<number> ${setMs.toFixed(0)} ms`,
  );
}

// Exact-mode adds with repeats (a small row: 1000 sources, 10M packets).
{
  const s = new SourceSketch();
  const t = cpuNow();
  for (let i = 0; i < N; i++) s.addIPv4(base[i % 1000]!);
  const ms = cpuNow() - t;
  console.log(
    `add ${N / 1e6}M into an exact sketch of 1000 keys: ${ms.toFixed(0)} ms = ${(N / ms / 1e3).toFixed(1)} M/s`,
  );
}

// Merging: 1000 small sketches (50 keys) into one; 1000 HLL sketches into one.
{
  const small = Array.from({ length: 1000 }, (_, k) => {
    const s = new SourceSketch();
    for (let i = 0; i < 50; i++) s.addIPv4(base[(k * 37 + i) % D]!);
    return s;
  });
  let t = cpuNow();
  const a = new SourceSketch();
  for (const s of small) a.merge(s);
  const smallMs = cpuNow() - t;
  const bytes = small.map((s) => s.serialize());
  t = cpuNow();
  const b = new SourceSketch();
  for (const x of bytes) b.merge(SourceSketch.deserialize(x));
  const smallDeserMs = cpuNow() - t;
  const hll = Array.from({ length: 100 }, (_, k) => {
    const s = new SourceSketch();
    for (let i = 0; i < 5000; i++) s.addIPv4(base[(k * 5000 + i) % D]!);
    return s.serialize();
  });
  t = cpuNow();
  const c = new SourceSketch();
  for (let r = 0; r < 10; r++) for (const x of hll) c.merge(SourceSketch.deserialize(x));
  const hllMs = cpuNow() - t;
  t = cpuNow();
  for (let r = 0; r < 1000; r++) c.serialize();
  const serMs = cpuNow() - t;
  console.log(
    `merge 1000 exact sketches of 50 keys: ${smallMs.toFixed(1)} ms (from bytes: ${smallDeserMs.toFixed(1)} ms); ` +
      `1000 HLL sketches from bytes: ${hllMs.toFixed(0)} ms; HLL serialize ${(serMs / 1000).toFixed(3)} ms`,
  );
}

// Error over cardinalities.
console.log(`\nrelative error over ${SEEDS} seeds (standard error SE = ${(SE * 100).toFixed(3)}%)`);
console.log('n           mean bias   RMSE      RMSE/SE  max|err|/SE');
for (const n of [
  2_049, 3_000, 5_000, 10_000, 20_000, 50_000, 100_000, 300_000, 1_000_000, 10_000_000,
]) {
  const seeds = n >= 10_000_000 ? Math.min(SEEDS, 5) : SEEDS;
  let sum = 0;
  let sq = 0;
  let max = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const r = rng(seed * 1_000_003 + n);
    const s = new SourceSketch();
    for (let i = 0; i < n; i++) s.addKey(r(), r());
    const e = (s.estimate() - n) / n;
    sum += e;
    sq += e * e;
    max = Math.max(max, Math.abs(e));
  }
  const rmse = Math.sqrt(sq / seeds);
  console.log(
    `${String(n).padEnd(11)} ${((sum / seeds) * 100).toFixed(3).padStart(7)}%  ${(rmse * 100).toFixed(3).padStart(6)}%  ` +
      `${(rmse / SE).toFixed(2).padStart(6)}   ${(max / SE).toFixed(2).padStart(6)}${seeds < SEEDS ? `  (${seeds} seeds)` : ''}`,
  );
}
