import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { HostView } from '@/components/views/host-view';
import { type SearchParams, setupPage } from '@/lib/api/page';
import { canonicalIp } from '@/lib/api/params';
import { prefetch } from '@/lib/api/server';
import { parseState, recordGetter } from '@/lib/url-state/codec';
import { hostState, sliceParams } from '@/lib/url-state/views';

type Params = Promise<{ ip: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: decodeURIComponent((await params).ip) };
}

export default async function HostPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: SearchParams;
}) {
  const ip = canonicalIp(decodeURIComponent((await params).ip));
  if (!ip) notFound();
  const sp = await searchParams;
  const { qc } = await setupPage(`/hosts/${encodeURIComponent(ip)}`, sp, { requirePeriod: false });
  await prefetch(qc, 'host', { ...sliceParams(parseState(hostState, recordGetter(sp))), ip });
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <HostView ip={ip} />
    </HydrationBoundary>
  );
}
