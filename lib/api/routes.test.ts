/**
 * The route handlers end to end against a seeded SQLite file: good requests answer JSON,
 * bad parameters answer 400 naming the parameter, and no input makes a 500.
 */
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { GET as unknownEndpoint } from '@/app/api/[...path]/route';
import { disconnectPrisma } from '@/lib/db';
import { seedFixture } from '@/lib/queries/testing/seed';
import { freshDb, type TestDb } from '@/tests/support/db';
import { callRoute as call, callHost } from './testing/call-route';

vi.mock('server-only', () => ({}));

let db: TestDb;
const saved = process.env.DATABASE_URL;

beforeAll(async () => {
  db = await freshDb('sqlite');
  await seedFixture(db.url);
  process.env.DATABASE_URL = db.url;
});

afterAll(async () => {
  await disconnectPrisma(db.url);
  await db.cleanup();
  process.env.DATABASE_URL = saved;
});

describe('good requests', () => {
  test('ports/top defaults to the last complete quarter', async () => {
    const res = await call('ports/top', 'limit=2');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject([
      { proto: 'tcp', port: 445, rank: 1, previousRank: 2 },
      { proto: 'tcp', port: 23, rank: 2, previousRank: 1 },
    ]);
  });

  test('series with split=window', async () => {
    const res = await call(
      'series',
      'from=2020-08-26&to=2020-09-02&metric=sources&port=445/tcp&country=JP&split=window&limit=1',
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.days).toHaveLength(8);
    expect(body.series.map((s: { name: string }) => s.name)).toEqual(['8192', 'other']);
  });

  test('hosts/{ip} and 404 envelope', async () => {
    const ok = await callHost('202.50.30.1');
    expect(ok.status).toBe(200);
    expect((await ok.json()).asOrg).toBe('EXAMPLEBANK-NZ Example Bank');
    const missing = await callHost('192.0.2.77');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { status: 404, code: 'not_found' } });
  });

  test('an unknown endpoint answers the 404 envelope, not the HTML page', async () => {
    for (const [method, url] of [
      ['GET', 'http://localhost/api/v1/search?q=1.2.3.4'],
      ['GET', 'http://localhost/api/v2/ports/top'],
      ['POST', 'http://localhost/api/v1/hosts/192.0.2.1/notes'],
    ] as const) {
      const res = await unknownEndpoint(new NextRequest(url, { method }));
      expect(res.status, url).toBe(404);
      const body = await res.json();
      expect(body).toMatchObject({ error: { status: 404, code: 'not_found' } });
      expect(body.error.message).toContain(`${method} ${new URL(url).pathname}`);
    }
  });

  test('chart.png renders a PNG at 2x with caption space', async () => {
    const res = await call(
      'chart.png',
      'from=2020-07-01&to=2020-09-30&port=445/tcp&width=800&height=300',
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = new Uint8Array(await res.arrayBuffer());
    expect([...png.slice(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    const view = new DataView(png.buffer);
    expect(view.getUint32(16)).toBe(1600); // width at 2x
    expect(view.getUint32(20)).toBe(2 * (300 + 58 + 24)); // height: chart + caption header + footer
    const svg = await call('chart.png', 'from=2020-07-01&to=2020-09-30&format=svg&title=Hello');
    expect(await svg.text()).toContain('Hello');
  });

  test('chart.png draws the view’s anomaly marks: pins, the linked anomaly, the marked day', async () => {
    const period = 'from=2020-08-26&to=2020-09-02';
    const list = (await (await call('anomalies', `${period}&country=NZ`)).json()) as {
      id: string;
      kind: string;
      day: string;
    }[];
    const event = list.find((a) => a.kind === 'backscatter' && a.day === '2020-08-27');
    expect(event).toBeDefined();
    const marked = await call(
      'chart.png',
      `${period}&country=NZ&format=svg&anomalies=1&mark=2020-08-27&anomaly=${event!.id}`,
    );
    expect(marked.status).toBe(200);
    const svg = await marked.text();
    expect(svg).toContain('linked anomaly');
    expect(svg).toContain('DDoS backscatter');
    // without anomalies=1 the same chart has none of it
    const plain = await (await call('chart.png', `${period}&country=NZ&format=svg`)).text();
    expect(plain).not.toContain('linked anomaly');
    expect(plain).not.toContain('DDoS backscatter');
  });
});

describe('bad parameters answer 400 naming the parameter, never 500', () => {
  const cases: [string, string, string][] = [
    ['ports/top', 'from=2020-07-01', 'to'],
    ['ports/top', 'from=2020-02-30&to=2020-03-01', 'from'],
    ['ports/top', 'from=2020-09-01&to=2020-07-01', 'to'],
    ['ports/top', 'limit=-1', 'limit'],
    ['ports/top', 'limit=99999999999', 'limit'],
    ['ports/top', 'country=R', 'country'],
    ['ports/top', 'sensors=nope', 'sensors'],
    ['ports/top', 'bogus=1', 'bogus'],
    ['countries/top', 'port=445/sctp', 'port'],
    ['countries/top', "port=445'; DROP TABLE sensor;--", 'port'],
    ['series', 'metric=bytes', 'metric'],
    ['series', 'split=window&port=53/udp', 'port'],
    ['series', 'split=class&country=NZ', 'country'],
    ['series', 'split=port&ports=1/tcp,2/tcp,x', 'ports'],
    ['series', 'from=0000-01-01&to=9999-12-31', 'from'],
    ['series', 'from=2000-01-01&to=2020-01-01', 'to'],
    ['series', 'per=country', 'per'],
    ['chart.png', 'compare=next', 'compare'],
    ['hosts', 'prefix=1.2.3.4/40', 'prefix'],
    ['hosts', 'asn=ASX', 'asn'],
    ['hosts', 'class=ddos', 'class'],
    ['hosts', `country=${'A'.repeat(5000)}`, 'country'],
    ['asns/top', 'port=0x1bd/tcp', 'port'],
    ['port-share', '', 'country'],
    ['port-share/series', 'country=RU', 'port'],
    ['chart.png', 'width=10', 'width'],
    ['chart.png', 'chart=pie', 'chart'],
    ['chart.png', 'chart=port-share/series&country=RU', 'port'],
    ['chart.png', 'metric=nope', 'metric'],
    ['chart.png', 'anomalies=yes', 'anomalies'],
    ['chart.png', 'mark=2020-09-02..2020-08-26', 'mark'],
    ['chart.png', 'anomaly=1c19', 'anomaly'],
    ['meta', 'x=1', 'x'],
  ];
  test.each(cases)('%s?%s -> 400 (%s)', async (path, qs, parameter) => {
    const res = await call(path, qs);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body).toMatchObject({ error: { status: 400, code: 'bad_parameter', parameter } });
    expect(body.error.message).toContain(`'${parameter}'`);
  });

  test.each(['not-an-ip', '999.1.1.1', '::g', '', '1.2.3.4/24'])(
    'hosts/%s -> 400 (ip)',
    async (ip) => {
      const res = await callHost(ip);
      expect(res.status).toBe(400);
      expect((await res.json()).error.parameter).toBe('ip');
    },
  );

  test('repeated parameters use the first value; encoded junk never crashes', async () => {
    for (const qs of [
      'limit=3&limit=x',
      '%FF=1',
      'from=%00&to=%00',
      'country=%F0%9F%87%B3%F0%9F%87%BF',
    ]) {
      const res = await call('ports/top', qs);
      expect(res.status).toBeLessThan(500);
    }
  });
});
