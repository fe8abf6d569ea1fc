'use client';
import { ErrorState } from '@/components/states';

export default function RootError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <main>
      <h1>Something went wrong</h1>
      <ErrorState error={error} retry={reset} />
    </main>
  );
}
