/**
 * The month lists of the host rankings (top-hosts.ts): a slice's hosts with the most
 * packets over one whole calendar month, with their exact month sums. Each is made the
 * first time a ranking over a period that covers the month needs it (the threshold
 * algorithm over the month's days) and kept in month_host_list with the sensor's packet
 * total of the month; while that total is unchanged (no file has added to the month
 * since), later rankings read the list instead of the month's ~30 day lists. Retention
 * deletes the lists of the months whose host rows it purges.
 */
import 'server-only';
import type { Period } from '@/lib/api/period';
import { monthOf } from '@/lib/api/period';
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

function listOf(hosts: [string, number][], depth: number): MonthList {
  return { hosts, bound: hosts.length < depth ? 0 : (hosts[hosts.length - 1]?.[1] ?? 0) };
}

/** The lists of `months` ('YYYY-MM'), kept ones where still valid, the rest made and kept. */
export async function monthHostLists(src: MonthListSource, months: string[]): Promise<MonthList[]> {
  const totals = await monthTotals(src.sensorId, months);
  const kept = await rows<{ month: string; total: unknown; depth: unknown; hosts: string }>(
    Prisma.sql`
      SELECT month, total, depth, hosts FROM month_host_list
      WHERE kind = ${src.kind} AND sensor_id = ${src.sensorId}
        AND month IN (${Prisma.join(months)})`,
  );
  const valid = new Map<string, MonthList>();
  for (const r of kept) {
    const depth = num(r.depth);
    const hosts = JSON.parse(r.hosts) as [string, number][];
    // A deeper list serves a shallower ranking; a complete one serves any.
    const usable = depth >= src.depth || hosts.length < depth;
    if (usable && num(r.total) === (totals.get(r.month) ?? 0)) {
      valid.set(r.month, listOf(hosts, depth));
    }
  }
  const made: unknown[][] = [];
  const out: MonthList[] = [];
  for (const month of months) {
    let list = valid.get(month);
    if (!list) {
      const hosts = await src.make(monthOf(`${month}-01`), src.depth);
      list = listOf(hosts, src.depth);
      made.push([
        src.kind,
        src.sensorId,
        month,
        totals.get(month) ?? 0,
        src.depth,
        JSON.stringify(hosts),
      ]);
    }
    out.push(list);
  }
  await keepRows(INSERT, ON_CONFLICT, made);
  return out;
}
