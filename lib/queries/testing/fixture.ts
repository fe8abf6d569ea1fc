/**
 * A small, deterministic telescope dataset shaped like the 2020-Q3 scenario (a few days
 * of Q2 and Q3 2020, two sensors), as packet records with explicit countries and ASes.
 * It is turned into the store's FileAggregates (one file per sensor and day) and
 * committed through the real store, and the tests compute their expectations from the
 * same records with plain reference code. Used by the query tests and to seed the
 * browser tests' database.
 */
import { ownVoteWeights } from '@/ingest/aggregate/merge-rows';
import type { DailyHostRow, FileAggregates } from '@/ingest/aggregate/rows';
import { SourceSketch } from '@/ingest/aggregate/source-sketch';

export interface FixtureRecord {
  day: string;
  sensor: string;
  ip: string;
  country: string;
  asn: number;
  asOrg: string;
  proto: 'tcp' | 'udp';
  port: number;
  flag: 'syn' | 'synAck' | 'rst' | null;
  window: number;
  /** TCP sequence number (unsigned 32-bit), -1 for UDP. */
  seq: number;
  ttl: number;
  cls: 'scan' | 'backscatter';
  fps: string[];
  packets: number;
  /** Hour of the day (UTC) of the first and last packet. */
  firstHour: number;
  lastHour: number;
}

export const SENSORS = ['tokyo-1', 'osaka-2'];
/** Each sensor monitors a /29: a host's distinct destinations per sensor and day are capped at it. */
export const SENSOR_ADDRESSES = 8;
export const Q2_DAYS = ['2020-04-01', '2020-05-12', '2020-06-16'];
export const Q3_DAYS = [
  '2020-07-07',
  '2020-08-27',
  '2020-08-30',
  '2020-08-31',
  '2020-09-22',
  '2020-09-30',
];
export const Q2 = { from: '2020-04-01', to: '2020-06-30' };
export const Q3 = { from: '2020-07-01', to: '2020-09-30' };

/** Packets per day by source country (relative weights). */
const COUNTRY_WEIGHT: Record<'q2' | 'q3', Record<string, number>> = {
  q2: {
    RU: 100,
    US: 90,
    NL: 70,
    CN: 62,
    JP: 34,
    BR: 30,
    IN: 27,
    KR: 24,
    DE: 21,
    FR: 15,
    VN: 10,
    NZ: 4,
    ZZ: 45,
  },
  q3: {
    US: 100,
    RU: 90,
    CN: 72,
    NL: 60,
    DE: 50,
    JP: 30,
    BR: 25,
    IN: 20,
    KR: 18,
    FR: 12,
    VN: 8,
    NZ: 4,
    ZZ: 45,
  },
};

/** Port mix (relative) of every country but Russia. */
const PORT_MIX: Record<'q2' | 'q3', Record<string, number>> = {
  q2: {
    '23/tcp': 26,
    '445/tcp': 22,
    '1433/tcp': 16,
    '80/tcp': 15,
    '22/tcp': 8,
    '3389/tcp': 5,
    '443/tcp': 3,
    '53/udp': 4,
  },
  q3: {
    '445/tcp': 28,
    '23/tcp': 20,
    '1433/tcp': 17,
    '22/tcp': 11,
    '80/tcp': 10,
    '3389/tcp': 5,
    '443/tcp': 3,
    '53/udp': 4,
  },
};
/** Russia goes first to 22/TCP, then 3389/TCP. */
const RU_MIX: Record<string, number> = {
  '22/tcp': 28,
  '3389/tcp': 20,
  '23/tcp': 14,
  '445/tcp': 10,
  '1433/tcp': 10,
  '80/tcp': 9,
  '443/tcp': 4,
  '53/udp': 5,
};

const PREFIX: Record<string, string> = {
  US: '23.20',
  RU: '5.18',
  CN: '36.110',
  NL: '45.9',
  DE: '78.46',
  JP: '126.10',
  BR: '177.20',
  IN: '49.36',
  KR: '121.128',
  FR: '90.80',
  VN: '113.160',
  NZ: '202.50',
  ZZ: '100.64',
};
const ASN: Record<string, [number, string]> = {
  US: [14061, 'DIGITALOCEAN-ASN'],
  RU: [12389, 'ROSTELECOM-AS'],
  CN: [4134, 'CHINANET-BACKBONE'],
  NL: [49981, 'WorldStream'],
  DE: [24940, 'Hetzner Online GmbH'],
  JP: [4713, 'NTT Communications Corporation'],
  BR: [28573, 'Claro NXT Telecomunicacoes Ltda'],
  IN: [9829, 'National Internet Backbone'],
  KR: [4766, 'Korea Telecom'],
  FR: [3215, 'Orange'],
  VN: [45899, 'VNPT Corp'],
  NZ: [9500, 'Vodafone NZ'],
  ZZ: [0, ''],
};
/** Hosts per country (pool); per (country, port, day) a slice of it is active. */
const POOL = 40;
const SCALE = 60;

/** NZ DDoS backscatter: victims answering spoofed SYNs (SYN-ACK to 443/TCP, RST to 23/TCP). */
/**
 * The SYN-ACKs to 443/TCP carry one fixed sequence number per victim organisation (the
 * bank's past 2^31, as unsigned 32-bit values can be); the RSTs to 23/TCP carry 0.
 */
export const NZ_BACKSCATTER: {
  day: string;
  hosts: number;
  asn: number;
  asOrg: string;
  base: number;
  seq: number;
}[] = [
  {
    day: '2020-08-27',
    hosts: 4,
    asn: 64601,
    asOrg: 'NZX-AS NZX Limited',
    base: 10,
    seq: 0x5a17c000,
  },
  {
    day: '2020-08-30',
    hosts: 1,
    asn: 64601,
    asOrg: 'NZX-AS NZX Limited',
    base: 10,
    seq: 0x5a17c000,
  },
  {
    day: '2020-08-31',
    hosts: 7,
    asn: 64602,
    asOrg: 'EXAMPLEBANK-NZ Example Bank',
    base: 30,
    seq: 0x9e3779b9,
  },
];
export const NZ_SPIKE_PACKETS = 400;

function ipOf(country: string, j: number): string {
  return `${PREFIX[country]}.${Math.floor(j / 200)}.${(j % 200) + 1}`;
}

/** A scanner's sequence number for one (host, port, day): varies, over all 32 bits. */
function scanSeq(ip: string, port: number, day: string): number {
  let x = ipv4Int(ip) ^ Math.imul(port, 0x9e3779b1) ^ Number(day.replaceAll('-', ''));
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  return (x ^ (x >>> 15)) >>> 0;
}

function quarterOfDay(day: string): 'q2' | 'q3' {
  return day < '2020-07-01' ? 'q2' : 'q3';
}

/** How many 445/TCP hosts send window 8192 (grows through Q3, fastest from JP). */
function eightCount(day: string, country: string, hosts: number): number {
  const i = [...Q2_DAYS, ...Q3_DAYS].indexOf(day);
  const frac = Math.min(1, (i + 1) / (country === 'JP' ? 8 : 12));
  return Math.round(hosts * frac);
}

export function fixtureRecords(): FixtureRecord[] {
  const out: FixtureRecord[] = [];
  for (const day of [...Q2_DAYS, ...Q3_DAYS]) {
    const q = quarterOfDay(day);
    for (const [country, weight] of Object.entries(COUNTRY_WEIGHT[q])) {
      const mix = country === 'RU' ? RU_MIX : PORT_MIX[q];
      const mixSum = Object.values(mix).reduce((a, b) => a + b, 0);
      const [asn, asOrg] = ASN[country]!;
      Object.entries(mix).forEach(([key, share], portIndex) => {
        const [portText, proto] = key.split('/') as [string, 'tcp' | 'udp'];
        const port = Number(portText);
        let packets = Math.round((weight * share * SCALE) / mixSum);
        // Japan -> 445/TCP rises through the quarter.
        if (country === 'JP' && port === 445)
          packets = Math.round(packets * (1 + Q3_DAYS.indexOf(day) * 0.25));
        if (packets <= 0) return;
        const hosts = Math.max(1, Math.min(POOL, Math.ceil(packets / 25)));
        const eights = port === 445 ? eightCount(day, country, hosts) : 0;
        for (let h = 0; h < hosts; h++) {
          const j = (h + portIndex * 3) % POOL;
          const n = Math.floor(packets / hosts) + (h < packets % hosts ? 1 : 0);
          if (n === 0) continue;
          const window = proto !== 'tcp' ? -1 : h < eights ? 8192 : h % 2 ? 1024 : 65535;
          out.push({
            day,
            sensor: SENSORS[(j + portIndex) % 2]!,
            ip: ipOf(country, j),
            country,
            asn,
            asOrg,
            proto,
            port,
            flag: proto === 'tcp' ? 'syn' : null,
            window,
            seq: proto === 'tcp' ? scanSeq(ipOf(country, j), port, day) : -1,
            ttl: window === 1024 ? 244 : 113,
            cls: 'scan',
            fps: [
              ...(window === 1024 ? ['large-scale-scanner'] : []),
              ...(port === 23 && h % 3 === 0 ? ['mirai'] : []),
            ],
            packets: n,
            firstHour: j % 12,
            lastHour: 12 + (j % 12),
          });
        }
      });
    }
  }
  for (const spike of NZ_BACKSCATTER) {
    for (let h = 0; h < spike.hosts; h++) {
      const ip = `202.50.${spike.base}.${h + 1}`;
      const common = {
        day: spike.day,
        sensor: SENSORS[h % 2]!,
        ip,
        country: 'NZ',
        asn: spike.asn,
        asOrg: spike.asOrg,
        proto: 'tcp' as const,
        cls: 'backscatter' as const,
        fps: [],
        ttl: 52,
        firstHour: 6,
        lastHour: 7,
      };
      out.push({
        ...common,
        port: 443,
        flag: 'synAck',
        window: 29200,
        seq: spike.seq,
        packets: NZ_SPIKE_PACKETS,
      });
      out.push({ ...common, port: 23, flag: 'rst', window: 5840, seq: 0, packets: 50 });
    }
  }
  return out;
}

function ipv4Int(ip: string): number {
  return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0) >>> 0;
}

class Rows<R extends { packets: number; sources: SourceSketch }> {
  readonly map = new Map<string, R>();
  add(key: string, make: () => R, rec: FixtureRecord): void {
    let row = this.map.get(key);
    if (!row) {
      row = make();
      this.map.set(key, row);
    }
    row.packets += rec.packets;
    row.sources.addIPv4(ipv4Int(rec.ip));
  }
  list(): R[] {
    return [...this.map.values()];
  }
}

/** The aggregates of records (all of one file: one sensor, one day). */
export function aggregateRecords(records: FixtureRecord[]): FileAggregates {
  const sk = () => new SourceSketch();
  const totals = new Rows<FileAggregates['totals'][number]>();
  const ports = new Rows<FileAggregates['ports'][number]>();
  const countries = new Rows<FileAggregates['countries'][number]>();
  const countryPorts = new Rows<FileAggregates['countryPorts'][number]>();
  const windows = new Rows<FileAggregates['windows'][number]>();
  const tags = new Rows<FileAggregates['tags'][number]>();
  const hosts = new Map<
    string,
    {
      row: DailyHostRow;
      windows: Map<number, number>;
      seqs: Map<number, number>;
      fps: Set<string>;
    }
  >();
  for (const r of records) {
    const { day, country, proto, port } = r;
    totals.add(day, () => ({ day, packets: 0, sources: sk() }), r);
    ports.add(
      `${day}|${proto}|${port}`,
      () => ({ day, proto, port, packets: 0, sources: sk() }),
      r,
    );
    countries.add(`${day}|${country}`, () => ({ day, country, packets: 0, sources: sk() }), r);
    countryPorts.add(
      `${day}|${country}|${proto}|${port}`,
      () => ({ day, country, proto, port, packets: 0, sources: sk() }),
      r,
    );
    if (proto === 'tcp') {
      windows.add(
        `${day}|${country}|${port}|${r.window}`,
        () => ({ day, country, port, window: r.window, packets: 0, sources: sk() }),
        r,
      );
    }
    for (const tag of [`class:${r.cls}`, ...r.fps.map((f) => `fp:${f}`)]) {
      tags.add(
        `${day}|${tag}|${proto}|${port}`,
        () => ({ day, tag, proto, port, packets: 0, sources: sk() }),
        r,
      );
    }
    let h = hosts.get(`${day}|${r.ip}`);
    if (!h) {
      h = {
        row: {
          day,
          ip: r.ip,
          country,
          asn: r.asn,
          asOrg: r.asOrg,
          packets: 0,
          bytes: 0,
          ports: {},
          distinctPorts: 0,
          distinctDsts: 1,
          syn: 0,
          synAck: 0,
          rst: 0,
          ack: 0,
          otherTcp: 0,
          udp: 0,
          icmp: 0,
          window: -1,
          ttl: r.ttl,
          seq: -1,
          tcpVoteWeight: 0,
          ttlVoteWeight: 0,
          fingerprints: [],
          scanPackets: 0,
          backscatterPackets: 0,
          firstSeen: new Date(`${day}T${String(r.firstHour).padStart(2, '0')}:00:00Z`),
          lastSeen: new Date(`${day}T${String(r.lastHour).padStart(2, '0')}:59:59Z`),
        },
        windows: new Map(),
        seqs: new Map(),
        fps: new Set(),
      };
      hosts.set(`${day}|${r.ip}`, h);
    }
    const row = h.row;
    row.packets += r.packets;
    row.bytes += r.packets * 60;
    const pk = `${proto}/${port}`;
    row.ports[pk] = (row.ports[pk] ?? 0) + r.packets;
    if (r.flag) row[r.flag] += r.packets;
    else row.udp += r.packets;
    if (r.cls === 'scan') row.scanPackets += r.packets;
    else row.backscatterPackets += r.packets;
    if (r.window >= 0) h.windows.set(r.window, (h.windows.get(r.window) ?? 0) + r.packets);
    if (r.seq >= 0) h.seqs.set(r.seq, (h.seqs.get(r.seq) ?? 0) + r.packets);
    for (const f of r.fps) h.fps.add(f);
    const fs = new Date(`${day}T${String(r.firstHour).padStart(2, '0')}:00:00Z`);
    const ls = new Date(`${day}T${String(r.lastHour).padStart(2, '0')}:59:59Z`);
    if (fs < row.firstSeen) row.firstSeen = fs;
    if (ls > row.lastSeen) row.lastSeen = ls;
  }
  const hostRows = [...hosts.values()].map((h) => {
    h.row.distinctPorts = Object.keys(h.row.ports).length;
    // Scanners sweep the sensor's block: one destination per packet, at most all of them.
    h.row.distinctDsts = Math.min(SENSOR_ADDRESSES, h.row.packets);
    h.row.window = majority(h.windows);
    h.row.seq = majority(h.seqs);
    h.row.fingerprints = [...h.fps].sort();
    Object.assign(h.row, ownVoteWeights(h.row));
    return h.row;
  });
  return {
    totals: totals.list(),
    ports: ports.list(),
    countries: countries.list(),
    countryPorts: countryPorts.list(),
    windows: windows.list(),
    tags: tags.list(),
    hosts: hostRows,
  };
}

/** The value with the most packets (ties: the smaller), -1 when there is none. */
function majority(votes: Map<number, number>): number {
  let best = -1;
  let bestN = 0;
  for (const [v, n] of votes) if (n > bestN || (n === bestN && v < best)) [best, bestN] = [v, n];
  return best;
}

/** Records grouped into files: one per (sensor, day). */
export function fixtureFiles(
  records: FixtureRecord[],
): { sensor: string; day: string; records: FixtureRecord[] }[] {
  const files = new Map<string, { sensor: string; day: string; records: FixtureRecord[] }>();
  for (const r of records) {
    const key = `${r.sensor}|${r.day}`;
    let f = files.get(key);
    if (!f) {
      f = { sensor: r.sensor, day: r.day, records: [] };
      files.set(key, f);
    }
    f.records.push(r);
  }
  return [...files.values()];
}
