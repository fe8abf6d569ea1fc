/** The anomaly view's URL state (a copied URL reopens the same list and selection). */
import { ANOMALY_KINDS } from '@/lib/anomalies/types';
import type { ApiParams } from '@/lib/api/endpoints';
import {
  countryCodec,
  dayCodec,
  enumCodec,
  portCodec,
  type Schema,
  type StateOf,
  sensorListCodec,
  textCodec,
} from '@/lib/url-state/codec';

export const anomaliesState = {
  from: dayCodec,
  to: dayCodec,
  /** Kept for the shared view plumbing; anomalies are detected on the all-sensors rollup. */
  sensors: sensorListCodec,
  kind: enumCodec(['all', ...ANOMALY_KINDS] as const, 'all'),
  country: countryCodec,
  port: portCodec,
  status: enumCodec(['all', 'open', 'reviewed'] as const, 'all'),
  /** The selected anomaly (its evidence chart and review form). */
  anomaly: textCodec(16),
} satisfies Schema;

export type AnomaliesState = StateOf<typeof anomaliesState>;

export const LIST_LIMIT = 200;

/** /api/v1/anomalies parameters for a state. */
export function anomalyListParams(s: AnomaliesState): ApiParams {
  return {
    from: s.from,
    to: s.to,
    kind: s.kind === 'all' ? undefined : s.kind,
    country: s.country,
    port: s.port,
    reviewed: s.status === 'open' ? 'false' : s.status === 'reviewed' ? 'true' : undefined,
    limit: String(LIST_LIMIT),
  };
}
