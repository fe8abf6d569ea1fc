'use client';
/** Daily lines for the top-N or chosen ports: packets or distinct sources, linear/log, stacked. */
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { parsePortKey, portLabel, serviceName } from '@/lib/api/port-key';
import { apiQuery } from '@/lib/api/query-options';
import { formatInt } from '@/lib/charts/format';
import { portHref } from '@/lib/url-state/links';
import { portTrendsPreviousQuery, portTrendsQueries } from '@/lib/url-state/view-queries';
import { type PortTrendsState, portTrendsState } from '@/lib/url-state/views';
import { Move, Segmented } from '../controls';
import { CompareToggle, MetricToggle, ScaleToggle } from '../metric-controls';
import { PortChips } from '../port-chips';
import { ErrorState, Loading } from '../states';
import { TrendCard } from '../trend-card';
import { ViewHeader } from '../view-header';
import { useView } from './use-view';

export function PortTrendsView() {
  const { state, setState, period, caption, slice } = useView(portTrendsState);
  const q = portTrendsQueries(state);
  const series = useQuery(apiQuery('series', q.series));
  const ranking = useQuery(apiQuery('ports/top', q.ports));
  const plotted = series.data?.series.map((s) => s.name) ?? state.ports;
  const previousParams = portTrendsPreviousQuery(state, series.data ? plotted : []);
  const previous = useQuery({
    ...apiQuery('series', previousParams ?? {}),
    enabled: previousParams !== null,
  });
  const title = `${state.ports.length ? 'Chosen ports' : `Top ${state.n} ports`}: ${
    state.metric === 'packets' ? 'packets' : 'distinct sources'
  }${state.per === 'sensor' ? ' per sensor' : ''} per UTC day`;

  return (
    <main>
      <ViewHeader
        title="Port trends"
        description="Daily traffic to destination ports. Drag across the chart to zoom; the zoom is part of the link."
        period={period}
        onPeriod={(p) => p && setState({ from: p.from, to: p.to, zoom: null })}
        sensors={state.sensors}
        onSensors={(sensors) => setState({ sensors })}
        annotations={{
          show: state.annotations,
          onChange: (annotations) => setState({ annotations }),
        }}
      />
      <section className="card">
        <div className="filters">
          <div className="field">
            <span className="field-label">Ports</span>
            <PortChips ports={plotted} onChange={(ports) => setState({ ports })} />
          </div>
          {state.ports.length ? (
            <button type="button" className="btn btn-small" onClick={() => setState({ ports: [] })}>
              Back to top {state.n}
            </button>
          ) : (
            <label className="field">
              <span className="field-label">Top</span>
              <select
                value={state.n}
                onChange={(e) => setState({ n: Number(e.target.value) })}
                aria-label="How many top ports"
              >
                {[3, 5, 8, 10].map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
      </section>
      <TrendCard
        id="chart-port-trends"
        title={title}
        caption={caption(title)}
        query={series}
        unit={state.metric}
        scale={state.scale}
        stacked={state.stack}
        zoom={state.zoom}
        onZoom={(zoom) => setState({ zoom }, { replace: true })}
        height={360}
        pngParams={q.series}
        annotations={state}
        perSensor={state.per === 'sensor'}
        previousSeries={previousParams ? previous.data?.series : undefined}
        controls={
          <>
            <MetricToggle value={state.metric} onChange={(metric) => setState({ metric })} />
            <Segmented
              label="Normalise"
              value={state.per}
              options={[
                { value: 'all', label: 'All sensors' },
                { value: 'sensor', label: 'Per sensor' },
              ]}
              onChange={(per) => setState({ per })}
            />
            <CompareToggle
              value={state.compare}
              disabled={state.stack}
              onChange={(compare) => setState({ compare })}
            />
            <ScaleToggle value={state.scale} onChange={(scale) => setState({ scale })} />
            <Segmented
              label="Stacking"
              value={state.stack ? 'stacked' : 'lines'}
              options={[
                { value: 'lines', label: 'Lines' },
                { value: 'stacked', label: 'Stacked', disabled: state.scale === 'log' },
              ]}
              onChange={(v) => setState({ stack: v === 'stacked' })}
            />
          </>
        }
        note={portTrendsNote(state)}
      />
      <section className="card" aria-labelledby="ranking-title">
        <header className="card-head">
          <h2 id="ranking-title">Ports in this period</h2>
          <span className="muted small">Tick a port to plot it</span>
        </header>
        {ranking.error ? (
          <ErrorState error={ranking.error} retry={() => ranking.refetch()} />
        ) : !ranking.data ? (
          <Loading />
        ) : (
          <table data-testid="port-ranking">
            <thead>
              <tr>
                <th scope="col">Plot</th>
                <th scope="col" className="num">
                  #
                </th>
                <th scope="col">Port</th>
                <th scope="col" className="num">
                  Packets
                </th>
                <th scope="col" className="num">
                  Sources
                </th>
                <th scope="col">Move</th>
              </tr>
            </thead>
            <tbody>
              {ranking.data.map((r) => {
                const key = `${r.port}/${r.proto}`;
                const on = plotted.includes(key);
                return (
                  <tr key={key}>
                    <td>
                      <input
                        type="checkbox"
                        checked={on}
                        aria-label={`Plot ${key}`}
                        onChange={() =>
                          setState({
                            ports: on
                              ? plotted.filter((p) => p !== key)
                              : [...plotted, key].slice(0, 10),
                          })
                        }
                      />
                    </td>
                    <td className="num muted">{r.rank}</td>
                    <td>
                      <Link href={portHref(r, slice)}>{portLabel(r)}</Link>{' '}
                      <span className="muted small">{serviceName(parsePortKey(key)!)}</span>
                    </td>
                    <td className="num">{formatInt(r.packets)}</td>
                    <td className="num">{formatInt(r.sources)}</td>
                    <td>
                      <Move rank={r.rank} previousRank={r.previousRank} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}

function portTrendsNote(
  s: Pick<PortTrendsState, 'stack' | 'scale' | 'compare' | 'per'>,
): string | undefined {
  const notes = [
    s.stack && s.scale === 'log' ? 'Stacking is off on a log scale.' : null,
    s.stack && s.compare === 'previous'
      ? 'The previous period is not drawn on stacked areas.'
      : null,
    s.per === 'sensor'
      ? 'Per sensor: each day divided by the number of sensors that reported traffic that day.'
      : null,
  ].filter((n): n is string => n !== null);
  return notes.length ? notes.join(' ') : undefined;
}
