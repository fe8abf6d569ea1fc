import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { CountryDetailView } from '@/components/views/country-detail-view';
import { type SearchParams, setupPage } from '@/lib/api/page';
import { prefetch } from '@/lib/api/server';
import { countryName } from '@/lib/charts/countries';
import { parseState, recordGetter } from '@/lib/url-state/codec';
import {
  countryDetailQueries,
  countryFocusQueries,
  portSparkParams,
} from '@/lib/url-state/view-queries';
import { countryDetailState, sliceParams } from '@/lib/url-state/views';

type Params = Promise<{ cc: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const cc = (await params).cc.toUpperCase();
  return { title: /^[A-Z]{2}$/.test(cc) ? countryName(cc) : 'Country' };
}

export default async function CountryDetailPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: SearchParams;
}) {
  const raw = (await params).cc;
  if (!/^[A-Za-z]{2}$/.test(raw)) notFound();
  const cc = raw.toUpperCase();
  const sp = await searchParams;
  const { qc } = await setupPage(`/countries/${cc}`, sp);
  const state = parseState(countryDetailState, recordGetter(sp));
  const q = countryDetailQueries(state, cc);
  const [, ports] = await Promise.all([
    prefetch(qc, 'series', q.trend),
    prefetch(qc, 'ports/top', q.ports),
    prefetch(qc, 'port-share', q.share),
    prefetch(qc, 'asns/top', q.asns),
    prefetch(qc, 'hosts', q.hosts),
  ]);
  const focus = state.port ?? (ports?.[0] ? `${ports[0].port}/${ports[0].proto}` : undefined);
  const fq = focus ? countryFocusQueries(state, cc, focus) : null;
  const spark = portSparkParams(sliceParams(state), ports, { country: cc });
  await Promise.all([
    fq ? prefetch(qc, 'port-share/series', fq.shareSeries) : null,
    fq?.windows ? prefetch(qc, 'series', fq.windows) : null,
    spark ? prefetch(qc, 'series', spark) : null,
  ]);
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <CountryDetailView country={cc} />
    </HydrationBoundary>
  );
}
