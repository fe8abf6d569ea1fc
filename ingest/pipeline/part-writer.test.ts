/**
 * PartWriter's policy, on a real FileAggregator and a store that records what each part
 * holds: a file over its budget goes out in parts of whole finished days, and once it is
 * in parts, each day is written as soon as it is finished instead of waiting for the
 * budget again, so at most one finished day's rows are held at a time.
 */
import { describe, expect, it } from 'vitest';
import { FileAggregator } from '../aggregate/file-aggregator';
import { PacketRecord, TCP_SYN } from '../decode/packet-record';
import type { GeoDb } from '../enrich/geo-db';
import { daysOf } from '../store/codec';
import type { FileTransaction, Store } from '../store/types';
import { PartWriter } from './part-writer';

const fakeGeo = {
  datasets: [],
  country4: () => 'US',
  country6: () => 'US',
  asn4: () => 64500,
  asn6: () => 64500,
  asOrg: () => 'Org',
  rangesForCountry: () => [],
  rangesForAsn: () => [],
  findAsns: () => [],
} satisfies GeoDb;

const DAY1 = Date.parse('2020-08-27T00:00:00Z') / 1000;
const DAYS = 3;
const CHUNKS_PER_DAY = 4;
/** Over the aggregator's check interval (65,536 packets), so finished days close. */
const PACKETS_PER_CHUNK = 70_000;
const HOSTS_PER_DAY = 20_000;

/** Chunks of SYNs from HOSTS_PER_DAY sources a day, in time order, over DAYS days. */
function* chunks(): Generator<{ from: number; to: number }> {
  const step = 86_400 / CHUNKS_PER_DAY;
  for (let c = 0; c < DAYS * CHUNKS_PER_DAY; c++) {
    yield { from: DAY1 + c * step, to: DAY1 + (c + 1) * step };
  }
}

function addChunk(
  agg: FileAggregator,
  r: PacketRecord,
  { from, to }: { from: number; to: number },
) {
  for (let i = 0; i < PACKETS_PER_CHUNK; i++) {
    r.reset();
    r.tsSec = from + Math.floor(((to - from) * i) / PACKETS_PER_CHUNK);
    r.origLen = 60;
    r.ipVersion = 4;
    r.src4 = (0x0a000000 + (i % HOSTS_PER_DAY)) >>> 0;
    r.dst4 = 0xc6336401;
    r.ttl = 64;
    r.proto = 6;
    r.srcPort = 40000;
    r.dstPort = 1 + (i % 7);
    r.tcpFlags = TCP_SYN;
    r.tcpWindow = 1024;
    r.tcpSeq = i;
    agg.add(r);
  }
}

/** Ingests the chunks through a PartWriter; returns the days of each part written. */
async function partsFor(budgetBytes: number): Promise<string[][]> {
  const parts: string[][] = [];
  const tx: FileTransaction = {
    write: async (a) => {
      parts.push(daysOf(a));
    },
    commit: async () => 'stored',
    rollback: async () => {},
  };
  const store = { beginFile: async () => tx } as unknown as Store;
  const agg = new FileAggregator(fakeGeo);
  const writer = new PartWriter(store, agg, 1, budgetBytes);
  const r = new PacketRecord();
  async function* source() {
    yield* chunks();
  }
  for await (const chunk of writer.gate(source())) addChunk(agg, r, chunk);
  await writer.finish();
  if (!writer.inParts) parts.push(daysOf(agg.finish()));
  return parts;
}

/** Bytes the aggregator holds with one whole day open (its tables at full size). */
function oneDayBytes(): number {
  const agg = new FileAggregator(fakeGeo);
  const r = new PacketRecord();
  for (const chunk of [...chunks()].slice(0, CHUNKS_PER_DAY)) addChunk(agg, r, chunk);
  return agg.heldBytes();
}

describe('PartWriter', () => {
  it('under its budget: one write of every day at the end', async () => {
    expect(await partsFor(2 ** 40)).toEqual([['2020-08-27', '2020-08-28', '2020-08-29']]);
  });

  it('over its budget: whole days, each written as soon as it is finished', async () => {
    const budget = Math.round(oneDayBytes() * 1.2);
    // Before this policy the last two days waited for the end: [[D1], [D2, D3]].
    expect(await partsFor(budget)).toEqual([['2020-08-27'], ['2020-08-28'], ['2020-08-29']]);
  });
});
