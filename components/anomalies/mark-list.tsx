'use client';
/**
 * The anomalies pinned on a chart, as text under it (the tooltip's sentences for
 * keyboard and screen-reader users, and what a reader of the export does not see).
 */
import type { ChartMark, MarkRange } from '@/lib/charts/marks';

function rangeText(r: MarkRange): string {
  return r.from === r.to ? r.from : `${r.from} to ${r.to}`;
}

export function MarkList({
  marks,
  highlight,
  error,
}: {
  marks: ChartMark[];
  highlight: MarkRange | null;
  error?: Error | null;
}) {
  if (error) {
    return (
      <p className="mark-list small muted" data-testid="chart-marks-error">
        Anomalies could not be loaded: {error.message}
      </p>
    );
  }
  if (marks.length === 0 && !highlight) return null;
  const selected = marks.find((m) => m.selected);
  return (
    <details className="mark-list small" data-testid="chart-marks" open={Boolean(selected)}>
      <summary>
        {marks.length === 0
          ? 'No stored anomaly on this chart'
          : `${marks.length} ${marks.length === 1 ? 'anomaly' : 'anomalies'} marked`}
        {highlight ? (
          <span className="mark-linked" data-testid="chart-marks-linked">
            {' '}
            · linked anomaly: {rangeText(highlight)} (UTC)
          </span>
        ) : null}
      </summary>
      {marks.length ? (
        <ul>
          {marks.map((m) => (
            <li
              key={`${m.id ?? m.label}-${m.day}-${m.series ?? ''}`}
              data-day={m.day}
              data-anomaly-id={m.id}
              data-selected={m.selected ? '1' : undefined}
              className={m.selected ? 'mark-selected' : undefined}
            >
              <span className="mono">{m.day}</span> <strong>{m.label}</strong>
              {m.series ? <span className="muted"> ({m.series})</span> : null}: {m.summary}
            </li>
          ))}
        </ul>
      ) : null}
    </details>
  );
}
