/**
 * The public API answers the same on both engines: the web fixture committed through the
 * real store into a SQLite file and into a real PostgreSQL server, then every endpoint
 * asked the same questions on each (periods of a quarter, a month, 8 days, a span across
 * months and the default; country, port, AS, class and sensor filters; splits; one
 * host; anomalies; charts' SVG). Bodies must be equal once parsed, except the time each
 * anomaly was detected and the SVG's per-process element ids.
 */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { disconnectPrisma } from '@/lib/db';
import { seedFixture } from '@/lib/queries/testing/seed';
import { freshDb, type TestDb } from '@/tests/support/db';
import { callHost, callRoute } from './testing/call-route';

vi.mock('server-only', () => ({}));

const PERIODS = [
  '',
  'from=2020-07-01&to=2020-09-30',
  'from=2020-08-01&to=2020-08-31',
  'from=2020-08-26&to=2020-09-02',
  'from=2020-06-10&to=2020-08-30',
];

/** [route, query without the period] asked over every period. */
const QUESTIONS: [string, string][] = [
  ['ports/top', 'limit=10'],
  ['ports/top', 'limit=5&country=JP'],
  ['ports/top', 'limit=5&sensors=osaka-2'],
  ['countries/top', 'limit=25'],
  ['countries/top', 'limit=10&port=445/tcp'],
  ['series', 'metric=packets'],
  ['series', 'metric=sources&port=445/tcp'],
  ['series', 'metric=sources&port=445/tcp&country=JP&split=window&limit=2'],
  ['series', 'metric=packets&split=port&limit=4'],
  ['series', 'metric=sources&split=country&limit=4'],
  ['series', 'metric=packets&split=port&limit=3&per=sensor'],
  ['hosts', 'limit=20'],
  ['hosts', 'limit=20&country=NZ'],
  ['hosts', 'limit=20&port=23/tcp'],
  ['hosts', 'limit=20&class=backscatter'],
  ['hosts', 'limit=20&asn=64601'],
  ['totals', ''],
  ['asns/top', 'limit=10'],
  ['port-share', 'country=JP&limit=5'],
  ['port-share/series', 'country=NZ&port=23/tcp'],
  ['anomalies', ''],
  ['chart.png', 'port=445/tcp&format=svg&width=600&height=300'],
  ['chart.png', 'country=NZ&split=port&limit=3&format=svg&anomalies=1'],
  ['chart.png', 'split=port&limit=3&per=sensor&compare=previous&format=svg&width=600&height=300'],
];

interface Answer {
  status: number;
  body: unknown;
}

/** ECharts numbers its instances and style classes per process: ids, not data. */
function withoutRenderIds(svg: string): string {
  return svg.replace(/zr\d+-/g, 'zr-').replace(/cls-\d+/g, 'cls-');
}

/** An anomaly's detection time is when the detector ran, not data. */
function withoutDetectionTimes(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutDetectionTimes);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== 'detectedAt')
        .map(([k, x]) => [k, withoutDetectionTimes(x)]),
    );
  }
  return v;
}

async function ask(url: string, route: string, qs: string): Promise<Answer> {
  process.env.DATABASE_URL = url;
  const res = await callRoute(route, qs);
  const text = await res.text();
  const json = (res.headers.get('content-type') ?? '').includes('json');
  return {
    status: res.status,
    body: json ? withoutDetectionTimes(JSON.parse(text)) : withoutRenderIds(text),
  };
}

async function askHost(url: string, ip: string, qs: string): Promise<Answer> {
  process.env.DATABASE_URL = url;
  const res = await callHost(ip, qs);
  return { status: res.status, body: await res.json() };
}

let sqlite: TestDb;
let postgres: TestDb;
const saved = process.env.DATABASE_URL;

beforeAll(async () => {
  sqlite = await freshDb('sqlite');
  postgres = await freshDb('postgres');
  await seedFixture(sqlite.url);
  await seedFixture(postgres.url);
}, 120_000);

afterAll(async () => {
  process.env.DATABASE_URL = saved;
  for (const db of [sqlite, postgres]) {
    await disconnectPrisma(db.url);
    await db.cleanup();
  }
});

describe('SQLite and PostgreSQL give the same API answers', () => {
  for (const [route, q] of QUESTIONS) {
    test(`${route}?${q}`, async () => {
      let withData = 0;
      for (const period of PERIODS) {
        const qs = [q, period].filter(Boolean).join('&');
        const a = await ask(sqlite.url, route, qs);
        const b = await ask(postgres.url, route, qs);
        expect({ qs, ...b }).toEqual({ qs, ...a });
        if (a.status === 200 && JSON.stringify(a.body).length > 40) withData++;
      }
      // The questions are about the fixture's data, not empty answers.
      expect(withData).toBeGreaterThan(0);
    });
  }

  test('hosts/{ip} and meta', async () => {
    for (const [ip, qs] of [
      ['202.50.30.1', ''],
      ['202.50.30.1', 'from=2020-08-26&to=2020-09-02'],
      ['192.0.2.77', ''],
    ] as const) {
      expect(await askHost(postgres.url, ip, qs)).toEqual(await askHost(sqlite.url, ip, qs));
    }
    expect(await ask(postgres.url, 'meta', '')).toEqual(await ask(sqlite.url, 'meta', ''));
  });
});
