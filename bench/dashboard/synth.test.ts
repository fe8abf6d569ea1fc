/** The benchmark's synthetic /16 days are internally consistent, like an aggregator's output. */
import { describe, expect, test } from 'vitest';
import { DEFAULT_SYNTH, Synth, synthKey } from './synth';

const opts = {
  ...DEFAULT_SYNTH,
  days: 30,
  sourcesPerDay: 3000,
  hostsPerDay: 200,
  sweepers: 2,
  sweepPorts: 100,
  backscatterHosts: 40,
};

describe('synthetic /16 days', () => {
  const synth = new Synth(opts);
  const day = synth.day(8);
  const a = day.aggregates;
  const sum = (rows: { packets: number }[]) => rows.reduce((n, r) => n + r.packets, 0);

  test('every table adds up to the day’s packets; sketches count the sources', () => {
    expect(day.day).toBe('2023-01-09');
    expect(a.totals).toHaveLength(1);
    expect(a.totals[0]!.packets).toBe(day.packets);
    expect(sum(a.ports)).toBe(day.packets);
    expect(sum(a.countries)).toBe(day.packets);
    expect(sum(a.countryPorts)).toBe(day.packets);
    expect(sum(a.tags.filter((t) => t.tag.startsWith('class:')))).toBe(day.packets);
    // windows: TCP packets only (every generated flow but UDP ones)
    const udp = sum(a.ports.filter((p) => p.proto === 'udp'));
    expect(sum(a.windows)).toBe(day.packets - udp);
    // distinct sources: a HyperLogLog estimate above 2048 (0.81% standard error)
    expect(Math.abs(a.totals[0]!.sources.estimate() / day.sources - 1)).toBeLessThan(0.03);
    expect(new Set(a.countries.map((c) => c.country)).size).toBe(a.countries.length);
  });

  test('a long tail of ports, ~200 countries, host rows for the busiest sources', () => {
    expect(a.ports.length).toBeGreaterThan(1000);
    expect(a.countries.length).toBeGreaterThan(100);
    const hosts = [...a.hosts];
    expect(hosts).toHaveLength(opts.hostsPerDay);
    const packets = hosts.map((h) => h.packets);
    expect(packets).toEqual([...packets].sort((x, y) => y - x));
    expect(hosts.every((h) => Object.keys(h.ports).length <= 16)).toBe(true);
    // deterministic: the same options give the same day
    expect(new Synth(opts).day(8).packets).toBe(day.packets);
    expect(synthKey(opts)).toContain('d30-2023-01-01-s3000-h200');
  });
});
