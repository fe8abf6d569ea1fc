'use client';
/**
 * One destination port: trend, TCP window-size split of distinct hosts, class and
 * fingerprint mix, source countries (with moves) and top hosts.
 */
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo } from 'react';
import { type PortRef, portKey, portLabel, serviceName } from '@/lib/api/port-key';
import { apiQuery } from '@/lib/api/query-options';
import { buildBarOption } from '@/lib/charts/bars';
import { countryName } from '@/lib/charts/countries';
import { barCsv } from '@/lib/charts/csv';
import { formatInt } from '@/lib/charts/format';
import { countryHref, hostHref, hostsHref } from '@/lib/url-state/links';
import { portDetailQueries } from '@/lib/url-state/view-queries';
import { portDetailState } from '@/lib/url-state/views';
import { ChartCard } from '../chart-card';
import { Move, Segmented } from '../controls';
import { MetricToggle, ScaleToggle } from '../metric-controls';
import { Empty, ErrorState, Loading } from '../states';
import { TrendCard } from '../trend-card';
import { ViewHeader } from '../view-header';
import { useView } from './use-view';

export function PortDetailView({ port }: { port: PortRef }) {
  const { state, setState, period, caption, slice } = useView(portDetailState);
  const key = portKey(port);
  const label = portLabel(port);
  const q = portDetailQueries(state, key);
  const trend = useQuery(apiQuery('series', q.trend));
  const windows = useQuery({ ...apiQuery('series', q.windows), enabled: port.proto === 'tcp' });
  const tags = useQuery(apiQuery('series', q.tags));
  const countries = useQuery(apiQuery('countries/top', q.countries));
  const hosts = useQuery(apiQuery('hosts', q.hosts));
  const metricText = state.metric === 'packets' ? 'packets' : 'distinct sources';
  const trendTitle = `${label}: ${metricText} per UTC day`;
  const windowTitle = `${label}: distinct source hosts by TCP window size`;
  const tagTitle = `${label}: ${state.split === 'class' ? 'traffic class' : 'scanner fingerprints'} (${metricText})`;
  const countryTitle = `${label}: top source countries (packets)`;

  const countryBars = useMemo(
    () =>
      countries.data
        ? {
            categories: countries.data.map((c) => countryName(c.country)),
            series: [{ name: 'packets', values: countries.data.map((c) => c.packets) }],
          }
        : null,
    [countries.data],
  );
  const countryOption = useMemo(
    () => (countryBars ? buildBarOption({ data: countryBars, unit: 'packets' }) : null),
    [countryBars],
  );

  return (
    <main>
      <ViewHeader
        title={
          <>
            {label} <span className="muted">{serviceName(port) ?? ''}</span>
          </>
        }
        description={`Traffic to destination port ${label}: who sends it, with which TCP windows and tools.`}
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
        id="chart-port-trend"
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
      {port.proto === 'tcp' ? (
        <TrendCard
          id="chart-port-windows"
          title={windowTitle}
          subtitle="Hosts sending each of the largest TCP window sizes per UTC day; “other” = the other window sizes’ hosts added up"
          caption={caption(windowTitle)}
          query={windows}
          unit="sources"
          scale={state.scale}
          zoom={state.zoom}
          onZoom={(zoom) => setState({ zoom }, { replace: true })}
          pngParams={q.windows}
          annotations={state}
          controls={
            <label className="field inline">
              <span className="field-label">Windows</span>
              <select
                value={state.windows}
                aria-label="How many window sizes get their own line"
                onChange={(e) => setState({ windows: Number(e.target.value) })}
              >
                {[1, 2, 3, 5, 8].map((n) => (
                  <option key={n} value={n}>
                    top {n} + other
                  </option>
                ))}
              </select>
            </label>
          }
        />
      ) : null}
      <div className="grid-2">
        <TrendCard
          id="chart-port-tags"
          title={tagTitle}
          caption={caption(tagTitle)}
          query={tags}
          unit={state.metric}
          stacked={state.split === 'class'}
          zoom={state.zoom}
          pngParams={q.tags}
          annotations={state}
          height={260}
          emptyText="No fingerprints matched in this slice."
          controls={
            <Segmented
              label="Breakdown"
              value={state.split}
              options={[
                { value: 'class', label: 'Class' },
                { value: 'fingerprint', label: 'Fingerprint' },
              ]}
              onChange={(split) => setState({ split })}
            />
          }
        />
        <ChartCard
          id="chart-port-countries"
          title={countryTitle}
          caption={caption(countryTitle)}
          status={countries}
          option={countryOption}
          empty={countries.data?.length === 0}
          csv={() => (countryBars ? barCsv(countryBars, 'country') : '')}
          height={260}
        />
      </div>
      <div className="grid-2">
        <section className="card" aria-labelledby="port-countries-title">
          <header className="card-head">
            <h2 id="port-countries-title">Source countries of {label}</h2>
          </header>
          {countries.error ? (
            <ErrorState error={countries.error} />
          ) : !countries.data ? (
            <Loading />
          ) : (
            <table data-testid="port-countries">
              <thead>
                <tr>
                  <th className="num">#</th>
                  <th>Country</th>
                  <th className="num">Packets</th>
                  <th className="num">Sources</th>
                  <th>Move</th>
                </tr>
              </thead>
              <tbody>
                {countries.data.map((c) => (
                  <tr key={c.country}>
                    <td className="num muted">{c.rank}</td>
                    <td>
                      <Link
                        href={`${countryHref(c.country, slice)}&port=${encodeURIComponent(key)}`}
                      >
                        {countryName(c.country)}
                      </Link>{' '}
                      <span className="muted small">{c.country}</span>
                    </td>
                    <td className="num">{formatInt(c.packets)}</td>
                    <td className="num">{formatInt(c.sources)}</td>
                    <td>
                      <Move rank={c.rank} previousRank={c.previousRank} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="card" aria-labelledby="port-hosts-title">
          <header className="card-head">
            <h2 id="port-hosts-title">Top hosts sending to {label}</h2>
            <Link href={hostsHref(slice, { port: key })} className="small">
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
            <CompactHosts hosts={hosts.data.slice(0, 12)} slice={slice} />
          )}
        </section>
      </div>
    </main>
  );
}

function CompactHosts({
  hosts,
  slice,
}: {
  hosts: { ip: string; country: string; asOrg: string; asn: number; packets: number }[];
  slice: { from?: string; to?: string; sensors: string[] };
}) {
  return (
    <table data-testid="port-hosts">
      <thead>
        <tr>
          <th>Address</th>
          <th>Country</th>
          <th>AS organisation</th>
          <th className="num">Packets</th>
        </tr>
      </thead>
      <tbody>
        {hosts.map((h) => (
          <tr key={h.ip}>
            <td className="mono">
              <Link href={hostHref(h.ip, slice)}>{h.ip}</Link>
            </td>
            <td>{h.country}</td>
            <td className="small">{h.asn ? `AS${h.asn} ${h.asOrg}` : '–'}</td>
            <td className="num">{formatInt(h.packets)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
