/**
 * The quality bar, through the HTTP handlers: the 2020-q3 scenario at test scale
 * (2020-Q3 plus two weeks of history) is generated, ingested through the real pipeline
 * into a SQLite file, and the anomaly API must find
 * - the three New Zealand backscatter days, each its own event with the right victim
 *   addresses and organisation, and the fixed TCP window and sequence number of the
 *   victims' SYN-ACKs to 443/TCP,
 * - the window-8192 growth on 445/TCP from Japan,
 * - and a top 20 for the quarter without noise (see docs/ANOMALIES.md for the criteria).
 * scenario.json's named hosts are used only to check the answers.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { POST as review } from '@/app/api/v1/anomalies/[id]/review/route';
import { GET as getOne } from '@/app/api/v1/anomalies/[id]/route';
import { GET as list } from '@/app/api/v1/anomalies/route';
import { loadGeoDb } from '@/ingest/enrich/geo-db';
import { collectInputs } from '@/ingest/pipeline/collect-inputs';
import { ingestFile } from '@/ingest/pipeline/ingest-file';
import { simulate } from '@/ingest/simulate/simulate-command';
import { openStore } from '@/ingest/store';
import { disconnectPrisma, getPrisma } from '@/lib/db';
import { parseState } from '@/lib/url-state/codec';
import { countryDetailState } from '@/lib/url-state/views';
import { freshDb, type TestDb } from '@/tests/support/db';
import { detectDays } from './run';
import type { StoredAnomaly } from './types';

vi.mock('server-only', () => ({}));

const root = mkdtempSync(path.join(tmpdir(), 'scanline-anomalies-'));
const captures = path.join(root, 'captures');
const Q3 = 'from=2020-07-01&to=2020-09-30';
let db: TestDb;
const saved = process.env.DATABASE_URL;

interface NamedHosts {
  pool: string;
  asns: { asn: number; org: string }[];
  addresses: string[];
  populations: string[];
}

interface ScenarioPopulation {
  name: string;
  active?: { days?: string[] };
  shape: { window?: unknown; seq?: unknown };
}

interface ScenarioManifest {
  namedHosts: NamedHosts[];
  scenario: { populations: ScenarioPopulation[] };
  sensors: { name: string; addresses: number }[];
}

beforeAll(async () => {
  const geo = loadGeoDb();
  await simulate({
    scenario: '2020-q3',
    scale: 'test',
    from: '2020-06-17',
    to: '2020-09-30',
    outDir: captures,
    geo,
  });
  db = await freshDb('sqlite');
  const store = await openStore(db.url);
  try {
    const ids = new Map<string, number>();
    for (const input of await collectInputs([captures], undefined)) {
      let id = ids.get(input.sensor);
      if (id === undefined) {
        id = await store.ensureSensor(input.sensor);
        ids.set(input.sensor, id);
      }
      await ingestFile(store, geo, input.path, input.sensor, id);
    }
  } finally {
    await store.close();
  }
  process.env.DATABASE_URL = db.url;
}, 240_000);

afterAll(async () => {
  await disconnectPrisma(db.url);
  await db.cleanup();
  process.env.DATABASE_URL = saved;
  rmSync(root, { recursive: true, force: true });
});

async function get(qs: string): Promise<{ status: number; body: unknown }> {
  const res = await list(new NextRequest(`http://localhost/api/v1/anomalies${qs ? `?${qs}` : ''}`));
  return { status: res.status, body: await res.json() };
}

async function anomalies(qs: string): Promise<StoredAnomaly[]> {
  const r = await get(qs);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as StoredAnomaly[];
}

function manifest(): ScenarioManifest {
  return JSON.parse(readFileSync(path.join(captures, 'scenario.json'), 'utf8'));
}

function namedHosts(): NamedHosts[] {
  return manifest().namedHosts;
}

/** The fixed window and sequence number a victim pool's populations sent on a day. */
function fixedShape(pool: NamedHosts, day: string): { window: number; seq: number } {
  const found = manifest().scenario.populations.filter(
    (p) =>
      pool.populations.includes(p.name) &&
      p.active?.days?.includes(day) &&
      typeof p.shape.seq === 'object' &&
      p.shape.seq !== null,
  );
  expect(found.map((p) => p.name)).toHaveLength(1);
  const shape = found[0]!.shape as { window: number; seq: { fixed: number } };
  return { window: shape.window, seq: shape.seq.fixed };
}

describe('anomalies API on the 2020-q3 scenario (test scale)', () => {
  test('the three New Zealand DDoS backscatter days, one event each', async () => {
    const events = await anomalies(`${Q3}&kind=backscatter&country=NZ`);
    expect(events.map((e) => e.day).sort()).toEqual(['2020-08-27', '2020-08-30', '2020-08-31']);
    const [nzx, bank] = namedHosts();
    const expected: Record<
      string,
      { asn: number; org: string; victims: string[]; fixed: { window: number; seq: number } }
    > = {
      '2020-08-27': {
        asn: 137052,
        org: 'NZX Limited',
        victims: nzx!.addresses,
        fixed: fixedShape(nzx!, '2020-08-27'),
      },
      '2020-08-30': {
        asn: 137052,
        org: 'NZX Limited',
        victims: [nzx!.addresses[0]!],
        fixed: fixedShape(nzx!, '2020-08-30'),
      },
      '2020-08-31': {
        asn: 139656,
        org: 'ANZ BANK NEW ZEALAND LIMITED',
        victims: bank!.addresses,
        fixed: fixedShape(bank!, '2020-08-31'),
      },
    };
    const telescope = manifest().sensors.reduce((a, x) => a + x.addresses, 0);
    for (const e of events) {
      const want = expected[e.day]!;
      const bs = e.details.backscatter!;
      expect(e.kind).toBe('backscatter');
      expect([e.dimension, e.key, e.asn]).toEqual(['asn', `AS${want.asn}`, want.asn]);
      expect(bs.asOrg).toBe(want.org);
      expect(bs.victims).toHaveLength(want.victims.length);
      expect(bs.victims.map((v) => v.ip).sort()).toEqual([...want.victims].sort());
      // SYN-ACK backscatter to 443/TCP (and 23/TCP), one fixed window per victim AS.
      expect(bs.ports[0]!.port).toBe('443/tcp');
      expect(bs.ports.map((p) => p.port)).toContain('23/tcp');
      expect(bs.types.synAck).toBe(bs.packets);
      expect(bs.fixedWindow).toBe(true);
      expect(bs.windows).toEqual([{ window: want.fixed.window, hosts: want.victims.length }]);
      // Most of each victim's SYN-ACKs (those to 443/TCP) carry one fixed sequence number:
      // every sensor's row of every victim voted it.
      expect(bs.victims.map((v) => v.seq)).toEqual(bs.victims.map(() => want.fixed.seq));
      expect(bs.seqs).toEqual([{ seq: want.fixed.seq, hosts: want.victims.length }]);
      expect(bs.fixedSeq).toBe(true);
      // No sensor has prefixes: the telescope's size is estimated from the scanners' sweeps.
      expect([bs.telescopeSource, bs.telescopeAddresses]).toEqual(['estimated', telescope]);
      expect(bs.estimatedAttackRate).toBeGreaterThan(bs.observedRate * 1e6);
      const n = want.victims.length;
      expect(e.summary).toMatch(
        new RegExp(
          `^New Zealand: \\d+x its baseline on ${e.day}, SYN-ACK backscatter to 443/TCP and 23/TCP from ${n} address${n === 1 ? '' : 'es'} of AS${want.asn} ${want.org}, fixed TCP window ${want.fixed.window} and sequence number ${want.fixed.seq}; attack ~`,
        ),
      );
      // The link opens the dashboard's country view on the 8-day window, hosts in view.
      const [pathPart, rest] = e.link.split('?') as [string, string];
      expect(pathPart).toBe('/countries/NZ');
      const qs = new URLSearchParams(rest.split('#')[0]);
      const state = parseState(countryDetailState, (k) => qs.get(k));
      expect(state.from! <= e.day && e.day <= state.to!).toBe(true);
      expect(qs.get('mark')).toBe(e.day);
      expect(qs.get('anomaly')).toBe(e.id);
      expect(e.link.endsWith('#country-hosts-title')).toBe(true);
    }
    const first = events.find((e) => e.day === '2020-08-27')!;
    expect(first.link).toBe(
      `/countries/NZ?from=2020-08-26&to=2020-09-02&mark=2020-08-27&anomaly=${first.id}#country-hosts-title`,
    );
    // The country's own spike is folded into the event, not listed again.
    const nz = await anomalies(`${Q3}&country=NZ`);
    expect(
      nz.filter((a) => ['2020-08-27', '2020-08-30', '2020-08-31'].includes(a.day)),
    ).toHaveLength(3);
  });

  test('the window-8192 growth on 445/TCP from Japan', async () => {
    const growth = await anomalies(`${Q3}&kind=campaign-growth&country=JP&port=445/tcp`);
    const jp = growth.find((g) => g.key === 'JP 445/tcp window 8192');
    expect(jp, JSON.stringify(growth.map((g) => g.summary))).toBeDefined();
    expect(jp!.details.growth!.growth).toBeGreaterThanOrEqual(1.5);
    expect(jp!.details.growth!.restGrowth).toBeLessThan(1.25);
    expect(jp!.summary).toMatch(/^Japan → 445\/TCP, TCP window 8192: distinct hosts grew/);
    expect(jp!.link).toMatch(
      /^\/countries\/JP\?from=2020-07-01&to=2020-09-30&.*port=445%2Ftcp.*#chart-country-windows$/,
    );
  });

  test('the top 20 of the quarter: severe, distinct, explained (no noise)', async () => {
    const top = await anomalies(`${Q3}&limit=20`);
    expect(top).toHaveLength(20);
    for (let i = 1; i < top.length; i++)
      expect(top[i - 1]!.severity).toBeGreaterThanOrEqual(top[i]!.severity);
    const keys = top.map((a) => `${a.kind}|${a.dimension}|${a.key}|${a.day}`);
    expect(new Set(keys).size).toBe(20);
    for (const a of top) {
      // Not a single host's busy day; enough volume; a sentence and a link for each.
      expect(a.summary).not.toMatch(/single host/);
      expect(a.severity).toBeGreaterThanOrEqual(20);
      expect(a.summary.length).toBeGreaterThan(20);
      expect(a.link).toMatch(/^\/[a-z]/);
      // Daily findings stand well clear of their baseline.
      if (a.kind === 'spike') expect(a.observed).toBeGreaterThanOrEqual(2 * a.baseline);
      // The same burst is never listed twice (country, country x port, AS...).
      if (a.kind === 'spike' || a.kind === 'backscatter') {
        const sameDay = top.filter(
          (b) =>
            b !== a &&
            (b.kind === 'spike' || b.kind === 'backscatter') &&
            b.day === a.day &&
            b.country !== null &&
            b.country === a.country,
        );
        expect(sameDay.map((b) => b.summary)).toEqual([]);
      }
    }
    const days = top
      .filter((a) => a.kind === 'backscatter' && a.country === 'NZ')
      .map((a) => a.day);
    expect(days.sort()).toEqual(['2020-08-27', '2020-08-30', '2020-08-31']);
    expect(top.some((a) => a.key === 'JP 445/tcp window 8192')).toBe(true);
  });

  test('review state is stored and survives re-detection', async () => {
    const [event] = await anomalies(`${Q3}&kind=backscatter&country=NZ&limit=1`);
    const id = event!.id;
    const post = (body: unknown) =>
      review(
        new NextRequest(`http://localhost/api/v1/anomalies/${id}/review`, {
          method: 'POST',
          body: JSON.stringify(body),
        }),
        { params: Promise.resolve({ id }) },
      );
    const res = await post({ note: 'NZX contacted via NCSC' });
    expect(res.status).toBe(200);
    const reviewed = (await res.json()) as StoredAnomaly;
    expect([reviewed.reviewed, reviewed.note]).toEqual([true, 'NZX contacted via NCSC']);
    expect(reviewed.reviewedAt).toMatch(/Z$/);

    await detectDays(getPrisma(db.url), { from: event!.day, to: event!.day });
    const again = await getOne(new NextRequest(`http://localhost/api/v1/anomalies/${id}`), {
      params: Promise.resolve({ id }),
    });
    const after = (await again.json()) as StoredAnomaly;
    expect([after.reviewed, after.note, after.summary]).toEqual([
      true,
      'NZX contacted via NCSC',
      event!.summary,
    ]);
    expect((await anomalies(`${Q3}&reviewed=true`)).map((a) => a.id)).toEqual([id]);

    const bad = await post({ reviewed: 'yes' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { parameter: string } }).error.parameter).toBe(
      'reviewed',
    );
    const missing = await review(
      new NextRequest('http://localhost/api/v1/anomalies/0000000000000000/review', {
        method: 'POST',
      }),
      { params: Promise.resolve({ id: '0000000000000000' }) },
    );
    expect(missing.status).toBe(404);
  });

  test('bad parameters are a 400 naming the parameter', async () => {
    for (const [qs, parameter] of [
      ['from=2020-07-01', 'to'],
      [`${Q3}&kind=noise`, 'kind'],
      [`${Q3}&port=443`, 'port'],
      [`${Q3}&country=NZL`, 'country'],
      [`${Q3}&limit=0`, 'limit'],
      [`${Q3}&sensors=tyo1`, 'sensors'],
    ] as const) {
      const r = await get(qs);
      expect(r.status, qs).toBe(400);
      expect((r.body as { error: { parameter: string } }).error.parameter).toBe(parameter);
    }
  });
});
