/**
 * What every view page does first on the server: the request's QueryClient, the data
 * extent (meta), and a redirect that writes the default period into the URL when it is
 * missing, so the address bar always holds the complete, shareable view state.
 */
import 'server-only';
import { redirect } from 'next/navigation';
import { isDay } from './period';
import { getServerQueryClient, prefetch } from './server';
import type { Meta } from './types';

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export async function setupPage(
  pathname: string,
  sp: Record<string, string | string[] | undefined>,
  opts: { requirePeriod?: boolean } = {},
) {
  const qc = getServerQueryClient();
  const meta: Meta | undefined = await prefetch(qc, 'meta', {});
  const from = first(sp.from);
  const to = first(sp.to);
  const valid = from !== undefined && to !== undefined && isDay(from) && isDay(to) && from <= to;
  if ((opts.requirePeriod ?? true) && !valid && meta?.defaultPeriod) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(sp)) {
      const f = first(v);
      if (f !== undefined && k !== 'from' && k !== 'to') qs.set(k, f);
    }
    const p = meta.defaultPeriod;
    redirect(
      `${pathname}?${new URLSearchParams({ from: p.from, to: p.to }).toString()}${qs.size ? `&${qs}` : ''}`,
    );
  }
  return { qc, meta };
}
