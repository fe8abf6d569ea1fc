import { describe, expect, test } from 'vitest';
import type { DailyHostRow } from '../aggregate/rows';
import { compareKeys, dayGroupsInKeyOrder, hostRowsInKeyOrder } from './key-order';

describe('rows in primary-key order', () => {
  test('keys compare as SQLite does: numbers by value, text by code unit', () => {
    expect(compareKeys(['US', 80], ['US', 443])).toBeLessThan(0);
    expect(compareKeys(['US', 443], ['US', 80])).toBeGreaterThan(0);
    expect(compareKeys(['JP', 443], ['US', 80])).toBeLessThan(0);
    expect(compareKeys(['Z', 1], ['a', 1])).toBeLessThan(0);
    expect(compareKeys(['US', 80], ['US', 80])).toBe(0);
  });

  test('sketch rows: days ascending, each day sorted by key, nothing lost', () => {
    const rows = [
      { day: '2020-08-02', port: 445 },
      { day: '2020-08-01', port: 23 },
      { day: '2020-08-02', port: 22 },
      { day: '2020-08-01', port: 8080 },
      { day: '2020-08-01', port: 443 },
    ];
    const groups = dayGroupsInKeyOrder(rows, (r) => [r.port]);
    expect(groups.map((g) => [g.day, g.rows.map((r) => r.row.port)])).toEqual([
      ['2020-08-01', [23, 443, 8080]],
      ['2020-08-02', [22, 445]],
    ]);
    expect(groups[0]!.rows[0]!.keys).toEqual([23]);
  });

  test('host rows: by day, then address text', () => {
    const host = (day: string, ip: string) => ({ day, ip }) as DailyHostRow;
    const rows = [
      host('2020-08-02', '10.0.0.1'),
      host('2020-08-01', '9.9.9.9'),
      host('2020-08-01', '10.0.0.2'),
      host('2020-08-01', '2001:db8::1'),
    ];
    expect([...hostRowsInKeyOrder(rows)].map((r) => `${r.day} ${r.ip}`)).toEqual([
      '2020-08-01 10.0.0.2',
      '2020-08-01 2001:db8::1',
      '2020-08-01 9.9.9.9',
      '2020-08-02 10.0.0.1',
    ]);
  });
});
