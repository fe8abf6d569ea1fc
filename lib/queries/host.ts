/** One source host: everything the per-day host rows say about it. */
import 'server-only';
import { notFound } from '@/lib/api/errors';
import type { Period } from '@/lib/api/period';
import type { HostDetail } from '@/lib/api/types';
import { dayFilter, isoTime, num, Prisma, rows, type SensorScope } from './db';
import {
  addFingerprints,
  addPorts,
  addWeighted,
  hostClass,
  portList,
  rankedValues,
  tcpPacketsOf,
  topValue,
} from './host-rows';
import { hostSensorFilter } from './hosts';

export interface HostArgs {
  ip: string;
  /** Only these days (default: every day the host was seen). */
  period: Period | null;
  scope: SensorScope;
}

type Row = Record<string, unknown>;

export async function getHost(args: HostArgs): Promise<HostDetail> {
  const { ip, period, scope } = args;
  const rs = await rows<Row>(Prisma.sql`
    SELECT h.day, s.name AS sensor, h.country, h.asn, h.as_org, h.packets, h.bytes, h.ports,
      h.distinct_ports, h.syn, h.syn_ack, h.rst, h.ack, h.other_tcp, h.udp, h.icmp,
      h."window" AS win, h.ttl, h.seq, h.fingerprints, h.scan_packets, h.backscatter_packets,
      h.first_seen, h.last_seen
    FROM daily_host h JOIN sensor s ON s.id = h.sensor_id
    WHERE h.ip = ${ip}${period ? Prisma.sql` AND ${dayFilter(period, Prisma.raw('h.day'))}` : Prisma.empty}${hostSensorFilter(
      scope,
    )}
    ORDER BY h.day, s.name`);
  if (rs.length === 0) {
    throw notFound(
      `No packets from ${ip}${period ? ` between ${period.from} and ${period.to}` : ''}`,
    );
  }

  const days = new Map<string, number>();
  const ports = new Map<string, number>();
  const fingerprints = new Set<string>();
  const windows = new Map<number, number>();
  const ttls = new Map<number, number>();
  const seqs = new Map<number, number>();
  const sensors = new Map<string, { packets: number; firstSeen: string; lastSeen: string }>();
  const flags = { syn: 0, synAck: 0, rst: 0, ack: 0, otherTcp: 0, udp: 0, icmp: 0 };
  let packets = 0;
  let bytes = 0;
  let scan = 0;
  let backscatter = 0;
  let distinctPorts = 0;
  let firstSeen = '';
  let lastSeen = '';
  const last = rs[rs.length - 1]!;

  for (const r of rs) {
    const p = num(r.packets);
    const day = String(r.day);
    packets += p;
    bytes += num(r.bytes);
    scan += num(r.scan_packets);
    backscatter += num(r.backscatter_packets);
    days.set(day, (days.get(day) ?? 0) + p);
    addPorts(ports, r.ports);
    addFingerprints(fingerprints, r.fingerprints);
    distinctPorts = Math.max(distinctPorts, num(r.distinct_ports));
    flags.syn += num(r.syn);
    flags.synAck += num(r.syn_ack);
    flags.rst += num(r.rst);
    flags.ack += num(r.ack);
    flags.otherTcp += num(r.other_tcp);
    flags.udp += num(r.udp);
    flags.icmp += num(r.icmp);
    addWeighted(windows, num(r.win), p);
    addWeighted(ttls, num(r.ttl), p);
    addWeighted(seqs, num(r.seq), tcpPacketsOf(r));
    const fs = isoTime(r.first_seen);
    const ls = isoTime(r.last_seen);
    if (!firstSeen || fs < firstSeen) firstSeen = fs;
    if (!lastSeen || ls > lastSeen) lastSeen = ls;
    const name = String(r.sensor);
    const s = sensors.get(name);
    if (!s) sensors.set(name, { packets: p, firstSeen: fs, lastSeen: ls });
    else {
      s.packets += p;
      if (fs < s.firstSeen) s.firstSeen = fs;
      if (ls > s.lastSeen) s.lastSeen = ls;
    }
  }
  const dayList = [...days].map(([day, p]) => ({ day, packets: p }));

  return {
    ip,
    country: String(last.country),
    asn: num(last.asn),
    asOrg: String(last.as_org ?? ''),
    packets,
    bytes,
    ports: portList(ports, 32),
    distinctPorts: Math.max(distinctPorts, ports.size),
    firstSeen,
    lastSeen,
    class: hostClass(packets, scan, backscatter),
    classPackets: { scan, backscatter, other: Math.max(0, packets - scan - backscatter) },
    fingerprints: [...fingerprints].sort(),
    seq: topValue(seqs),
    days: dayList,
    flags,
    windows: rankedValues(windows),
    ttls: rankedValues(ttls),
    seqs: rankedValues(seqs),
    sensors: [...sensors]
      .sort((a, b) => b[1].packets - a[1].packets || a[0].localeCompare(b[0]))
      .map(([name, s]) => ({ name, ...s })),
    period: period ?? { from: dayList[0]!.day, to: dayList[dayList.length - 1]!.day },
  };
}
