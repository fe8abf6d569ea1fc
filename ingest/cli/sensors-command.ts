import { parseArgs } from 'node:util';
import { disconnectPrisma } from '../../lib/db/prisma';
import { databaseUrl, redactUrl } from '../../lib/db/url';
import { openStore } from '../store';
import { listSensors, type SensorSummary } from '../store/sensor-list';
import { checkSensorArgs } from './sensor-args';

const USAGE = `usage: scanline sensors [--db URL] [--json]
       scanline sensors set NAME --prefixes CIDR,... [--db URL]

Lists the sensors with their monitored prefixes and what the ledger holds of each:
files (and how many are partial), packets read, IP packets counted and those left out
as outside the prefixes, the span of their packets and the latest ingest (UTC).

set records the blocks a sensor monitors (IPv4 or IPv6, comma-separated; '' clears
them), creating the sensor if it is new, before or between ingests: from then on only
packets to them count. Files already ingested keep their counts.`;

export async function runSensors(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      prefixes: { type: 'string' },
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  const url = values.db ?? databaseUrl();
  const listing = positionals.length === 0 && values.prefixes === undefined;
  const [verb, name, ...extra] = positionals;
  if (
    !listing &&
    (verb !== 'set' || name === undefined || extra.length > 0 || values.prefixes === undefined)
  ) {
    console.error(USAGE);
    return 2;
  }
  const checked = checkSensorArgs(name, values.prefixes);
  if ('error' in checked) {
    console.error(`scanline sensors: ${checked.error}`);
    return 2;
  }
  // Opened first: it refuses a database that does not exist or lacks the migrations.
  const store = await openStore(url);
  try {
    const sensors = await listSensors(url);
    if (listing) {
      if (values.json) console.log(JSON.stringify({ sensors }));
      else console.log(sensorTable(sensors, redactUrl(url)));
      return 0;
    }
    const before = sensors.find((s) => s.name === name);
    await store.ensureSensor(name!, checked.prefixes);
    report(name!, checked.prefixes ?? '', before);
    return 0;
  } finally {
    await store.close();
    await disconnectPrisma(url);
  }
}

function report(name: string, prefixes: string, before: SensorSummary | undefined): void {
  const now = prefixes || 'none (every packet counts)';
  const was = before === undefined ? 'a new sensor' : `was: ${before.prefixes || 'none'}`;
  const kept =
    before !== undefined && before.files > 0 && before.prefixes !== prefixes
      ? `; ${before.files === 1 ? 'the file' : `its ${before.files} files`} ingested before keep${before.files === 1 ? 's its' : ' their'} counts`
      : '';
  console.log(`sensor ${name}: prefixes ${now} (${was})${kept}`);
}

/** The sensors as an aligned text table. */
export function sensorTable(sensors: readonly SensorSummary[], where: string): string {
  if (sensors.length === 0) return `${where}: no sensors yet`;
  const minute = (d: Date | null) =>
    d === null ? '-' : d.toISOString().slice(0, 16).replace('T', ' ');
  const n = (x: number) => x.toLocaleString('en-US');
  const rows = [
    [
      'sensor',
      'prefixes',
      'files',
      'partial',
      'packets',
      'IP counted',
      'outside',
      'first packet',
      'last packet',
      'last ingest',
    ],
    ...sensors.map((s) => [
      s.name,
      s.prefixes || '-',
      n(s.files),
      n(s.partialFiles),
      n(s.packets),
      n(s.ipPackets),
      n(s.outsidePackets),
      minute(s.firstPacket),
      minute(s.lastPacket),
      minute(s.lastIngest),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const numeric = new Set([2, 3, 4, 5, 6]);
  const lines = rows.map((r) =>
    r
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  return [`${where}, times in UTC:`, ...lines].join('\n');
}
