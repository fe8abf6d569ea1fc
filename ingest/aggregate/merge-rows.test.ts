import { describe, expect, it } from 'vitest';
import * as R from './host-record';
import {
  mergeDestinations,
  mergeDistinctPorts,
  mergeHostRows,
  mergePortMaps,
  ownVoteWeights,
  pickVoted,
  portsComplete,
  unionSorted,
} from './merge-rows';
import { type DailyHostRow, HOST_PORTS_KEPT } from './rows';

function host(over: Partial<DailyHostRow> = {}): DailyHostRow {
  const row: Omit<DailyHostRow, 'tcpVoteWeight' | 'ttlVoteWeight'> = {
    day: '2024-03-01',
    ip: '192.0.2.1',
    country: 'JP',
    asn: 64500,
    asOrg: 'Example',
    packets: 10,
    bytes: 600,
    ports: { 'tcp/23': 6, 'tcp/2323': 4 },
    distinctPorts: 2,
    distinctDsts: 9,
    syn: 10,
    synAck: 0,
    rst: 0,
    ack: 0,
    otherTcp: 0,
    udp: 0,
    icmp: 0,
    window: 14600,
    ttl: 52,
    seq: 0xc0000201,
    fingerprints: ['mirai'],
    scanPackets: 10,
    backscatterPackets: 0,
    firstSeen: new Date('2024-03-01T01:00:00.000Z'),
    lastSeen: new Date('2024-03-01T02:00:00.000Z'),
    ...over,
  };
  return { ...row, ...ownVoteWeights(row), ...over };
}

function ports(n: number, start = 0, count = 1): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) out[`tcp/${start + i}`] = count;
  return out;
}

describe('mergePortMaps', () => {
  it('adds counts and keeps the largest, ties by key', () => {
    const { ports: p, unionSize } = mergePortMaps(
      { 'tcp/80': 3, 'udp/53': 1 },
      { 'tcp/80': 2, 'tcp/22': 1 },
      2,
    );
    expect(unionSize).toBe(3);
    expect(p).toEqual({ 'tcp/80': 5, 'tcp/22': 1 });
  });

  it('keeps HOST_PORTS_KEPT entries by default', () => {
    const { ports: p, unionSize } = mergePortMaps(ports(12, 0), ports(12, 100));
    expect(unionSize).toBe(24);
    expect(Object.keys(p)).toHaveLength(HOST_PORTS_KEPT);
  });

  it('is commutative', () => {
    const a = { 'tcp/1': 5, 'tcp/2': 3, 'tcp/3': 3 };
    const b = { 'tcp/2': 2, 'tcp/4': 5, 'tcp/5': 1 };
    expect(mergePortMaps(a, b, 3)).toEqual(mergePortMaps(b, a, 3));
  });
});

describe('distinctPorts', () => {
  it('is exact when both maps were complete', () => {
    const a = host({ ports: { 'tcp/1': 1, 'tcp/2': 1 }, distinctPorts: 2 });
    const b = host({ ports: { 'tcp/2': 1, 'tcp/3': 1 }, distinctPorts: 2 });
    expect(portsComplete(a)).toBe(true);
    expect(mergeDistinctPorts(a, b, 3)).toBe(3);
    expect(mergeHostRows(a, b).distinctPorts).toBe(3);
  });

  it('is a lower bound max(a, b, union) when a map was cut', () => {
    const a = host({ ports: ports(16), distinctPorts: 40 });
    const b = host({ ports: { 'tcp/0': 1 }, distinctPorts: 1 });
    expect(portsComplete(a)).toBe(false);
    expect(mergeDistinctPorts(a, b, 16)).toBe(40);
    const c = host({ ports: ports(16, 500), distinctPorts: 20 });
    expect(mergeDistinctPorts(a, c, 32)).toBe(40);
    expect(mergeDistinctPorts(host({ ports: ports(16), distinctPorts: 17 }), c, 32)).toBe(32);
  });

  it("merged rows keep the whole union of the files' port lists, so they stay complete", () => {
    const merged = mergeHostRows(
      host({ ports: ports(10, 0), distinctPorts: 10 }),
      host({ ports: ports(10, 100), distinctPorts: 10 }),
    );
    expect(merged.distinctPorts).toBe(20);
    expect(Object.keys(merged.ports).length).toBeGreaterThan(HOST_PORTS_KEPT);
    expect(portsComplete(merged)).toBe(true);
  });

  it('ports and distinct ports do not depend on the order files are merged in', () => {
    const a = host({ ports: ports(16, 0), distinctPorts: 30 });
    const b = host({ ports: ports(16, 8), distinctPorts: 16 });
    const c = host({ ports: { 'tcp/3': 50, 'tcp/900': 2 }, distinctPorts: 2 });
    const left = mergeHostRows(mergeHostRows(a, b), c);
    const right = mergeHostRows(a, mergeHostRows(b, c));
    const swapped = mergeHostRows(mergeHostRows(c, a), b);
    for (const other of [right, swapped]) {
      expect(other.ports).toEqual(left.ports);
      expect(JSON.stringify(other.ports)).toBe(JSON.stringify(left.ports));
      expect(other.distinctPorts).toBe(left.distinctPorts);
    }
  });
});

describe('pickVoted', () => {
  it('takes the side with more packets, ties to the smaller value, -1 never wins', () => {
    expect(pickVoted(1024, 5, 8192, 3)).toBe(1024);
    expect(pickVoted(1024, 3, 8192, 5)).toBe(8192);
    expect(pickVoted(8192, 4, 1024, 4)).toBe(1024);
    expect(pickVoted(-1, 100, 1024, 1)).toBe(1024);
    expect(pickVoted(1024, 1, -1, 100)).toBe(1024);
    expect(pickVoted(-1, 1, -1, 1)).toBe(-1);
  });
});

describe('mergeHostRows', () => {
  it('adds counters, min/max the times, unions fingerprints', () => {
    const a = host();
    const b = host({
      packets: 4,
      bytes: 240,
      syn: 2,
      udp: 2,
      scanPackets: 3,
      backscatterPackets: 1,
      ports: { 'tcp/23': 2, 'udp/53': 2 },
      distinctPorts: 2,
      distinctDsts: 4,
      fingerprints: ['large-scale-scanner', 'mirai'],
      firstSeen: new Date('2024-03-01T00:30:00.000Z'),
      lastSeen: new Date('2024-03-01T01:30:00.000Z'),
    });
    const m = mergeHostRows(a, b);
    expect(m.packets).toBe(14);
    expect(m.bytes).toBe(840);
    expect(m.syn).toBe(12);
    expect(m.udp).toBe(2);
    expect(m.scanPackets).toBe(13);
    expect(m.backscatterPackets).toBe(1);
    expect(m.ports).toEqual({ 'tcp/23': 8, 'tcp/2323': 4, 'udp/53': 2 });
    expect(m.distinctPorts).toBe(3);
    expect(m.distinctDsts).toBe(9);
    expect(m.fingerprints).toEqual(['large-scale-scanner', 'mirai']);
    expect(m.firstSeen.toISOString()).toBe('2024-03-01T00:30:00.000Z');
    expect(m.lastSeen.toISOString()).toBe('2024-03-01T02:00:00.000Z');
  });

  it('votes window and seq by TCP packets and ttl by packets', () => {
    const a = host({ window: 1024, ttl: 60, seq: 7, packets: 10, syn: 2, udp: 8 });
    const b = host({ window: 8192, ttl: 40, seq: 0xffffffff, packets: 5, syn: 5, udp: 0 });
    const m = mergeHostRows(a, b);
    expect(m.window).toBe(8192);
    expect(m.ttl).toBe(60);
    // Unsigned 32-bit sequence numbers survive the merge as they are.
    expect(m.seq).toBe(4294967295);
    expect(mergeHostRows(b, a).seq).toBe(4294967295);
  });

  it('seq: a side without TCP (-1) never wins; ties go to the smaller value', () => {
    const tcp = host({ seq: 0x5a17c000, packets: 2, syn: 2 });
    const udpOnly = host({ seq: -1, packets: 50, syn: 0, udp: 50 });
    expect(mergeHostRows(udpOnly, tcp).seq).toBe(0x5a17c000);
    expect(mergeHostRows(tcp, udpOnly).seq).toBe(0x5a17c000);
    expect(mergeHostRows(udpOnly, udpOnly).seq).toBe(-1);
    const high = host({ seq: 0x80000000, syn: 3 });
    const low = host({ seq: 12345, syn: 1, synAck: 2 });
    expect(mergeHostRows(high, low).seq).toBe(12345);
    expect(mergeHostRows(low, high).seq).toBe(12345);
  });

  it('keeps a known country / AS, fills unknown ones', () => {
    const known = host({ country: 'JP', asn: 64500, asOrg: 'Example' });
    const unknown = host({ country: 'ZZ', asn: 0, asOrg: '' });
    expect(mergeHostRows(unknown, known)).toMatchObject({
      country: 'JP',
      asn: 64500,
      asOrg: 'Example',
    });
    expect(mergeHostRows(known, unknown)).toMatchObject({
      country: 'JP',
      asn: 64500,
      asOrg: 'Example',
    });
    const other = host({ country: 'US', asn: 64501, asOrg: 'Other' });
    expect(mergeHostRows(known, other)).toMatchObject({ country: 'JP', asn: 64500 });
  });

  it('two files that disagree on country and AS (data upgraded between them): one answer in any order', () => {
    const rows = [
      host({ country: 'US', asn: 64501, asOrg: 'Other' }),
      host({ country: 'ZZ', asn: 0, asOrg: '' }),
      host({ country: 'JP', asn: 64502, asOrg: 'Renamed' }),
      host({ country: 'NL', asn: 64501, asOrg: 'Other (renamed)' }),
    ];
    const orders = [
      [0, 1, 2, 3],
      [3, 2, 1, 0],
      [1, 3, 0, 2],
      [2, 0, 3, 1],
    ];
    const merged = orders.map((o) => {
      const [first, ...rest] = o.map((i) => rows[i]!);
      return rest.reduce(mergeHostRows, first!);
    });
    for (const m of merged) {
      expect([m.country, m.asn, m.asOrg]).toEqual(['JP', 64501, 'Other']);
    }
    // Grouped differently: (0 + 1) + (2 + 3) and 0 + (1 + (2 + 3)).
    const [a, b, c, d] = rows as [DailyHostRow, DailyHostRow, DailyHostRow, DailyHostRow];
    for (const m of [
      mergeHostRows(mergeHostRows(a, b), mergeHostRows(c, d)),
      mergeHostRows(a, mergeHostRows(b, mergeHostRows(c, d))),
    ]) {
      expect([m.country, m.asn, m.asOrg]).toEqual(['JP', 64501, 'Other']);
    }
  });

  it('is commutative for rows that agree on country and AS', () => {
    const a = host({
      ports: ports(12, 0, 2),
      distinctPorts: 12,
      window: 1024,
      ttl: 50,
      seq: 0xfffffffe,
    });
    const b = host({
      ports: ports(12, 6, 1),
      distinctPorts: 30,
      window: 8192,
      ttl: 60,
      seq: 3,
      packets: 10,
      fingerprints: ['zmap'],
      firstSeen: new Date('2024-03-01T00:00:00.000Z'),
    });
    expect(mergeHostRows(a, b)).toEqual(mergeHostRows(b, a));
  });

  it('is associative: three files of a day give one row whatever the order and grouping', () => {
    // Each file's vote differs; with weights that summed, (a + b) would outvote c in one
    // order and not in another.
    const a = host({ window: 1024, ttl: 50, seq: 1, packets: 6, syn: 6 });
    const b = host({ window: 1024, ttl: 50, seq: 1, packets: 6, syn: 6 });
    const c = host({ window: 8192, ttl: 120, seq: 2, packets: 10, syn: 10 });
    const rows = [a, b, c];
    const results = [];
    for (const [i, j, k] of [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ] as const) {
      const [x, y, z] = [rows[i]!, rows[j]!, rows[k]!];
      results.push(mergeHostRows(mergeHostRows(x, y), z), mergeHostRows(x, mergeHostRows(y, z)));
    }
    for (const r of results) expect(r).toEqual(results[0]);
    // The heaviest file's votes, its weights kept rather than summed.
    expect(results[0]).toMatchObject({
      window: 8192,
      ttl: 120,
      seq: 2,
      packets: 22,
      tcpVoteWeight: 10,
      ttlVoteWeight: 10,
    });
  });

  it('does not modify its inputs', () => {
    const a = host();
    const b = host({ ports: { 'tcp/1': 1 }, distinctPorts: 1 });
    const before = [structuredClone(a), structuredClone(b)];
    mergeHostRows(a, b);
    expect([a, b]).toEqual(before);
  });
});

describe('unionSorted', () => {
  it('sorts and dedupes', () => {
    expect(unionSorted(['zmap', 'mirai'], ['mirai', 'masscan'])).toEqual([
      'masscan',
      'mirai',
      'zmap',
    ]);
  });
});

describe('distinct destinations across rows', () => {
  /** A record with the destinations `from .. to - 1` added (IPv4 addresses as integers). */
  function registersOf(from: number, to: number): Uint8Array {
    const rec = new Int32Array(R.STRIDE);
    for (let d = from; d < to; d++) R.addDestination(rec, 0, d);
    return R.destinationRegisters(rec, 0);
  }

  it('rows with registers merge to the estimate of one pass over both', () => {
    const a = registersOf(0xc6336400, 0xc6336400 + 300);
    const b = registersOf(0xc6336400 + 200, 0xc6336400 + 700);
    const both = registersOf(0xc6336400, 0xc6336400 + 700);
    const m = mergeDestinations(
      { distinctDsts: R.estimateDestinations(a), dstRegisters: a },
      { distinctDsts: R.estimateDestinations(b), dstRegisters: b },
    );
    expect(m.dstRegisters).toEqual(both);
    expect(m.distinctDsts).toBe(R.estimateDestinations(both));
    // More than either side alone: the max rule would have said ~500.
    expect(m.distinctDsts).toBeGreaterThan(
      Math.max(R.estimateDestinations(a), R.estimateDestinations(b)),
    );
    // Within the 32-register sketch's error (about 18% standard error) of the truth.
    expect(Math.abs(m.distinctDsts - 700) / 700).toBeLessThan(0.5);
  });

  it('the registers hold the record estimate', () => {
    const rec = new Int32Array(R.STRIDE);
    for (let d = 1; d <= 40; d++) R.addDestination(rec, 0, d * 7919);
    expect(R.estimateDestinations(R.destinationRegisters(rec, 0))).toBe(
      R.distinctDestinations(rec, 0),
    );
  });

  it('a row without registers (stored before they were kept): the larger count, no registers', () => {
    const a = registersOf(1, 50);
    const m = mergeHostRows(
      host({ distinctDsts: 80, dstRegisters: null }),
      host({ distinctDsts: 49, dstRegisters: a }),
    );
    expect(m.distinctDsts).toBe(80);
    expect(m.dstRegisters).toBeNull();
  });
});
