import { describe, expect, it } from 'vitest';
import { PacketRecord, TCP_ACK, TCP_RST, TCP_SYN } from '../decode/packet-record';
import { FileAggregator } from './file-aggregator';
import { parseIPv4 } from './ip-format';
import { fakeGeo, feed, type P } from './test-support/feed';

const DAY1 = Date.parse('2020-08-27T00:00:00Z') / 1000;

/** A UDP packet to port 53 from 2001::`last` (hex) at second t. */
function addUdp6(agg: FileAggregator, t: number, last: number): void {
  const r = new PacketRecord();
  r.reset();
  r.tsSec = t;
  r.ipVersion = 6;
  r.src6.fill(0);
  r.src6[0] = 0x20;
  r.src6[1] = 0x01;
  r.src6[15] = last;
  r.proto = 17;
  r.dstPort = 53;
  agg.add(r);
}

describe('FileAggregator', () => {
  it('counts packets and exact distinct sources per UTC day and port', () => {
    const agg = feed([
      { t: DAY1 + 10, src: '1.0.0.1', dport: 445 },
      { t: DAY1 + 11, src: '1.0.0.1', dport: 445 },
      { t: DAY1 + 12, src: '1.0.0.2', dport: 445 },
      { t: DAY1 + 13, src: '2.0.0.1', dport: 22 },
      { t: DAY1 + 86_399, ns: 999_999_999, src: '2.0.0.1', dport: 22 },
      { t: DAY1 + 86_400, src: '2.0.0.1', dport: 22 },
    ]);
    const out = agg.finish();
    const port = (day: string, p: number) => out.ports.find((r) => r.day === day && r.port === p);
    expect(port('2020-08-27', 445)?.packets).toBe(3);
    expect(port('2020-08-27', 445)?.sources.estimate()).toBe(2);
    expect(port('2020-08-27', 22)?.packets).toBe(2);
    expect(port('2020-08-28', 22)?.packets).toBe(1);
    const totals = Object.fromEntries(
      out.totals.map((t) => [t.day, [t.packets, t.sources.estimate()]]),
    );
    expect(totals).toEqual({ '2020-08-27': [5, 3], '2020-08-28': [1, 1] });
    const countries = out.countries
      .filter((c) => c.day === '2020-08-27')
      .map((c) => [c.country, c.packets, c.sources.estimate()])
      .sort();
    expect(countries).toEqual([
      ['RU', 2, 1],
      ['US', 3, 2],
    ]);
    const cp = out.countryPorts.find((r) => r.country === 'RU' && r.day === '2020-08-27');
    expect(cp).toMatchObject({ proto: 'tcp', port: 22, packets: 2 });
  });

  it('splits TCP windows per port and country, counting hosts', () => {
    const agg = feed([
      { t: DAY1, src: '1.0.0.1', win: 8192 },
      { t: DAY1 + 1, src: '1.0.0.1', win: 8192 },
      { t: DAY1 + 2, src: '1.0.0.2', win: 8192 },
      { t: DAY1 + 3, src: '1.0.0.3', win: 1024 },
    ]);
    const w = agg
      .finish()
      .windows.map((r) => [r.country, r.port, r.window, r.packets, r.sources.estimate()]);
    expect(w.sort()).toEqual([
      ['US', 445, 1024, 1, 1],
      ['US', 445, 8192, 3, 2],
    ]);
  });

  it('builds one host row per source and day with flags, ports, dominant window and first/last seen', () => {
    const agg = feed([
      { t: DAY1 + 5, src: '1.0.0.9', dport: 443, flags: TCP_SYN | TCP_ACK, win: 5840 },
      { t: DAY1 + 1, src: '1.0.0.9', dport: 443, flags: TCP_RST, win: 5840 },
      {
        t: DAY1 + 9,
        src: '1.0.0.9',
        dport: 23,
        flags: TCP_SYN | TCP_ACK,
        win: 5840,
        dst: '198.51.100.7',
      },
    ]);
    const [host] = agg.finish().hosts;
    expect(host).toMatchObject({
      day: '2020-08-27',
      ip: '1.0.0.9',
      country: 'US',
      asn: 64500,
      asOrg: 'Org 64500',
      packets: 3,
      synAck: 2,
      rst: 1,
      syn: 0,
      window: 5840,
      distinctPorts: 2,
      distinctDsts: 2,
      ports: { 'tcp/443': 2, 'tcp/23': 1 },
      backscatterPackets: 3,
    });
    expect(host?.firstSeen.toISOString()).toBe('2020-08-27T00:00:01.000Z');
    expect(host?.lastSeen.toISOString()).toBe('2020-08-27T00:00:09.000Z');
  });

  it('tags classes and fingerprints per port', () => {
    const dst = parseIPv4('198.51.100.1')!;
    const agg = feed([
      { t: DAY1, src: '1.0.0.1', dport: 23, seq: dst },
      { t: DAY1, src: '1.0.0.2', dport: 80, ipId: 54321 },
      { t: DAY1, src: '1.0.0.3', dport: 443, flags: TCP_SYN | TCP_ACK },
    ]);
    const tags = agg
      .finish()
      .tags.map((t) => `${t.tag} ${t.proto}/${t.port} ${t.packets}`)
      .sort();
    expect(tags).toContain('fp:mirai tcp/23 1');
    expect(tags).toContain('fp:zmap tcp/80 1');
    expect(tags).toContain('class:scan tcp/23 1');
    expect(tags).toContain('class:backscatter tcp/443 1');
  });

  it('counts non-IP records apart and keeps IPv6 sources distinct', () => {
    const agg = new FileAggregator(fakeGeo);
    const r = new PacketRecord();
    r.reset();
    agg.add(r);
    for (const last of [1, 2, 1]) addUdp6(agg, DAY1, last);
    const out = agg.finish();
    expect(agg.nonIpPackets).toBe(1);
    expect(out.ports[0]).toMatchObject({ proto: 'udp', port: 53, packets: 3 });
    expect(out.ports[0]?.sources.estimate()).toBe(2);
    expect([...out.hosts].map((h) => h.ip).sort()).toEqual(['2001::1', '2001::2']);
    expect(out.hosts.at(0)?.country).toBe('JP');
  });

  it('adds the IPv4 packets waiting in a batch before an IPv6 packet, a cut of the open days and the end', () => {
    const agg = feed([1, 2, 3].map((s) => ({ t: DAY1 + s, src: '1.0.0.1' })));
    addUdp6(agg, DAY1 + 4, 1);
    feed([{ t: DAY1 + 5, src: '1.0.0.1', dport: 22 }], agg);
    agg.closeOpenDays();
    const cut = agg.takeRows();
    feed([{ t: DAY1 + 6, src: '1.0.0.1' }], agg);
    const rest = agg.finish();
    expect(cut?.totals.map((t) => t.packets)).toEqual([5]);
    expect(rest.totals.map((t) => t.packets)).toEqual([1]);
    const host = [...(cut?.hosts ?? [])].find((h) => h.ip === '1.0.0.1');
    expect(host?.packets).toBe(4);
    expect(host?.lastSeen.toISOString()).toBe('2020-08-27T00:00:05.000Z');
    expect(cut?.ports.map((p) => [p.proto, p.port, p.packets]).sort()).toEqual([
      ['tcp', 22, 1],
      ['tcp', 445, 3],
      ['udp', 53, 1],
    ]);
    expect(agg.ipPackets).toBe(6);
  });

  it('turns a finished day into rows once the capture is an hour past it, and merges a late packet', () => {
    const packets: P[] = [];
    // 40k packets on day 1, 40k on day 2 from two hours after midnight, then one late
    // packet for day 1: day 1 is closed in between and opened again.
    for (let i = 0; i < 40_000; i++)
      packets.push({ t: DAY1 + (i % 80_000), src: `1.0.${i % 200}.1` });
    for (let i = 0; i < 40_000; i++) packets.push({ t: DAY1 + 86_400 + 7_200 + i, src: '2.0.0.1' });
    packets.push({ t: DAY1 + 500, src: '1.0.7.1', dport: 22 });
    const out = feed(packets).finish();
    const day1 = out.totals.filter((t) => t.day === '2020-08-27');
    expect(day1).toHaveLength(2);
    expect(day1.reduce((n, t) => n + t.packets, 0)).toBe(40_001);
    const hosts = [...out.hosts].filter((h) => h.day === '2020-08-27' && h.ip === '1.0.7.1');
    // The day's two parts of host rows are merged as they are read (HostRows).
    expect(hosts.map((h) => h.packets)).toEqual([201]);
    expect(out.hosts.length).toBeGreaterThan([...out.hosts].length);
    expect(out.totals.find((t) => t.day === '2020-08-28')?.sources.estimate()).toBe(1);
  });

  it('keeps the majority TCP sequence number per host, unsigned, and -1 without TCP', () => {
    const out = feed([
      { t: DAY1, src: '1.0.0.1', seq: 0xfffffffe },
      { t: DAY1 + 1, src: '1.0.0.1', seq: 0xfffffffe },
      { t: DAY1 + 2, src: '1.0.0.1', seq: 5 },
      { t: DAY1 + 3, src: '1.0.0.2', proto: 17, dport: 53 },
    ]).finish();
    const seq = Object.fromEntries([...out.hosts].map((h) => [h.ip, h.seq]));
    expect(seq).toEqual({ '1.0.0.1': 0xfffffffe, '1.0.0.2': -1 });
  });

  it("lists a host's ports largest first, ties by port key, so the stored JSON is canonical", () => {
    const out = feed([
      { t: DAY1, src: '1.0.0.1', dport: 23 },
      { t: DAY1, src: '1.0.0.1', dport: 445 },
      { t: DAY1, src: '1.0.0.1', dport: 445 },
      { t: DAY1, src: '1.0.0.1', dport: 22 },
    ]).finish();
    expect(JSON.stringify(out.hosts.at(0)?.ports)).toBe('{"tcp/445":2,"tcp/22":1,"tcp/23":1}');
  });

  it("keeps a host's 16 largest ports of many, ties by port key, whatever the arrival order", () => {
    const counts = new Map<number, number>();
    const packets: P[] = [];
    for (let i = 0; i < 40; i++) {
      const dport = 1000 + ((i * 7919) % 97);
      const n = 1 + ((i * 31) % 5);
      counts.set(dport, n);
      for (let k = 0; k < n; k++) packets.push({ t: DAY1 + k, src: '1.0.0.9', dport });
    }
    packets.sort((a, b) => ((a.dport! * 13 + a.t) % 17) - ((b.dport! * 13 + b.t) % 17));
    const expected = [...counts]
      .sort(([pa, na], [pb, nb]) => nb - na || pa - pb)
      .slice(0, 16)
      .map(([port, n]) => [`tcp/${port}`, n]);
    const ports = feed(packets).finish().hosts.at(0)?.ports ?? {};
    expect(Object.entries(ports)).toEqual(expected);
    expect(feed(packets).finish().hosts.at(0)?.distinctPorts).toBe(40);
  });
});

describe('host rows in address-text order (daily_host key order)', () => {
  const octets = [0, 1, 2, 9, 10, 19, 20, 25, 99, 100, 101, 199, 2, 200, 249, 25, 250, 255];
  const sources: string[] = [];
  let x = 12345;
  for (let i = 0; i < 3000; i++) {
    const o: number[] = [];
    for (let k = 0; k < 4; k++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      o.push(i % 3 === 0 ? octets[(x >>> 8) % octets.length]! : (x >>> 8) & 0xff);
    }
    sources.push(o.join('.'));
  }
  const byText = (ips: string[]) => [...new Set(ips)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  it('IPv4 only: sorted as text, every host once', () => {
    const out = feed(sources.map((src, i) => ({ t: DAY1 + i, src }))).finish();
    const order = [...out.hosts.inIpOrder()].map((h) => h.ip);
    expect(order).toEqual(byText(sources));
  });

  it('IPv4 with an IPv6 source: the same text order', () => {
    const agg = feed(sources.slice(0, 500).map((src, i) => ({ t: DAY1 + i, src })));
    addUdp6(agg, DAY1 + 600, 1);
    const order = [...agg.finish().hosts.inIpOrder()].map((h) => h.ip);
    expect(order).toEqual(byText([...sources.slice(0, 500), '2001::1']));
  });
});
