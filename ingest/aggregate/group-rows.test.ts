import { describe, expect, it } from 'vitest';
import { compareText } from '../../lib/compare-text';
import { TCP_RST } from '../decode/packet-record';
import { GroupRows } from './group-rows';
import { mergeHostRows } from './merge-rows';
import type { AggregatorRows, DailyHostRow } from './rows';
import { feed, type P } from './test-support/feed';

const DAY1 = Date.parse('2020-08-27T00:00:00Z') / 1000;
const DAY2 = DAY1 + 86_400;

/** Three files of one sensor: the first two share day 1, the last two day 2. */
function files(): P[][] {
  const a: P[] = [];
  const b: P[] = [];
  const c: P[] = [];
  for (let i = 0; i < 300; i++) {
    a.push({ t: DAY1 + i, src: `1.0.${i % 50}.1`, dport: 445, win: 1024 });
    b.push({ t: DAY1 + 40_000 + i, src: `1.0.${i % 70}.1`, dport: 23, win: 8192 });
    b.push({ t: DAY2 + i, src: `2.0.${i % 30}.9`, dport: 22, flags: TCP_RST });
    c.push({ t: DAY2 + 50_000 + i, src: `2.0.${i % 40}.9`, dport: 22, win: 5840 });
  }
  return [a, b, c];
}

const aggregates = (packets: P[]): AggregatorRows => feed(packets).finish();

/** The host rows as the store would leave them, each file's merged in after the last. */
function mergedOneByOne(list: AggregatorRows[]): DailyHostRow[] {
  const held = new Map<string, DailyHostRow>();
  for (const a of list) {
    for (const row of a.hosts) {
      const key = `${row.day}|${row.ip}`;
      const old = held.get(key);
      held.set(key, old ? mergeHostRows(old, row) : row);
    }
  }
  return [...held.values()].sort((x, y) => compareText(x.day, y.day) || compareText(x.ip, y.ip));
}

describe('GroupRows', () => {
  it('merges the rows of a day that several files share, by key, once each', () => {
    const group = new GroupRows();
    for (const packets of files()) group.add(aggregates(packets));
    const out = group.result();
    expect(out.totals.map((t) => [t.day, t.packets, t.sources.estimate()])).toEqual([
      ['2020-08-27', 600, 70],
      ['2020-08-28', 600, 40],
    ]);
    expect(out.ports.map((p) => [p.day, p.proto, p.port, p.packets]).sort()).toEqual([
      ['2020-08-27', 'tcp', 23, 300],
      ['2020-08-27', 'tcp', 445, 300],
      ['2020-08-28', 'tcp', 22, 600],
    ]);
    const day2Port22 = out.ports.find((p) => p.day === '2020-08-28');
    expect(day2Port22?.sources.estimate()).toBe(40);
    const keys = out.countryPorts.map((r) => `${r.day}|${r.country}|${r.proto}|${r.port}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('its host rows: each (day, address) once, as merging the files one by one leaves them', () => {
    const list = files().map(aggregates);
    const expected = mergedOneByOne(files().map(aggregates));
    const group = new GroupRows();
    for (const a of list) group.add(a);
    const hosts = group.result().hosts;
    expect([...hosts.inIpOrder()]).toEqual(expected);
    expect(new Set([...hosts].map((h) => `${h.day}|${h.ip}`)).size).toBe(expected.length);
    // 1.0.0.1 sent to 445 in the first file and to 23 in the second, on the same day.
    const both = expected.find((h) => h.ip === '1.0.0.1');
    expect(both?.ports).toEqual({ 'tcp/445': 6, 'tcp/23': 5 });
    expect(hosts.length).toBeGreaterThan(expected.length);
  });

  it('a day only one file has keeps that file rows as they are', () => {
    const [a] = files().map(aggregates);
    const group = new GroupRows();
    group.add(a!);
    const out = group.result();
    expect(out.ports).toEqual(a!.ports);
    expect([...out.hosts]).toEqual([...a!.hosts]);
    expect(group.heldBytes()).toBeGreaterThan(0);
  });
});
