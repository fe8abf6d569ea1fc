/**
 * Rows in primary-key order for the SQLite writer. B-tree inserts in key order touch
 * each page once; the aggregator's hash order made SQLite revisit pages all over the
 * table and its indexes, measured 3x slower for daily_window and 2.5x for daily_host
 * (docs/BENCHMARKS.md). The order only affects speed, never the stored result.
 */
import { compareText } from '../../lib/compare-text';
import { type HostRowList, HostRows } from '../aggregate/host-rows';
import type { DailyHostRow } from '../aggregate/rows';

export type KeyValue = string | number;

/** SQLite's order for one key column: numbers by value, text by code unit (BINARY). */
function compareValue(a: KeyValue, b: KeyValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return compareText(x, y);
}

export function compareKeys(a: readonly KeyValue[], b: readonly KeyValue[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValue(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

export interface KeyedRow<R> {
  row: R;
  keys: KeyValue[];
}

/** The rows grouped by day (days ascending), each day's rows sorted by their keys. */
export function dayGroupsInKeyOrder<R extends { day: string }>(
  rows: readonly R[],
  keysOf: (row: R) => KeyValue[],
): { day: string; rows: KeyedRow<R>[] }[] {
  const byDay = new Map<string, KeyedRow<R>[]>();
  for (const row of rows) {
    let group = byDay.get(row.day);
    if (group === undefined) {
      group = [];
      byDay.set(row.day, group);
    }
    group.push({ row, keys: keysOf(row) });
  }
  return [...byDay.keys()].sort().map((day) => {
    const group = byDay.get(day)!;
    group.sort((a, b) => compareKeys(a.keys, b.keys));
    return { day, rows: group };
  });
}

/** Host rows by (day, address text): daily_host's primary key order for one sensor. */
export function* hostRowsInKeyOrder(rows: HostRowList): Iterable<DailyHostRow> {
  if (rows instanceof HostRows) {
    yield* rows.inIpOrder();
    return;
  }
  for (const { rows: day } of dayGroupsInKeyOrder(rows, (r) => [r.ip])) {
    for (const { row } of day) yield row;
  }
}
