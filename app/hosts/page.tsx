import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { HostsView } from '@/components/views/hosts-view';
import { type SearchParams, setupPage } from '@/lib/api/page';
import { prefetch } from '@/lib/api/server';
import { parseState, recordGetter } from '@/lib/url-state/codec';
import { hostsQueries } from '@/lib/url-state/view-queries';
import { hostsState } from '@/lib/url-state/views';

export const metadata: Metadata = { title: 'Hosts' };

export default async function HostsPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const { qc } = await setupPage('/hosts', sp);
  await prefetch(qc, 'hosts', hostsQueries(parseState(hostsState, recordGetter(sp))).hosts);
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <HostsView />
    </HydrationBoundary>
  );
}
