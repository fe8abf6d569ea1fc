import { Loading } from '@/components/states';

export default function RootLoading() {
  return (
    <main>
      <Loading label="Loading view" height={320} />
    </main>
  );
}
