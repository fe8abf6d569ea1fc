/** per=sensor: daily series divided by the sensors that reported each day, on both engines. */
import { describe, expect, test, vi } from 'vitest';
import { ENGINES } from '@/tests/support/db';
import { daysOf } from '../api/period';
import { sensorScope } from './db';
import { perSensor, reportingSensors } from './per-sensor';
import { getSeries } from './series';
import { fixtureRecords, Q3, SENSORS } from './testing/fixture';
import { useFixtureDb } from './testing/fixture-db';
import { refDaily } from './testing/reference';

vi.mock('server-only', () => ({}));

// The fixture's days all have both sensors: add a day only osaka-2 saw.
const base = fixtureRecords();
const records = [...base, { ...base[0]!, day: '2020-09-15', sensor: 'osaka-2', packets: 7 }];
const all = { ids: [0], names: [], combined: false };

/** Distinct sensors with records on each day (the fixture's own answer). */
function refSensors(days: string[], sensors: string[] = SENSORS): number[] {
  return days.map(
    (d) =>
      new Set(records.filter((r) => r.day === d && sensors.includes(r.sensor)).map((r) => r.sensor))
        .size,
  );
}

describe.each(ENGINES)('per-sensor series on %s', (engine) => {
  useFixtureDb(engine, records);

  test('reporting sensors per day: both, one or none, as the records say', async () => {
    const days = daysOf(Q3);
    const counts = await reportingSensors(Q3, all, days);
    expect(counts).toEqual(refSensors(days));
    expect(new Set(counts)).toEqual(new Set([0, 1, 2]));
    const one = await sensorScope(['osaka-2']);
    expect(await reportingSensors(Q3, one, days)).toEqual(refSensors(days, ['osaka-2']));
  });

  test('packets per sensor: each day divided by its reporting sensors', async () => {
    const days = daysOf(Q3);
    const data = await getSeries({ period: Q3, metric: 'packets', limit: 5, scope: all });
    const out = perSensor(data, await reportingSensors(Q3, all, days));
    const packets = refDaily(records, { period: Q3 }, 'packets').get('total')!;
    const sensors = refSensors(days);
    expect(out.sensors).toEqual(sensors);
    expect(out.series[0]!.values).toEqual(
      packets.map((p, i) => (sensors[i]! > 0 ? Math.round((p / sensors[i]!) * 100) / 100 : 0)),
    );
    const halved = out.series[0]!.values.filter((_, i) => sensors[i] === 2);
    expect(halved.length).toBeGreaterThan(0);
  });
});
