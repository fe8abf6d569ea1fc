'use client';
/** Overview of a period: totals, daily trend, top ports and top countries with moves. */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { type Period, periodLabel, previousPeriod } from '@/lib/api/period';
import { type PortRef, portLabel, serviceName } from '@/lib/api/port-key';
import { apiQuery } from '@/lib/api/query-options';
import { countryName } from '@/lib/charts/countries';
import { seriesCsv } from '@/lib/charts/csv';
import { changePct, formatChange, formatCompact, formatInt } from '@/lib/charts/format';
import { buildTrendOption } from '@/lib/charts/trend';
import { countryHref, portHref } from '@/lib/url-state/links';
import { countrySparkParams, overviewQueries, portSparkParams } from '@/lib/url-state/view-queries';
import { overviewState } from '@/lib/url-state/views';
import { MarkList } from '../anomalies/mark-list';
import { useChartMarks } from '../anomalies/use-chart-marks';
import { ChartCard } from '../chart-card';
import { Segmented } from '../controls';
import { CompareToggle } from '../metric-controls';
import { RankTable } from '../rank-table';
import { Empty, ErrorState, Loading } from '../states';
import { annotationPngParams } from '../trend-card';
import { ViewHeader } from '../view-header';
import { useView } from './use-view';

export function OverviewView() {
  const { state, setState, period, caption, slice } = useView(overviewState);
  const q = overviewQueries(state);
  const meta = useQuery(apiQuery('meta', {}));
  const totals = useQuery(apiQuery('totals', q.totals));
  const ports = useQuery(apiQuery('ports/top', q.ports));
  const countries = useQuery(apiQuery('countries/top', q.countries));
  const series = useQuery(apiQuery('series', q.series));
  const prevSeries = useQuery({
    ...apiQuery('series', q.previousSeries ?? {}),
    enabled: q.previousSeries !== null,
  });
  const sliceParams = {
    from: state.from,
    to: state.to,
    sensors: state.sensors.join(',') || undefined,
  };
  const portSpark = portSparkParams(sliceParams, ports.data);
  const countrySpark = countrySparkParams(sliceParams, countries.data);
  const portSeries = useQuery({
    ...apiQuery('series', portSpark ?? {}),
    enabled: portSpark !== null,
  });
  const countrySeries = useQuery({
    ...apiQuery('series', countrySpark ?? {}),
    enabled: countrySpark !== null,
  });

  const annotated = useChartMarks(
    q.series,
    series.data?.series.map((s) => s.name),
    state,
  );
  const { marks, highlight } = annotated;
  const option = useMemo(
    () =>
      series.data
        ? buildTrendOption({
            data: series.data,
            unit: state.metric,
            previous: state.compare === 'previous' ? prevSeries.data?.series[0]?.values : undefined,
            marks,
            highlight,
          })
        : null,
    [series.data, prevSeries.data, state.metric, state.compare, marks, highlight],
  );

  if (meta.data && !meta.data.extent) {
    return (
      <main>
        <h1>Overview</h1>
        <Empty>
          No captures ingested yet. Run <code>npm run scanline -- ingest DIR</code> and reload.
        </Empty>
      </main>
    );
  }

  const sparkOf = (name: string, data: typeof portSeries.data) =>
    data?.series.find((s) => s.name === name)?.values;
  const trendTitle = `All traffic: ${state.metric === 'packets' ? 'packets' : 'distinct sources'} per UTC day`;

  return (
    <main>
      <ViewHeader
        title="Overview"
        description="Unsolicited traffic reaching the telescope: what is scanned, from where, and what moved since the previous period."
        period={period}
        onPeriod={(p) => p && setState({ from: p.from, to: p.to })}
        sensors={state.sensors}
        onSensors={(sensors) => setState({ sensors })}
        annotations={{
          show: state.annotations,
          onChange: (annotations) => setState({ annotations }),
        }}
        showPrevious
      />

      <section className="kpis" aria-label="Totals">
        {totals.error ? (
          <ErrorState error={totals.error} retry={() => totals.refetch()} />
        ) : !totals.data ? (
          <Loading label="Loading totals" height={88} />
        ) : (
          <>
            <Kpi
              id="kpi-packets"
              label="Packets"
              value={totals.data.packets}
              previous={totals.data.previousPackets}
              previousPeriod={totals.data.previous}
            />
            <Kpi
              id="kpi-sources"
              label="Distinct sources"
              value={totals.data.sources}
              previous={totals.data.previousSources}
              previousPeriod={totals.data.previous}
            />
            <div className="kpi card">
              <div className="kpi-label">Top port</div>
              <div className="kpi-value">{ports.data?.[0] ? portLabel(ports.data[0]) : '–'}</div>
              <div className="muted small">
                {ports.data?.[0] ? (serviceName(ports.data[0]) ?? '') : ''}
              </div>
            </div>
            <div className="kpi card">
              <div className="kpi-label">Top source country</div>
              <div className="kpi-value">
                {countries.data?.[0] ? countryName(countries.data[0].country) : '–'}
              </div>
              <div className="muted small">
                {countries.data?.[0] ? `${formatCompact(countries.data[0].packets)} packets` : ''}
              </div>
            </div>
          </>
        )}
      </section>

      <ChartCard
        id="chart-total"
        title={trendTitle}
        caption={caption(trendTitle)}
        status={series}
        option={option}
        csv={() =>
          series.data
            ? seriesCsv(
                withPrevious(
                  series.data,
                  state.compare === 'previous' ? prevSeries.data : undefined,
                ),
              )
            : ''
        }
        height={260}
        controls={
          <>
            <Segmented
              label="Metric"
              value={state.metric}
              options={[
                { value: 'packets', label: 'Packets' },
                { value: 'sources', label: 'Sources' },
              ]}
              onChange={(metric) => setState({ metric })}
            />
            <CompareToggle
              previousFirst
              value={state.compare}
              onChange={(compare) => setState({ compare })}
            />
          </>
        }
        annotations={
          state.annotations ? (
            <MarkList marks={marks} highlight={highlight} error={annotated.error} />
          ) : undefined
        }
        pngUrl={`/api/v1/chart.png?${new URLSearchParams(
          clean({
            ...q.series,
            title: trendTitle,
            ...annotationPngParams(state, highlight),
          }),
        ).toString()}`}
      />

      <div className="grid-2">
        <section className="card" aria-labelledby="top-ports-title">
          <header className="card-head">
            <div>
              <h2 id="top-ports-title">Top destination ports</h2>
              <p className="muted small">
                By packets; “Before” is the rank in{' '}
                {period ? periodLabel(previousPeriod(period)) : 'the previous period'}
              </p>
            </div>
            <TopN value={state.n} onChange={(n) => setState({ n })} />
          </header>
          {ports.error ? (
            <ErrorState error={ports.error} retry={() => ports.refetch()} />
          ) : !ports.data ? (
            <Loading label="Loading ports" />
          ) : ports.data.length === 0 ? (
            <Empty>No TCP or UDP packets in this period.</Empty>
          ) : (
            <RankTable
              caption="Top destination ports"
              keyHeader="Port"
              testId="top-ports"
              rows={ports.data.map((r) => ({
                key: `${r.port}/${r.proto}`,
                href: portHref(r, slice),
                label: portLabel(r),
                sublabel: serviceName(r as PortRef),
                packets: r.packets,
                sources: r.sources,
                rank: r.rank,
                previousRank: r.previousRank,
                spark: sparkOf(`${r.port}/${r.proto}`, portSeries.data),
              }))}
            />
          )}
        </section>
        <section className="card" aria-labelledby="top-countries-title">
          <header className="card-head">
            <div>
              <h2 id="top-countries-title">Top source countries</h2>
              <p className="muted small">
                By packets, from the source address (geolocation at ingest)
              </p>
            </div>
          </header>
          {countries.error ? (
            <ErrorState error={countries.error} retry={() => countries.refetch()} />
          ) : !countries.data ? (
            <Loading label="Loading countries" />
          ) : countries.data.length === 0 ? (
            <Empty>No packets in this period.</Empty>
          ) : (
            <RankTable
              caption="Top source countries"
              keyHeader="Country"
              testId="top-countries"
              rows={countries.data.map((r) => ({
                key: r.country,
                href: countryHref(r.country, slice),
                label: countryName(r.country),
                sublabel: r.country,
                packets: r.packets,
                sources: r.sources,
                rank: r.rank,
                previousRank: r.previousRank,
                spark: sparkOf(r.country, countrySeries.data),
              }))}
            />
          )}
        </section>
      </div>
    </main>
  );
}

function clean(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  );
}

function withPrevious(
  data: { days: string[]; series: { name: string; values: number[] }[] },
  prev: { series: { values: number[] }[] } | undefined,
) {
  if (!prev?.series[0]) return data;
  return {
    days: data.days,
    series: [
      ...data.series,
      { name: 'previous period', values: data.days.map((_, i) => prev.series[0]!.values[i] ?? 0) },
    ],
  };
}

function Kpi({
  id,
  label,
  value,
  previous,
  previousPeriod,
}: {
  id: string;
  label: string;
  value: number;
  previous: number;
  previousPeriod: Period;
}) {
  const change = changePct(value, previous);
  return (
    <div className="kpi card" data-testid={id}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value" data-value={value}>
        {formatInt(value)}
      </div>
      <div className="small">
        <span className={change === null ? 'muted' : change >= 0 ? 'up' : 'down'}>
          {formatChange(change)}
        </span>
        <span className="muted">
          {' '}
          vs {formatInt(previous)} in {periodLabel(previousPeriod)}
        </span>
      </div>
    </div>
  );
}

function TopN({ value, onChange }: { value: number; onChange: (n: number) => void }) {
  return (
    <label className="field inline">
      <span className="field-label">Show</span>
      <select
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
        aria-label="How many to rank"
      >
        {[5, 10, 15, 20, 25].map((n) => (
          <option key={n} value={n}>
            top {n}
          </option>
        ))}
      </select>
    </label>
  );
}
