import { FINGERPRINT_RULES } from '../features';
import {
  type FileAggregator,
  PAIR_PACKETS,
  PORT_BACKSCATTER,
  PORT_PACKETS,
  PORT_SCAN,
} from './file-aggregator';
import * as F from './host-columns';
import { formatIPv4, formatIPv6 } from './ip-format';
import { portLabel, portOfKey, protoName, protoOfKey } from './port-key';
import { RowIndex } from './row-index';
import type {
  DailyCountryPortRow,
  DailyCountryRow,
  DailyHostRow,
  DailyPortRow,
  DailyTagRow,
  DailyTotalRow,
  DailyWindowRow,
  FileAggregates,
} from './rows';
import { HOST_PORTS_KEPT } from './rows';
import { SourceSketch } from './source-sketch';
import { dayString } from './utc-day';

const CLASS_TAGS = ['class:scan', 'class:backscatter', 'class:other'] as const;
const TAG_SPACE = 64;
const COUNTRY_SPACE = 1024;

/** Turns a finished file's host records and pair tables into the rows the store writes. */
export function buildFileAggregates(agg: FileAggregator): FileAggregates {
  const H = agg.hosts;
  const cold = H.cold;
  const hot = H.hot;
  const dayNames = agg.days.map(dayString);
  if (agg.countries.length > COUNTRY_SPACE)
    throw new Error('more distinct countries than supported');
  const dayOf = (h: number): number => cold[h * F.COLD_STRIDE + F.DAY]!;
  const countryOf = (h: number): number => cold[h * F.COLD_STRIDE + F.COUNTRY]!;
  const addSource = (sketch: SourceSketch, h: number): void => {
    const v6 = cold[h * F.COLD_STRIDE + F.V6]!;
    if (v6 < 0) sketch.addIPv4(H.src4[h]!);
    else sketch.addIPv6(agg.v6Addresses[v6]!);
  };

  const totals = new RowIndex<DailyTotalRow>((d) => ({
    day: dayNames[d]!,
    packets: 0,
    sources: new SourceSketch(),
  }));
  const countries = new RowIndex<DailyCountryRow>((d, country) => ({
    day: dayNames[d]!,
    country: agg.countries[country]!,
    packets: 0,
    sources: new SourceSketch(),
  }));
  for (let h = 0; h < H.count; h++) {
    const d = dayOf(h);
    const p = H.packets(h);
    const t = totals.get(d, 0);
    t.packets += p;
    addSource(t.sources, h);
    const c = countries.get(d, countryOf(h));
    c.packets += p;
    addSource(c.sources, h);
  }

  const ports = new RowIndex<DailyPortRow>((d, key) => ({
    day: dayNames[d]!,
    proto: protoName(protoOfKey(key)),
    port: portOfKey(key),
    packets: 0,
    sources: new SourceSketch(),
  }));
  const countryPorts = new RowIndex<DailyCountryPortRow>((dc, key) => {
    return {
      day: dayNames[Math.floor(dc / COUNTRY_SPACE)]!,
      country: agg.countries[dc % COUNTRY_SPACE]!,
      proto: protoName(protoOfKey(key)),
      port: portOfKey(key),
      packets: 0,
      sources: new SourceSketch(),
    };
  });
  const ruleNames = FINGERPRINT_RULES.map((r) => r.name);
  const tagName = (t: number): string => (t < 3 ? CLASS_TAGS[t]! : `fp:${ruleNames[t - 3]}`);
  const tags = new RowIndex<DailyTagRow>((dt, key) => {
    return {
      day: dayNames[Math.floor(dt / TAG_SPACE)]!,
      tag: tagName(dt % TAG_SPACE),
      proto: protoName(protoOfKey(key)),
      port: portOfKey(key),
      packets: 0,
      sources: new SourceSketch(),
    };
  });
  const tagRow = (d: number, tag: number, portKey: number): DailyTagRow =>
    tags.get(d * TAG_SPACE + tag, portKey);

  // Per-host port lists by a counting sort over the port pairs.
  const hostPortStart = new Uint32Array(H.count + 1);
  agg.portPairs.forEach((h) => {
    hostPortStart[h + 1]! += 1;
  });
  for (let h = 0; h < H.count; h++) hostPortStart[h + 1]! += hostPortStart[h]!;
  const fill = hostPortStart.slice(0, H.count);
  const hostPortKey = new Uint32Array(agg.portPairs.size);
  const hostPortPackets = new Uint32Array(agg.portPairs.size);

  const pd = agg.portPairs.data;
  agg.portPairs.forEach((h, portKey, o) => {
    const d = dayOf(h);
    const n = pd[o + PORT_PACKETS]! >>> 0;
    const scan = pd[o + PORT_SCAN]! >>> 0;
    const back = pd[o + PORT_BACKSCATTER]! >>> 0;
    const row = ports.get(d, portKey);
    row.packets += n;
    addSource(row.sources, h);
    const cp = countryPorts.get(d * COUNTRY_SPACE + countryOf(h), portKey);
    cp.packets += n;
    addSource(cp.sources, h);
    if (scan > 0) addTag(tagRow(d, 0, portKey), scan, h);
    if (back > 0) addTag(tagRow(d, 1, portKey), back, h);
    if (n - scan - back > 0) addTag(tagRow(d, 2, portKey), n - scan - back, h);
    const at = fill[h]!;
    fill[h] = at + 1;
    hostPortKey[at] = portKey;
    hostPortPackets[at] = n;
  });
  function addTag(row: DailyTagRow, packets: number, h: number): void {
    row.packets += packets;
    addSource(row.sources, h);
  }

  const fd = agg.fingerprintPairs.data;
  agg.fingerprintPairs.forEach((h, b, o) => {
    addTag(tagRow(dayOf(h), 3 + (b >>> 24), b & 0xffffff), fd[o + PAIR_PACKETS]! >>> 0, h);
  });

  const windows = new RowIndex<DailyWindowRow>((dc, b) => ({
    day: dayNames[Math.floor(dc / COUNTRY_SPACE)]!,
    country: agg.countries[dc % COUNTRY_SPACE]!,
    port: b & 0xffff,
    window: b >>> 16,
    packets: 0,
    sources: new SourceSketch(),
  }));
  const wd = agg.windowPairs.data;
  agg.windowPairs.forEach((h, b, o) => {
    const row = windows.get(dayOf(h) * COUNTRY_SPACE + countryOf(h), b);
    row.packets += wd[o + PAIR_PACKETS]! >>> 0;
    addSource(row.sources, h);
  });

  const hosts: DailyHostRow[] = new Array(H.count);
  for (let h = 0; h < H.count; h++) {
    const o = h * F.HOT_STRIDE;
    const c = h * F.COLD_STRIDE;
    const v6 = cold[c + F.V6]!;
    const asn = H.asn[h]!;
    const from = hostPortStart[h]!;
    const to = hostPortStart[h + 1]!;
    hosts[h] = {
      day: dayNames[cold[c + F.DAY]!]!,
      ip: v6 < 0 ? formatIPv4(H.src4[h]!) : formatIPv6(agg.v6Addresses[v6]!),
      country: agg.countries[cold[c + F.COUNTRY]!]!,
      asn,
      asOrg: asn === 0 ? '' : agg.asOrg(asn),
      packets: H.packets(h),
      bytes: H.bytes(h),
      ports: topPorts(hostPortKey, hostPortPackets, from, to),
      distinctPorts: to - from,
      distinctDsts: F.estimateDistinct(H.dstRegs, h * F.DST_REGISTERS),
      syn: hot[o + F.SYN]! >>> 0,
      synAck: hot[o + F.SYN_ACK]! >>> 0,
      rst: hot[o + F.RST]! >>> 0,
      ack: cold[c + F.ACK]! >>> 0,
      otherTcp: cold[c + F.OTHER_TCP]! >>> 0,
      udp: cold[c + F.UDP]! >>> 0,
      icmp: cold[c + F.ICMP]! >>> 0,
      window: hot[o + F.WIN_CAND]!,
      ttl: hot[o + F.TTL_CAND]!,
      fingerprints: maskNames(cold[c + F.FINGERPRINTS]!, ruleNames),
      scanPackets: hot[o + F.SCAN]! >>> 0,
      backscatterPackets: hot[o + F.BACKSCATTER]! >>> 0,
      firstSeen: toDate(H.baseSec + hot[o + F.FIRST_SEC]!, hot[o + F.FIRST_NSEC]!),
      lastSeen: toDate(H.baseSec + hot[o + F.LAST_SEC]!, hot[o + F.LAST_NSEC]!),
    };
  }

  return {
    totals: totals.rows,
    ports: ports.rows,
    countries: countries.rows,
    countryPorts: countryPorts.rows,
    windows: windows.rows,
    tags: tags.rows,
    hosts,
  };
}

const labels = new Map<number, string>();
function label(key: number): string {
  let l = labels.get(key);
  if (l === undefined) {
    l = portLabel(key);
    labels.set(key, l);
  }
  return l;
}

function topPorts(
  keys: Uint32Array,
  packets: Uint32Array,
  from: number,
  to: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  if (to - from <= HOST_PORTS_KEPT) {
    for (let i = from; i < to; i++) out[label(keys[i]!)] = packets[i]!;
    return out;
  }
  const idx: number[] = [];
  for (let i = from; i < to; i++) idx.push(i);
  idx.sort((a, b) => packets[b]! - packets[a]! || keys[a]! - keys[b]!);
  for (let i = 0; i < HOST_PORTS_KEPT; i++) out[label(keys[idx[i]!]!)] = packets[idx[i]!]!;
  return out;
}

function maskNames(mask: number, names: readonly string[]): string[] {
  const out: string[] = [];
  for (let bit = 0; bit < names.length; bit++) if ((mask & (1 << bit)) !== 0) out.push(names[bit]!);
  return out.sort();
}

function toDate(sec: number, nsec: number): Date {
  return new Date(sec * 1000 + Math.floor(nsec / 1e6));
}
