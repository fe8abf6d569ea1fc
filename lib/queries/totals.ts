/** Overview totals of a period and of the previous period: packets and distinct sources. */
import 'server-only';
import { daysOf, type Period, previousPeriod } from '@/lib/api/period';
import type { Totals } from '@/lib/api/types';
import { dayFilter, num, Prisma, rows, type SensorScope, sensorFilter } from './db';
import { SketchMerger } from './sketch';

export interface TotalsArgs {
  period: Period;
  scope: SensorScope;
}

async function periodTotals(p: Period, scope: SensorScope) {
  const rs = await rows<{ day: string; packets: unknown; sketch: unknown }>(Prisma.sql`
    SELECT day, packets, sketch FROM daily_total
    WHERE ${sensorFilter(scope)} AND ${dayFilter(p)}`);
  const all = new SketchMerger<string>();
  const perDay = new SketchMerger<string>();
  const dayPackets = new Map<string, number>();
  let packets = 0;
  for (const r of rs) {
    const n = num(r.packets);
    packets += n;
    dayPackets.set(r.day, (dayPackets.get(r.day) ?? 0) + n);
    all.add('all', r.sketch);
    perDay.add(r.day, r.sketch);
  }
  const days = daysOf(p);
  return {
    packets,
    sources: all.estimate('all'),
    days,
    dailyPackets: days.map((d) => dayPackets.get(d) ?? 0),
    dailySources: days.map((d) => perDay.estimate(d)),
  };
}

export async function getTotals(args: TotalsArgs): Promise<Totals> {
  const previous = previousPeriod(args.period);
  const [cur, prev] = await Promise.all([
    periodTotals(args.period, args.scope),
    periodTotals(previous, args.scope),
  ]);
  return {
    period: args.period,
    previous,
    packets: cur.packets,
    sources: cur.sources,
    previousPackets: prev.packets,
    previousSources: prev.sources,
    days: cur.days,
    dailyPackets: cur.dailyPackets,
    dailySources: cur.dailySources,
  };
}
