'use client';
import { Segmented } from './controls';

export function MetricToggle({
  value,
  onChange,
}: {
  value: 'packets' | 'sources';
  onChange: (v: 'packets' | 'sources') => void;
}) {
  return (
    <Segmented
      label="Metric"
      value={value}
      options={[
        { value: 'packets', label: 'Packets' },
        { value: 'sources', label: 'Sources' },
      ]}
      onChange={onChange}
    />
  );
}

export function ScaleToggle({
  value,
  onChange,
}: {
  value: 'linear' | 'log';
  onChange: (v: 'linear' | 'log') => void;
}) {
  return (
    <Segmented
      label="Scale"
      value={value}
      options={[
        { value: 'linear', label: 'Linear' },
        { value: 'log', label: 'Log' },
      ]}
      onChange={onChange}
    />
  );
}

/** The previous period drawn dashed, or not ('vs previous' first where it is the default). */
export function CompareToggle({
  value,
  onChange,
  previousFirst = false,
  disabled = false,
}: {
  value: 'previous' | 'none';
  onChange: (v: 'previous' | 'none') => void;
  previousFirst?: boolean;
  /** The chart cannot draw it (stacked areas). */
  disabled?: boolean;
}) {
  const previous = { value: 'previous' as const, label: 'vs previous', disabled };
  const none = { value: 'none' as const, label: 'No compare' };
  return (
    <Segmented
      label="Compare"
      value={value}
      options={previousFirst ? [previous, none] : [none, previous]}
      onChange={onChange}
    />
  );
}
