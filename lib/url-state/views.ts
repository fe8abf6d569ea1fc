/** Every view's URL state: the single source of truth for what a view shows. */
import {
  anomalyIdCodec,
  boolCodec,
  countryCodec,
  dayCodec,
  enumCodec,
  intCodec,
  markCodec,
  portCodec,
  portListCodec,
  type Schema,
  type StateOf,
  sensorListCodec,
  textCodec,
  zoomCodec,
} from './codec';

const period = { from: dayCodec, to: dayCodec, sensors: sensorListCodec };
const metric = enumCodec(['packets', 'sources'] as const, 'packets');
const scale = enumCodec(['linear', 'log'] as const, 'linear');
/**
 * Anomaly annotations on the view's trend charts: `mark` (the days an anomaly deep link
 * highlights), `anomaly` (its id: its pin is drawn distinctly) and `annotations=0` (hide
 * every anomaly mark).
 */
const annotations = {
  mark: markCodec,
  anomaly: anomalyIdCodec,
  annotations: boolCodec(true),
};

export const overviewState = {
  ...period,
  compare: enumCodec(['previous', 'none'] as const, 'previous'),
  n: intCodec(10, 3, 25),
  metric,
  ...annotations,
} satisfies Schema;

export const portTrendsState = {
  ...period,
  ports: portListCodec,
  n: intCodec(5, 1, 10),
  metric,
  scale,
  stack: boolCodec(false),
  /** Dashed lines of the same ports over the previous period. */
  compare: enumCodec(['none', 'previous'] as const, 'none'),
  /** 'sensor': each day divided by the sensors that reported it (API per=sensor). */
  per: enumCodec(['all', 'sensor'] as const, 'all'),
  zoom: zoomCodec,
  ...annotations,
} satisfies Schema;

export const portDetailState = {
  ...period,
  metric,
  scale,
  /** How many TCP windows get their own line (the rest is "other"). */
  windows: intCodec(1, 1, 8),
  split: enumCodec(['class', 'fingerprint'] as const, 'class'),
  zoom: zoomCodec,
  ...annotations,
} satisfies Schema;

export const countriesState = {
  ...period,
  metric,
  port: portCodec,
  n: intCodec(20, 5, 100),
} satisfies Schema;

export const countryDetailState = {
  ...period,
  metric,
  scale,
  /** The port whose share and window split the view shows (default: the country's top port). */
  port: portCodec,
  windows: intCodec(1, 1, 8),
  zoom: zoomCodec,
  ...annotations,
} satisfies Schema;

export const hostsState = {
  ...period,
  country: countryCodec,
  port: portCodec,
  asn: textCodec(12),
  class: enumCodec(['any', 'scan', 'backscatter', 'other'] as const, 'any'),
  prefix: textCodec(64),
  limit: intCodec(50, 10, 1000),
} satisfies Schema;

export const hostState = { ...period } satisfies Schema;

export type OverviewState = StateOf<typeof overviewState>;
export type PortTrendsState = StateOf<typeof portTrendsState>;
export type PortDetailState = StateOf<typeof portDetailState>;
export type CountriesState = StateOf<typeof countriesState>;
export type CountryDetailState = StateOf<typeof countryDetailState>;
export type HostsState = StateOf<typeof hostsState>;
export type HostState = StateOf<typeof hostState>;

/** The annotation fields of a view's state. */
export interface AnnotationState {
  mark: { from: string; to: string } | null;
  anomaly: string | undefined;
  annotations: boolean;
}

/** The parameters every API call of a view shares: period and sensors. */
export function sliceParams(s: { from?: string; to?: string; sensors: string[] }) {
  return { from: s.from, to: s.to, sensors: s.sensors.length ? s.sensors.join(',') : undefined };
}
