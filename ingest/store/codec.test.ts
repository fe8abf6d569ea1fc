import { describe, expect, it } from 'vitest';
import { ownVoteWeights } from '../aggregate/merge-rows';
import type { DailyHostRow } from '../aggregate/rows';
import { HOST_COLUMNS, hostFromRecord, hostValues } from './codec';

const row: DailyHostRow = {
  day: '2024-03-01',
  ip: '192.0.2.1',
  country: 'JP',
  asn: 64500,
  asOrg: 'Example',
  packets: 9,
  bytes: 540,
  ports: { 'tcp/23': 6, 'udp/53': 3 },
  distinctPorts: 2,
  distinctDsts: 9,
  syn: 5,
  synAck: 0,
  rst: 1,
  ack: 0,
  otherTcp: 0,
  udp: 3,
  icmp: 0,
  window: 14600,
  ttl: 52,
  seq: 0xc0000201,
  tcpVoteWeight: 4,
  ttlVoteWeight: 7,
  fingerprints: ['mirai'],
  scanPackets: 9,
  backscatterPackets: 0,
  firstSeen: new Date('2024-03-01T01:00:00.000Z'),
  lastSeen: new Date('2024-03-01T02:00:00.000Z'),
  dstRegisters: new Uint8Array(16).fill(1),
};

function record(r: DailyHostRow): Record<string, unknown> {
  const values = hostValues(r, 1, (d) => d.toISOString());
  return Object.fromEntries(HOST_COLUMNS.map(([c], i) => [c, values[i]]));
}

describe('daily_host codec', () => {
  it('reads back what it writes, the vote weights included', () => {
    expect(hostFromRecord(record(row))).toEqual(row);
  });

  it('a row stored before the vote weights were kept (0) votes with its own totals', () => {
    const old = { ...record(row), tcp_vote_weight: 0, ttl_vote_weight: 0 };
    expect(hostFromRecord(old)).toEqual({ ...row, ...ownVoteWeights(row) });
    expect(ownVoteWeights(row)).toEqual({ tcpVoteWeight: 6, ttlVoteWeight: 9 });
  });
});
