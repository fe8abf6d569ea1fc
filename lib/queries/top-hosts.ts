/**
 * The hosts of a period with the most packets, without adding up every host row of the
 * period (a quarter at /16 is millions of rows): Fagin's threshold algorithm over the
 * per-day lists of daily_host ordered by packets (index day, packets, ip), or of
 * daily_host_port for one port (its primary key: port, day, packets).
 *
 * Each round reads every day's largest rows down to `depth` (sorted access; a deeper
 * round continues from the last one's rows), then the full period sums of every host
 * seen (random access, by ip). A host never seen has on each day at most one row per
 * sensor, each no larger than that day's smallest row read, so its sum is at most the
 * threshold: the sum over days of sensors x that smallest value
 * (0 for a day whose rows were all read). Once the limit-th best sum is above the
 * threshold no unseen host can enter the ranking, and the answer is exact, ties
 * included. Otherwise the depth grows; past MAX_CANDIDATES hosts the caller falls back
 * to the plain GROUP BY. Only hosts whose most possible sum reaches the limit-th
 * largest sum read so far are summed (random access costs more than sorted access).
 *
 * With `months`, each whole calendar month of the period is one list instead of its
 * days: the month's largest hosts with their exact month sums (kept by
 * month-host-lists.ts), bounding any other host's month sum by the smallest listed. A
 * year is then 12 short lists instead of 365 reads. Months without a list are ranked
 * from their days. When the lists' bounds alone keep the answer uncertain, the ranking
 * starts again with lists four times as deep (made then), and past two such rounds over
 * the days.
 */
import 'server-only';
import { daysOf, monthOf, monthsOf, type Period, splitByMonth } from '@/lib/api/period';
import { compareText } from '@/lib/compare-text';
import { num, Prisma, rows } from './db';

export const MAX_CANDIDATES = 100_000;
/** Hosts per random-access statement (SQLite allows 32,766 parameters). */
const HOSTS_PER_STATEMENT = 10_000;
/** Days per statement: SQLite allows 500 terms in a compound SELECT. */
const DAYS_PER_STATEMENT = 200;

export interface TopHostsQuery {
  period: Period;
  /**
   * Row filters other than the day (sensor, country, AS, port, prefix), or empty, as the
   * reads of given hosts (ip IN ...) apply them.
   */
  filters: Prisma.Sql;
  /**
   * Where the sorted access reads: a table with the columns day, ip and packets holding,
   * with these filters, exactly the host rows that pass `filters`, one per host row
   * (daily_host, or daily_host_port for a port).
   */
  lists: { table: Prisma.Sql; filters: Prisma.Sql };
  /** Columns of a host's period aggregate (must include SUM(packets) AS packets). */
  select: Prisma.Sql;
  /** HAVING clause on the aggregate (traffic class), if any. */
  having?: Prisma.Sql;
  limit: number;
  /** Most rows one host can have per day (the sensors in scope). */
  rowsPerHostDay: number;
  /** First depth (rows per day); tests start small to force several rounds. */
  startDepth?: number;
  /**
   * Past this many candidates, a round whose sums may not end the search reads deeper
   * instead of summing them (default: 20 x limit, at least 500; tests use 0).
   */
  candidateBudget?: number;
  /**
   * The lists of those whole months ('YYYY-MM') that have one (see the top of the file);
   * the months without are ranked from their days. `deeper` > 0 asks for lists 4^deeper
   * times as deep, made now if missing: the shallower ones left the ranking uncertain.
   */
  months?: (months: string[], deeper: number) => Promise<Map<string, MonthList>>;
  /** Rounds of deeper month lists asked for so far (see `months`). */
  deeper?: number;
}

/**
 * Deeper month lists tried (x4 each) before ranking the months from their days: lists
 * of the default depth can bound too loosely over a year of busy hosts, and a deeper list
 * costs one month's ranking once, where the days cost every month's each time.
 */
const MAX_DEEPER_LISTS = 2;

/** A month's largest hosts in a slice, by packets; no other host has more than `bound`. */
export interface MonthList {
  hosts: [ip: string, packets: number][];
  /** The smallest listed sum, or 0 when the list has every host of the month. */
  bound: number;
}

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** The ranked aggregates, or null when the candidates grew past MAX_CANDIDATES. */
export async function topHostsByThreshold(
  q: TopHostsQuery,
): Promise<Record<string, unknown>[] | null> {
  const split = q.months ? splitByMonth(q.period) : { months: null, days: [q.period] };
  const dayRuns = [...split.days];
  // Rows read so far, kept across rounds: a deeper round reads only each day's next rows.
  // A month list's rows carry the month ('YYYY-MM') as their day.
  const read: { day: string; ip: string; packets: number }[] = [];
  const monthBounds = new Map<string, number>();
  if (split.months && q.months) {
    const names = monthsOf(split.months);
    const lists = await q.months(names, q.deeper ?? 0);
    for (const month of names) {
      const list = lists.get(month);
      if (!list) {
        dayRuns.push(monthOf(`${month}-01`));
        continue;
      }
      monthBounds.set(month, list.bound);
      for (const [ip, packets] of list.hosts) read.push({ day: month, ip, packets });
    }
  }
  const days = dayRuns.flatMap(daysOf);
  let depth = q.startDepth ?? Math.max(2 * q.limit, 50);
  const perDay = new Map<string, { n: number; min: number }>();
  let readDepth = 0;
  for (;;) {
    // Days with fewer rows than were asked for are read to the end.
    const open = days.filter((d) => (perDay.get(d)?.n ?? 0) >= readDepth);
    for (const part of chunks(open, DAYS_PER_STATEMENT)) {
      // packets then ip: a total order (rows equal in both are equal in all that is
      // read), so that the next round's OFFSET continues where this one stopped.
      const lists = part.map(
        (d) => Prisma.sql`SELECT * FROM (SELECT day, ip, packets FROM ${q.lists.table}
          WHERE day = ${d}${q.lists.filters} ORDER BY packets DESC, ip DESC
          LIMIT ${depth - readDepth} OFFSET ${readDepth}) AS d`,
      );
      const rs = await rows<{ day: string; ip: string; packets: unknown }>(
        Prisma.join(lists, ' UNION ALL '),
      );
      for (const r of rs) {
        const p = num(r.packets);
        read.push({ day: r.day, ip: r.ip, packets: p });
        const s = perDay.get(r.day);
        if (s) {
          s.n++;
          s.min = Math.min(s.min, p);
        } else perDay.set(r.day, { n: 1, min: p });
      }
    }
    readDepth = depth;
    if (read.length === 0) return [];
    // A day whose rows were all read bounds nothing more.
    const bound = new Map(monthBounds);
    let threshold = 0;
    for (const b of monthBounds.values()) threshold += b;
    let daysBound = 0;
    for (const [day, s] of perDay) {
      const b = s.n >= depth ? s.min : 0;
      bound.set(day, b);
      daysBound += q.rowsPerHostDay * b;
    }
    threshold += daysBound;
    const { candidates, sure } = survivors(read, bound, threshold, q.having ? 0 : q.limit);
    if (candidates.length > MAX_CANDIDATES) return null;
    // Many candidates and no certainty that their sums end the search: read deeper first
    // (sorted access is cheap, and a lower threshold leaves far fewer candidates).
    if (
      daysBound > 0 &&
      !sure &&
      candidates.length > (q.candidateBudget ?? Math.max(500, 20 * q.limit))
    ) {
      depth *= 4;
      continue;
    }
    // Each host is in one statement, so the best of every statement's best are the best.
    const top: Record<string, unknown>[] = [];
    for (const ips of chunks(candidates, HOSTS_PER_STATEMENT)) {
      top.push(
        ...(await rows<Record<string, unknown>>(Prisma.sql`
          SELECT ${q.select} FROM daily_host
          WHERE day >= ${q.period.from} AND day <= ${q.period.to}${q.filters}
            AND ip IN (${Prisma.join(ips)})
          GROUP BY ip${q.having ?? Prisma.empty}
          ORDER BY SUM(packets) DESC, ip
          LIMIT ${q.limit}`)),
      );
    }
    top.sort((a, b) => num(b.packets) - num(a.packets) || compareText(String(a.ip), String(b.ip)));
    top.length = Math.min(top.length, q.limit);
    const last = top[q.limit - 1];
    if (threshold === 0 || (last !== undefined && num(last.packets) > threshold)) return top;
    // Only the month lists' bounds are left: reading the days deeper cannot lower them,
    // deeper lists can; past those, the months' days.
    if (daysBound === 0) {
      const deeper = (q.deeper ?? 0) + 1;
      return topHostsByThreshold(
        monthBounds.size > 0 && deeper <= MAX_DEEPER_LISTS
          ? { ...q, deeper }
          : { ...q, months: undefined },
      );
    }
    depth *= 4;
  }
}

/**
 * The hosts read that can still be among the `k` largest: a host's sum is at least what
 * was read of it, and at most that plus the threshold less the bounds of the days (and
 * sensors) it was read on. Hosts whose most is below the k-th largest least are dropped
 * (k = 0, as with a filter on the sums: none is). `sure`: the k-th largest least is
 * above the threshold, so summing the candidates ends the search.
 */
function survivors(
  read: { day: string; ip: string; packets: number }[],
  bound: Map<string, number>,
  threshold: number,
  k: number,
): { candidates: string[]; sure: boolean } {
  // One entry per host: what was read of it, and the bounds of the days it was read on.
  const hosts = new Map<string, { least: number; used: number }>();
  let day = '';
  let dayBound = 0;
  for (const r of read) {
    // Rows come in runs of one day (per statement and round): a bound lookup per run.
    if (r.day !== day) {
      day = r.day;
      dayBound = bound.get(day) ?? 0;
    }
    const h = hosts.get(r.ip);
    if (h) {
      h.least += r.packets;
      h.used += dayBound;
    } else hosts.set(r.ip, { least: r.packets, used: dayBound });
  }
  if (k === 0 || hosts.size <= k) return { candidates: [...hosts.keys()], sure: false };
  const leasts = new Float64Array(hosts.size);
  let i = 0;
  for (const h of hosts.values()) leasts[i++] = h.least;
  leasts.sort(); // ascending, numeric
  const kth = leasts[leasts.length - k]!;
  const candidates: string[] = [];
  for (const [ip, h] of hosts) if (h.least + threshold - h.used >= kth) candidates.push(ip);
  return { candidates, sure: kth > threshold };
}
