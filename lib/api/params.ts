/**
 * zod schemas for the public API's query parameters, shared by route handlers, the
 * server-side prefetch in pages and the chart PNG route. Every failure names the
 * parameter: "Invalid parameter 'from': expected a UTC day as YYYY-MM-DD".
 */
import { z } from 'zod';
import { badParameter } from './errors';
import { canonicalIp, type IpPrefix, parseIpPrefix } from './ip';
import { dayCount, isDay, type Period } from './period';
import { type PortRef, parsePortKey } from './port-key';

// Address parsing lives in ./ip (no zod: the views import it).
export { canonicalIp, type IpPrefix, parseIpPrefix };

/** Longest period a request may cover (10 years of days). */
export const MAX_PERIOD_DAYS = 3660;

const day = z.string().refine(isDay, 'expected a UTC day as YYYY-MM-DD');

const port = z.string().transform((s, ctx): PortRef => {
  const p = parsePortKey(s);
  if (!p) {
    ctx.addIssue({ code: 'custom', message: "expected PORT/PROTO such as '445/tcp' (tcp or udp)" });
    return z.NEVER;
  }
  return p;
});

const portList = z.string().transform((s, ctx): PortRef[] => {
  const parts = s.split(',').filter((x) => x.trim() !== '');
  const out: PortRef[] = [];
  for (const part of parts) {
    const p = parsePortKey(part);
    if (!p) {
      ctx.addIssue({ code: 'custom', message: `'${part}' is not PORT/PROTO such as '445/tcp'` });
      return z.NEVER;
    }
    out.push(p);
  }
  if (out.length === 0 || out.length > 20) {
    ctx.addIssue({ code: 'custom', message: 'expected 1 to 20 comma-separated ports' });
    return z.NEVER;
  }
  return out;
});

const COUNTRY_RE = /^[A-Za-z]{2}$/;

const country = z
  .string()
  .refine((s) => COUNTRY_RE.test(s), 'expected an ISO 3166 alpha-2 code such as RU')
  .transform((s) => s.toUpperCase());

const countryList = z.string().transform((s, ctx): string[] => {
  const parts = s.split(',').filter((x) => x.trim() !== '');
  if (parts.length === 0 || parts.length > 20 || !parts.every((p) => COUNTRY_RE.test(p.trim()))) {
    ctx.addIssue({ code: 'custom', message: 'expected 1 to 20 comma-separated ISO alpha-2 codes' });
    return z.NEVER;
  }
  return parts.map((p) => p.trim().toUpperCase());
});

const sensors = z.string().transform((s, ctx): string[] => {
  const parts = s.split(',').filter((x) => x.trim() !== '');
  if (parts.length > 50 || parts.some((p) => p.length > 100)) {
    ctx.addIssue({ code: 'custom', message: 'expected up to 50 comma-separated sensor names' });
    return z.NEVER;
  }
  return [...new Set(parts.map((p) => p.trim()))].filter((p) => p !== '*');
});

function limit(def: number, max: number) {
  return z
    .string()
    .optional()
    .transform((s, ctx): number => {
      if (s === undefined || s === '') return def;
      if (!/^\d{1,6}$/.test(s) || Number(s) < 1 || Number(s) > max) {
        ctx.addIssue({ code: 'custom', message: `expected an integer from 1 to ${max}` });
        return z.NEVER;
      }
      return Number(s);
    });
}

const asn = z.string().transform((s, ctx): number => {
  const m = /^(?:AS)?(\d{1,10})$/i.exec(s.trim());
  const n = m ? Number(m[1]) : Number.NaN;
  if (!m || n > 4294967295) {
    ctx.addIssue({ code: 'custom', message: "expected an AS number such as 4134 or 'AS4134'" });
    return z.NEVER;
  }
  return n;
});

export const metricSchema = z.enum(['packets', 'sources'], {
  error: "expected 'packets' or 'sources'",
});
export type Metric = z.infer<typeof metricSchema>;

export const splitSchema = z.enum(['window', 'port', 'country', 'class', 'fingerprint'], {
  error: "expected one of 'window', 'port', 'country', 'class', 'fingerprint'",
});
export type Split = z.infer<typeof splitSchema>;

/** per=sensor: each day's values divided by the sensors that reported that day. */
export const perSchema = z.enum(['sensor'], { error: "expected 'sensor'" });

export const hostClassSchema = z.enum(['scan', 'backscatter', 'other'], {
  error: "expected 'scan', 'backscatter' or 'other'",
});
export type HostClass = z.infer<typeof hostClassSchema>;

const ip = z.string().transform((s, ctx): string => {
  const c = canonicalIp(s);
  if (!c) {
    ctx.addIssue({ code: 'custom', message: 'expected an IPv4 or IPv6 address' });
    return z.NEVER;
  }
  return c;
});

const prefix = z.string().transform((s, ctx): IpPrefix => {
  const p = parseIpPrefix(s);
  if (!p) {
    ctx.addIssue({
      code: 'custom',
      message: "expected a CIDR such as '203.0.113.0/24' or a dotted start such as '203.0.'",
    });
    return z.NEVER;
  }
  return p;
});

/** from/to (both or neither); the period is null when both are absent (use the default). */
const periodFields = {
  from: day.optional(),
  to: day.optional(),
  sensors: sensors.optional(),
};

function checkPeriod(v: { from?: string; to?: string }, ctx: z.RefinementCtx): void {
  if ((v.from === undefined) !== (v.to === undefined)) {
    const missing = v.from === undefined ? 'from' : 'to';
    ctx.addIssue({
      code: 'custom',
      path: [missing],
      message: "required when 'from' or 'to' is given",
    });
    return;
  }
  if (v.from !== undefined && v.to !== undefined) {
    if (v.from > v.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: "must not be before 'from'" });
    } else if (dayCount({ from: v.from, to: v.to }) > MAX_PERIOD_DAYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `period longer than ${MAX_PERIOD_DAYS} days`,
      });
    }
  }
}

export const portsTopSchema = z
  .strictObject({ ...periodFields, limit: limit(10, 100), country: country.optional() })
  .superRefine(checkPeriod);

export const countriesTopSchema = z
  .strictObject({ ...periodFields, limit: limit(10, 250), port: port.optional() })
  .superRefine(checkPeriod);

export const seriesSchema = z
  .strictObject({
    ...periodFields,
    metric: metricSchema.optional().default('packets'),
    port: port.optional(),
    country: country.optional(),
    split: splitSchema.optional(),
    ports: portList.optional(),
    countries: countryList.optional(),
    limit: limit(5, 20),
    per: perSchema.optional(),
  })
  .superRefine(checkPeriod)
  .superRefine((v, ctx) => {
    if (v.split === 'port' && v.port) {
      ctx.addIssue({
        code: 'custom',
        path: ['port'],
        message: "not allowed with split=port (use 'ports')",
      });
    }
    if (v.split === 'country' && v.country) {
      ctx.addIssue({
        code: 'custom',
        path: ['country'],
        message: "not allowed with split=country (use 'countries')",
      });
    }
    if (v.ports && v.split !== 'port') {
      ctx.addIssue({ code: 'custom', path: ['ports'], message: 'only allowed with split=port' });
    }
    if (v.countries && v.split !== 'country') {
      ctx.addIssue({
        code: 'custom',
        path: ['countries'],
        message: 'only allowed with split=country',
      });
    }
    if ((v.split === 'class' || v.split === 'fingerprint') && v.country) {
      ctx.addIssue({
        code: 'custom',
        path: ['country'],
        message: `not available with split=${v.split} (classes and fingerprints are kept per port, not per country)`,
      });
    }
    if (v.split === 'window' && v.port && v.port.proto !== 'tcp') {
      ctx.addIssue({ code: 'custom', path: ['port'], message: 'split=window needs a TCP port' });
    }
  });

export const hostsSchema = z
  .strictObject({
    ...periodFields,
    country: country.optional(),
    port: port.optional(),
    asn: asn.optional(),
    class: hostClassSchema.optional(),
    prefix: prefix.optional(),
    limit: limit(50, 1000),
  })
  .superRefine(checkPeriod);

export const hostSchema = z.strictObject({ ...periodFields, ip }).superRefine(checkPeriod);

export const asnsTopSchema = z
  .strictObject({
    ...periodFields,
    country: country.optional(),
    port: port.optional(),
    limit: limit(10, 100),
  })
  .superRefine(checkPeriod);

export const portShareSchema = z
  .strictObject({ ...periodFields, country, limit: limit(10, 50) })
  .superRefine(checkPeriod);

export const shareSeriesSchema = z
  .strictObject({ ...periodFields, country, port })
  .superRefine(checkPeriod);

export const metaSchema = z.strictObject({});

/** The requested period, or null to use the default (last complete quarter in the data). */
export function periodOf(v: { from?: string; to?: string }): Period | null {
  return v.from !== undefined && v.to !== undefined ? { from: v.from, to: v.to } : null;
}

/** URLSearchParams (or a Next searchParams object) as a plain object of first values. */
export function paramsObject(
  input: URLSearchParams | Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (input instanceof URLSearchParams) {
    for (const [k, v] of input) if (!(k in out)) out[k] = v;
  } else {
    for (const [k, v] of Object.entries(input)) {
      const first = Array.isArray(v) ? v[0] : v;
      if (first !== undefined) out[k] = first;
    }
  }
  return out;
}

/**
 * Parses parameters with a schema; throws ApiError 400 naming the first bad parameter
 * (unknown parameters included).
 */
export function parseParams<S extends z.ZodType>(
  schema: S,
  input: URLSearchParams | Record<string, string | string[] | undefined>,
): z.output<S> {
  const result = schema.safeParse(paramsObject(input));
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '?';
    throw badParameter(key, 'unknown parameter');
  }
  const name = String(issue.path[0] ?? '?');
  const message =
    issue.code === 'invalid_type' && issue.input === undefined ? 'required' : issue.message;
  throw badParameter(name, message);
}

export const totalsSchema = z.strictObject({ ...periodFields }).superRefine(checkPeriod);
