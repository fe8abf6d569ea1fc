/** Synthetic packets for aggregator tests: a tiny geo table and a feeder. */
import { PacketRecord, TCP_SYN } from '../../decode/packet-record';
import type { GeoDb } from '../../enrich/geo-db';
import { FileAggregator } from '../file-aggregator';
import { parseIPv4 } from '../ip-format';

const COUNTRY: Record<string, string> = { '1': 'US', '2': 'RU' };
export const fakeGeo: GeoDb = {
  datasets: [],
  country4: (ip) => COUNTRY[String(ip >>> 24)] ?? 'ZZ',
  country6: () => 'JP',
  asn4: (ip) => (ip >>> 24 === 1 ? 64500 : 0),
  asn6: () => 64501,
  asOrg: (asn) => `Org ${asn}`,
  rangesForCountry: () => [],
  rangesForAsn: () => [],
  findAsns: () => [],
};

export interface P {
  t: number;
  /** Nanoseconds within the second (exact; `t` is whole seconds then). */
  ns?: number;
  src: string;
  dst?: string;
  proto?: number;
  dport?: number;
  flags?: number;
  win?: number;
  ttl?: number;
  ipId?: number;
  seq?: number;
}

export function feed(packets: P[], agg = new FileAggregator(fakeGeo)): FileAggregator {
  const r = new PacketRecord();
  for (const p of packets) {
    r.reset();
    r.tsSec = p.t;
    r.tsNsec = p.ns ?? 0;
    r.origLen = 60;
    r.ipVersion = 4;
    r.src4 = parseIPv4(p.src)!;
    r.dst4 = parseIPv4(p.dst ?? '198.51.100.1')!;
    r.ttl = p.ttl ?? 64;
    r.ipId = p.ipId ?? 1;
    r.proto = p.proto ?? 6;
    if (r.proto === 6 || r.proto === 17) {
      r.srcPort = 40000;
      r.dstPort = p.dport ?? 445;
    }
    if (r.proto === 6) {
      r.tcpFlags = p.flags ?? TCP_SYN;
      r.tcpWindow = p.win ?? 1024;
      r.tcpSeq = p.seq ?? 7;
      r.tcpOptionsLen = 0;
    }
    agg.add(r);
  }
  return agg;
}
