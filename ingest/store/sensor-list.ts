import { getPrisma } from '../../lib/db/prisma';
import { ROLLUP_SENSOR_ID } from './codec';

/** A sensor and what the ledger holds of it. */
export interface SensorSummary {
  name: string;
  /** Comma-separated CIDR blocks ('' for none: every packet counts). */
  prefixes: string;
  files: number;
  /** Files whose packets before damage were counted (status 'partial'). */
  partialFiles: number;
  /** Records read (IP or not). */
  packets: number;
  /** IP packets counted. */
  ipPackets: number;
  /** IP packets left out: outside the sensor's prefixes. */
  outsidePackets: number;
  /** The earliest and latest packet of its files (ms precision, UTC). */
  firstPacket: Date | null;
  lastPacket: Date | null;
  /** When its latest file was committed. */
  lastIngest: Date | null;
}

/** Every sensor (not the all-sensors rollup) with its ledger's totals, by name. */
export async function listSensors(url: string): Promise<SensorSummary[]> {
  const prisma = getPrisma(url);
  const [sensors, byStatus] = await Promise.all([
    prisma.sensor.findMany({
      where: { id: { not: ROLLUP_SENSOR_ID } },
      orderBy: { name: 'asc' },
    }),
    prisma.ingestedFile.groupBy({
      by: ['sensorId', 'status'],
      _count: { _all: true },
      _sum: { packets: true, ipPackets: true, outsidePackets: true },
      _min: { firstTs: true },
      _max: { lastTs: true, ingestedAt: true },
    }),
  ]);
  return sensors.map((s) => {
    const groups = byStatus.filter((g) => g.sensorId === s.id);
    const sum = (f: (g: (typeof groups)[number]) => bigint | number | null) =>
      groups.reduce((n, g) => n + Number(f(g) ?? 0), 0);
    const extreme = (dates: (Date | null)[], pick: (a: number, b: number) => number) => {
      const ms = dates.filter((d): d is Date => d !== null).map((d) => d.getTime());
      return ms.length === 0 ? null : new Date(ms.reduce(pick));
    };
    return {
      name: s.name,
      prefixes: s.prefixes,
      files: sum((g) => g._count._all),
      partialFiles: sum((g) => (g.status === 'partial' ? g._count._all : 0)),
      packets: sum((g) => g._sum.packets),
      ipPackets: sum((g) => g._sum.ipPackets),
      outsidePackets: sum((g) => g._sum.outsidePackets),
      firstPacket: extreme(
        groups.map((g) => g._min.firstTs),
        Math.min,
      ),
      lastPacket: extreme(
        groups.map((g) => g._max.lastTs),
        Math.max,
      ),
      lastIngest: extreme(
        groups.map((g) => g._max.ingestedAt),
        Math.max,
      ),
    };
  });
}
