import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { CountriesView } from '@/components/views/countries-view';
import { type SearchParams, setupPage } from '@/lib/api/page';
import { prefetch } from '@/lib/api/server';
import { parseState, recordGetter } from '@/lib/url-state/codec';
import { countriesQueries, countrySparkParams } from '@/lib/url-state/view-queries';
import { countriesState, sliceParams } from '@/lib/url-state/views';

export const metadata: Metadata = { title: 'Countries' };

export default async function CountriesPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const { qc } = await setupPage('/countries', sp);
  const state = parseState(countriesState, recordGetter(sp));
  const q = countriesQueries(state);
  const countries = await prefetch(qc, 'countries/top', q.countries);
  const spark = countrySparkParams(sliceParams(state), countries?.slice(0, state.n), {
    port: state.port,
  });
  if (spark) await prefetch(qc, 'series', spark);
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <CountriesView />
    </HydrationBoundary>
  );
}
