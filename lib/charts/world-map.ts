/**
 * The world choropleth's geometry and colours: world-atlas 1:110m TopoJSON projected
 * with d3-geo (Equal Earth), country ids mapped to ISO alpha-2; a log-bucketed
 * sequential scale with its legend. Pure: the map component only draws the result.
 */
import { geoEqualEarth, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import codes from 'i18n-iso-countries/codes.json';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import world from 'world-atlas/countries-110m.json';
import { NO_DATA, SEQUENTIAL } from './palette';

/** ISO numeric ('643', '4') to alpha-2 ('RU', 'AF'). */
const BY_NUMERIC = new Map((codes as string[][]).map((c) => [c[2]!, c[0]!]));

export function numericToAlpha2(id: string): string | undefined {
  return BY_NUMERIC.get(`000${id}`.slice(-3));
}

export interface CountryShape {
  /** ISO alpha-2, or '' for shapes without a code. */
  cc: string;
  name: string;
  d: string;
}

/** Features without an ISO numeric id in world-atlas. */
const BY_NAME: Record<string, string> = { Kosovo: 'XK', 'N. Cyprus': 'CY', Somaliland: 'SO' };
const ANTARCTICA = '010';

export const MAP_WIDTH = 960;
export const MAP_HEIGHT = 470;

let cached: CountryShape[] | undefined;

/** Every country's SVG path in a MAP_WIDTH x MAP_HEIGHT box (computed once). */
export function worldShapes(): CountryShape[] {
  if (cached) return cached;
  const topo = world as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const fc = feature(topo, topo.objects.countries) as FeatureCollection<Geometry, { name: string }>;
  const features = fc.features.filter((f) => f.id !== ANTARCTICA);
  const projection = geoEqualEarth().fitExtent(
    [
      [4, 4],
      [MAP_WIDTH - 4, MAP_HEIGHT - 4],
    ],
    { type: 'FeatureCollection', features } as FeatureCollection,
  );
  const path = geoPath(projection);
  cached = features.map((f: Feature<Geometry, { name: string }>) => {
    const name = f.properties?.name ?? '';
    const cc =
      (f.id !== undefined ? numericToAlpha2(String(f.id)) : undefined) ?? BY_NAME[name] ?? '';
    return { cc, name, d: path(f) ?? '' };
  });
  return cached;
}

export interface ColorScale {
  color: (value: number | undefined) => string;
  /** Legend buckets, low to high: [from, to) with their colour. */
  buckets: { from: number; to: number; color: string }[];
}

function niceFloor(v: number): number {
  if (v <= 0) return 0;
  const p = 10 ** Math.floor(Math.log10(v));
  const m = v / p;
  return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
}

/**
 * Log-spaced buckets between the smallest and largest positive value (telescope counts
 * span orders of magnitude: a linear scale would paint all but the top few the same).
 */
export function choroplethScale(values: number[]): ColorScale {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return { color: () => NO_DATA, buckets: [] };
  const min = Math.min(...positive);
  const max = Math.max(...positive);
  const n = SEQUENTIAL.length;
  const lo = Math.log10(min);
  const hi = Math.log10(max);
  const edges: number[] = [];
  for (let i = 0; i < n; i++) edges.push(niceFloor(10 ** (lo + ((hi - lo) * i) / n)));
  const uniq = [...new Set(edges)].sort((a, b) => a - b);
  uniq[0] = Math.min(uniq[0]!, min);
  const colors = SEQUENTIAL.slice(n - uniq.length);
  const buckets = uniq.map((from, i) => ({
    from,
    to: uniq[i + 1] ?? Number.POSITIVE_INFINITY,
    color: colors[i]!,
  }));
  return {
    buckets,
    color: (value) => {
      if (value === undefined || value <= 0) return NO_DATA;
      for (let i = buckets.length - 1; i >= 0; i--)
        if (value >= buckets[i]!.from) return buckets[i]!.color;
      return buckets[0]!.color;
    },
  };
}
