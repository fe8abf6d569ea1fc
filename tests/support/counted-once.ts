import { expect } from 'vitest';
import type { Dump } from './dump';

/**
 * A capture ingested in pieces (taken while the sensor was still writing it, then again
 * once grown) against one ingest of the whole: every table equal, but host rows by
 * packets only, since a host seen in several pieces keeps each piece's top ports
 * (merge-rows.ts).
 */
export function expectCountedOnce(pieces: Dump, whole: Dump): void {
  for (const table of Object.keys(whole)) {
    if (table !== 'host') expect(pieces[table], table).toEqual(whole[table]);
  }
  const packetsOf = (d: Dump) =>
    Object.fromEntries(
      Object.entries(d.host ?? {}).map(([k, v]) => [k, (v as { packets: number }).packets]),
    );
  expect(packetsOf(pieces)).toEqual(packetsOf(whole));
}
