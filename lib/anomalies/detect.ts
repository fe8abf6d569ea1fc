/**
 * The detectors over the database: daily detections (spikes, level shifts, backscatter
 * events) for a range of days, and period detections (campaign growth, rank moves) for
 * one period. The pure parts live in series-detector, backscatter, growth, rank-moves
 * and correlate; this module loads their inputs and shapes anomalies.
 */
import { addDays, dayCount, daysOf, type Period, previousPeriod } from '../api/period';
import { countryName } from '../charts/countries';
import { detectBackscatter } from './backscatter';
import { type CorrelationNode, correlate } from './correlate';
import { earlierDay, laterDay } from './days';
import { detectGrowth, periodWeeks, weekIndexer } from './growth';
import { anomalyId } from './id';
import {
  backscatterHostsLink,
  eventWindow,
  growthLink,
  href,
  markParam,
  rankLink,
  seriesLink,
  shiftWindow,
} from './links';
import {
  type Db,
  type KeyedSeries,
  loadAsnDay,
  loadAsnSeries,
  loadBackscatterByAsn,
  loadBackscatterHosts,
  loadExtent,
  loadGrowthCandidates,
  loadRanking,
  loadTableSeries,
  loadTotals,
  telescopeSize,
} from './load';
import { BACKSCATTER_PARAMS, GROWTH_PARAMS, RANK_PARAMS, SERIES_PARAMS } from './params';
import { detectRankMoves } from './rank-moves';
import { detectSeries, evaluateDay, evaluateShift, type SeriesInput } from './series-detector';
import { growthSeverity, rankSeverity, seriesSeverity } from './severity';
import {
  backscatterSentence,
  growthSentence,
  portText,
  rankSentence,
  ratioText,
  shiftSentence,
  spikeSentence,
  subjectText,
} from './summary';
import type { Anomaly, AnomalyMetric } from './types';

export interface DetectOptions {
  /** Monitored IPv4 addresses, for the backscatter rate estimate (else found from the data). */
  telescopeAddresses?: number;
}

const METRICS: AnomalyMetric[] = ['packets', 'sources'];

/** A packets finding whose distinct sources rose by less than this is one host's doing... */
const MIN_SOURCE_EXCESS = 2;
/** ...and its severity is multiplied by this. */
const ONE_HOST_FACTOR = 0.25;

function dayDiff(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Days of history the daily detectors read before the first day they score. */
export const HISTORY_DAYS = Math.max(
  SERIES_PARAMS.profileDays,
  SERIES_PARAMS.baselineDays,
  BACKSCATTER_PARAMS.baselineDays,
);

/** The longest outage after a detection range that a level shift's days are read across. */
export const OUTAGE_BRIDGE_DAYS = 28;

/** Spikes, level shifts and backscatter events on the days of `range`. */
export async function detectDaily(
  db: Db,
  range: Period,
  opts: DetectOptions = {},
): Promise<Anomaly[]> {
  const extent = await loadExtent(db);
  if (!extent) return [];
  const from = laterDay(range.from, extent.from);
  const to = earlierDay(range.to, extent.to);
  if (from > to) return [];
  const P = SERIES_PARAMS;
  const start = addDays(from, -HISTORY_DAYS);
  // A level shift on `to` is the median of the shift days with data from it: past an
  // outage after `to`, they are further than shiftDays calendar days (up to a bound: a
  // sensor clock that jumped puts decades between two days).
  const furthest = earlierDay(addDays(to, P.shiftDays - 1 + OUTAGE_BRIDGE_DAYS), extent.to);
  const totalsToEnd = await loadTotals(db, start, furthest);
  const after = [...totalsToEnd.keys()].filter((d) => d > to).sort();
  const end = after[P.shiftDays - 2] ?? furthest;
  const totals = new Map([...totalsToEnd].filter(([d]) => d <= end));
  const days = daysOf({ from: start, to: end });
  const inRange = days.filter((d) => d >= from && d <= to && totals.has(d));
  if (inRange.length === 0) return [];
  const minTotal = (m: AnomalyMetric) => Math.min(...inRange.map((d) => totals.get(d)![m]));
  const loadArgs = {
    start,
    from,
    to,
    end,
    // Integers: PostgreSQL compares them with BIGINT columns.
    minPackets: Math.ceil(Math.max(P.minExcessPackets, P.minExcessShare * minTotal('packets'))),
    minSources: Math.ceil(Math.max(P.minExcessSources, P.minExcessShare * minTotal('sources'))),
  };
  const series: KeyedSeries[] = [
    ...(await loadTableSeries(db, 'port', loadArgs)),
    ...(await loadTableSeries(db, 'country', loadArgs)),
    ...(await loadTableSeries(db, 'country-port', loadArgs)),
    ...(await loadAsnSeries(db, loadArgs)),
  ];

  const nodes: CorrelationNode[] = [];
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  for (const s of series) {
    const inputs = {} as Record<AnomalyMetric, SeriesInput>;
    for (const metric of METRICS) {
      const values = metric === 'packets' ? s.packets : s.sources;
      inputs[metric] = {
        days,
        values: days.map((d) => (totals.has(d) ? (values.get(d) ?? 0) : null)),
        totals: days.map((d) => totals.get(d)?.[metric] ?? 0),
        metric,
      };
    }
    const found = new Map<string, CorrelationNode>();
    for (const metric of METRICS) {
      for (const f of detectSeries(inputs[metric], { from, to }, P)) {
        const t = dayIndex.get(f.day)!;
        const otherMetric: AnomalyMetric = metric === 'packets' ? 'sources' : 'packets';
        const other =
          f.kind === 'spike'
            ? evaluateDay(inputs[otherMetric], t, P)
            : evaluateShift(inputs[otherMetric], t, P);
        const excess = { packets: 0, sources: 0 };
        excess[metric] = f.excess;
        if (other) excess[otherMetric] = other.observed - other.baseline;
        const ratio = f.ratio >= 1 ? f.ratio : 1 / Math.max(f.ratio, 1e-9);
        // A packets burst that added no second source is one host's busy day.
        const oneHost = metric === 'packets' && excess.sources < MIN_SOURCE_EXCESS;
        const node: CorrelationNode = {
          kind: f.kind,
          day: f.day,
          dimension: s.dimension,
          key: s.key,
          country: s.country,
          port: s.port !== null && s.proto ? `${s.port}/${s.proto}` : null,
          asn: s.asn,
          asOrg: s.label,
          metric,
          observed: f.observed,
          baseline: f.baseline,
          score: f.score,
          ratio: f.ratio,
          share: f.share,
          excessPackets: excess.packets,
          excessSources: excess.sources,
          severity: seriesSeverity(ratio, f.share) * (oneHost ? ONE_HOST_FACTOR : 1),
          oneHost,
          other: other
            ? {
                metric: otherMetric,
                observed: other.observed,
                baseline: other.baseline,
                score: other.score,
              }
            : undefined,
        };
        // One finding per kind and day (level shifts: within a few days) across metrics.
        const k =
          f.kind === 'spike'
            ? `spike|${f.day}`
            : ([...found.keys()].find(
                (x) => x.startsWith('level-shift|') && Math.abs(dayDiff(x.slice(12), f.day)) <= 3,
              ) ?? `level-shift|${f.day}`);
        const prev = found.get(k);
        if (!prev) found.set(k, node);
        else if (node.severity > prev.severity) {
          node.other = {
            metric: prev.metric,
            observed: prev.observed,
            baseline: prev.baseline,
            score: prev.score,
          };
          found.set(k, node);
        }
      }
    }
    nodes.push(...found.values());
  }

  // AS spikes: their country, organisation and ports that day (for correlation and text).
  for (const n of nodes) {
    if (n.dimension !== 'asn' || n.asn === null) continue;
    const info = await loadAsnDay(db, n.day, n.asn);
    n.country = info.country;
    n.asOrg = info.asOrg || n.asOrg;
    n.asPorts = info.ports;
  }

  // Backscatter events.
  const B = BACKSCATTER_PARAMS;
  const bsStart = addDays(from, -B.baselineDays);
  const bs = await loadBackscatterByAsn(db, bsStart, to);
  const telescope = await telescopeSize(db, start, to, opts.telescopeAddresses);
  for (const day of inRange) {
    const dayPackets = totals.get(day)!.packets;
    const need = Math.max(B.minPackets, B.minShare * dayPackets);
    for (const [asn, packets] of bs.get(day) ?? []) {
      if (packets < need || asn === 0) continue;
      const history = daysOf({ from: addDays(day, -B.baselineDays), to: addDays(day, -1) })
        .filter((d) => totals.has(d))
        .map((d) => bs.get(d)?.get(asn) ?? 0);
      const rows = await loadBackscatterHosts(db, day, asn);
      const ev = detectBackscatter(
        {
          day,
          asn,
          rows,
          history,
          dayPackets,
          telescope: { addresses: telescope.addresses, source: telescope.source },
        },
        B,
      );
      if (!ev) continue;
      nodes.push({
        kind: 'backscatter',
        day,
        dimension: 'asn',
        key: `AS${asn}`,
        country: ev.country,
        port: ev.details.ports[0]?.port ?? null,
        asn,
        asOrg: ev.asOrg,
        metric: 'packets',
        observed: ev.packets,
        baseline: ev.baseline,
        score: ev.score,
        ratio: ev.ratio,
        share: ev.share,
        excessPackets: ev.packets - ev.baseline,
        excessSources: ev.details.victims.length,
        severity: seriesSeverity(ev.ratio, ev.share),
        event: ev,
        asPorts: new Map(ev.details.ports.map((p) => [p.port, p.packets])),
      });
    }
  }

  return correlate(nodes).map((g) => toAnomaly(g.root, g.members, extent));
}

/** A view window clipped to the days with data (a chart past the data shows a false drop). */
function within(w: Period, extent: Period): Period {
  const from = laterDay(w.from, extent.from);
  const to = earlierDay(w.to, extent.to);
  return from <= to ? { from, to } : w;
}

function toAnomaly(root: CorrelationNode, members: CorrelationNode[], extent: Period): Anomaly {
  // A group is as severe as its most severe finding (a backscatter event, as its
  // country's spike); a single host's burst stays as low as its own severity.
  const severity = root.oneHost
    ? root.severity
    : Math.max(root.severity, ...members.filter((m) => !m.oneHost).map((m) => m.severity));
  const related = members.map((m) => ({
    kind: m.kind,
    dimension: m.dimension,
    key: m.key,
    metric: m.metric,
    observed: m.observed,
    baseline: m.baseline,
    score: m.score,
  }));
  const id = anomalyId(root.kind, root.day, root.day, root.dimension, root.key);
  const base = {
    id,
    kind: root.kind,
    day: root.day,
    periodFrom: root.day,
    dimension: root.dimension,
    key: root.key,
    metric: root.metric,
    country: root.country,
    proto: root.port ? (root.port.split('/')[1] ?? null) : null,
    port: root.port ? Number(root.port.split('/')[0]) : null,
    asn: root.asn,
    score: round(root.score, 2),
    severity: round(severity, 1),
    observed: round(root.observed, 1),
    baseline: round(root.baseline, 1),
  };
  if (root.kind === 'backscatter' && root.event) {
    const ev = root.event;
    const countrySpike =
      members.find(
        (m) => m.dimension === 'country' && m.kind === 'spike' && m.metric === 'packets',
      ) ?? members.find((m) => m.dimension === 'country' && m.kind === 'spike');
    const window = within(eventWindow(root.day), extent);
    const link = href(
      seriesLink({
        id,
        dimension: 'country',
        country: ev.country,
        port: null,
        asn: ev.asn,
        metric: 'packets',
        window,
        mark: root.day,
        hosts: true,
      }),
    );
    return {
      ...base,
      summary: backscatterSentence({
        details: ev.details,
        day: root.day,
        countrySpike: countrySpike ? { ratio: countrySpike.ratio } : undefined,
      }),
      link,
      details: {
        ratio: round(root.ratio, 2),
        related,
        backscatter: ev.details,
        mark: window,
        links: [
          { label: 'victim hosts', href: href(backscatterHostsLink(root.day, ev.country, ev.asn)) },
        ],
      },
    };
  }
  const subject = subjectText({
    dimension: root.dimension,
    key: root.key,
    country: root.country,
    port: root.port,
    asn: root.asn,
    asOrg: root.asOrg,
  });
  const detail =
    [root.oneHost ? 'from a single host' : undefined, mostlyText(root, members)]
      .filter(Boolean)
      .join(', ') || undefined;
  const shift = root.kind === 'level-shift';
  const window = within(
    shift
      ? shiftWindow(root.day)
      : root.lastDay
        ? { from: eventWindow(root.day).from, to: laterDay(eventWindow(root.day).to, root.lastDay) }
        : eventWindow(root.day),
    extent,
  );
  const link = href(
    seriesLink({
      id,
      dimension: root.dimension as 'port' | 'country' | 'country-port' | 'asn',
      country: root.country,
      port: root.port,
      asn: root.asn,
      metric: root.metric,
      window,
      mark: shift ? markParam(root.day, window.to) : markParam(root.day, root.lastDay ?? root.day),
    }),
  );
  const summary = shift
    ? shiftSentence({
        subject,
        day: root.day,
        observed: root.observed,
        baseline: root.baseline,
        metric: root.metric,
        detail,
      })
    : spikeSentence({
        subject,
        day: root.day,
        ratio: root.ratio,
        observed: root.observed,
        baseline: root.baseline,
        metric: root.metric,
        detail,
        lastDay: root.lastDay,
      });
  return {
    ...base,
    summary,
    link,
    details: {
      ratio: round(root.ratio, 2),
      related,
      other: root.other,
      mark: window,
    },
  };
}

/** 'mostly 445/TCP' for a country or AS whose excess went mainly to one port. */
function mostlyText(root: CorrelationNode, members: CorrelationNode[]): string | undefined {
  if (root.dimension === 'asn' && root.asPorts && root.asPorts.size > 0) {
    const total = [...root.asPorts.values()].reduce((a, b) => a + b, 0);
    const [port, n] = [...root.asPorts].sort((a, b) => b[1] - a[1])[0]!;
    if (n >= 0.5 * total) return `mostly ${portText(port)}`;
    return undefined;
  }
  if (root.dimension === 'country') {
    const cp = members
      .filter((m) => m.dimension === 'country-port' && m.port)
      .sort((a, b) => b.excessPackets - a.excessPackets)[0];
    if (cp?.port) return `mostly ${portText(cp.port)}`;
  }
  if (root.dimension === 'country-port' || root.dimension === 'port') {
    const c = members.find((m) => m.dimension === 'country' || m.dimension === 'port');
    if (c) {
      const s = subjectText({ ...c, asOrg: c.asOrg });
      return c.ratio >= 1 ? `${s} overall ${ratioText(c.ratio)}` : undefined;
    }
  }
  return undefined;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Campaign growth and rank moves of one period (empty for periods too short for them). */
export async function detectPeriod(db: Db, period: Period): Promise<Anomaly[]> {
  const out: Anomaly[] = [];
  const n = dayCount(period);
  const G = GROWTH_PARAMS;
  if (n >= G.minPeriodDays) {
    const weeks = periodWeeks(period);
    const cands = await loadGrowthCandidates(
      db,
      {
        from: weeks[0]!.from,
        to: period.to,
        weekOf: weekIndexer(weeks),
        minHostDays: G.minExtraHosts * 7,
        maxCandidates: 50,
      },
      weeks.length,
    );
    const growths: Anomaly[] = [];
    for (const c of cands) {
      const g = detectGrowth({ hosts: c.hosts, rest: c.rest }, G);
      if (!g) continue;
      const id = anomalyId('campaign-growth', period.from, period.to, c.dimension, c.key);
      const port = `${c.port}/${c.proto}`;
      const what =
        c.window !== null ? `TCP window ${c.window}` : `fingerprint ${c.tag?.replace(/^fp:/, '')}`;
      const subject = `${c.country ? `${countryName(c.country)} → ` : ''}${portText(port)}, ${what}`;
      const portWeekly = (g.end + g.restEnd + g.start + g.restStart) / 2;
      growths.push({
        id,
        kind: 'campaign-growth',
        day: period.to,
        periodFrom: period.from,
        dimension: c.dimension,
        key: c.key,
        metric: 'sources',
        country: c.country,
        proto: c.proto,
        port: c.port,
        asn: null,
        score: round(g.score, 2),
        severity: round(
          growthSeverity(g.growth, g.restGrowth, (g.end - g.start) / Math.max(portWeekly, 1)),
          1,
        ),
        observed: round(g.end, 1),
        baseline: round(g.start, 1),
        summary: growthSentence({
          subject,
          start: g.start,
          end: g.end,
          growth: g.growth,
          restGrowth: g.restGrowth,
          restLabel: c.restLabel,
        }),
        link: href(
          growthLink({ id, period, country: c.country, port, fingerprint: c.window === null }),
        ),
        details: {
          ratio: round(g.growth, 2),
          growth: {
            weeks: weeks.map((w, i) => ({ ...w, hosts: c.hosts[i] ?? 0, rest: c.rest[i] ?? 0 })),
            growth: round(g.growth, 3),
            restGrowth: round(g.restGrowth, 3),
            restLabel: c.restLabel,
          },
          mark: period,
        },
      });
    }
    out.push(...foldGrowths(growths));
  }
  if (n >= RANK_PARAMS.minPeriodDays) {
    const prev = previousPeriod(period);
    for (const dim of ['port', 'country'] as const) {
      const cur = await loadRanking(db, dim, period.from, period.to);
      const before = await loadRanking(db, dim, prev.from, prev.to);
      if (before.length === 0) continue;
      for (const m of detectRankMoves(cur, before, RANK_PARAMS)) {
        const id = anomalyId('rank-move', period.from, period.to, dim, m.key);
        const subject = dim === 'port' ? portText(m.key) : countryName(m.key);
        out.push({
          id,
          kind: 'rank-move',
          day: period.to,
          periodFrom: period.from,
          dimension: dim,
          key: m.key,
          metric: 'packets',
          country: dim === 'country' ? m.key : null,
          proto: dim === 'port' ? (m.key.split('/')[1] ?? null) : null,
          port: dim === 'port' ? Number(m.key.split('/')[0]) : null,
          asn: null,
          score: m.jump,
          severity: round(rankSeverity(m), 1),
          observed: m.packets,
          baseline: m.previousPackets,
          summary: rankSentence({
            subject,
            what: dim === 'port' ? 'ports' : 'source countries',
            rank: m.rank,
            previousRank: m.previousRank,
            kind: m.kind,
          }),
          link: href(rankLink({ id, dimension: dim, period })),
          details: {
            rank: { current: m.rank, previous: m.previousRank, previousPeriod: prev },
          },
        });
      }
    }
  }
  return out;
}

/**
 * One campaign, one row: a growth is folded into another of the same port when the
 * other explains most of it (a fingerprint defined by the same window; the world-wide
 * window whose extra hosts come mostly from one country).
 */
/** A country's growth counts on its own when at least this multiple of the world's. */
const COUNTRY_DISTINCT_GROWTH = 1.25;

function foldGrowths(list: Anomaly[]): Anomaly[] {
  const extra = (a: Anomaly) => a.observed - a.baseline;
  const folded = new Set<string>();
  const byId = new Map(list.map((a) => [a.id, a]));
  const sorted = [...list].sort((a, b) => b.severity - a.severity);
  for (const child of sorted) {
    for (const parent of sorted) {
      if (parent === child || folded.has(parent.id) || parent.port !== child.port) continue;
      const growth = (a: Anomaly) => a.details.growth?.growth ?? 1;
      const sameCampaign =
        // A fingerprint that is the same hosts as a window size.
        (child.dimension === 'fingerprint' &&
          parent.dimension === 'window' &&
          Math.abs(extra(parent) - extra(child)) <= 0.2 * Math.max(extra(parent), 1)) ||
        // The world-wide window growth, made mostly by one country.
        (child.dimension === 'window' &&
          parent.dimension === 'country-window' &&
          parent.key.endsWith(child.key) &&
          extra(parent) >= 0.5 * extra(child)) ||
        // A country growing no faster than the world: the world-wide campaign.
        (child.dimension === 'country-window' &&
          parent.dimension === 'window' &&
          child.key.endsWith(parent.key) &&
          growth(child) <= COUNTRY_DISTINCT_GROWTH * growth(parent));
      if (!sameCampaign) continue;
      folded.add(child.id);
      const p = byId.get(parent.id)!;
      p.details.related = [
        ...(p.details.related ?? []),
        {
          kind: child.kind,
          dimension: child.dimension,
          key: child.key,
          metric: child.metric,
          observed: child.observed,
          baseline: child.baseline,
          score: child.score,
        },
      ];
      p.severity = Math.max(p.severity, child.severity);
      break;
    }
  }
  return list.filter((a) => !folded.has(a.id));
}
