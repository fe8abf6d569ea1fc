'use client';
/**
 * What changed: the period's anomalies by severity, one sentence each, with a link to
 * the view holding the evidence; the selected anomaly's trend chart with the anomaly
 * marked; and its review state (reviewed + note, stored in the database).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import { marksFor } from '@/lib/anomalies/chart-marks';
import { evidenceChart } from '@/lib/anomalies/evidence';
import { ANOMALY_KINDS, type StoredAnomaly } from '@/lib/anomalies/types';
import { apiQuery } from '@/lib/api/query-options';
import { countryName } from '@/lib/charts/countries';
import { formatCompact, formatInt } from '@/lib/charts/format';
import { Empty, ErrorState, Loading } from '../states';
import { CopyLink, PeriodPicker } from '../view-header';
import { useView } from '../views/use-view';
import styles from './anomalies.module.css';
import { anomaliesState, anomalyListParams } from './anomalies-state';
import { anomaliesQuery, anomalyKeys, anomalyQuery, postReview } from './anomaly-queries';
import { MarkedTrend } from './marked-trend';

const KIND_LABEL: Record<string, string> = {
  backscatter: 'DDoS backscatter',
  spike: 'spike',
  'level-shift': 'level shift',
  'campaign-growth': 'campaign growth',
  'rank-move': 'rank move',
};

export function AnomaliesView() {
  const { state, setState, period } = useView(anomaliesState);
  const meta = useQuery(apiQuery('meta', {}));
  const params = anomalyListParams(state);
  const list = useQuery(anomaliesQuery(params));
  const rows = list.data ?? [];
  const selectedInList = rows.find((a) => a.id === state.anomaly);
  const single = useQuery({
    ...anomalyQuery(state.anomaly ?? ''),
    enabled: Boolean(state.anomaly) && !selectedInList && !list.isPending,
  });
  const selected = selectedInList ?? single.data;

  return (
    <main>
      <div className="view-header">
        <div className="view-title">
          <h1>Anomalies</h1>
          <p className="muted">
            What changed in the period, most severe first: spikes and level shifts per port,
            country, country × port and AS, DDoS backscatter events, campaign growth by TCP window
            size or fingerprint, and rank moves against the previous period. UTC days, all sensors.
          </p>
        </div>
        <div className="view-controls">
          <PeriodPicker
            period={period}
            extent={meta.data?.extent ?? null}
            onChange={(p) => p && setState({ from: p.from, to: p.to, anomaly: undefined })}
          />
          <CopyLink />
        </div>
      </div>
      <section className="card" aria-labelledby="anomaly-filters-title">
        <h2 id="anomaly-filters-title" className="sr-only">
          Filters
        </h2>
        <div className={styles.filters}>
          <label className="field">
            <span className="field-label">Kind</span>
            <select
              aria-label="Kind"
              value={state.kind}
              onChange={(e) => setState({ kind: e.target.value as typeof state.kind })}
            >
              <option value="all">All kinds</option>
              {ANOMALY_KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABEL[k]}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Country</span>
            <input
              aria-label="Country (ISO code)"
              placeholder="e.g. NZ"
              size={4}
              defaultValue={state.country ?? ''}
              onBlur={(e) =>
                setState({ country: e.target.value.trim().toUpperCase() || undefined })
              }
            />
          </label>
          <label className="field">
            <span className="field-label">Port</span>
            <input
              aria-label="Port (e.g. 443/tcp)"
              placeholder="e.g. 443/tcp"
              size={9}
              defaultValue={state.port ?? ''}
              onBlur={(e) => setState({ port: e.target.value.trim() || undefined })}
            />
          </label>
          <label className="field">
            <span className="field-label">Review</span>
            <select
              aria-label="Review state"
              value={state.status}
              onChange={(e) => setState({ status: e.target.value as typeof state.status })}
            >
              <option value="all">All</option>
              <option value="open">Not reviewed</option>
              <option value="reviewed">Reviewed</option>
            </select>
          </label>
        </div>
      </section>
      {selected ? (
        <AnomalyDetail
          key={selected.id}
          anomaly={selected}
          onClose={() => setState({ anomaly: undefined })}
        />
      ) : null}
      <section className="card" aria-labelledby="anomaly-list-title">
        <header className="card-head">
          <h2 id="anomaly-list-title">
            {list.data ? `${formatInt(rows.length)} anomalies` : 'Anomalies'}
          </h2>
          <span className="muted small">sorted by severity (0–100)</span>
        </header>
        {list.error ? (
          <ErrorState error={list.error} retry={() => list.refetch()} />
        ) : list.isPending ? (
          <Loading label="Detecting and loading anomalies" />
        ) : rows.length === 0 ? (
          <Empty>No anomaly in this period.</Empty>
        ) : (
          <ol className={styles.list} data-testid="anomaly-list">
            {rows.map((a) => (
              <li
                key={a.id}
                className={`${styles.row} ${a.id === state.anomaly ? styles.selected : ''} ${a.reviewed ? styles.reviewed : ''}`}
                data-testid="anomaly-row"
                data-kind={a.kind}
              >
                <SeverityBar value={a.severity} />
                <div className={styles.body}>
                  <div className={styles.meta}>
                    <span className={`tag ${styles[`kind-${a.kind}`] ?? ''}`}>
                      {KIND_LABEL[a.kind]}
                    </span>
                    <span className="mono small">
                      {a.kind === 'campaign-growth' || a.kind === 'rank-move'
                        ? `${a.periodFrom} – ${a.day}`
                        : a.day}
                    </span>
                    {a.reviewed ? <span className="tag">reviewed</span> : null}
                  </div>
                  <p className={styles.summary}>{a.summary}</p>
                  {a.note ? <p className="muted small">Note: {a.note}</p> : null}
                </div>
                <div className={styles.actions}>
                  <Link className="btn btn-small" href={a.link} data-testid="anomaly-link">
                    Open evidence
                  </Link>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => setState({ anomaly: a.id }, { replace: true })}
                  >
                    Details
                  </button>
                </div>
              </li>
            ))}
          </ol>
        )}
      </section>
    </main>
  );
}

function SeverityBar({ value }: { value: number }) {
  return (
    <div className={styles.severity} title={`severity ${value.toFixed(0)} / 100`}>
      <span className={styles.severityValue}>{value.toFixed(0)}</span>
      <span className={styles.severityTrack} aria-hidden="true">
        <span className={styles.severityFill} style={{ width: `${Math.min(100, value)}%` }} />
      </span>
    </div>
  );
}

function AnomalyDetail({ anomaly: a, onClose }: { anomaly: StoredAnomaly; onClose: () => void }) {
  const chart = evidenceChart(a);
  const marks = useMemo(() => marksFor([a]), [a]);
  return (
    <section className="card" aria-labelledby="anomaly-detail-title" data-testid="anomaly-detail">
      <header className="card-head">
        <div>
          <h2 id="anomaly-detail-title">{KIND_LABEL[a.kind]}</h2>
          <p>{a.summary}</p>
        </div>
        <div className="card-tools">
          <Link className="btn btn-small" href={a.link}>
            Open evidence
          </Link>
          <button type="button" className="btn btn-small" onClick={onClose}>
            Close
          </button>
        </div>
      </header>
      <div className="grid-2">
        {chart ? (
          <MarkedTrend
            id="chart-anomaly-evidence"
            title={chart.title}
            unit={chart.unit}
            params={chart.params}
            marks={marks}
          />
        ) : (
          <Empty>No trend chart for this anomaly.</Empty>
        )}
        <div>
          <Facts a={a} />
          <ReviewForm a={a} />
        </div>
      </div>
    </section>
  );
}

function Facts({ a }: { a: StoredAnomaly }) {
  const bs = a.details.backscatter;
  const growth = a.details.growth;
  return (
    <dl className={styles.facts} data-testid="anomaly-facts">
      <dt>Series</dt>
      <dd className="mono">
        {a.dimension} {a.key} ({a.metric})
      </dd>
      <dt>Observed / baseline</dt>
      <dd>
        {formatInt(a.observed)} / {formatInt(a.baseline)} (score {a.score})
      </dd>
      {bs ? (
        <>
          <dt>Victim organisation</dt>
          <dd>
            AS{bs.asn} {bs.asOrg} ({countryName(bs.country)})
          </dd>
          <dt>Victim addresses</dt>
          <dd>
            <ul className={styles.victims}>
              {bs.victims.map((v) => (
                <li key={v.ip}>
                  <Link
                    className="mono"
                    href={`/hosts/${encodeURIComponent(v.ip)}?from=${a.day}&to=${a.day}`}
                  >
                    {v.ip}
                  </Link>{' '}
                  <span className="muted small">
                    {formatInt(v.packets)} packets{v.window >= 0 ? ` · window ${v.window}` : ''}
                    {(v.seq ?? -1) >= 0 ? ` · seq ${v.seq}` : ''} · {v.ports.slice(0, 3).join(', ')}
                  </span>
                </li>
              ))}
            </ul>
          </dd>
          <dt>Packets</dt>
          <dd>
            {formatInt(bs.packets)} (SYN-ACK {formatInt(bs.types.synAck)}, RST{' '}
            {formatInt(bs.types.rst)}, ICMP {formatInt(bs.types.icmp)}, other{' '}
            {formatInt(bs.types.other)}), {bs.firstSeen.slice(11, 19)}–{bs.lastSeen.slice(11, 19)}{' '}
            UTC
          </dd>
          {bs.windows.length ? (
            <>
              <dt>TCP windows</dt>
              <dd>
                {bs.windows.map((w) => `${w.window} (${w.hosts} hosts)`).join(', ')}
                {bs.fixedWindow ? ' — fixed' : ''}
              </dd>
            </>
          ) : null}
          {/* Events detected before sequence numbers were reported have no `seqs`. */}
          {bs.seqs?.length ? (
            <>
              <dt>TCP sequence numbers</dt>
              <dd data-testid="anomaly-seqs">
                {bs.seqs.map((x) => `${x.seq} (${x.hosts} hosts)`).join(', ')}
                {bs.fixedSeq ? ' — fixed' : ''}
              </dd>
            </>
          ) : null}
          <dt>Attack rate (estimate)</dt>
          <dd>
            ~{formatCompact(Math.round(bs.estimatedAttackRate))} packets/s: observed{' '}
            {bs.observedRate.toFixed(3)} packets/s × 2³² / {formatInt(bs.telescopeAddresses)}{' '}
            monitored addresses ({bs.telescopeSource})
          </dd>
        </>
      ) : null}
      {growth ? (
        <>
          <dt>Weekly distinct hosts</dt>
          <dd className="mono small">{growth.weeks.map((w) => w.hosts).join(' · ')}</dd>
          <dt>{growth.restLabel}</dt>
          <dd className="mono small">{growth.weeks.map((w) => w.rest).join(' · ')}</dd>
        </>
      ) : null}
      {a.details.related?.length ? (
        <>
          <dt>Same event in</dt>
          <dd>
            {a.details.related
              .map(
                (r) =>
                  `${r.dimension} ${r.key} (${r.kind}, ${formatInt(r.observed)} vs ${formatInt(r.baseline)})`,
              )
              .join('; ')}
          </dd>
        </>
      ) : null}
      {a.details.links?.length ? (
        <>
          <dt>More evidence</dt>
          <dd>
            {a.details.links.map((l) => (
              <Link key={l.href} href={l.href}>
                {l.label}
              </Link>
            ))}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

function ReviewForm({ a }: { a: StoredAnomaly }) {
  const qc = useQueryClient();
  const [note, setNote] = useState(a.note);
  useEffect(() => setNote(a.note), [a.note]);
  const m = useMutation({
    mutationFn: (body: { reviewed: boolean; note?: string }) => postReview(a.id, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: anomalyKeys.all }),
  });
  return (
    <form
      className={styles.review}
      onSubmit={(e) => {
        e.preventDefault();
        m.mutate({ reviewed: true, note });
      }}
    >
      <label className="field">
        <span className="field-label">Analyst note</span>
        <textarea
          rows={3}
          maxLength={2000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          aria-label="Analyst note"
        />
      </label>
      <div className={styles.reviewButtons}>
        <button type="submit" className="btn" disabled={m.isPending} data-testid="mark-reviewed">
          {a.reviewed ? 'Save note' : 'Mark reviewed'}
        </button>
        {a.reviewed ? (
          <button
            type="button"
            className="btn"
            disabled={m.isPending}
            onClick={() => m.mutate({ reviewed: false, note })}
          >
            Reopen
          </button>
        ) : null}
        {a.reviewedAt ? (
          <span className="muted small">
            reviewed {a.reviewedAt.replace('T', ' ').slice(0, 16)} UTC
          </span>
        ) : null}
      </div>
      {m.error ? <ErrorState error={m.error} /> : null}
    </form>
  );
}
