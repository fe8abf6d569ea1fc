/**
 * API latency: each public endpoint of docs/API.md called `n` times in sequence with
 * varied parameters (periods of 8 days, a month, a quarter and the whole year; ports,
 * countries, hosts from the data), timed from request to the last byte of the body.
 */
import { addDays, type Period } from '@/lib/api/period';
import { percentile } from './stats';

export interface Sample {
  url: string;
  ms: number;
  status: number;
  bytes: number;
  /** 'window' (8 days), 'month', 'quarter', 'year' or 'none'. */
  span: string;
}

export interface EndpointResult {
  name: string;
  samples: Sample[];
  p50: number;
  p95: number;
  max: number;
  /** Responses other than 200, but a host's 404 for a period it was not seen in. */
  errors: number;
  /** hosts/{ip} with a period the host has no rows in: 404 by the API's contract. */
  notSeen: number;
  /** The first request of the endpoint (route module load, caches), not in the figures. */
  warmupMs: number;
}

export interface Catalogue {
  /** Every view's period choices. */
  periods: { span: string; period: Period }[];
  ports: string[];
  tcpPorts: string[];
  countries: string[];
  ips: string[];
  asns: number[];
}

/** Periods of the data's year: 4 quarters, 12 months, 8-day windows, the year. */
export function periodsOf(first: string, last: string): { span: string; period: Period }[] {
  const out: { span: string; period: Period }[] = [];
  const year = first.slice(0, 4);
  const monthStart = (m: number) =>
    m > 12 ? `${Number(year) + 1}-01-01` : `${year}-${String(m).padStart(2, '0')}-01`;
  for (let q = 0; q < 4; q++) {
    const period = { from: monthStart(q * 3 + 1), to: addDays(monthStart(q * 3 + 4), -1) };
    out.push({ span: 'quarter', period });
  }
  for (let m = 1; m <= 12; m++) {
    out.push({
      span: 'month',
      period: { from: monthStart(m), to: addDays(monthStart(m + 1), -1) },
    });
  }
  for (let d = 40; d < 360; d += 37) {
    const from = addDays(first, d);
    out.push({ span: 'window', period: { from, to: addDays(from, 7) } });
  }
  out.push({ span: 'year', period: { from: first, to: last } });
  return out.filter((p) => p.period.from >= first && p.period.to <= last);
}

/** The i-th period of a mix: 40% quarters, 30% months, 20% 8-day windows, 10% the year. */
export function pickPeriod(c: Catalogue, i: number): { span: string; period: Period } {
  const bySpan = (s: string) => c.periods.filter((p) => p.span === s);
  const slot = i % 10;
  const span = slot < 4 ? 'quarter' : slot < 7 ? 'month' : slot < 9 ? 'window' : 'year';
  const list = bySpan(span).length ? bySpan(span) : c.periods;
  return list[Math.floor(i / 10 + i * 7) % list.length]!;
}

function qs(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q.toString();
}

export type UrlMaker = (i: number) => { path: string; span: string };

/** The endpoints and how the i-th request of each varies. */
export function endpointMix(c: Catalogue, withAnomalies = true): { name: string; url: UrlMaker }[] {
  const period = (i: number) => pickPeriod(c, i);
  const port = (i: number) => c.ports[(i * 3) % c.ports.length]!;
  const tcp = (i: number) => c.tcpPorts[(i * 5) % c.tcpPorts.length]!;
  const country = (i: number) => c.countries[(i * 7) % c.countries.length]!;
  const p = (i: number) => period(i).period;
  const make =
    (f: (i: number) => Record<string, string | number | undefined>, path: string): UrlMaker =>
    (i) => ({ path: `/api/v1/${path}?${qs({ ...p(i), ...f(i) })}`, span: period(i).span });
  const mix: { name: string; url: UrlMaker }[] = [
    {
      name: 'ports/top',
      url: make(
        (i) => ({ limit: i % 2 ? 25 : 10, country: i % 3 === 2 ? country(i) : undefined }),
        'ports/top',
      ),
    },
    {
      name: 'countries/top',
      url: make(
        (i) => ({ limit: i % 2 ? 250 : 10, port: i % 3 === 2 ? port(i) : undefined }),
        'countries/top',
      ),
    },
    {
      name: 'series',
      url: make(
        (i) => ({
          metric: i % 2 ? 'sources' : 'packets',
          port: i % 3 === 1 ? port(i) : undefined,
          country: i % 3 === 2 ? country(i) : undefined,
        }),
        'series',
      ),
    },
    {
      name: 'series split=window',
      url: make(
        (i) => ({
          metric: 'sources',
          split: 'window',
          port: tcp(i),
          country: i % 2 ? country(i) : undefined,
          limit: 1 + (i % 3),
        }),
        'series',
      ),
    },
    {
      name: 'series split=port',
      url: make((i) => ({ split: 'port', limit: 5 + (i % 2) * 5 }), 'series'),
    },
    {
      name: 'hosts',
      url: make((i) => {
        // The slice by i / 2, not i: the year is every 10th request, at odd i, and every
        // host over the year is the Hosts view's first question. Both the Hosts view's
        // default limit (50) and the country view's (25).
        const slice = Math.floor(i / 2) % 4;
        return {
          limit: Math.floor(i / 8) % 2 ? 50 : 25,
          country: slice === 1 ? country(i) : undefined,
          port: slice === 2 ? port(i) : undefined,
          asn: slice === 3 ? c.asns[i % c.asns.length] : undefined,
        };
      }, 'hosts'),
    },
    {
      name: 'hosts/{ip}',
      url: (i) => {
        const ip = encodeURIComponent(c.ips[i % c.ips.length]!);
        if (i % 3 === 0) return { path: `/api/v1/hosts/${ip}`, span: 'none' };
        return { path: `/api/v1/hosts/${ip}?${qs({ ...p(i) })}`, span: period(i).span };
      },
    },
    {
      name: 'totals',
      url: make(() => ({}), 'totals'),
    },
    {
      name: 'anomalies',
      url: make(
        (i) => ({
          country: i % 3 === 1 ? country(i) : undefined,
          port: i % 3 === 2 ? port(i) : undefined,
          kind: i % 5 === 4 ? 'backscatter,spike' : undefined,
        }),
        'anomalies',
      ),
    },
    {
      name: 'chart.png',
      url: make(
        (i) => ({
          metric: i % 2 ? 'sources' : 'packets',
          port: i % 2 ? tcp(i) : undefined,
          split: i % 2 ? 'window' : undefined,
          anomalies: withAnomalies && i % 4 === 0 ? '1' : undefined,
        }),
        'chart.png',
      ),
    },
  ];
  return withAnomalies ? mix : mix.filter((e) => e.name !== 'anomalies');
}

export async function timeRequest(base: string, path: string, span: string): Promise<Sample> {
  const t = performance.now();
  const res = await fetch(`${base}${path}`);
  const body = new Uint8Array(await res.arrayBuffer());
  return { url: path, ms: performance.now() - t, status: res.status, bytes: body.length, span };
}

/** A host asked for over a period it has no rows in (the catalogue's hosts are the default period's). */
function notSeen(endpoint: string, s: Sample): boolean {
  return endpoint === 'hosts/{ip}' && s.status === 404 && s.url.includes('?');
}

/**
 * Runs `n` sequential requests per endpoint (after one warm-up request each): the mix's
 * requests `first` to `first + n - 1`, so that a second run can ask questions the first
 * did not (a server whose page cache holds only what was asked before is not warm for
 * new ones).
 */
export async function measureApi(
  base: string,
  c: Catalogue,
  n: number,
  log: (line: string) => void,
  withAnomalies = true,
  first = 0,
): Promise<EndpointResult[]> {
  const out: EndpointResult[] = [];
  for (const ep of endpointMix(c, withAnomalies)) {
    const warm = ep.url(first + n + 1);
    const warmup = await timeRequest(base, warm.path, warm.span);
    const samples: Sample[] = [];
    for (let i = first; i < first + n; i++) {
      const u = ep.url(i);
      samples.push(await timeRequest(base, u.path, u.span));
    }
    const times = samples.map((s) => s.ms);
    const r: EndpointResult = {
      name: ep.name,
      samples,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      max: Math.max(...times),
      errors: samples.filter((s) => s.status !== 200 && !notSeen(ep.name, s)).length,
      notSeen: samples.filter((s) => notSeen(ep.name, s)).length,
      warmupMs: warmup.ms,
    };
    log(
      `api ${ep.name}: p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms, max ${r.max.toFixed(0)} ms, ${r.errors} errors${r.notSeen ? ` (and ${r.notSeen} hosts not seen in the period asked: 404)` : ''}`,
    );
    for (const s of samples) if (s.status !== 200) log(`  HTTP ${s.status}: ${s.url}`);
    out.push(r);
  }
  return out;
}
