/**
 * `scanline detect`: runs the anomaly detectors (lib/anomalies, docs/ANOMALIES.md) and
 * stores their results in the database.
 *
 *   scanline detect                       every day not yet (or no longer) detected, and
 *                                         the period detectors of every quarter and
 *                                         month of the data whose inputs changed
 *   scanline detect --from D --to D       re-detect the days of the period and run the
 *                                         period detectors (growth, rank moves) for it
 */
import { parseArgs } from 'node:util';
import { loadExtent } from '../../lib/anomalies/load';
import {
  detectDays,
  detectForPeriod,
  detectPending,
  detectPresetPeriods,
  ensureDetected,
} from '../../lib/anomalies/run';
import { listStored } from '../../lib/anomalies/store';
import { defaultPeriod, isDay, type Period } from '../../lib/api/period';
import { disconnectPrisma, getPrisma } from '../../lib/db/prisma';
import { databaseUrl } from '../../lib/db/url';

const USAGE = `usage: scanline detect [--from YYYY-MM-DD --to YYYY-MM-DD] [--db URL]
                       [--telescope-addresses N] [--top N] [--json]

Runs the anomaly detectors over the daily aggregates and stores what they find
(DATABASE_URL, default: the embedded SQLite file). Without --from/--to: every day whose
detection is missing or stale, and the growth / rank detectors of every quarter and
month of the data (the periods the dashboard offers) whose data changed since they ran;
prints the default period's (the last complete quarter). With them: those days again,
and the period detectors for exactly that period; prints that period's. Most severe
anomalies first.

--telescope-addresses N   monitored IPv4 addresses, for the DDoS rate estimate (default:
                          SCANLINE_TELESCOPE_ADDRESSES, else the sensors' prefixes, else
                          estimated from the data)`;

export async function runDetect(argv: string[]): Promise<number> {
  let values: {
    from?: string;
    to?: string;
    db?: string;
    'telescope-addresses'?: string;
    top?: string;
    json?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        db: { type: 'string' },
        'telescope-addresses': { type: 'string' },
        top: { type: 'string', default: '20' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    console.error(`scanline detect: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  if ((values.from === undefined) !== (values.to === undefined)) {
    console.error('scanline detect: give both --from and --to, or neither');
    return 2;
  }
  if (values.from !== undefined && values.to !== undefined) {
    if (!isDay(values.from) || !isDay(values.to) || values.from > values.to) {
      console.error('scanline detect: --from and --to must be UTC days YYYY-MM-DD, from <= to');
      return 2;
    }
  }
  const addrText = values['telescope-addresses'] ?? process.env.SCANLINE_TELESCOPE_ADDRESSES;
  const telescopeAddresses = addrText ? Number(addrText) : undefined;
  if (
    telescopeAddresses !== undefined &&
    !(Number.isInteger(telescopeAddresses) && telescopeAddresses > 0)
  ) {
    console.error('scanline detect: --telescope-addresses must be a positive integer');
    return 2;
  }
  if (!/^[1-9]\d{0,5}$/.test(values.top ?? '20')) {
    console.error(`scanline detect: --top must be a positive integer (got ${values.top})`);
    return 2;
  }
  const top = Number(values.top ?? '20');
  const url = values.db ?? databaseUrl();
  const db = getPrisma(url);
  try {
    const extent = await loadExtent(db);
    if (!extent) {
      console.error('scanline detect: the database holds no data yet');
      return 0;
    }
    const started = performance.now();
    let period: Period;
    if (values.from !== undefined && values.to !== undefined) {
      period = { from: values.from, to: values.to };
      await detectDays(db, period, { telescopeAddresses });
      await detectForPeriod(db, period);
    } else {
      period = defaultPeriod(extent);
      await detectPending(db, { telescopeAddresses });
      await detectPresetPeriods(db);
      await ensureDetected(db, period, { telescopeAddresses });
    }
    const list = await listStored(db, { period, limit: top });
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    if (values.json) {
      console.log(JSON.stringify({ period, seconds: Number(secs), anomalies: list }));
    } else {
      console.log(
        `anomalies ${period.from} .. ${period.to} (detected in ${secs} s), most severe first:`,
      );
      for (const a of list) {
        console.log(`${a.severity.toFixed(0).padStart(3)}  ${a.kind.padEnd(15)} ${a.summary}`);
      }
    }
    return 0;
  } finally {
    await disconnectPrisma(url);
  }
}

/**
 * After an ingest: detect every day the ingest added data to (and the days whose
 * baselines it changed), then the preset periods whose data changed. Opens and closes
 * its own database client.
 */
export async function detectAfterIngest(url: string = databaseUrl()): Promise<number> {
  const db = getPrisma(url);
  try {
    const addr = process.env.SCANLINE_TELESCOPE_ADDRESSES;
    const found = await detectPending(db, {
      telescopeAddresses: addr ? Number(addr) : undefined,
    });
    await detectPresetPeriods(db);
    return found;
  } finally {
    await disconnectPrisma(url);
  }
}
