'use client';
/** One source host: where it is, who runs it, when and how it sent, what it looks like. */
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo } from 'react';
import { ApiError } from '@/lib/api/errors';
import { daysOf } from '@/lib/api/period';
import { parsePortKey, portLabel } from '@/lib/api/port-key';
import { apiQuery } from '@/lib/api/query-options';
import type { HostDetail } from '@/lib/api/types';
import { buildBarOption } from '@/lib/charts/bars';
import { countryName } from '@/lib/charts/countries';
import { barCsv, seriesCsv } from '@/lib/charts/csv';
import { formatInt } from '@/lib/charts/format';
import { buildTrendOption } from '@/lib/charts/trend';
import { countryHref, hostsHref, portHref } from '@/lib/url-state/links';
import { hostState, sliceParams } from '@/lib/url-state/views';
import { ChartCard } from '../chart-card';
import { Empty, ErrorState, Loading } from '../states';
import { ViewHeader } from '../view-header';
import { useView } from './use-view';

export function HostView({ ip }: { ip: string }) {
  const { state, setState, period, caption, slice } = useView(hostState);
  const host = useQuery(apiQuery('host', { ...sliceParams(state), ip }));
  const h = host.data;
  const shownPeriod = period ?? h?.period ?? null;

  const daily = useMemo(() => {
    if (!h) return null;
    const days = daysOf(h.period);
    const by = new Map(h.days.map((d) => [d.day, d.packets]));
    return { days, series: [{ name: 'packets', values: days.map((d) => by.get(d) ?? 0) }] };
  }, [h]);
  const dailyOption = useMemo(
    () => (daily ? buildTrendOption({ data: daily, unit: 'packets' }) : null),
    [daily],
  );
  const portBars = useMemo(
    () =>
      h
        ? {
            categories: h.ports.slice(0, 12).map((p) => {
              const r = parsePortKey(p.port);
              return r ? portLabel(r) : p.port;
            }),
            series: [{ name: 'packets', values: h.ports.slice(0, 12).map((p) => p.packets) }],
          }
        : null,
    [h],
  );
  const portOption = useMemo(
    () => (portBars ? buildBarOption({ data: portBars, unit: 'packets' }) : null),
    [portBars],
  );
  const flagBars = useMemo(() => (h ? flagData(h) : null), [h]);
  const flagOption = useMemo(
    () => (flagBars ? buildBarOption({ data: flagBars, unit: 'packets' }) : null),
    [flagBars],
  );

  const notFound = host.error instanceof ApiError && host.error.status === 404;

  return (
    <main>
      <ViewHeader
        title={<span className="mono">{ip}</span>}
        description={
          h ? (
            <>
              {countryName(h.country)} ({h.country}) ·{' '}
              {h.asn ? `AS${h.asn} ${h.asOrg}` : 'no AS known'}
            </>
          ) : (
            'Source host'
          )
        }
        period={period}
        onPeriod={(p) => setState({ from: p?.from, to: p?.to })}
        sensors={state.sensors}
        onSensors={(sensors) => setState({ sensors })}
        allowAllDays
      />
      {host.error ? (
        notFound ? (
          <Empty>
            No packets from {ip}
            {period ? ` between ${period.from} and ${period.to} (UTC)` : ''}.{' '}
            {period ? (
              <button
                type="button"
                className="btn btn-small"
                onClick={() => setState({ from: undefined, to: undefined })}
              >
                Look at all days
              </button>
            ) : null}
          </Empty>
        ) : (
          <ErrorState error={host.error} retry={() => host.refetch()} />
        )
      ) : !h ? (
        <Loading label="Loading host" />
      ) : (
        <>
          <div className="grid-2">
            <section className="card" aria-labelledby="host-facts">
              <h2 id="host-facts">Profile</h2>
              <dl className="dl" data-testid="host-profile">
                <dt>Country</dt>
                <dd>
                  <Link href={countryHref(h.country, slice)}>{countryName(h.country)}</Link> (
                  {h.country})
                </dd>
                <dt>AS</dt>
                <dd>
                  {h.asn ? (
                    <Link href={hostsHref(slice, { asn: String(h.asn) })}>AS{h.asn}</Link>
                  ) : (
                    '–'
                  )}{' '}
                  {h.asOrg}
                </dd>
                <dt>First seen (UTC)</dt>
                <dd data-testid="first-seen">
                  {h.firstSeen.replace('T', ' ').replace('.000Z', '')}
                </dd>
                <dt>Last seen (UTC)</dt>
                <dd data-testid="last-seen">{h.lastSeen.replace('T', ' ').replace('.000Z', '')}</dd>
                <dt>Packets</dt>
                <dd data-testid="host-packets">{formatInt(h.packets)}</dd>
                <dt>Bytes</dt>
                <dd>{formatInt(h.bytes)}</dd>
                <dt>Class</dt>
                <dd>
                  <span className={`tag tag-${h.class}`}>{h.class}</span>{' '}
                  <span className="muted small">
                    scan {formatInt(h.classPackets.scan)} · backscatter{' '}
                    {formatInt(h.classPackets.backscatter)} · other{' '}
                    {formatInt(h.classPackets.other)}
                  </span>
                </dd>
                <dt>Fingerprints</dt>
                <dd>
                  {h.fingerprints.length
                    ? h.fingerprints.map((f) => (
                        <span key={f} className="tag">
                          {f}
                        </span>
                      ))
                    : '–'}
                </dd>
                <dt>TCP window</dt>
                <dd data-testid="host-window">{valueList(h.windows)}</dd>
                <dt>TTL</dt>
                <dd>{valueList(h.ttls)}</dd>
                <dt>TCP sequence number</dt>
                <dd data-testid="host-seq">{valueList(h.seqs)}</dd>
                <dt>Distinct ports</dt>
                <dd>{formatInt(h.distinctPorts)}</dd>
                <dt>Active days</dt>
                <dd>{h.days.length}</dd>
              </dl>
            </section>
            <section className="card" aria-labelledby="host-sensors">
              <h2 id="host-sensors">Sensors that saw it</h2>
              <table data-testid="host-sensors-table">
                <thead>
                  <tr>
                    <th>Sensor</th>
                    <th className="num">Packets</th>
                    <th>First seen (UTC)</th>
                    <th>Last seen (UTC)</th>
                  </tr>
                </thead>
                <tbody>
                  {h.sensors.map((s) => (
                    <tr key={s.name}>
                      <td>{s.name}</td>
                      <td className="num">{formatInt(s.packets)}</td>
                      <td className="small mono">{s.firstSeen.slice(0, 16).replace('T', ' ')}</td>
                      <td className="small mono">{s.lastSeen.slice(0, 16).replace('T', ' ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
          <ChartCard
            id="chart-host-daily"
            title={`${ip}: packets per UTC day`}
            caption={{
              ...caption(`${ip}: packets per UTC day`),
              ...(shownPeriod && !period
                ? { period: `${shownPeriod.from} to ${shownPeriod.to} (UTC days)` }
                : {}),
            }}
            status={host}
            option={dailyOption}
            csv={() => (daily ? seriesCsv(daily) : '')}
            height={220}
          />
          <div className="grid-2">
            <ChartCard
              id="chart-host-ports"
              title={`${ip}: destination ports`}
              caption={caption(`${ip}: destination ports`)}
              status={host}
              option={portOption}
              empty={h.ports.length === 0}
              csv={() => (portBars ? barCsv(portBars, 'port') : '')}
              height={Math.max(160, 28 * Math.min(12, h.ports.length) + 40)}
              note={
                <span>
                  Ports:{' '}
                  {h.ports.slice(0, 12).map((p) => {
                    const r = parsePortKey(p.port);
                    return r ? (
                      <Link key={p.port} href={portHref(r, slice)} className="tag">
                        {portLabel(r)}
                      </Link>
                    ) : null;
                  })}
                </span>
              }
            />
            <ChartCard
              id="chart-host-flags"
              title={`${ip}: TCP flags and protocols`}
              caption={caption(`${ip}: TCP flags and protocols`)}
              status={host}
              option={flagOption}
              csv={() => (flagBars ? barCsv(flagBars, 'kind') : '')}
              height={240}
            />
          </div>
        </>
      )}
    </main>
  );
}

function valueList(v: { value: number; packets: number }[]): string {
  if (v.length === 0) return '–';
  return v
    .slice(0, 4)
    .map((x) => `${x.value} (${formatInt(x.packets)} pkts)`)
    .join(', ');
}

function flagData(h: HostDetail) {
  const rows: [string, number][] = [
    ['SYN', h.flags.syn],
    ['SYN-ACK', h.flags.synAck],
    ['RST', h.flags.rst],
    ['ACK', h.flags.ack],
    ['other TCP', h.flags.otherTcp],
    ['UDP', h.flags.udp],
    ['ICMP', h.flags.icmp],
  ];
  return {
    categories: rows.map((r) => r[0]),
    series: [{ name: 'packets', values: rows.map((r) => r[1]) }],
  };
}
