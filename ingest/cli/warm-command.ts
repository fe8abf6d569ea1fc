/**
 * `scanline warm`: makes the dashboard's month caches (lib/queries/warm-months.ts) of
 * every whole month of the data, so that the first ranking over a quarter or a year reads
 * kept month sketches and host lists instead of a month's daily rows. `scanline ingest`
 * runs it after the anomaly detectors.
 */
import { register } from 'node:module';
import { parseArgs } from 'node:util';
import { closePgReads } from '../../lib/db/pg-reads';
import { disconnectPrisma } from '../../lib/db/prisma';
import { closeSqliteReads } from '../../lib/db/sqlite-reads';
import { databaseUrl } from '../../lib/db/url';

const USAGE = `usage: scanline warm [--db URL] [--month YYYY-MM]...

Makes the month caches the dashboard's rankings read (distinct-source sketches of each
whole month's countries and busiest ports, and its host lists) where missing or stale,
so that the first request over a quarter or a year does not read every day's rows.
Cheap when they are already made. scanline ingest runs it after new data.`;

let hooked = false;

/** Makes the month caches of the database at `url`; logs one line per month. */
export async function warmAfterIngest(
  url: string,
  opts: { months?: string[]; log?: (line: string) => void } = {},
): Promise<{ months: number; seconds: number }> {
  if (!hooked) {
    // lib/queries imports `server-only`, which only Next.js resolves.
    register('../../lib/server-only-outside-next.mjs', import.meta.url);
    hooked = true;
  }
  const saved = process.env.DATABASE_URL;
  process.env.DATABASE_URL = url;
  try {
    const { warmMonthCaches } = await import('../../lib/queries/warm-months');
    const s = await warmMonthCaches({ months: opts.months, log: opts.log });
    return { months: s.months.length, seconds: s.seconds };
  } finally {
    closeSqliteReads();
    await closePgReads();
    await disconnectPrisma(url);
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
}

export async function runWarm(argv: string[]): Promise<number> {
  let values: { db?: string; month?: string[]; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        db: { type: 'string' },
        month: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    console.error(`scanline warm: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  const bad = values.month?.find((m) => !/^\d{4}-(0[1-9]|1[0-2])$/.test(m));
  if (bad !== undefined) {
    console.error(`scanline warm: --month: expected YYYY-MM (got '${bad}')`);
    return 2;
  }
  const s = await warmAfterIngest(values.db ?? databaseUrl(), {
    months: values.month,
    log: (line) => console.log(line),
  });
  console.log(`month caches: ${s.months} months in ${s.seconds.toFixed(1)} s`);
  return 0;
}
