import { FINGERPRINT_RULES } from '../features';
import {
  type DayTables,
  PAIR_PACKETS,
  PP_BACKSCATTER,
  PP_PACKETS,
  PP_SCAN,
  PP_WINDOW,
  PP_WINDOW_PACKETS,
} from './day-tables';
import * as R from './host-record';
import { DayHostRows } from './host-rows';
import { portOfKey, protoName, protoOfKey } from './port-key';
import { RowSet, sketchOf } from './row-set';
import type { FileAggregates } from './rows';
import { hllSlotOf, ipv4KeyHi, ipv4KeyLo, ipv6KeyInto } from './source-sketch';

const CLASS_TAGS = ['class:scan', 'class:backscatter', 'class:other'] as const;

/** What the rows of a day need from the file: names behind the tables' integers. */
export interface DayContext {
  dayName: string;
  countries: readonly string[];
  v6Addresses: readonly Uint8Array[];
  asOrg(asn: number): string;
}

export type DayRows = Omit<FileAggregates, 'hosts'> & { hosts: DayHostRows };

/** Turns one day's host records and pair tables into the rows the store writes. */
export function buildDayRows(t: DayTables, ctx: DayContext): DayRows {
  const n = t.count;
  const rec = t.records;
  const day = ctx.dayName;
  const keys = new Uint32Array(2 * n);
  const slots = new Uint32Array(n);
  const all = new Int32Array(n);
  const countries = new RowSet();
  let dayPackets = 0;
  for (let h = 0; h < n; h++) {
    const o = h * R.STRIDE;
    if (rec[o + R.IS_V6] === 0) {
      const ip = rec[o + R.SRC]! >>> 0;
      keys[2 * h] = ipv4KeyHi(ip);
      keys[2 * h + 1] = ipv4KeyLo(ip);
    } else ipv6KeyInto(ctx.v6Addresses[rec[o + R.SRC]!]!, keys, 2 * h);
    slots[h] = hllSlotOf(keys[2 * h]!, keys[2 * h + 1]!);
    all[h] = h;
    const p = rec[o + R.PACKETS]! >>> 0;
    dayPackets += p;
    countries.add(countries.rowOf(rec[o + R.COUNTRY]!, 0), h, p);
  }
  const countryOf = (h: number): number => rec[h * R.STRIDE + R.COUNTRY]!;

  const ports = new RowSet();
  const countryPorts = new RowSet();
  const tags = new RowSet();
  const windows = new RowSet();
  // Per-host port lists (for the host rows' top ports) by a counting sort.
  const hostPortStart = new Int32Array(n + 1);
  t.forEachPortPair((h) => {
    hostPortStart[h + 1]! += 1;
  });
  for (let h = 0; h < n; h++) hostPortStart[h + 1]! += hostPortStart[h]!;
  const fill = hostPortStart.slice(0, n);
  const hostPortKey = new Int32Array(t.portPairCount);
  const hostPortPackets = new Uint32Array(t.portPairCount);
  const pp = t.portPairs;
  t.forEachPortPair((h, key, o) => {
    const packets = pp[o + PP_PACKETS]! >>> 0;
    const scan = pp[o + PP_SCAN]! >>> 0;
    const back = pp[o + PP_BACKSCATTER]! >>> 0;
    const country = countryOf(h);
    ports.add(ports.rowOf(key, 0), h, packets);
    countryPorts.add(countryPorts.rowOf(country, key), h, packets);
    if (scan > 0) tags.add(tags.rowOf(0, key), h, scan);
    if (back > 0) tags.add(tags.rowOf(1, key), h, back);
    if (packets - scan - back > 0) tags.add(tags.rowOf(2, key), h, packets - scan - back);
    const window1 = pp[o + PP_WINDOW]!;
    if (window1 !== 0) {
      const b = ((window1 - 1) << 16) | portOfKey(key);
      windows.add(windows.rowOf(country, b), h, pp[o + PP_WINDOW_PACKETS]! >>> 0);
    }
    const at = fill[h]!++;
    hostPortKey[at] = key;
    hostPortPackets[at] = packets;
  });
  const wd = t.windowPairs.data;
  t.windowPairs.forEach((h, b, o) => {
    windows.add(windows.rowOf(countryOf(h), b), h, wd[o + PAIR_PACKETS]! >>> 0);
  });
  const fd = t.fingerprintPairs.data;
  t.fingerprintPairs.forEach((h, b, o) => {
    tags.add(tags.rowOf(3 + (b >>> 24), b & 0xffffff), h, fd[o + PAIR_PACKETS]! >>> 0);
  });

  const ruleNames = FINGERPRINT_RULES.map((r) => r.name);
  const tagName = (tag: number): string =>
    tag < 3 ? CLASS_TAGS[tag]! : `fp:${ruleNames[tag - 3]}`;
  const countryName = (c: number): string => ctx.countries[c]!;

  const countrySketches = countries.sketches(keys, slots);
  const portSketches = ports.sketches(keys, slots);
  const countryPortSketches = countryPorts.sketches(keys, slots);
  const tagSketches = tags.sketches(keys, slots);
  const windowSketches = windows.sketches(keys, slots);

  return {
    totals:
      n === 0 ? [] : [{ day, packets: dayPackets, sources: sketchOf(all, 0, n, keys, slots) }],
    countries: countries.keyA.map((c, i) => ({
      day,
      country: countryName(c),
      packets: countries.packets[i]!,
      sources: countrySketches[i]!,
    })),
    ports: ports.keyA.map((key, i) => ({
      day,
      proto: protoName(protoOfKey(key)),
      port: portOfKey(key),
      packets: ports.packets[i]!,
      sources: portSketches[i]!,
    })),
    countryPorts: countryPorts.keyA.map((c, i) => {
      const key = countryPorts.keyB[i]!;
      return {
        day,
        country: countryName(c),
        proto: protoName(protoOfKey(key)),
        port: portOfKey(key),
        packets: countryPorts.packets[i]!,
        sources: countryPortSketches[i]!,
      };
    }),
    windows: windows.keyA.map((c, i) => {
      const b = windows.keyB[i]!;
      return {
        day,
        country: countryName(c),
        port: b & 0xffff,
        window: b >>> 16,
        packets: windows.packets[i]!,
        sources: windowSketches[i]!,
      };
    }),
    tags: tags.keyA.map((tag, i) => {
      const key = tags.keyB[i]!;
      return {
        day,
        tag: tagName(tag),
        proto: protoName(protoOfKey(key)),
        port: portOfKey(key),
        packets: tags.packets[i]!,
        sources: tagSketches[i]!,
      };
    }),
    hosts: new DayHostRows(
      day,
      t.dayStart,
      n,
      rec.slice(0, n * R.STRIDE),
      hostPortStart,
      hostPortKey,
      hostPortPackets,
      { ...ctx, fingerprintNames: ruleNames },
    ),
  };
}
