import { runSimulate } from '../simulate/simulate-command';
import { runDemo } from './demo-command';
import { runDetect } from './detect-command';
import { runIngest } from './ingest-command';
import { runInspect } from './inspect-command';
import { runQueue, runWorker } from './queue-command';
import { runRetention } from './retention-command';
import { runSensors } from './sensors-command';
import { runWarm } from './warm-command';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  ingest: runIngest,
  inspect: runInspect,
  simulate: runSimulate,
  demo: runDemo,
  detect: runDetect,
  queue: runQueue,
  worker: runWorker,
  retention: runRetention,
  sensors: runSensors,
  warm: runWarm,
};

const USAGE = `usage: scanline <command> [options]

commands:
  ingest    read captures into the database, --workers N threads (see: scanline ingest --help)
  queue     PostgreSQL job queue: queue add FILES/DIRS, queue status (see: scanline queue --help)
  worker    ingest the files of the job queue (see: scanline worker --help)
  retention delete old per-host rows, keep every other aggregate (see: scanline retention --help)
  sensors   list sensors and their ledger totals; sensors set NAME --prefixes CIDR,...
  inspect   decode captures and print their counts, no database (--json for machines)
  simulate  write the synthetic telescope's captures for a scenario
  demo      generate, ingest and serve the built-in 2020-q3 scenario
  detect    run the anomaly detectors (scanline detect [--from D --to D])
  warm      make the dashboard's month caches (run by ingest after new data)`;

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const run = command ? COMMANDS[command] : undefined;
  if (!run) {
    console.error(USAGE);
    return command === undefined || command === '--help' || command === '-h' ? 0 : 2;
  }
  return run(rest);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const [command] = process.argv.slice(2);
    // node:util parseArgs: an unknown option or a missing value is a usage error (exit 2).
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      console.error(
        `scanline ${command}: ${(err as Error).message} (see scanline ${command} --help)`,
      );
      process.exitCode = 2;
      return;
    }
    console.error(`scanline: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
