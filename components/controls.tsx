'use client';
/** Small shared controls: segmented toggles, move badges, sparklines. */
import { sparklinePath } from '@/lib/charts/sparkline';

export function Segmented<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: readonly { value: T; label: string; disabled?: boolean }[];
  onChange: (v: T) => void;
}) {
  return (
    <fieldset className="segmented">
      <legend className="sr-only">{label}</legend>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={o.value === value}
          className={o.value === value ? 'on' : undefined}
          disabled={o.disabled}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </fieldset>
  );
}

/** Rank move against the previous period: ▲3 (up), ▼2 (down), new, or =. */
export function Move({ rank, previousRank }: { rank: number; previousRank: number | null }) {
  if (previousRank === null) {
    return (
      <span className="move move-new" title="Not seen in the previous period">
        new
      </span>
    );
  }
  const d = previousRank - rank;
  if (d === 0) {
    return (
      <span className="move move-same" title={`Rank ${previousRank} before too`}>
        =
      </span>
    );
  }
  return (
    <span
      className={d > 0 ? 'move move-up' : 'move move-down'}
      title={`Rank ${previousRank} in the previous period`}
    >
      <span aria-hidden="true">
        {d > 0 ? '▲' : '▼'}
        {Math.abs(d)}
      </span>
      <span className="sr-only">{`${d > 0 ? 'up' : 'down'} ${Math.abs(d)} from ${previousRank}`}</span>
    </span>
  );
}

export function Sparkline({
  values,
  width = 96,
  height = 22,
  label,
}: {
  values: number[];
  width?: number;
  height?: number;
  label: string;
}) {
  return (
    <svg
      className="sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
    >
      <path
        d={sparklinePath(values, width, height)}
        fill="none"
        stroke="currentColor"
        strokeWidth={1.3}
      />
    </svg>
  );
}
