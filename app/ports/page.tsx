import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { PortTrendsView } from '@/components/views/port-trends-view';
import { type SearchParams, setupPage } from '@/lib/api/page';
import { prefetch } from '@/lib/api/server';
import { parseState, recordGetter } from '@/lib/url-state/codec';
import { portTrendsQueries } from '@/lib/url-state/view-queries';
import { portTrendsState } from '@/lib/url-state/views';

export const metadata: Metadata = { title: 'Port trends' };

export default async function PortTrendsPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const { qc } = await setupPage('/ports', sp);
  const q = portTrendsQueries(parseState(portTrendsState, recordGetter(sp)));
  await Promise.all([prefetch(qc, 'series', q.series), prefetch(qc, 'ports/top', q.ports)]);
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <PortTrendsView />
    </HydrationBoundary>
  );
}
