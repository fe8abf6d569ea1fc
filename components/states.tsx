/** Loading, error and empty states shared by every view. */
import { ApiError } from '@/lib/api/errors';

export function Loading({ label = 'Loading', height = 120 }: { label?: string; height?: number }) {
  return (
    <div
      className="state state-loading"
      style={{ minHeight: height }}
      aria-busy="true"
      role="status"
    >
      <span className="spinner" aria-hidden="true" />
      {label}…
    </div>
  );
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const message =
    error instanceof ApiError
      ? error.message
      : error instanceof Error
        ? error.message
        : 'Something went wrong while loading this view.';
  return (
    <div className="state state-error" role="alert">
      <strong>Could not load this data.</strong> <span>{message}</span>
      {retry ? (
        <button type="button" className="btn btn-small" onClick={retry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}
