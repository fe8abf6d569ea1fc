'use client';
/** Host list for any slice: period, country, port, AS, class, address prefix. */
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { parseIpPrefix } from '@/lib/api/ip';
import { parsePortKey, portKey } from '@/lib/api/port-key';
import { apiQuery } from '@/lib/api/query-options';
import { countryName } from '@/lib/charts/countries';
import { csvLines } from '@/lib/charts/csv';
import { downloadText, fileSlug } from '@/lib/charts/download';
import { hostsQueries } from '@/lib/url-state/view-queries';
import { hostsState } from '@/lib/url-state/views';
import { HostTable } from '../host-table';
import { Empty, ErrorState, Loading } from '../states';
import { ViewHeader } from '../view-header';
import { useView } from './use-view';

export function HostsView() {
  const { state, setState, period, caption, slice } = useView(hostsState);
  const q = hostsQueries(state);
  const hosts = useQuery(apiQuery('hosts', q.hosts));
  const parts = [
    state.country ? `from ${countryName(state.country)} (${state.country})` : null,
    state.port ? `to ${state.port.toUpperCase()}` : null,
    state.asn ? `in AS${state.asn.replace(/^AS/i, '')}` : null,
    state.prefix ? `in ${state.prefix}` : null,
    state.class !== 'any' ? `classed ${state.class}` : null,
  ].filter(Boolean);
  const title = `Source hosts${parts.length ? ` ${parts.join(', ')}` : ''}`;

  function exportCsv() {
    if (!hosts.data) return;
    const cap = caption(title);
    downloadText(
      csvLines([
        [
          'ip',
          'country',
          'asn',
          'as_org',
          'packets',
          'top_ports',
          'class',
          'fingerprints',
          'first_seen_utc',
          'last_seen_utc',
        ],
        ...hosts.data.map((h) => [
          h.ip,
          h.country,
          h.asn,
          h.asOrg,
          h.packets,
          h.ports.map((p) => `${p.port}:${p.packets}`).join(' '),
          h.class,
          h.fingerprints.join(' '),
          h.firstSeen,
          h.lastSeen,
        ]),
      ]),
      `${fileSlug(`${title} ${cap.period.split(':')[0]}`)}.csv`,
      'text/csv',
    );
  }

  return (
    <main>
      <ViewHeader
        title="Hosts"
        description="Source addresses seen by the telescope, by packets. Open one for its full profile."
        period={period}
        onPeriod={(p) => p && setState({ from: p.from, to: p.to })}
        sensors={state.sensors}
        onSensors={(sensors) => setState({ sensors })}
      />
      <Filters state={state} onChange={(patch) => setState(patch)} />
      <section className="card" aria-labelledby="hosts-title">
        <header className="card-head">
          <div>
            <h2 id="hosts-title" data-testid="hosts-title">
              {title}
            </h2>
            <p className="muted small">
              {caption(title).period} · Sensors: {caption(title).sensors}
              {hosts.data
                ? ` · ${hosts.data.length}${hosts.data.length === state.limit ? '+' : ''} hosts`
                : ''}
            </p>
          </div>
          <div className="card-tools">
            <button
              type="button"
              className="btn btn-small"
              onClick={exportCsv}
              disabled={!hosts.data?.length}
              data-export="csv"
            >
              CSV
            </button>
          </div>
        </header>
        {hosts.error ? (
          <ErrorState error={hosts.error} retry={() => hosts.refetch()} />
        ) : !hosts.data ? (
          <Loading label="Loading hosts" />
        ) : hosts.data.length === 0 ? (
          <Empty>No hosts in this slice.</Empty>
        ) : (
          <>
            <HostTable hosts={hosts.data} slice={slice} />
            {hosts.data.length === state.limit ? (
              <button
                type="button"
                className="btn"
                style={{ marginTop: 8 }}
                onClick={() => setState({ limit: Math.min(1000, state.limit * 4) })}
              >
                Show more
              </button>
            ) : null}
          </>
        )}
      </section>
    </main>
  );
}

type HostsFilter = Pick<
  ReturnType<typeof useView<typeof hostsState>>['state'],
  'country' | 'port' | 'asn' | 'class' | 'prefix'
>;

function Filters({
  state,
  onChange,
}: {
  state: HostsFilter;
  onChange: (patch: Partial<HostsFilter>) => void;
}) {
  const [country, setCountry] = useState(state.country ?? '');
  const [port, setPort] = useState(state.port ?? '');
  const [asn, setAsn] = useState(state.asn ?? '');
  const [prefix, setPrefix] = useState(state.prefix ?? '');
  const [error, setError] = useState<string | null>(null);

  function apply(e: FormEvent) {
    e.preventDefault();
    const cc = country.trim().toUpperCase();
    if (cc && !/^[A-Z]{2}$/.test(cc)) return setError('Country: an ISO alpha-2 code such as NZ');
    const p = port.trim() ? parsePortKey(port.includes('/') ? port : `${port.trim()}/tcp`) : null;
    if (port.trim() && !p) return setError('Port: such as 445/tcp');
    const a = asn.trim().replace(/^AS/i, '');
    if (a && !/^\d{1,10}$/.test(a)) return setError('AS: a number such as 4134');
    if (prefix.trim() && !parseIpPrefix(prefix))
      return setError('Prefix: a CIDR such as 203.0.113.0/24 or a start such as 203.0.');
    setError(null);
    onChange({
      country: cc || undefined,
      port: p ? portKey(p) : undefined,
      asn: a || undefined,
      prefix: prefix.trim() || undefined,
    });
  }

  return (
    <form className="card filters" onSubmit={apply} aria-label="Host filters">
      <label className="field">
        <span className="field-label">Country</span>
        <input
          type="text"
          size={4}
          value={country}
          onChange={(e) => setCountry(e.target.value)}
          placeholder="NZ"
          aria-label="Country code"
        />
      </label>
      <label className="field">
        <span className="field-label">Port</span>
        <input
          type="text"
          size={9}
          value={port}
          onChange={(e) => setPort(e.target.value)}
          placeholder="443/tcp"
          aria-label="Destination port"
        />
      </label>
      <label className="field">
        <span className="field-label">AS</span>
        <input
          type="text"
          size={9}
          value={asn}
          onChange={(e) => setAsn(e.target.value)}
          placeholder="AS4134"
          aria-label="AS number"
        />
      </label>
      <label className="field">
        <span className="field-label">Prefix</span>
        <input
          type="text"
          size={18}
          value={prefix}
          onChange={(e) => setPrefix(e.target.value)}
          placeholder="203.0.113.0/24"
          aria-label="Address prefix"
        />
      </label>
      <label className="field">
        <span className="field-label">Class</span>
        <select
          value={state.class}
          aria-label="Traffic class"
          onChange={(e) => onChange({ class: e.target.value as HostsFilter['class'] })}
        >
          <option value="any">any</option>
          <option value="scan">scan</option>
          <option value="backscatter">backscatter</option>
          <option value="other">other</option>
        </select>
      </label>
      <button type="submit" className="btn">
        Apply
      </button>
      {error ? (
        <span className="state-error small" role="alert" style={{ padding: '4px 8px' }}>
          {error}
        </span>
      ) : null}
    </form>
  );
}
