/** Autonomous systems (AS number + organisation) sending the most packets in a slice. */
import 'server-only';
import type { Period } from '@/lib/api/period';
import type { PortRef } from '@/lib/api/port-key';
import type { AsnRank } from '@/lib/api/types';
import { dayFilter, num, Prisma, rows, type SensorScope } from './db';
import { hostPortLabel } from './host-rows';
import { hostSensorFilter } from './hosts';

export interface TopAsnsArgs {
  period: Period;
  country?: string;
  port?: PortRef;
  limit: number;
  scope: SensorScope;
}

/**
 * Counted from the per-host rows, so `hosts` is an exact distinct-address count. With a
 * port, from daily_host_port (the host rows with that port, by its primary key), the
 * organisations then read by AS number.
 */
export async function getTopAsns(args: TopAsnsArgs): Promise<AsnRank[]> {
  const { period, country, port, limit, scope } = args;
  const where = Prisma.sql`${dayFilter(period)}${hostSensorFilter(scope)}${
    country ? Prisma.sql` AND country = ${country}` : Prisma.empty
  }`;
  const rs = port
    ? await rows<Record<string, unknown>>(Prisma.sql`
        SELECT asn, SUM(packets) AS packets, COUNT(DISTINCT ip) AS hosts
        FROM daily_host_port
        WHERE port = ${hostPortLabel(port.proto, port.port)} AND ${where}
        GROUP BY asn
        ORDER BY SUM(packets) DESC, asn
        LIMIT ${limit}`)
    : await rows<Record<string, unknown>>(Prisma.sql`
        SELECT asn, MAX(as_org) AS as_org, SUM(packets) AS packets, COUNT(DISTINCT ip) AS hosts
        FROM daily_host
        WHERE ${where}
        GROUP BY asn
        ORDER BY SUM(packets) DESC, asn
        LIMIT ${limit}`);
  const orgs = port
    ? await orgsOf(
        rs.map((r) => num(r.asn)),
        where,
      )
    : undefined;
  return rs.map((r) => ({
    asn: num(r.asn),
    asOrg: String((orgs ? orgs.get(num(r.asn)) : r.as_org) ?? ''),
    packets: num(r.packets),
    hosts: num(r.hosts),
  }));
}

/** The organisation of each AS as the host rows of the slice name it (MAX, as above). */
async function orgsOf(asns: number[], where: Prisma.Sql): Promise<Map<number, string>> {
  if (asns.length === 0) return new Map();
  const rs = await rows<{ asn: unknown; as_org: unknown }>(Prisma.sql`
    SELECT asn, MAX(as_org) AS as_org FROM daily_host
    WHERE asn IN (${Prisma.join(asns)}) AND ${where}
    GROUP BY asn`);
  return new Map(rs.map((r) => [num(r.asn), String(r.as_org ?? '')]));
}
