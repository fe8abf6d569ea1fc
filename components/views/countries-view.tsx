'use client';
/** Source countries: world choropleth and ranked table with moves; click to drill down. */
import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useMemo } from 'react';
import { parsePortKey, portLabel } from '@/lib/api/port-key';
import { apiQuery } from '@/lib/api/query-options';
import { countryName } from '@/lib/charts/countries';
import { countryHref } from '@/lib/url-state/links';
import { countriesQueries, countrySparkParams } from '@/lib/url-state/view-queries';
import { countriesState, sliceParams } from '@/lib/url-state/views';
import { MetricToggle } from '../metric-controls';
import { RankTable } from '../rank-table';
import { Empty, ErrorState, Loading } from '../states';
import { ViewHeader } from '../view-header';
import { WorldMap } from '../world-map';
import { useView } from './use-view';

export function CountriesView() {
  const router = useRouter();
  const { state, setState, period, caption, slice } = useView(countriesState);
  const q = countriesQueries(state);
  const countries = useQuery(apiQuery('countries/top', q.countries));
  const ranked = countries.data?.slice(0, state.n);
  const spark = countrySparkParams(sliceParams(state), ranked, { port: state.port });
  const sparkSeries = useQuery({ ...apiQuery('series', spark ?? {}), enabled: spark !== null });
  const unit = state.metric === 'packets' ? 'packets' : 'distinct sources';
  const values = useMemo(
    () =>
      Object.fromEntries(
        (countries.data ?? []).map((c) => [
          c.country,
          state.metric === 'packets' ? c.packets : c.sources,
        ]),
      ),
    [countries.data, state.metric],
  );
  const port = state.port ? parsePortKey(state.port) : null;
  const title = `Source countries${port ? ` of ${portLabel(port)}` : ''}: ${unit}`;

  return (
    <main>
      <ViewHeader
        title="Countries"
        description="Where unsolicited traffic comes from (country of the source address). Click a country for its detail."
        period={period}
        onPeriod={(p) => p && setState({ from: p.from, to: p.to })}
        sensors={state.sensors}
        onSensors={(sensors) => setState({ sensors })}
        showPrevious
      />
      <section className="card" aria-labelledby="map-title">
        <header className="card-head">
          <div>
            <h2 id="map-title">{title}</h2>
            <p className="muted small">Log-scaled colour buckets; grey: no packets</p>
          </div>
          <div className="card-tools" style={{ marginRight: 150 }}>
            <MetricToggle value={state.metric} onChange={(metric) => setState({ metric })} />
            <label className="field inline">
              <span className="field-label">Port</span>
              <input
                type="text"
                size={10}
                placeholder="all ports"
                aria-label="Only packets to this port"
                defaultValue={state.port ?? ''}
                key={state.port ?? ''}
                onKeyDown={(e) => {
                  if (e.key !== 'Enter') return;
                  const v = e.currentTarget.value.trim();
                  const p = v ? parsePortKey(v.includes('/') ? v : `${v}/tcp`) : null;
                  setState({ port: p ? `${p.port}/${p.proto}` : undefined });
                }}
              />
            </label>
          </div>
        </header>
        {countries.error ? (
          <ErrorState error={countries.error} retry={() => countries.refetch()} />
        ) : !countries.data ? (
          <Loading height={380} label="Loading map" />
        ) : (
          <WorldMap
            values={values}
            unit={unit}
            caption={caption(title)}
            onSelect={(cc) => router.push(countryHref(cc, slice))}
          />
        )}
        <p className="caption muted small">
          {caption(title).period} · Sensors: {caption(title).sensors}
        </p>
      </section>
      <section className="card" aria-labelledby="country-rank-title">
        <header className="card-head">
          <h2 id="country-rank-title">Ranking</h2>
          <label className="field inline">
            <span className="field-label">Show</span>
            <select
              value={state.n}
              aria-label="How many countries"
              onChange={(e) => setState({ n: Number(e.target.value) })}
            >
              {[10, 20, 50, 100].map((n) => (
                <option key={n} value={n}>
                  top {n}
                </option>
              ))}
            </select>
          </label>
        </header>
        {countries.error ? null : !ranked ? (
          <Loading />
        ) : ranked.length === 0 ? (
          <Empty>No packets in this period.</Empty>
        ) : (
          <RankTable
            caption="Source countries"
            keyHeader="Country"
            testId="country-ranking"
            rows={ranked.map((r) => ({
              key: r.country,
              href: countryHref(r.country, slice),
              label: countryName(r.country),
              sublabel: r.country,
              packets: r.packets,
              sources: r.sources,
              rank: r.rank,
              previousRank: r.previousRank,
              spark: sparkSeries.data?.series.find((s) => s.name === r.country)?.values,
            }))}
          />
        )}
      </section>
    </main>
  );
}
