/** Stable anomaly ids: the same event detected again keeps its id (and its review state). */
import { createHash } from 'node:crypto';

/** 16 hex digits of SHA-256 over kind, period and series. */
export function anomalyId(
  kind: string,
  periodFrom: string,
  day: string,
  dimension: string,
  key: string,
): string {
  return createHash('sha256')
    .update([kind, periodFrom, day, dimension, key].join('\u0000'))
    .digest('hex')
    .slice(0, 16);
}

export const ANOMALY_ID_RE = /^[0-9a-f]{16}$/;
