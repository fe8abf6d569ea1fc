'use client';
/**
 * One source country: trend, top ports with moves, its port mix against the rest of the
 * world, the focus port's daily share and TCP window split, AS organisations, hosts.
 */
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo } from 'react';
import { parsePortKey, portLabel, serviceName } from '@/lib/api/port-key';
import { apiQuery } from '@/lib/api/query-options';
import { buildBarOption } from '@/lib/charts/bars';
import { countryName } from '@/lib/charts/countries';
import { barCsv } from '@/lib/charts/csv';
import { formatInt, formatPct } from '@/lib/charts/format';
import { hostsHref, portHref } from '@/lib/url-state/links';
import {
  countryDetailQueries,
  countryFocusQueries,
  portSparkParams,
} from '@/lib/url-state/view-queries';
import { countryDetailState, sliceParams } from '@/lib/url-state/views';
import { ChartCard } from '../chart-card';
import { HostTable } from '../host-table';
import { MetricToggle, ScaleToggle } from '../metric-controls';
import { RankTable } from '../rank-table';
import { Empty, ErrorState, Loading } from '../states';
import { TrendCard } from '../trend-card';
import { ViewHeader } from '../view-header';
import { useView } from './use-view';

export function CountryDetailView({ country }: { country: string }) {
  const { state, setState, period, caption, slice } = useView(countryDetailState);
  const name = countryName(country);
  const q = countryDetailQueries(state, country);
  const trend = useQuery(apiQuery('series', q.trend));
  const ports = useQuery(apiQuery('ports/top', q.ports));
  const share = useQuery(apiQuery('port-share', q.share));
  const asns = useQuery(apiQuery('asns/top', q.asns));
  const hosts = useQuery(apiQuery('hosts', q.hosts));
  const spark = portSparkParams(sliceParams(state), ports.data, { country });
  const sparkSeries = useQuery({ ...apiQuery('series', spark ?? {}), enabled: spark !== null });
  const topPort = ports.data?.[0] ? `${ports.data[0].port}/${ports.data[0].proto}` : undefined;
  const focus = state.port ?? topPort;
  const fq = focus ? countryFocusQueries(state, country, focus) : null;
  const shareSeries = useQuery({
    ...apiQuery('port-share/series', fq?.shareSeries ?? {}),
    enabled: fq !== null,
  });
  const windows = useQuery({
    ...apiQuery('series', fq?.windows ?? {}),
    enabled: Boolean(fq?.windows),
  });
  const focusRef = focus ? parsePortKey(focus) : null;
  const focusLabel = focusRef ? portLabel(focusRef) : '';
  const metricText = state.metric === 'packets' ? 'packets' : 'distinct sources';

  const shareBars = useMemo(
    () =>
      share.data
        ? {
            categories: share.data.map((s) => portLabel(s)),
            series: [
              { name: country, values: share.data.map((s) => round1(s.share)) },
              { name: 'rest of world', values: share.data.map((s) => round1(s.restShare)) },
            ],
          }
        : null,
    [share.data, country],
  );
  const shareOption = useMemo(
    () => (shareBars ? buildBarOption({ data: shareBars, unit: 'percent' }) : null),
    [shareBars],
  );

  const trendTitle = `${name}: ${metricText} per UTC day`;
  const shareTitle = `${name}: port mix vs the rest of the world (% of packets)`;
  const shareSeriesTitle = `${focusLabel}: share of ${name}'s packets vs the rest of the world's, per UTC day`;
  const windowTitle = `${focusLabel} from ${name}: distinct source hosts by TCP window size`;

  return (
    <main>
      <ViewHeader
        title={
          <>
            {name} <span className="muted">{country}</span>
          </>
        }
        description={`Unsolicited traffic from addresses located in ${name}.`}
        period={period}
        onPeriod={(p) => p && setState({ from: p.from, to: p.to, zoom: null })}
        sensors={state.sensors}
        onSensors={(sensors) => setState({ sensors })}
        annotations={{
          show: state.annotations,
          onChange: (annotations) => setState({ annotations }),
        }}
        showPrevious
      />
      <TrendCard
        id="chart-country-trend"
        title={trendTitle}
        caption={caption(trendTitle)}
        query={trend}
        unit={state.metric}
        scale={state.scale}
        zoom={state.zoom}
        onZoom={(zoom) => setState({ zoom }, { replace: true })}
        pngParams={q.trend}
        annotations={state}
        controls={
          <>
            <MetricToggle value={state.metric} onChange={(metric) => setState({ metric })} />
            <ScaleToggle value={state.scale} onChange={(scale) => setState({ scale })} />
          </>
        }
      />
      <div className="grid-2">
        <section className="card" aria-labelledby="country-ports-title">
          <header className="card-head">
            <h2 id="country-ports-title">Top destination ports from {name}</h2>
          </header>
          {ports.error ? (
            <ErrorState error={ports.error} retry={() => ports.refetch()} />
          ) : !ports.data ? (
            <Loading />
          ) : ports.data.length === 0 ? (
            <Empty>No packets from {name} in this period.</Empty>
          ) : (
            <RankTable
              caption={`Top ports from ${name}`}
              keyHeader="Port"
              testId="country-ports"
              rows={ports.data.map((r) => ({
                key: `${r.port}/${r.proto}`,
                href: portHref(r, slice),
                label: portLabel(r),
                sublabel: serviceName(r),
                packets: r.packets,
                sources: r.sources,
                rank: r.rank,
                previousRank: r.previousRank,
                spark: sparkSeries.data?.series.find((s) => s.name === `${r.port}/${r.proto}`)
                  ?.values,
              }))}
            />
          )}
        </section>
        <ChartCard
          id="chart-country-share"
          title={shareTitle}
          subtitle="For each of the country's top ports: the percent of its packets going there, next to the same percent for all other countries"
          caption={caption(shareTitle)}
          status={share}
          option={shareOption}
          empty={share.data?.length === 0}
          csv={() => (shareBars ? barCsv(shareBars, 'port') : '')}
          height={300}
          note={
            share.data?.length ? (
              <span data-testid="share-note">
                {share.data
                  .filter((s) => s.share - s.restShare > 10)
                  .map((s) => `${portLabel(s)}: ${formatPct(s.share)} vs ${formatPct(s.restShare)}`)
                  .join(' · ') ||
                  'No port where this country’s share is more than 10 points above the rest of the world’s.'}
              </span>
            ) : undefined
          }
        />
      </div>
      <section className="card focus-bar">
        <label className="field inline">
          <span className="field-label">Focus port</span>
          <select
            value={focus ?? ''}
            aria-label="Focus port"
            onChange={(e) =>
              setState({ port: e.target.value === topPort ? undefined : e.target.value })
            }
          >
            {(ports.data ?? []).map((r) => {
              const k = `${r.port}/${r.proto}`;
              return (
                <option key={k} value={k}>
                  {portLabel(r)} {serviceName(r) ?? ''}
                </option>
              );
            })}
            {focus && !ports.data?.some((r) => `${r.port}/${r.proto}` === focus) ? (
              <option value={focus}>{focusLabel}</option>
            ) : null}
          </select>
        </label>
        <span className="muted small">
          The two charts below follow this port (default: the country’s top port).
        </span>
      </section>
      <div className="grid-2">
        <TrendCard
          id="chart-country-share-series"
          title={shareSeriesTitle}
          caption={caption(shareSeriesTitle)}
          query={shareSeries}
          unit="percent"
          zoom={state.zoom}
          height={280}
          pngParams={fq ? { ...fq.shareSeries, chart: 'port-share/series' } : null}
          annotations={state}
        />
        {fq?.windows ? (
          <TrendCard
            id="chart-country-windows"
            title={windowTitle}
            subtitle="“other” = the other window sizes’ hosts added up"
            caption={caption(windowTitle)}
            query={windows}
            unit="sources"
            zoom={state.zoom}
            height={280}
            pngParams={fq.windows}
            annotations={state}
            controls={
              <select
                value={state.windows}
                aria-label="How many window sizes get their own line"
                onChange={(e) => setState({ windows: Number(e.target.value) })}
              >
                {[1, 2, 3, 5].map((n) => (
                  <option key={n} value={n}>
                    top {n} + other
                  </option>
                ))}
              </select>
            }
          />
        ) : (
          <section className="card">
            <Empty>TCP window sizes exist for TCP ports only.</Empty>
          </section>
        )}
      </div>
      <div className="grid-asn">
        <section className="card" aria-labelledby="country-asns-title">
          <header className="card-head">
            <h2 id="country-asns-title">AS organisations in {name}</h2>
          </header>
          {asns.error ? (
            <ErrorState error={asns.error} />
          ) : !asns.data ? (
            <Loading />
          ) : asns.data.length === 0 ? (
            <Empty>No hosts.</Empty>
          ) : (
            <table data-testid="country-asns">
              <thead>
                <tr>
                  <th>AS</th>
                  <th>Organisation</th>
                  <th className="num">Hosts</th>
                  <th className="num">Packets</th>
                </tr>
              </thead>
              <tbody>
                {asns.data.map((a) => (
                  <tr key={a.asn}>
                    <td className="mono">
                      <Link href={hostsHref(slice, { country, asn: String(a.asn) })}>
                        {a.asn ? `AS${a.asn}` : 'unknown'}
                      </Link>
                    </td>
                    <td>{a.asOrg || <span className="muted">–</span>}</td>
                    <td className="num">{formatInt(a.hosts)}</td>
                    <td className="num">{formatInt(a.packets)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="card" aria-labelledby="country-hosts-title">
          <header className="card-head">
            <h2 id="country-hosts-title">Top source hosts in {name}</h2>
            <Link className="small" href={hostsHref(slice, { country })}>
              All hosts →
            </Link>
          </header>
          {hosts.error ? (
            <ErrorState error={hosts.error} />
          ) : !hosts.data ? (
            <Loading />
          ) : hosts.data.length === 0 ? (
            <Empty>No hosts.</Empty>
          ) : (
            <div className="scroll-x">
              <HostTable hosts={hosts.data.slice(0, 10)} slice={slice} testId="country-hosts" />
            </div>
          )}
        </section>
      </div>
    </main>
  );
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
