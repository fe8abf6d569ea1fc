/** Autonomous systems (AS number + organisation) sending the most packets in a slice. */
import 'server-only';
import type { Period } from '@/lib/api/period';
import type { PortRef } from '@/lib/api/port-key';
import type { AsnRank } from '@/lib/api/types';
import { dayFilter, num, Prisma, rows, type SensorScope } from './db';
import { hostPortsKey } from './host-rows';
import { hostSensorFilter } from './hosts';

export interface TopAsnsArgs {
  period: Period;
  country?: string;
  port?: PortRef;
  limit: number;
  scope: SensorScope;
}

/** Counted from the per-host rows, so `hosts` is an exact distinct-address count. */
export async function getTopAsns(args: TopAsnsArgs): Promise<AsnRank[]> {
  const { period, country, port, limit, scope } = args;
  const rs = await rows<Record<string, unknown>>(Prisma.sql`
    SELECT asn, MAX(as_org) AS as_org, SUM(packets) AS packets, COUNT(DISTINCT ip) AS hosts
    FROM daily_host
    WHERE ${dayFilter(period)}${hostSensorFilter(scope)}${
      country ? Prisma.sql` AND country = ${country}` : Prisma.empty
    }${port ? Prisma.sql` AND ports LIKE ${`%${hostPortsKey(port.proto, port.port)}%`}` : Prisma.empty}
    GROUP BY asn
    ORDER BY SUM(packets) DESC, asn
    LIMIT ${limit}`);
  return rs.map((r) => ({
    asn: num(r.asn),
    asOrg: String(r.as_org ?? ''),
    packets: num(r.packets),
    hosts: num(r.hosts),
  }));
}
