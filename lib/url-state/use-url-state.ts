'use client';
/**
 * A view's state from the URL, and a setter that writes it back with the History API
 * (Next.js syncs pushState with useSearchParams: no server round trip, data comes from
 * the JSON API through TanStack Query).
 */
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { formatState, parseState, type Schema, type StateOf } from './codec';

export type SetState<S extends Schema> = (
  patch: Partial<StateOf<S>>,
  opts?: { replace?: boolean },
) => void;

export function useUrlState<S extends Schema>(schema: S): [StateOf<S>, SetState<S>] {
  const params = useSearchParams();
  const pathname = usePathname();
  const state = useMemo(() => parseState(schema, (k) => params.get(k)), [schema, params]);
  const set = useCallback<SetState<S>>(
    (patch, opts) => {
      const current = parseState(schema, (k) => new URLSearchParams(window.location.search).get(k));
      const qs = formatState(schema, { ...current, ...patch }).toString();
      const url = qs ? `${pathname}?${qs}` : pathname;
      if (opts?.replace) window.history.replaceState(null, '', url);
      else window.history.pushState(null, '', url);
    },
    [schema, pathname],
  );
  return [state, set];
}
