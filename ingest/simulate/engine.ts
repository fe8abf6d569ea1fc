/**
 * The generator: turns a compiled scenario into capture files, one per sensor per day
 * (or hour), packets in time order.
 *
 * For each day, every sub-population picks its active hosts (stable identities: pool
 * index i always has the same address) and builds an alias table over their weights.
 * Each sensor's day is cut into slices (hours, or finer when a slice would hold too many
 * packets); in each slice every sub-population draws a Poisson number of packets (its
 * expected traffic times the sensor's share of the telescope), each assigned to a host
 * and a time. A slice's events are sorted by time and written through a streaming writer.
 *
 * Every random stream is keyed by (seed, day, sensor, slice, sub-population), so a
 * file's bytes do not depend on which other days, sensors or formats are generated.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { GeoDb } from '../enrich/geo-db';
import { AddressPools } from './address-pool';
import { compactDay, daySeconds, isoDay } from './days';
import {
  type CompiledScenario,
  IpIdMode,
  pick,
  SeqMode,
  SrcPortMode,
  type SubPop,
  WindowMode,
} from './model';
import {
  IPPROTO_ICMP,
  IPPROTO_TCP,
  newIcmpFields,
  newTcpFields,
  newUdpFields,
  PacketBuilder,
  quoteTcp,
  TCP_ACK,
  TCP_RST,
} from './packet-builder';
import { Payloads } from './payloads';
import { type CaptureWriter, PcapngWriter, PcapWriter, type TsResolution } from './pcap-writer';
import { AliasTable, hash2, hash3, hash4, mix32, Rng, unit } from './prng';
import { parsePrefix, type ScalePreset } from './scales';

export type CaptureFormat = 'pcap' | 'pcapng';
export type FilePer = 'day' | 'hour';

export interface GenerateOptions {
  compiled: CompiledScenario;
  scale: ScalePreset;
  seed: number;
  outDir: string;
  geo: GeoDb;
  format?: CaptureFormat;
  per?: FilePer;
  resolution?: TsResolution;
  /** Day numbers (days since 1970-01-01), inclusive; default the scenario's period. */
  fromDay?: number;
  toDay?: number;
  onDay?: (info: DayProgress) => void;
}

export interface DayProgress {
  day: string;
  index: number;
  count: number;
  packets: number;
  bytes: number;
  files: number;
}

export interface FileInfo {
  /** Path relative to the output directory, with '/' separators. */
  path: string;
  sensor: string;
  day: string;
  hour: number | null;
  packets: number;
  bytes: number;
}

export interface GenerateResult {
  files: FileInfo[];
  packets: number;
  bytes: number;
  seconds: number;
  pools: AddressPools;
}

// Hot-path helpers as module locals: under a CommonJS transpile (tsx), every use of an
// imported binding is a property getter call.
const h2 = hash2;
const h3 = hash3;
const h4 = hash4;
const u01 = unit;
const pickT = pick;
const WM = WindowMode;
const SM = SeqMode;
const IM = IpIdMode;
const PM = SrcPortMode;
const F_ACK = TCP_ACK;
const F_RST = TCP_RST;
const P_TCP = IPPROTO_TCP;
const P_ICMP = IPPROTO_ICMP;

const IDX_BITS = 2 ** 21;
const MAX_SLICE_EVENTS = IDX_BITS - 1;

interface Runtime {
  sp: SubPop;
  alias: AliasTable;
  /** Pool indices of today's active hosts. */
  active: Uint32Array;
  weights: Float64Array;
  n: number;
}

interface SensorRt {
  name: string;
  base: number;
  size: number;
  share: number;
  builder: PacketBuilder;
}

/** Lognormal host weight from the host's stable hash. */
function hostWeight(h: number, sigma: number): number {
  if (sigma <= 0) return 1;
  const u1 = 1 - u01(h);
  const u2 = u01(mix32(h ^ 0x5bd1e995));
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.exp(sigma * z);
}

/** Chooses today's active hosts of a sub-population and builds its alias table. */
function prepareDay(rt: Runtime, dayIdx: number, day: number, hostFactor: number): void {
  const sp = rt.sp;
  const units = sp.baseUnits[dayIdx]! + sp.extraUnits[dayIdx]!;
  rt.n = 0;
  if (!(units > 0)) return;
  const salt = sp.salt;
  let n = 0;
  const ensure = (cap: number): void => {
    if (rt.active.length < cap) {
      const next = new Uint32Array(Math.max(cap, rt.active.length * 2));
      next.set(rt.active.subarray(0, n));
      rt.active = next;
      const w = new Float64Array(next.length);
      w.set(rt.weights.subarray(0, n));
      rt.weights = w;
    }
  };
  if (sp.fixedHosts >= 0) {
    ensure(sp.fixedHosts);
    for (let i = 0; i < sp.fixedHosts; i++) {
      rt.active[n] = i;
      rt.weights[n++] = 1;
    }
  } else {
    const want = sp.hostsRef[dayIdx]! * hostFactor;
    const windowF = want / sp.presence;
    let win = Math.floor(windowF);
    if (u01(h3(salt, day, 1)) < windowF - win) win++;
    win = Math.max(1, win);
    const offset = Math.floor(sp.churn * dayIdx * sp.baseHostsRef * hostFactor);
    const extraF = sp.burstHostsRef[dayIdx]! * hostFactor;
    let extra = Math.floor(extraF);
    if (u01(h3(salt, day, 2)) < extraF - extra) extra++;
    ensure(win + extra + 1);
    let wBase = 0;
    for (let i = offset; i < offset + win; i++) {
      if (u01(h3(salt, i, day)) < sp.presence) {
        const w = hostWeight(h2(salt, i), sp.sigma);
        rt.active[n] = i;
        rt.weights[n++] = w;
        wBase += w;
      }
    }
    if (n === 0) {
      const w = hostWeight(h2(salt, offset), sp.sigma);
      rt.active[n] = offset;
      rt.weights[n++] = w;
      wBase += w;
    }
    if (extra > 0) {
      // Burst hosts carry `hostShare` of the extra traffic: their weights sum to that share.
      const shareOfAll = Math.min(0.9, (sp.burstHostShare * sp.extraUnits[dayIdx]!) / units);
      const wExtraTotal = (wBase * shareOfAll) / Math.max(0.05, 1 - shareOfAll);
      let wx = 0;
      const first = n;
      for (let j = 0; j < extra; j++) {
        const i = offset + win + j;
        const w = hostWeight(h2(salt, i), sp.sigma);
        rt.active[n] = i;
        rt.weights[n++] = w;
        wx += w;
      }
      for (let k = first; k < n; k++) rt.weights[k] = (rt.weights[k]! * wExtraTotal) / wx;
    }
  }
  rt.n = n;
  rt.alias.build(rt.weights, n);
}

/** Slices per day (a multiple of 24) so that a slice stays well under the event capacity. */
function slicesPerDay(c: CompiledScenario, scale: ScalePreset, maxShare: number): number {
  let peak = 0;
  for (let d = 0; d < c.days; d++) {
    let perHour = 0;
    for (const sp of c.subpops) {
      perHour += sp.baseUnits[d]! / sp.hoursLen + sp.extraUnits[d]! / sp.burstHours;
    }
    peak = Math.max(peak, perHour);
  }
  const perHourPackets = peak * scale.unitPackets * maxShare;
  let slices = 24;
  while ((perHourPackets * 24) / slices > MAX_SLICE_EVENTS * 0.5 && slices < 86_400) slices *= 2;
  return slices;
}

export function generate(opts: GenerateOptions): GenerateResult {
  const t0 = performance.now();
  const c = opts.compiled;
  const scale = opts.scale;
  const seed = opts.seed >>> 0;
  const format = opts.format ?? 'pcap';
  const per = opts.per ?? 'day';
  const resolution = opts.resolution ?? 'us';
  const fromDay = Math.max(opts.fromDay ?? c.startDay, c.startDay);
  const toDay = Math.min(opts.toDay ?? c.endDay, c.endDay);
  if (fromDay > toDay) throw new Error('empty day range');

  const pools = new AddressPools(opts.geo, seed);
  const runtimes: Runtime[] = c.subpops.map((sp) => {
    pools.register(sp.pool, sp.country, sp.asns, sp.expectOrg);
    const shapeProto = sp.shape.proto;
    if (sp.ports.proto.some((p) => p !== shapeProto)) {
      throw new Error(`${sp.population}: port protocols must match the packet shape`);
    }
    return {
      sp,
      alias: new AliasTable(),
      active: new Uint32Array(16),
      weights: new Float64Array(16),
      n: 0,
    };
  });

  const totalAddresses = scale.sensors.reduce((s, x) => s + parsePrefix(x.prefix).size, 0);
  const sensors: SensorRt[] = scale.sensors.map((s, i) => {
    const { base, size } = parsePrefix(s.prefix);
    const h = h2(0x5e5, i);
    const sensorMac = Uint8Array.of(
      0x02,
      0x53,
      0x4c,
      (h >>> 16) & 0xff,
      (h >>> 8) & 0xff,
      i & 0xff,
    );
    const routerMac = Uint8Array.of(
      0x02,
      0x52,
      0x54,
      (h >>> 20) & 0xff,
      (h >>> 4) & 0xff,
      i & 0xff,
    );
    return {
      name: s.name,
      base,
      size,
      share: size / totalAddresses,
      builder: new PacketBuilder(sensorMac, routerMac),
    };
  });
  const maxShare = Math.max(...sensors.map((s) => s.share));
  const slices = slicesPerDay(c, scale, maxShare);
  const sliceSec = 86_400 / slices;
  const sliceUs = sliceSec * 1e6;
  const slicesPerFile = per === 'hour' ? slices / 24 : slices;

  let keys = new Float64Array(1 << 16);
  let evSub = new Uint32Array(1 << 16);
  let evHost = new Uint32Array(1 << 16);
  const grow = (need: number): void => {
    if (need <= keys.length) return;
    let cap = keys.length;
    while (cap < need) cap *= 2;
    const k = new Float64Array(cap);
    k.set(keys);
    keys = k;
    const s = new Uint32Array(cap);
    s.set(evSub);
    evSub = s;
    const h = new Uint32Array(cap);
    h.set(evHost);
    evHost = h;
  };

  const rng = new Rng(0);
  const brng = new Rng(0);
  const tcp = newTcpFields();
  const udp = newUdpFields();
  const icmp = newIcmpFields();
  const payloads = new Payloads();
  const quote = new Uint8Array(28);
  const files: FileInfo[] = [];
  let totalPackets = 0;
  let totalBytes = 0;
  const ext = format === 'pcapng' ? 'pcapng' : 'pcap';
  for (const s of sensors) mkdirSync(path.join(opts.outDir, s.name), { recursive: true });

  const uniformIdx = new Uint32Array(runtimes.length);
  const uniformWeights = new Float64Array(runtimes.length);
  const uniformAlias = new AliasTable();
  let uniformUnits = 0;
  const windowedIdx = new Uint32Array(runtimes.length * 2);
  const windowedUnits = new Float64Array(runtimes.length * 2);
  const windowedStart = new Float64Array(runtimes.length * 2);
  const windowedEnd = new Float64Array(runtimes.length * 2);
  let windowedCount = 0;
  const addWindowed = (r: number, units: number, start: number, end: number): void => {
    if (!(end > start)) return;
    windowedIdx[windowedCount] = r;
    windowedUnits[windowedCount] = units;
    windowedStart[windowedCount] = start;
    windowedEnd[windowedCount++] = end;
  };

  const count = toDay - fromDay + 1;
  // One file is open at a time, so they all share one write buffer.
  const writeBuffer = new Uint8Array(1 << 20);
  for (let day = fromDay; day <= toDay; day++) {
    const dayIdx = day - c.startDay;
    const dayIso = isoDay(day);
    const daySec = daySeconds(day);
    // Today's hosts, and the split into whole-day uniform traffic and windowed parts.
    let nu = 0;
    windowedCount = 0;
    uniformUnits = 0;
    for (let r = 0; r < runtimes.length; r++) {
      const rt = runtimes[r]!;
      prepareDay(rt, dayIdx, day, scale.hostFactor);
      if (rt.n === 0) continue;
      const sp = rt.sp;
      const base = sp.baseUnits[dayIdx]!;
      if (base > 0) {
        if (sp.hoursStart === 0 && sp.hoursLen >= 24) {
          uniformIdx[nu] = r;
          uniformWeights[nu++] = base;
          uniformUnits += base;
        } else {
          addWindowed(r, base, sp.hoursStart * 3600, (sp.hoursStart + sp.hoursLen) * 3600);
        }
      }
      const extra = sp.extraUnits[dayIdx]!;
      const bs = sp.burstStart[dayIdx]!;
      if (extra > 0 && bs >= 0) addWindowed(r, extra, bs * 3600, (bs + sp.burstHours) * 3600);
    }
    uniformAlias.build(uniformWeights, nu);
    let dayPackets = 0;
    let dayBytes = 0;
    let dayFiles = 0;

    for (let si = 0; si < sensors.length; si++) {
      const sensor = sensors[si]!;
      const builder = sensor.builder;
      let writer: CaptureWriter | undefined;
      let fileInfo: FileInfo | undefined;
      const closeFile = (): void => {
        if (!writer || !fileInfo) return;
        writer.close();
        fileInfo.packets = writer.packets;
        fileInfo.bytes = writer.bytes;
        dayPackets += writer.packets;
        dayBytes += writer.bytes;
        dayFiles++;
        files.push(fileInfo);
        writer = undefined;
      };

      for (let k = 0; k < slices; k++) {
        if (k % slicesPerFile === 0) {
          closeFile();
          const hour = per === 'hour' ? (k * sliceSec) / 3600 : null;
          const stamp = compactDay(day) + (hour === null ? '' : String(hour).padStart(2, '0'));
          const rel = `${sensor.name}/${sensor.name}-${stamp}.${ext}`;
          const abs = path.join(opts.outDir, sensor.name, `${sensor.name}-${stamp}.${ext}`);
          writer =
            format === 'pcapng'
              ? new PcapngWriter(abs, {
                  resolution,
                  interfaceName: sensor.name,
                  interfaceDescription: `dark prefix ${scale.sensors[si]!.prefix}`,
                  application: 'scanline simulate',
                  buffer: writeBuffer,
                })
              : new PcapWriter(abs, { resolution, buffer: writeBuffer });
          fileInfo = { path: rel, sensor: sensor.name, day: dayIso, hour, packets: 0, bytes: 0 };
        }
        // 1. Draw this slice's events: the whole-day uniform traffic through one alias
        //    table over sub-populations, then the windowed parts (hours, bursts) one by one.
        const s0 = k * sliceSec;
        const s1 = s0 + sliceSec;
        const perUnit = scale.unitPackets * sensor.share;
        rng.reseed(h4(seed, day, (si << 20) | k, 0x3fffffff));
        let n = 0;
        const ku = rng.poisson((uniformUnits * perUnit * sliceSec) / 86_400);
        grow(ku);
        for (let j = 0; j < ku; j++) {
          const r = uniformIdx[uniformAlias.sample(rng)]!;
          const rt = runtimes[r]!;
          keys[n] = Math.min(Math.floor(rng.next() * sliceUs), sliceUs - 1) * IDX_BITS + n;
          evSub[n] = r;
          evHost[n] = rt.active[rt.alias.sample(rng)]!;
          n++;
        }
        for (let w = 0; w < windowedCount; w++) {
          const r = windowedIdx[w]!;
          const rt = runtimes[r]!;
          const units = windowedUnits[w]!;
          const ws = windowedStart[w]!;
          const we = windowedEnd[w]!;
          const lo = Math.max(s0, ws);
          const hi = Math.min(s1, we);
          if (hi <= lo) continue;
          const kw = rng.poisson((units * perUnit * (hi - lo)) / (we - ws));
          if (kw === 0) continue;
          if (n + kw > MAX_SLICE_EVENTS) {
            throw new Error(
              `too many packets in one slice (${n + kw}); use fewer addresses per sensor`,
            );
          }
          grow(n + kw);
          for (let j = 0; j < kw; j++) {
            const tUs = Math.floor((lo - s0 + rng.next() * (hi - lo)) * 1e6);
            keys[n] = Math.min(tUs, sliceUs - 1) * IDX_BITS + n;
            evSub[n] = r;
            evHost[n] = rt.active[rt.alias.sample(rng)]!;
            n++;
          }
        }
        if (n === 0) continue;
        // 2. Sort by time, then build and write.
        const sorted = keys.subarray(0, n).sort();
        brng.reseed(h4(seed, day, (si << 20) | k, 0x7fffffff));
        const nsSalt = h4(seed, day, (si << 20) | k, 0x7ffffffe);
        const w = writer!;
        for (let i = 0; i < n; i++) {
          const key = sorted[i]!;
          const idx = key % IDX_BITS;
          const tUs = (key - idx) / IDX_BITS;
          const rt = runtimes[evSub[idx]!]!;
          const hostIdx = evHost[idx]!;
          const absUs = s0 * 1e6 + tUs;
          const secOfDay = Math.floor(absUs / 1e6);
          const tsSec = daySec + secOfDay;
          let tsNsec = (absUs - secOfDay * 1e6) * 1000;
          // Sub-microsecond digits from a hash, so the packet stream is the same in us and ns.
          if (resolution === 'ns') tsNsec += h2(nsSalt, i) % 1000;
          const len = buildPacket(rt.sp, hostIdx, pools, sensor, brng, tsSec, day);
          w.write(tsSec, tsNsec, builder.buf, len);
        }
      }
      closeFile();
    }
    totalPackets += dayPackets;
    totalBytes += dayBytes;
    opts.onDay?.({
      day: dayIso,
      index: day - fromDay + 1,
      count,
      packets: dayPackets,
      bytes: dayBytes,
      files: dayFiles,
    });
  }

  return {
    files,
    packets: totalPackets,
    bytes: totalBytes,
    seconds: (performance.now() - t0) / 1000,
    pools,
  };

  /** Builds one packet of `sp`'s host into the sensor's builder; returns its length. */
  function buildPacket(
    sp: SubPop,
    hostIdx: number,
    pools: AddressPools,
    sensor: SensorRt,
    r: Rng,
    tsSec: number,
    day: number,
  ): number {
    const sh = sp.shape;
    const hostH = h2(sp.poolSalt, hostIdx);
    const src = pools.address(sp.pool, hostIdx);
    const dst = (sensor.base + r.int(sensor.size)) >>> 0;
    const hops = sh.hopMin + (h2(hostH, 2) % (sh.hopMax - sh.hopMin + 1));
    const ttl = Math.max(1, pickT(sh.ttlInitial, u01(h2(hostH, 1))) - hops);
    // Destination port.
    const pu = r.next();
    const cum = sp.ports.cum;
    let pi = 0;
    while (pi < cum.length - 1 && pu >= cum[pi]!) pi++;
    const lo = sp.ports.lo[pi]!;
    const hi = sp.ports.hi[pi]!;
    const dport = lo === hi ? lo : lo + r.int(hi - lo + 1);

    let ipId: number;
    if (sh.proto === P_TCP) {
      const f = tcp;
      f.src = src;
      f.dst = dst;
      f.ttl = ttl;
      f.df = sh.df;
      f.dstPort = dport;
      f.flags = pickT(sh.flags, r.next());
      switch (sh.windowMode) {
        case WM.Fixed:
          f.window = sh.window.values[0]!;
          break;
        case WM.PerHost:
          f.window = pickT(sh.window, u01(h2(hostH, 3)));
          break;
        case WM.PerPacket:
          f.window = pickT(sh.window, r.next());
          break;
        case WM.Random:
          f.window = r.u32() & 0xffff;
          break;
      }
      f.seq = sh.seqMode === SM.Dst ? dst : sh.seqMode === SM.Fixed ? sh.seqFixed : r.u32();
      f.ack = (f.flags & F_ACK) !== 0 ? r.u32() : 0;
      if (f.flags === (F_RST | F_ACK) && sh.seqMode === SM.Random) {
        // A RST-ACK answering a SYN: sequence 0, window 0 (as Linux and Windows send it).
        f.seq = 0;
        f.window = 0;
      }
      f.srcPort = srcPort(sh.srcPortMode, sh, hostH, r, day);
      ipId = ipIdFor(sh.ipIdMode, sh.ipIdFixed, hostH, tsSec, r, dst, dport, f.seq);
      f.ipId = ipId;
      f.options = (f.flags & F_RST) !== 0 ? 0 : sh.options;
      f.tsval = (hostH + tsSec * 1000) >>> 0;
      return sensor.builder.tcp(f);
    }
    if (sh.proto === P_ICMP) {
      const f = icmp;
      f.src = src;
      f.dst = dst;
      f.ttl = ttl;
      f.df = sh.df;
      f.type = dport >>> 8;
      f.code = dport & 0xff;
      f.ipId = ipIdFor(sh.ipIdMode, sh.ipIdFixed, hostH, tsSec, r, dst, 0, 0);
      f.id = hostH & 0xffff;
      f.seqNo = r.int(65536);
      if (f.type === 3 || f.type === 11) {
        // Quote the spoofed SYN that claimed to come from the telescope address.
        const victim = ((src & 0xffffff00) | (1 + (h2(hostH, 7) % 254))) >>> 0;
        quoteTcp(quote, dst, victim, 1024 + r.int(64512), 80, r.u32(), r.int(65536), 1 + r.int(40));
        return sensor.builder.icmp(f, quote);
      }
      return sensor.builder.icmp(f, ECHO_BODY);
    }
    const f = udp;
    f.src = src;
    f.dst = dst;
    f.ttl = ttl;
    f.df = sh.df;
    f.dstPort = dport;
    f.srcPort = srcPort(sh.srcPortMode, sh, hostH, r, day);
    f.ipId = ipIdFor(sh.ipIdMode, sh.ipIdFixed, hostH, tsSec, r, dst, dport, 0);
    return sensor.builder.udp(f, payloads.get(sh.payload, dport, r.int(65536)));
  }
}

const ECHO_BODY = Uint8Array.from({ length: 32 }, (_, i) => 0x61 + (i % 23));

function srcPort(
  mode: SrcPortMode,
  sh: SubPop['shape'],
  hostH: number,
  r: Rng,
  day: number,
): number {
  switch (mode) {
    case PM.Ephemeral:
      return 32768 + r.int(28232);
    case PM.EphemeralWindows:
      return 49152 + r.int(16384);
    case PM.Random:
      return 1024 + r.int(64512);
    case PM.PerHost:
      return 1024 + (h3(hostH, 4, day) % 64512);
    case PM.PerHostChoice:
      return pickT(sh.srcPorts, u01(h2(hostH, 5)));
    case PM.Fixed:
      return sh.srcPortFixed;
  }
}

function ipIdFor(
  mode: IpIdMode,
  fixed: number,
  hostH: number,
  tsSec: number,
  r: Rng,
  dst: number,
  dport: number,
  seq: number,
): number {
  switch (mode) {
    case IM.Random:
      return r.u32() & 0xffff;
    case IM.Zmap:
      return 54321;
    case IM.Masscan:
      return ((dst ^ dport ^ seq) >>> 0) & 0xffff;
    case IM.Incremental:
      return (hostH + tsSec * 3) & 0xffff;
    case IM.Zero:
      return 0;
    case IM.Fixed:
      return fixed;
  }
}
