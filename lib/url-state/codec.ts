/**
 * View state <-> URL query string. Each field has a codec: parse never throws (a bad or
 * missing value becomes the default), format leaves defaults out, so URLs stay short
 * and a copied URL reopens exactly the same view.
 */
import { isDay } from '@/lib/api/period';
import { parsePortKey, portKey } from '@/lib/api/port-key';
import type { ZoomRange } from '@/lib/charts/types';

export interface Codec<T> {
  parse(raw: string | undefined): T;
  /** undefined = leave the parameter out (the default). */
  format(value: T): string | undefined;
}

export type Schema = Record<string, Codec<unknown>>;
export type StateOf<S extends Schema> = { [K in keyof S]: S[K] extends Codec<infer T> ? T : never };

export function enumCodec<T extends string>(values: readonly T[], def: T): Codec<T> {
  return {
    parse: (raw) => (values.includes(raw as T) ? (raw as T) : def),
    format: (v) => (v === def ? undefined : v),
  };
}

export function intCodec(def: number, min: number, max: number): Codec<number> {
  return {
    parse: (raw) => {
      const n = raw !== undefined && /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
      return Number.isFinite(n) && n >= min && n <= max ? n : def;
    },
    format: (v) => (v === def ? undefined : String(v)),
  };
}

export function boolCodec(def: boolean): Codec<boolean> {
  return {
    parse: (raw) =>
      raw === '1' || raw === 'true' ? true : raw === '0' || raw === 'false' ? false : def,
    format: (v) => (v === def ? undefined : v ? '1' : '0'),
  };
}

/** Optional free text (trimmed, at most `max` characters). */
export function textCodec(max = 100): Codec<string | undefined> {
  return {
    parse: (raw) => {
      const t = raw?.trim();
      return t ? t.slice(0, max) : undefined;
    },
    format: (v) => v || undefined,
  };
}

export const dayCodec: Codec<string | undefined> = {
  parse: (raw) => (raw !== undefined && isDay(raw) ? raw : undefined),
  format: (v) => v,
};

export const countryCodec: Codec<string | undefined> = {
  parse: (raw) => (raw && /^[A-Za-z]{2}$/.test(raw) ? raw.toUpperCase() : undefined),
  format: (v) => v,
};

export const portCodec: Codec<string | undefined> = {
  parse: (raw) => {
    const p = raw ? parsePortKey(raw) : null;
    return p ? portKey(p) : undefined;
  },
  format: (v) => v,
};

/** A comma-separated list; items that do not normalise are dropped. */
export function listCodec(normalise: (s: string) => string | null, max = 20): Codec<string[]> {
  return {
    parse: (raw) => {
      if (!raw) return [];
      const out: string[] = [];
      for (const part of raw.split(',')) {
        const n = normalise(part.trim());
        if (n !== null && !out.includes(n)) out.push(n);
      }
      return out.slice(0, max);
    },
    format: (v) => (v.length ? v.join(',') : undefined),
  };
}

export const portListCodec = listCodec((s) => {
  const p = parsePortKey(s);
  return p ? portKey(p) : null;
});

export const countryListCodec = listCodec((s) =>
  /^[A-Za-z]{2}$/.test(s) ? s.toUpperCase() : null,
);

export const sensorListCodec = listCodec((s) => (s && s !== '*' && s.length <= 100 ? s : null), 50);

/** A zoom window as 'FROM..TO' (two UTC days). */
export const zoomCodec: Codec<ZoomRange> = {
  parse: (raw) => {
    const m = raw ? /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(raw) : null;
    if (!m || !isDay(m[1]!) || !isDay(m[2]!) || m[1]! > m[2]!) return null;
    return { from: m[1]!, to: m[2]! };
  },
  format: (v) => (v ? `${v.from}..${v.to}` : undefined),
};

/**
 * The days an anomaly deep link marks on the view's trend charts: 'DAY' or 'FROM..TO'
 * (lib/anomalies/links.ts). Formatted back the same way.
 */
export const markCodec: Codec<{ from: string; to: string } | null> = {
  parse: (raw) => {
    const m = raw ? /^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$/.exec(raw) : null;
    if (!m) return null;
    const from = m[1]!;
    const to = m[2] ?? from;
    return isDay(from) && isDay(to) && from <= to ? { from, to } : null;
  },
  format: (v) => (v ? (v.from === v.to ? v.from : `${v.from}..${v.to}`) : undefined),
};

/** An anomaly id (16 hex digits). */
export const anomalyIdCodec: Codec<string | undefined> = {
  parse: (raw) => (raw && /^[0-9a-f]{16}$/.test(raw) ? raw : undefined),
  format: (v) => v,
};

type Getter = (key: string) => string | null | undefined;

export function parseState<S extends Schema>(schema: S, get: Getter): StateOf<S> {
  const out: Record<string, unknown> = {};
  for (const [key, codec] of Object.entries(schema)) out[key] = codec.parse(get(key) ?? undefined);
  return out as StateOf<S>;
}

/** The state as query-string pairs, in the schema's field order, defaults left out. */
export function formatState<S extends Schema>(schema: S, state: StateOf<S>): URLSearchParams {
  const qs = new URLSearchParams();
  for (const [key, codec] of Object.entries(schema)) {
    const v = codec.format((state as Record<string, unknown>)[key]);
    if (v !== undefined) qs.set(key, v);
  }
  return qs;
}

/** A Next.js searchParams object as a getter. */
export function recordGetter(sp: Record<string, string | string[] | undefined>): Getter {
  return (k) => {
    const v = sp[k];
    return Array.isArray(v) ? v[0] : v;
  };
}
