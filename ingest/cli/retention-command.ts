import { parseArgs } from 'node:util';
import { isDay } from '../../lib/api/period';
import { databaseUrl, redactUrl } from '../../lib/db/url';
import { cutoffForKeepDays, purgeHostRows } from '../store/retention';

const USAGE = `usage: scanline retention --keep-host-days N [--dry-run] [--db URL] [--json]
       scanline retention --before YYYY-MM-DD [--dry-run] [--db URL] [--json]

Deletes the per-host rows (daily_host) of old days and keeps every other aggregate
(totals, ports, countries, windows, tags and their distinct-source sketches) and the
ledger. --keep-host-days N removes the days before today (UTC) minus N days
(N = 30 on 2020-09-30 removes every day before 2020-08-31); --before DAY removes the
days before DAY. On PostgreSQL, months of daily_host that lie wholly before the cutoff
are dropped as whole partitions. --dry-run only counts.`;

export async function runRetention(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'keep-host-days': { type: 'string' },
      before: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const keep = values['keep-host-days'];
  if (values.help || (keep === undefined) === (values.before === undefined)) {
    console.error(USAGE);
    if (!values.help) console.error('\ngive exactly one of --keep-host-days and --before');
    return values.help ? 0 : 2;
  }
  let before: string;
  if (keep !== undefined) {
    if (!/^\d{1,6}$/.test(keep)) {
      console.error(`scanline retention: --keep-host-days must be a whole number (got ${keep})`);
      return 2;
    }
    before = cutoffForKeepDays(Number(keep));
  } else if (isDay(values.before!)) before = values.before!;
  else {
    console.error(
      `scanline retention: --before must be a UTC day YYYY-MM-DD (got ${values.before})`,
    );
    return 2;
  }
  const url = values.db ?? databaseUrl();
  const r = await purgeHostRows(url, { before, dryRun: values['dry-run'] });
  if (values.json) {
    console.log(JSON.stringify(r));
    return 0;
  }
  const verb = r.dryRun ? 'would remove' : 'removed';
  for (const p of r.droppedPartitions)
    console.log(`${r.dryRun ? 'would drop' : 'dropped'} partition ${p.name} (${p.rows} rows)`);
  console.log(
    `${redactUrl(url)}: ${verb} ${r.totalRows} host rows of days before ${r.before} (${r.droppedPartitions.length} whole partitions, ${r.deletedRows} rows by DELETE); other aggregates kept`,
  );
  return 0;
}
