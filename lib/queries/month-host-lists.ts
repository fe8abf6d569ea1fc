/**
 * The month lists of the host rankings (top-hosts.ts): a slice's hosts with the most
 * packets over one whole calendar month, with their exact month sums, kept in
 * month_host_list with the sensor's packet total of the month. While that total is
 * unchanged (no file has added to the month since), a ranking over a period that covers
 * the month reads the list instead of the month's ~30 day lists. Retention deletes the
 * lists of the months whose host rows it purges.
 *
 * A list is made by the threshold algorithm over the month's days at a depth of several
 * times the limit, which costs more than the ranking that first wants it over a few
 * months. So a ranking that finds a few lists missing ranks those months from their
 * days, as without lists, and the production server makes the lists afterwards, one
 * slice at a time, outside any request and only while none is being answered
 * (`makeInBackground`, background.ts). Lists are made before the ranking, in the
 * request, when many months lack one or deeper lists are needed (hosts.ts), and
 * elsewhere (tests, `next dev`, scripts). A list the database would not take (an ingest
 * holding SQLite's write lock) is kept in this process's memory instead.
 */
import 'server-only';
import type { Period } from '@/lib/api/period';
import { monthOf } from '@/lib/api/period';
import { databaseUrl } from '@/lib/db/url';
import { inBackground } from './background';
import { keepRows } from './cache-write';
import { num, Prisma, rows } from './db';
import { monthTotals } from './month-sketches';
import type { MonthList } from './top-hosts';

export interface MonthListSource {
  /** The slice (month_host_list.kind), e.g. 'hosts|country=NL'. */
  kind: string;
  /** The scope's one sensor (the all-sensors rollup id for every sensor). */
  sensorId: number;
  /** Hosts per list. */
  depth: number;
  /** The slice's `depth` largest hosts of a month with their exact sums, ranked. */
  make(month: Period, depth: number): Promise<[ip: string, packets: number][]>;
}

const INSERT = 'INSERT INTO month_host_list (kind, sensor_id, month, total, depth, hosts)';
const ON_CONFLICT = `ON CONFLICT (kind, sensor_id, month)
  DO UPDATE SET total = excluded.total, depth = excluded.depth, hosts = excluded.hosts`;

interface Held {
  total: number;
  depth: number;
  hosts: [string, number][];
}

/** Lists the database did not take, per database, slice, sensor and month (bounded). */
const unkept = new Map<string, Held>();
const MAX_UNKEPT = 2000;

function heldKey(src: MonthListSource, month: string): string {
  return `${databaseUrl()}\u0000${src.kind}\u0000${src.sensorId}\u0000${month}`;
}

function listOf(hosts: [string, number][], depth: number): MonthList {
  return { hosts, bound: hosts.length < depth ? 0 : (hosts[hosts.length - 1]?.[1] ?? 0) };
}

/** A deeper list serves a shallower ranking; a complete one serves any. */
function serves(held: Held, depth: number, total: number): boolean {
  return held.total === total && (held.depth >= depth || held.hosts.length < held.depth);
}

/** The still valid lists among `months` ('YYYY-MM'), kept in the database or in memory. */
export async function keptMonthLists(
  src: MonthListSource,
  months: string[],
): Promise<Map<string, MonthList>> {
  const out = new Map<string, MonthList>();
  if (months.length === 0) return out;
  const totals = await monthTotals(src.sensorId, months);
  const kept = await rows<{ month: string; total: unknown; depth: unknown; hosts: string }>(
    Prisma.sql`
      SELECT month, total, depth, hosts FROM month_host_list
      WHERE kind = ${src.kind} AND sensor_id = ${src.sensorId}
        AND month IN (${Prisma.join(months)})`,
  );
  for (const r of kept) {
    const held = {
      total: num(r.total),
      depth: num(r.depth),
      hosts: JSON.parse(r.hosts) as [string, number][],
    };
    if (serves(held, src.depth, totals.get(r.month) ?? 0)) {
      out.set(r.month, listOf(held.hosts, held.depth));
    }
  }
  for (const month of months) {
    const held = unkept.get(heldKey(src, month));
    if (!out.has(month) && held && serves(held, src.depth, totals.get(month) ?? 0)) {
      out.set(month, listOf(held.hosts, held.depth));
    }
  }
  return out;
}

/** Makes the lists of `months` now and keeps them (in memory when the database refuses). */
export async function makeMonthLists(
  src: MonthListSource,
  months: string[],
): Promise<Map<string, MonthList>> {
  const out = new Map<string, MonthList>();
  if (months.length === 0) return out;
  const totals = await monthTotals(src.sensorId, months);
  const made: Held[] = [];
  for (const month of months) {
    const hosts = await src.make(monthOf(`${month}-01`), src.depth);
    made.push({ total: totals.get(month) ?? 0, depth: src.depth, hosts });
    out.set(month, listOf(hosts, src.depth));
  }
  const values = made.map((m, i) => [
    src.kind,
    src.sensorId,
    months[i]!,
    m.total,
    m.depth,
    JSON.stringify(m.hosts),
  ]);
  const keptInDb = await keepRows(INSERT, ON_CONFLICT, values);
  months.forEach((month, i) => {
    const key = heldKey(src, month);
    unkept.delete(key);
    if (keptInDb) return;
    if (unkept.size >= MAX_UNKEPT) unkept.delete(unkept.keys().next().value!);
    unkept.set(key, made[i]!);
  });
  return out;
}

/** Slices (with their months) waiting to be made, and the one being made. */
const queue = new Map<string, { src: MonthListSource; months: string[] }>();
let running: Promise<void> | null = null;
const MAX_QUEUED = 64;

/**
 * Makes the lists of `months` after the current request, one slice at a time (a slice
 * already queued is not queued again; past MAX_QUEUED slices new ones are dropped: a
 * later ranking asks again).
 */
export function makeInBackground(src: MonthListSource, months: string[]): void {
  const key = `${databaseUrl()}\u0000${src.kind}\u0000${src.sensorId}\u0000${src.depth}`;
  if (queue.has(key) || queue.size >= MAX_QUEUED) return;
  queue.set(key, { src, months });
  running ??= drain();
}

async function drain(): Promise<void> {
  // Yield first: the request that queued the slice answers before any list is made.
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  for (const [key, job] of queue) {
    try {
      await inBackground(() => makeMonthLists(job.src, job.months));
    } catch {
      // A list not made is made on a later ranking's turn.
    }
    queue.delete(key);
  }
  running = null;
}

/** Resolves once no list is waiting to be made (tests). */
export async function monthListsIdle(): Promise<void> {
  while (running) await running;
}

/** Where missing lists are made: in the background on a production server. */
export function makesInBackground(): boolean {
  const flag = process.env.SCANLINE_BACKGROUND_MONTH_LISTS;
  if (flag === '0') return false;
  return flag === '1' || process.env.NODE_ENV === 'production';
}
