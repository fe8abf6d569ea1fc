/**
 * Commits the fixture through the real store (ingest/store): what the query tests and
 * the browser tests read.
 */
import { createHash } from 'node:crypto';
import { openStore } from '@/ingest/store';
import { aggregateRecords, type FixtureRecord, fixtureFiles, fixtureRecords } from './fixture';

export async function seedFixture(
  url: string,
  records: FixtureRecord[] = fixtureRecords(),
): Promise<void> {
  const store = await openStore(url);
  try {
    const ids = new Map<string, number>();
    for (const file of fixtureFiles(records)) {
      let id = ids.get(file.sensor);
      if (id === undefined) {
        id = await store.ensureSensor(file.sensor);
        ids.set(file.sensor, id);
      }
      const sha256 = createHash('sha256').update(`${file.sensor}|${file.day}`).digest('hex');
      const packets = file.records.reduce((a, r) => a + r.packets, 0);
      const t = Date.parse(`${file.day}T00:00:00Z`) / 1000;
      await store.commitFile(
        {
          sha256,
          path: `fixture/${file.sensor}/${file.day}.pcap`,
          size: packets * 60,
          status: 'complete',
          format: 'pcap',
          compression: 'none',
          linkTypes: [1],
          packets,
          ipPackets: packets,
          first: { sec: t, nsec: 0 },
          last: { sec: t + 86399, nsec: 0 },
          error: null,
          datasets: { fixture: 'scanline-web-fixture@1' },
          durationMs: 1,
        },
        id,
        aggregateRecords(file.records),
      );
    }
  } finally {
    await store.close();
  }
}
