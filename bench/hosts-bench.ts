/**
 * `node --import ./bench/server-only-off.mjs --import tsx bench/hosts-bench.ts
 * [DATABASE_URL] [--runs N] [--ports 161/udp,23/tcp,...] [--countries NL,VN]`: the host
 * list of a slice (GET /api/v1/hosts) found the way lib/queries/hosts.ts did before
 * daily_host_port (a port's day lists read from daily_host with a LIKE on each row's
 * ports JSON; every round's candidates summed) against the way it does now (the port's
 * rows of daily_host_port; rounds with too many candidates read deeper first), on one
 * database in the same run, with the same answer checked. Prints the median of --runs
 * (3) per slice and period. Default database: the largest dashboard bench file under
 * var/bench/.
 */
import { parseArgs } from 'node:util';
import type { Period } from '@/lib/api/period';
import { type PortRef, parsePortKey } from '@/lib/api/port-key';
import { disconnectPrisma, getPrisma } from '@/lib/db';
import { sensorScope } from '@/lib/queries/db';
import { getHosts, type HostsArgs } from '@/lib/queries/hosts';
import { benchExtent, benchPeriods, largestBenchDb, timeRuns } from './sql-bench-support';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '3' },
    ports: { type: 'string', default: '161/udp,5353/udp,3389/tcp,23/tcp' },
    countries: { type: 'string', default: 'NL,VN' },
  },
});
const runs = Number(values.runs);
const url = positionals[0] ?? largestBenchDb();
process.env.DATABASE_URL = url;
const LIMIT = 25;

async function main(): Promise<void> {
  const db = getPrisma(url);
  const periods = benchPeriods(await benchExtent(db, url));
  const scope = await sensorScope([]);
  const slices: [string, Omit<HostsArgs, 'period' | 'scope' | 'limit'>][] = [
    ['every host', {}],
    ...values.ports.split(',').map((p): [string, { port: PortRef }] => {
      const port = parsePortKey(p);
      if (!port) throw new Error(`--ports: not a port like 445/tcp: '${p}'`);
      return [p, { port }];
    }),
    ...values.countries.split(',').map((c): [string, { country: string }] => [c, { country: c }]),
  ];
  console.log(`${url}, limit ${LIMIT}, median of ${runs} runs (ms)\n`);
  console.log('| slice | period | before | now | same answer |');
  console.log('| ----- | ------ | -----: | --: | ----------- |');
  for (const [name, slice] of slices) {
    for (const [label, period] of periods as [string, Period][]) {
      const args: HostsArgs = { ...slice, period, scope, limit: LIMIT };
      const before = await timeRuns(runs, () =>
        getHosts(args, { portLists: false, candidateBudget: Number.POSITIVE_INFINITY }),
      );
      const now = await timeRuns(runs, () => getHosts(args));
      const same = JSON.stringify(before.result) === JSON.stringify(now.result);
      console.log(
        `| ${name} | ${label} | ${before.ms.toFixed(1)} | ${now.ms.toFixed(1)} | ${same ? 'yes' : '**no**'} |`,
      );
    }
  }
  await disconnectPrisma(url);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
