import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { anomaliesState, anomalyListParams } from '@/components/anomalies/anomalies-state';
import { AnomaliesView } from '@/components/anomalies/anomalies-view';
import { anomaliesQuery } from '@/components/anomalies/anomaly-queries';
import { type SearchParams, setupPage } from '@/lib/api/page';
import { getAnomalies } from '@/lib/queries/anomalies';
import { parseState, recordGetter } from '@/lib/url-state/codec';

export const metadata: Metadata = { title: 'Anomalies' };

export default async function AnomaliesPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const { qc } = await setupPage('/anomalies', sp);
  const params = anomalyListParams(parseState(anomaliesState, recordGetter(sp)));
  await qc.prefetchQuery({
    ...anomaliesQuery(params),
    queryFn: () => getAnomalies(params),
    retry: false,
  });
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <AnomaliesView />
    </HydrationBoundary>
  );
}
