import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disconnectPrisma, getPrisma } from '../../lib/db/prisma';
import { aggregatePackets, ledgerEntryFor, synthPackets } from '../../tests/support/aggregates';
import { freshDb, type TestDb } from '../../tests/support/db';
import { dumpAggregates, rollupMismatches } from '../../tests/support/dump';
import { openStore, type Store } from '.';
import { HOST_PORTS } from './sqlite-host-ports';
import { PORT_WINDOW_SUMS } from './sqlite-port-window-sums';

/** daily_host_port in key order, and every trigger's SQL. */
async function hostPorts(url: string) {
  const p = getPrisma(url);
  const rows = await p.$queryRawUnsafe<unknown[]>(
    'SELECT port, day, packets, ip, sensor_id, country, asn FROM daily_host_port ORDER BY 1, 2, 3, 4, 5',
  );
  const triggers = await p.$queryRawUnsafe<{ sql: string }[]>(
    "SELECT sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
  );
  return { rows, triggers: triggers.map((t) => t.sql) };
}

/**
 * The same writes through a store: new days, merges into them, another sensor on the
 * same days (the rollup's rows merged), a group, parts.
 */
async function writeAll(store: Store): Promise<void> {
  const s1 = await store.ensureSensor('one');
  const s2 = await store.ensureSensor('two');
  const packets = synthPackets(71, 6000, { sources: 400, days: 2, day: '2024-02-28' });
  const commit = (sha: string, part: typeof packets, sid: number) =>
    store.commitFile(ledgerEntryFor(sha, part), sid, aggregatePackets(part));
  expect(await commit('a', packets.slice(0, 2500), s1)).toBe('stored');
  expect(await commit('b', packets.slice(2500), s1)).toBe('stored');
  // Another sensor on those days: new to it, stored in the rollup (merged there).
  expect(await commit('f', packets.slice(1000, 5000), s2)).toBe('stored');
  const later = synthPackets(72, 3000, { sources: 300, day: '2024-03-05' });
  const other = synthPackets(73, 3000, { sources: 300, day: '2024-03-06' });
  expect(
    await store.commitFiles([
      { entry: ledgerEntryFor('c', later), sensorId: s2, aggregates: aggregatePackets(later) },
      { entry: ledgerEntryFor('d', other), sensorId: s2, aggregates: aggregatePackets(other) },
    ]),
  ).toEqual(['stored', 'stored']);
  const big = synthPackets(74, 4000, { sources: 500, day: '2024-03-07' });
  const file = await store.beginFile(s1, ['2024-03-07']);
  await file.write(aggregatePackets(big.slice(0, 2000)));
  await file.write(aggregatePackets(big.slice(2000)));
  expect(await file.commit(ledgerEntryFor('e', big))).toBe('stored');
}

describe('rows derived by insert triggers, written per new (day, sensor) with the triggers set aside (SQLite)', () => {
  let bulk: TestDb;
  let byTrigger: TestDb;

  beforeEach(async () => {
    bulk = await freshDb('sqlite');
    byTrigger = await freshDb('sqlite');
  });

  afterEach(async () => {
    for (const db of [bulk, byTrigger]) {
      await disconnectPrisma(db.url);
      await db.cleanup();
    }
  });

  it('gives the rows the triggers give (monthly rollups, daily_port_window, daily_host_port), and puts them back', async () => {
    const before = await hostPorts(bulk.url);
    expect(before.triggers.filter((t) => t.includes(HOST_PORTS.trigger))).toHaveLength(1);
    expect(before.triggers.filter((t) => t.includes(PORT_WINDOW_SUMS.trigger))).toHaveLength(1);
    expect(before.triggers.filter((t) => t.includes('_rollup_insert'))).toHaveLength(3);
    for (const [db, min] of [
      [bulk, 0],
      [byTrigger, Number.POSITIVE_INFINITY],
    ] as const) {
      const store = await openStore(db.url, { bulkDerivedMin: min });
      try {
        await writeAll(store);
      } finally {
        await store.close();
      }
    }
    const got = await hostPorts(bulk.url);
    const want = await hostPorts(byTrigger.url);
    expect(got.rows.length).toBeGreaterThan(1000);
    expect(got).toEqual(want);
    expect(got.triggers).toEqual(before.triggers);
    expect(await dumpAggregates(bulk.url)).toEqual(await dumpAggregates(byTrigger.url));
    expect(await rollupMismatches(bulk.url)).toEqual([]);
    const portWindows = 'SELECT * FROM daily_port_window ORDER BY 1, 2, 3, 4';
    const windowSums = await getPrisma(bulk.url).$queryRawUnsafe<unknown[]>(portWindows);
    expect(windowSums.length).toBeGreaterThan(100);
    expect(windowSums).toEqual(await getPrisma(byTrigger.url).$queryRawUnsafe(portWindows));
    // A host row written afterwards by anyone else still gets its port rows.
    await getPrisma(bulk.url).$executeRawUnsafe(
      `INSERT INTO daily_host SELECT '2024-04-01', sensor_id, ip, country, asn, as_org, packets, bytes, ports, distinct_ports, distinct_dsts, syn, syn_ack, rst, ack, other_tcp, udp, icmp, "window", ttl, fingerprints, scan_packets, backscatter_packets, first_seen, last_seen, seq, dst_registers, tcp_vote_weight, ttl_vote_weight FROM daily_host WHERE day = '2024-03-07' LIMIT 5`,
    );
    expect(await rollupMismatches(bulk.url)).toEqual([]);
  });

  it('a rolled-back file leaves the triggers and no derived rows', async () => {
    const before = await hostPorts(bulk.url);
    const store = await openStore(bulk.url, { bulkDerivedMin: 0 });
    try {
      const sid = await store.ensureSensor('one');
      const packets = synthPackets(75, 3000, { sources: 300, day: '2024-03-07' });
      const file = await store.beginFile(sid, ['2024-03-07']);
      await file.write(aggregatePackets(packets));
      await file.rollback();
    } finally {
      await store.close();
    }
    const after = await hostPorts(bulk.url);
    expect(after.rows).toEqual([]);
    expect(after.triggers).toEqual(before.triggers);
    expect(await dumpAggregates(bulk.url)).toEqual({});
  });
});
