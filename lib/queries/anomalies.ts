/**
 * The anomaly list and its review state (docs/API.md, "Anomalies"). The list request
 * first brings the period's stored detections up to date (lib/anomalies/run.ts): days
 * never detected, or whose data changed since, are detected on demand.
 */
import 'server-only';
import {
  type AnomalyResponse,
  anomaliesSchema,
  anomalyIdSchema,
  type ReviewBody,
  reviewBodySchema,
} from '@/lib/anomalies/api-schema';
import { ensureDetected } from '@/lib/anomalies/run';
import { getStored, listStored, setReview } from '@/lib/anomalies/store';
import { badParameter, notFound } from '@/lib/api/errors';
import { parseParams, periodOf } from '@/lib/api/params';
import { getPrisma } from '@/lib/db';
import { resolvePeriod } from './db';

type Input = URLSearchParams | Record<string, string | string[] | undefined>;

function telescopeAddresses(): number | undefined {
  const n = Number(process.env.SCANLINE_TELESCOPE_ADDRESSES);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** GET /api/v1/anomalies */
export async function getAnomalies(input: Input): Promise<AnomalyResponse[]> {
  const p = parseParams(anomaliesSchema, input);
  const period = await resolvePeriod(periodOf(p));
  const db = getPrisma();
  await ensureDetected(db, period, { telescopeAddresses: telescopeAddresses() });
  return listStored(db, {
    period,
    kinds: p.kind,
    country: p.country,
    port: p.port,
    reviewed: p.reviewed,
    limit: p.limit,
  });
}

function checkId(id: string): string {
  const r = anomalyIdSchema.safeParse({ id });
  if (!r.success) throw badParameter('id', r.error.issues[0]?.message ?? 'invalid');
  return r.data.id;
}

/** GET /api/v1/anomalies/{id} */
export async function getAnomaly(id: string): Promise<AnomalyResponse> {
  const a = await getStored(getPrisma(), checkId(id));
  if (!a) throw notFound(`No anomaly with id '${id}'`);
  return a;
}

/** POST /api/v1/anomalies/{id}/review, body {reviewed?: boolean, note?: string} */
export async function reviewAnomaly(id: string, body: unknown): Promise<AnomalyResponse> {
  const checked = checkId(id);
  const r = reviewBodySchema.safeParse(body ?? {});
  if (!r.success) {
    const issue = r.error.issues[0]!;
    if (issue.code === 'unrecognized_keys')
      throw badParameter(issue.keys[0] ?? '?', 'unknown field');
    throw badParameter(String(issue.path[0] ?? 'body'), issue.message);
  }
  const review: ReviewBody = r.data;
  const a = await setReview(getPrisma(), checked, review);
  if (!a) throw notFound(`No anomaly with id '${id}'`);
  return a;
}
