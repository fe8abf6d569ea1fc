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
