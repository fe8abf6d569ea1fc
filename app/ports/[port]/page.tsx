import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { PortDetailView } from '@/components/views/port-detail-view';
import { type SearchParams, setupPage } from '@/lib/api/page';
import { parsePortKey, portKey, portLabel } from '@/lib/api/port-key';
import { prefetch } from '@/lib/api/server';
import { parseState, recordGetter } from '@/lib/url-state/codec';
import { portDetailQueries } from '@/lib/url-state/view-queries';
import { portDetailState } from '@/lib/url-state/views';

type Params = Promise<{ port: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const p = parsePortKey(decodeURIComponent((await params).port));
  return { title: p ? portLabel(p) : 'Port' };
}

export default async function PortDetailPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: SearchParams;
}) {
  const port = parsePortKey(decodeURIComponent((await params).port));
  if (!port) notFound();
  const sp = await searchParams;
  const slug = `${port.port}-${port.proto}`;
  const { qc } = await setupPage(`/ports/${slug}`, sp);
  const q = portDetailQueries(parseState(portDetailState, recordGetter(sp)), portKey(port));
  await Promise.all([
    prefetch(qc, 'series', q.trend),
    port.proto === 'tcp' ? prefetch(qc, 'series', q.windows) : null,
    prefetch(qc, 'series', q.tags),
    prefetch(qc, 'countries/top', q.countries),
    prefetch(qc, 'hosts', q.hosts),
  ]);
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <PortDetailView port={port} />
    </HydrationBoundary>
  );
}
