import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import { OverviewView } from '@/components/views/overview-view';
import { type SearchParams, setupPage } from '@/lib/api/page';
import { prefetch } from '@/lib/api/server';
import { parseState, recordGetter } from '@/lib/url-state/codec';
import { countrySparkParams, overviewQueries, portSparkParams } from '@/lib/url-state/view-queries';
import { overviewState, sliceParams } from '@/lib/url-state/views';

export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const { qc } = await setupPage('/', sp);
  const state = parseState(overviewState, recordGetter(sp));
  const q = overviewQueries(state);
  const [, ports, countries] = await Promise.all([
    prefetch(qc, 'totals', q.totals),
    prefetch(qc, 'ports/top', q.ports),
    prefetch(qc, 'countries/top', q.countries),
    prefetch(qc, 'series', q.series),
    q.previousSeries ? prefetch(qc, 'series', q.previousSeries) : null,
  ]);
  const slice = sliceParams(state);
  const ps = portSparkParams(slice, ports);
  const cs = countrySparkParams(slice, countries);
  await Promise.all([ps && prefetch(qc, 'series', ps), cs && prefetch(qc, 'series', cs)]);
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <OverviewView />
    </HydrationBoundary>
  );
}
