/** What the UI needs before any view: the data's day range, the default period, sensors. */
import 'server-only';
import { defaultPeriod } from '@/lib/api/period';
import type { Meta } from '@/lib/api/types';
import { dataExtent, num, Prisma, ROLLUP_SENSOR_ID, rows } from './db';

export async function getMeta(): Promise<Meta> {
  const extent = await dataExtent();
  const sensors = await rows<{ id: unknown; name: string; prefixes: string }>(
    Prisma.sql`SELECT id, name, prefixes FROM sensor WHERE id <> ${ROLLUP_SENSOR_ID} ORDER BY name`,
  );
  return {
    extent,
    defaultPeriod: extent ? defaultPeriod(extent) : null,
    sensors: sensors.map((s) => ({
      id: num(s.id),
      name: s.name,
      prefixes: s.prefixes.split(',').filter(Boolean),
    })),
  };
}
