'use client';
/**
 * A view's title bar: period (presets or custom UTC days), sensors, the compared
 * period, and "Copy link" (the URL holds the whole view state).
 */
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import {
  type DataSpan,
  type Period,
  periodCaption,
  periodLabel,
  periodPresets,
  previousPeriod,
} from '@/lib/api/period';
import { apiQuery } from '@/lib/api/query-options';

export interface ViewHeaderProps {
  title: ReactNode;
  description?: ReactNode;
  period: Period | null;
  onPeriod?: (p: Period | null) => void;
  sensors: string[];
  onSensors: (names: string[]) => void;
  /** Show what the period is compared with (views with ranks and moves). */
  showPrevious?: boolean;
  /** Offer "All days" (the host page). */
  allowAllDays?: boolean;
  /** Views with trend charts: show or hide the anomalies marked on them (URL state). */
  annotations?: { show: boolean; onChange: (show: boolean) => void };
  children?: ReactNode;
}

export function ViewHeader(props: ViewHeaderProps) {
  const meta = useQuery(apiQuery('meta', {}));
  const extent = meta.data?.extent ?? null;
  return (
    <div className="view-header">
      <div className="view-title">
        <h1>{props.title}</h1>
        {props.description ? <p className="muted">{props.description}</p> : null}
      </div>
      <div className="view-controls">
        {props.onPeriod ? (
          <PeriodPicker
            period={props.period}
            extent={extent}
            onChange={props.onPeriod}
            allowAllDays={props.allowAllDays}
          />
        ) : null}
        <SensorPicker
          all={meta.data?.sensors ?? []}
          value={props.sensors}
          onChange={props.onSensors}
        />
        {props.annotations ? (
          <button
            type="button"
            className={`btn btn-small${props.annotations.show ? ' on' : ''}`}
            aria-pressed={props.annotations.show}
            data-testid="toggle-annotations"
            title="Anomalies (pins) and the linked anomaly's days on the trend charts"
            onClick={() => props.annotations?.onChange(!props.annotations.show)}
          >
            Anomaly marks: {props.annotations.show ? 'shown' : 'hidden'}
          </button>
        ) : null}
        <CopyLink />
      </div>
      <p className="period-line small" data-testid="period-line">
        {props.period ? (
          <>
            <strong>{periodCaption(props.period)}</strong>
            {props.showPrevious ? (
              <span className="muted">
                {' '}
                · compared with {periodLabel(previousPeriod(props.period))} (
                {periodCaption(previousPeriod(props.period)).replace(/^.*?: /, '')})
              </span>
            ) : null}
          </>
        ) : (
          <strong>All days with data (UTC)</strong>
        )}
        {extent ? (
          <span className="muted">
            {' '}
            · data from {extent.from} to {extent.to}
          </span>
        ) : null}
        {props.children}
      </p>
    </div>
  );
}

export function PeriodPicker({
  period,
  extent,
  onChange,
  allowAllDays,
}: {
  period: Period | null;
  extent: DataSpan | null;
  onChange: (p: Period | null) => void;
  allowAllDays?: boolean;
}) {
  const presets = extent ? periodPresets(extent) : [];
  const current = period
    ? presets.find((p) => p.from === period.from && p.to === period.to)
    : undefined;
  const value = period ? (current ? `${current.from}..${current.to}` : 'custom') : 'all';
  return (
    <div className="period-picker">
      <label className="field">
        <span className="field-label">Period</span>
        <select
          value={value}
          aria-label="Period"
          onChange={(e) => {
            const v = e.target.value;
            if (v === 'all') onChange(null);
            else if (v !== 'custom') {
              const [from, to] = v.split('..') as [string, string];
              onChange({ from, to });
            }
          }}
        >
          {allowAllDays ? <option value="all">All days</option> : null}
          {presets.map((p) => (
            <option key={`${p.from}..${p.to}`} value={`${p.from}..${p.to}`}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </label>
      <label className="field">
        <span className="field-label">From (UTC)</span>
        <input
          type="date"
          aria-label="From (UTC day)"
          value={period?.from ?? ''}
          min={extent?.from}
          max={period?.to ?? extent?.to}
          onChange={(e) => {
            const from = e.target.value;
            if (from) onChange({ from, to: period?.to && period.to >= from ? period.to : from });
          }}
        />
      </label>
      <label className="field">
        <span className="field-label">To (UTC)</span>
        <input
          type="date"
          aria-label="To (UTC day)"
          value={period?.to ?? ''}
          min={period?.from ?? extent?.from}
          max={extent?.to}
          onChange={(e) => {
            const to = e.target.value;
            if (to) onChange({ from: period?.from && period.from <= to ? period.from : to, to });
          }}
        />
      </label>
    </div>
  );
}

export function SensorPicker({
  all,
  value,
  onChange,
}: {
  all: readonly { name: string; prefixes: readonly string[] }[];
  value: string[];
  onChange: (names: string[]) => void;
}) {
  const label =
    value.length === 0 ? 'All sensors' : value.length === 1 ? value[0] : `${value.length} sensors`;
  return (
    <details className="field sensor-picker">
      <summary>
        <span className="field-label">Sensors</span>
        <span className="sensor-value">{label}</span>
      </summary>
      <fieldset className="dropdown">
        <legend className="sr-only">Sensors</legend>
        <label>
          <input type="checkbox" checked={value.length === 0} onChange={() => onChange([])} /> All
          sensors (rollup)
        </label>
        {all.map(({ name, prefixes }) => (
          <label
            key={name}
            title={prefixes.length > 0 ? `Monitors ${prefixes.join(', ')}` : undefined}
          >
            <input
              type="checkbox"
              checked={value.includes(name)}
              onChange={(e) =>
                onChange(
                  e.target.checked ? [...value, name].sort() : value.filter((v) => v !== name),
                )
              }
            />{' '}
            {name}
            {prefixes.length > 0 ? (
              <span className="muted small sensor-prefixes"> {prefixes.join(', ')}</span>
            ) : null}
          </label>
        ))}
      </fieldset>
    </details>
  );
}

export function CopyLink() {
  const [copied, setCopied] = useState<string | null>(null);
  async function copy() {
    const url = window.location.href;
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      // No clipboard permission: the URL is shown selected below for manual copying.
    }
    setCopied(url);
    setTimeout(() => setCopied(null), 4000);
  }
  return (
    <div className="copy-link">
      <button type="button" className="btn" onClick={copy} data-testid="copy-link">
        {copied ? 'Link copied' : 'Copy link'}
      </button>
      {copied ? (
        <input
          className="copied-url"
          readOnly
          value={copied}
          aria-label="Link to this view"
          data-testid="copied-url"
          onFocus={(e) => e.currentTarget.select()}
        />
      ) : null}
    </div>
  );
}
