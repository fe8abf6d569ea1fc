/** Which stored anomalies a trend chart pins, and on which series (lib/anomalies/chart-marks.ts). */
import { describe, expect, test } from 'vitest';
import { CHART_MARK_LIMIT, chartAnomalyParams, chartMarksFor } from './chart-marks';
import type { Anomaly } from './types';

type Src = Parameters<typeof chartMarksFor>[0][number];

function anomaly(over: Partial<Anomaly> & Pick<Anomaly, 'id'>): Src {
  return {
    kind: 'spike',
    day: '2020-08-27',
    dimension: 'country',
    key: 'NZ',
    country: 'NZ',
    proto: null,
    port: null,
    severity: 50,
    summary: `summary of ${over.id}`,
    details: { ratio: 4 },
    ...over,
  };
}

const nzBackscatter = anomaly({
  id: '1c19a10fde7477e1',
  kind: 'backscatter',
  dimension: 'asn',
  key: 'AS137052',
  proto: 'tcp',
  port: 443,
  severity: 94,
});
const jpWindow = anomaly({
  id: '2000000000000000',
  kind: 'campaign-growth',
  day: '2020-09-30',
  dimension: 'country-window',
  key: 'JP 445/tcp window 8192',
  country: 'JP',
  proto: 'tcp',
  port: 445,
  severity: 77,
});
const port445 = anomaly({
  id: '3000000000000000',
  dimension: 'port',
  key: '445/tcp',
  country: null,
  proto: 'tcp',
  port: 445,
  severity: 30,
});
const rankMove = anomaly({
  id: '4000000000000000',
  kind: 'rank-move',
  dimension: 'port',
  key: '445/tcp',
  country: null,
  proto: 'tcp',
  port: 445,
  severity: 50,
});
const all = [nzBackscatter, jpWindow, port445, rankMove];

test('the anomaly request follows the chart: period, port, country; charted kinds only', () => {
  expect(
    chartAnomalyParams({
      from: '2020-08-26',
      to: '2020-09-02',
      country: 'NZ',
      metric: 'packets',
      sensors: 'tokyo-1',
    }),
  ).toEqual({
    from: '2020-08-26',
    to: '2020-09-02',
    country: 'NZ',
    port: undefined,
    kind: 'backscatter,spike,level-shift,campaign-growth',
    limit: '200',
  });
  expect(chartAnomalyParams({ metric: 'packets' })).toBeNull();
});

describe('chartMarksFor', () => {
  test('a country chart pins its country’s anomalies; the linked one is selected and first', () => {
    const marks = chartMarksFor(all, { country: 'NZ' }, ['total'], nzBackscatter.id);
    expect(marks).toEqual([
      {
        day: '2020-08-27',
        label: 'DDoS backscatter',
        summary: nzBackscatter.summary,
        severity: 94,
        id: nzBackscatter.id,
        selected: true,
      },
    ]);
  });

  test('a port chart takes the port’s anomalies (any country), never rank moves', () => {
    const ids = chartMarksFor(all, { port: '445/tcp' }, ['total']).map((m) => m.id);
    expect(ids).toEqual([jpWindow.id, port445.id]);
  });

  test('split by port or country: only plotted series, pinned on them', () => {
    const byPort = chartMarksFor(all, { split: 'port' }, ['443/tcp', '23/tcp']);
    expect(byPort.map((m) => [m.id, m.series])).toEqual([[nzBackscatter.id, '443/tcp']]);
    const byCountry = chartMarksFor(all, { split: 'country' }, ['JP', 'US']);
    expect(byCountry.map((m) => [m.id, m.series])).toEqual([[jpWindow.id, 'JP']]);
  });

  test('window split: a window anomaly pins on its window, others on the first line', () => {
    const marks = chartMarksFor(all, { port: '445/tcp', split: 'window', country: 'JP' }, [
      '8192',
      'other',
    ]);
    expect(marks.map((m) => [m.id, m.series])).toEqual([[jpWindow.id, '8192']]);
    const world = chartMarksFor(all, { port: '445/tcp', split: 'window' }, ['65535', 'other']);
    expect(world.map((m) => [m.id, m.series])).toEqual([
      [jpWindow.id, undefined],
      [port445.id, undefined],
    ]);
  });

  test('at most CHART_MARK_LIMIT pins, the most severe, the linked anomaly always', () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      anomaly({ id: `5${String(i).padStart(15, '0')}`, severity: 90 - i }),
    );
    const last = many[29]!;
    const marks = chartMarksFor(many, {}, ['total'], last.id);
    expect(marks).toHaveLength(CHART_MARK_LIMIT);
    expect(marks[0]!.id).toBe(last.id);
    expect(marks.slice(1).map((m) => m.severity)).toEqual(
      many.slice(0, CHART_MARK_LIMIT - 1).map((a) => a.severity),
    );
  });
});
