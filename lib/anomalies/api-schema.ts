/**
 * The anomaly API's parameters and response shape (docs/API.md, "Anomalies"). zod
 * schemas; failures name the parameter like the rest of the API.
 */
import { z } from 'zod';
import { MAX_PERIOD_DAYS } from '../api/params';
import { dayCount, isDay } from '../api/period';
import { type PortRef, parsePortKey } from '../api/port-key';
import { ANOMALY_KINDS, type AnomalyKind, type StoredAnomaly } from './types';

const day = z.string().refine(isDay, 'expected a UTC day as YYYY-MM-DD');

const kinds = z.string().transform((s, ctx): AnomalyKind[] => {
  const parts = s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const bad = parts.find((p) => !(ANOMALY_KINDS as readonly string[]).includes(p));
  if (parts.length === 0 || bad !== undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `expected one or more of ${ANOMALY_KINDS.join(', ')} (comma-separated)`,
    });
    return z.NEVER;
  }
  return [...new Set(parts)] as AnomalyKind[];
});

const port = z.string().transform((s, ctx): PortRef => {
  const p = parsePortKey(s);
  if (!p) {
    ctx.addIssue({ code: 'custom', message: "expected PORT/PROTO such as '443/tcp' (tcp or udp)" });
    return z.NEVER;
  }
  return p;
});

const country = z
  .string()
  .refine((s) => /^[A-Za-z]{2}$/.test(s), 'expected an ISO 3166 alpha-2 code such as NZ')
  .transform((s) => s.toUpperCase());

const bool = z
  .enum(['true', 'false', '1', '0'], { error: "expected 'true' or 'false'" })
  .transform((s) => s === 'true' || s === '1');

const limit = z
  .string()
  .optional()
  .transform((s, ctx): number => {
    if (s === undefined || s === '') return 100;
    if (!/^\d{1,4}$/.test(s) || Number(s) < 1 || Number(s) > 1000) {
      ctx.addIssue({ code: 'custom', message: 'expected an integer from 1 to 1000' });
      return z.NEVER;
    }
    return Number(s);
  });

export const anomaliesSchema = z
  .strictObject({
    from: day.optional(),
    to: day.optional(),
    kind: kinds.optional(),
    country: country.optional(),
    port: port.optional(),
    reviewed: bool.optional(),
    limit,
  })
  .superRefine((v, ctx) => {
    if ((v.from === undefined) !== (v.to === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [v.from === undefined ? 'from' : 'to'],
        message: "required when 'from' or 'to' is given",
      });
    } else if (v.from !== undefined && v.to !== undefined) {
      if (v.from > v.to)
        ctx.addIssue({ code: 'custom', path: ['to'], message: "must not be before 'from'" });
      else if (dayCount({ from: v.from, to: v.to }) > MAX_PERIOD_DAYS)
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `period longer than ${MAX_PERIOD_DAYS} days`,
        });
    }
  });

export const anomalyIdSchema = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{16}$/, 'expected an anomaly id (16 hex digits)'),
});

export const reviewBodySchema = z.strictObject({
  reviewed: z.boolean({ error: 'expected true or false' }).optional().default(true),
  note: z.string({ error: 'expected text' }).max(2000, 'at most 2000 characters').optional(),
});
export type ReviewBody = z.infer<typeof reviewBodySchema>;

/** One anomaly as the API returns it. */
export type AnomalyResponse = StoredAnomaly;
