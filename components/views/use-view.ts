'use client';
/** Shared bits of every view: URL state, the resolved period, captions. */
import { periodCaption } from '@/lib/api/period';
import { makeCaption } from '@/lib/charts/caption';
import type { Schema, StateOf } from '@/lib/url-state/codec';
import { useUrlState } from '@/lib/url-state/use-url-state';

type PeriodFields = { from?: string; to?: string; sensors: string[] };

export function useView<S extends Schema>(schema: S) {
  const [state, setState] = useUrlState(schema);
  const s = state as StateOf<S> & PeriodFields;
  const period = s.from && s.to ? { from: s.from, to: s.to } : null;
  const caption = (title: string) => makeCaption(title, period, s.sensors, periodCaption);
  const slice = { from: s.from, to: s.to, sensors: s.sensors };
  return { state, setState, period, caption, slice };
}
