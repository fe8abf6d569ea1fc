/**
 * Micro-benchmark: IP -> country / AS lookups with our typed-array tables beside the
 * `maxmind` reader on the same data's mmdb build, in the same run.
 *
 *   npx tsx ingest/bench/geo-bench.ts [lookups]
 *
 * Prints load times and lookups/s. Addresses are drawn with a fixed seed, uniformly over
 * the whole IPv4 space and from allocated ranges. maxmind takes dotted strings, so
 * its strings are prepared before timing (the conversion is not charged to it).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Reader } from 'maxmind';
import { loadGeoDb } from '../enrich/geo-db';
import { isSpecialPurpose4 } from '../enrich/special-ranges';

/** The packages' mmdb records are { country_code }. */
const cc = (rec: unknown): string | undefined =>
  (rec as { country_code?: string } | null)?.country_code;

const N = Number(process.argv[2] ?? 5_000_000);
const MM_N = Math.min(N, 1_000_000);

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

const dotted = (n: number): string =>
  `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

/** CPU milliseconds since `since` (user + system): meaningful on a shared machine. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

function rate(n: number, ms: number): string {
  return `${(((n / ms) * 1000) / 1e6).toFixed(2)} M/s`;
}

let t = performance.now();
let c = process.cpuUsage();
const db = loadGeoDb();
const ourLoad = performance.now() - t;
const ourLoadCpu = cpuMs(c);

const req = createRequire(import.meta.url);
const mmdbFile = path.join(
  path.dirname(req.resolve('@ip-location-db/geo-whois-asn-country-mmdb/package.json')),
  'geo-whois-asn-country-ipv4.mmdb',
);
t = performance.now();
const mm = new Reader(readFileSync(mmdbFile));
const mmLoad = performance.now() - t;

console.log(`datasets: ${db.datasets.map((d) => `${d.name}@${d.version}`).join(', ')}`);
console.log(
  `load: ours (IPv4 country + AS CSV parse) ${ourLoad.toFixed(0)} ms wall, ` +
    `${ourLoadCpu.toFixed(0)} ms CPU; maxmind (mmdb) ${mmLoad.toFixed(0)} ms wall`,
);
console.log('lookup rates are per CPU second (user + system), so a busy machine skews less');

// 'allocated': pick one of these countries' ranges uniformly, then an address in it
// (weights small ranges up: a harder case than real traffic for the binary search).
const all: Array<readonly [number, number]> = [];
for (const code of ['US', 'CN', 'RU', 'NL', 'DE', 'JP', 'BR', 'IN', 'GB', 'KR']) {
  all.push(...db.rangesForCountry(code));
}

for (const mode of ['uniform', 'allocated'] as const) {
  const next = rng(mode === 'uniform' ? 1 : 2);
  const ips = new Uint32Array(N);
  for (let i = 0; i < N; i++) {
    if (mode === 'uniform') ips[i] = next();
    else {
      const r = all[next() % all.length]!;
      ips[i] = r[0] + (next() % (r[1] - r[0] + 1));
    }
  }
  const strs = Array.from(ips.subarray(0, MM_N), dotted);

  // warm-up
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += db.country4(ips[i]!).charCodeAt(0) + db.asn4(ips[i]!);
  for (let i = 0; i < 50_000; i++) sink += cc(mm.get(strs[i]!))?.charCodeAt(0) ?? 0;

  c = process.cpuUsage();
  for (let i = 0; i < N; i++) sink += db.country4(ips[i]!).charCodeAt(0);
  const ourCc = cpuMs(c);
  c = process.cpuUsage();
  for (let i = 0; i < N; i++) sink += db.asn4(ips[i]!);
  const ourAsn = cpuMs(c);
  c = process.cpuUsage();
  for (let i = 0; i < MM_N; i++) sink += cc(mm.get(strs[i]!))?.charCodeAt(0) ?? 0;
  const mmCc = cpuMs(c);

  // Special-purpose blocks (private, multicast...) answer ZZ on our side by design.
  let agree = 0;
  let compared = 0;
  for (let i = 0; i < MM_N; i++) {
    if (isSpecialPurpose4(ips[i]!)) continue;
    compared++;
    if ((cc(mm.get(strs[i]!)) ?? 'ZZ') === db.country4(ips[i]!)) agree++;
  }
  console.log(
    `${mode.padEnd(9)}: ours country4 ${rate(N, ourCc)}, asn4 ${rate(N, ourAsn)}; ` +
      `maxmind country ${rate(MM_N, mmCc)}; agreement ${((agree / compared) * 100).toFixed(3)}% of ${compared} (sink ${sink % 10})`,
  );
}

// IPv6: tables are built on first use.
{
  const next = rng(3);
  const n6 = Math.min(N, 1_000_000);
  const addrs = new Uint8Array(n6 * 16);
  const view = new DataView(addrs.buffer);
  const strs: string[] = [];
  for (let i = 0; i < n6; i++) {
    view.setUint32(i * 16, 0x20000000 | (next() & 0x0fffffff));
    view.setUint32(i * 16 + 4, next());
    view.setUint32(i * 16 + 8, next());
    view.setUint32(i * 16 + 12, next());
    if (i < MM_N) {
      strs.push(
        Array.from({ length: 8 }, (_, k) => view.getUint16(i * 16 + k * 2).toString(16)).join(':'),
      );
    }
  }
  c = process.cpuUsage();
  db.country6(addrs.subarray(0, 16));
  db.asn6(addrs.subarray(0, 16));
  const load6 = cpuMs(c);
  const mm6File = mmdbFile.replace('-ipv4.mmdb', '-ipv6.mmdb');
  const mm6 = new Reader(readFileSync(mm6File));
  const views = Array.from({ length: n6 }, (_, i) => addrs.subarray(i * 16, i * 16 + 16));
  let sink = 0;
  c = process.cpuUsage();
  for (let i = 0; i < n6; i++) sink += db.country6(views[i]!).charCodeAt(0);
  const ours6 = cpuMs(c);
  c = process.cpuUsage();
  for (let i = 0; i < strs.length; i++) sink += cc(mm6.get(strs[i]!))?.charCodeAt(0) ?? 0;
  const mm6t = cpuMs(c);
  console.log(
    `IPv6 (2000::/4): tables built on first use in ${load6.toFixed(0)} ms CPU; ours country6 ` +
      `${rate(n6, ours6)}; maxmind ${rate(strs.length, mm6t)} (sink ${sink % 10})`,
  );
}
