/**
 * `scanline ingest --watch` against a PostgreSQL server that goes away for a while (a
 * restart, a failover): a capture that arrives during the outage cannot be stored, and
 * the watcher takes it again once the server is back, instead of leaving it out until
 * someone restarts the watch. A throwaway cluster of its own (tests/support/postgres.ts),
 * so that stopping it disturbs no other test; real-tool captures.
 */
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployMigrations } from '../../lib/db/migrations';
import { disconnectPrisma } from '../../lib/db/prisma';
import { dumpAggregates } from '../../tests/support/dump';
import { type PgCluster, startPostgres } from '../../tests/support/postgres';
import { finished, ingestJson, startScanline } from '../../tests/support/scanline-cli';
import { until } from '../../tests/support/until';

const FIXTURES = fileURLToPath(new URL('../../tests/real-tools/fixtures/', import.meta.url));
const BEFORE = 'lo-nmap.pcap';
const DURING = 'veth-masscan.pcap';

let cluster: PgCluster;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'scanline-outage-'));

beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);

afterAll(async () => {
  await disconnectPrisma();
  cluster?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

async function database(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  await deployMigrations(url.toString());
  return url.toString();
}

async function ledgerPaths(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ path: string }>('SELECT path FROM ingested_file ORDER BY id');
    return r.rows.map((row) => path.basename(row.path));
  } finally {
    await client.end();
  }
}

function output(child: ChildProcess): () => string {
  let text = '';
  child.stdout?.on('data', (d: Buffer) => {
    text += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    text += d.toString();
  });
  return () => text;
}

interface Steps {
  /** Done once the first capture went through (before the outage). */
  first: (said: string) => boolean | Promise<boolean>;
  /** Done once the second capture was refused (during the outage). */
  refused: (said: string) => boolean;
  /** Done once the second capture went through (after the outage). */
  second: (said: string) => boolean | Promise<boolean>;
}

/**
 * Runs `scanline ...args --watch SPOOL`: the first capture arrives, the server stops, the
 * second arrives, the server starts again. Returns everything the watcher said.
 */
async function watchThroughOutage(args: string[], name: string, steps: Steps): Promise<string> {
  const spool = path.join(tmp, name);
  mkdirSync(path.join(spool, 's'), { recursive: true });
  const watcher = startScanline([...args, '--watch', spool, '--settle-ms', '200']);
  const done = finished(watcher, 200_000, args.join(' '));
  const said = output(watcher);
  copyFileSync(path.join(FIXTURES, BEFORE), path.join(spool, 's', BEFORE));
  await until('the first capture through', () => steps.first(said()));
  cluster.halt();
  try {
    copyFileSync(path.join(FIXTURES, DURING), path.join(spool, 's', DURING));
    await until('the second capture refused while the server is down', () => steps.refused(said()));
  } finally {
    cluster.resume();
  }
  await until('the second capture through after the outage', () => steps.second(said()));
  watcher.kill('SIGTERM');
  const run = await done;
  expect(run.signal).toBeNull();
  return said();
}

describe('--watch while the PostgreSQL server is down', { timeout: 240_000 }, () => {
  it('a capture that arrives during the outage is stored once the server is back', async () => {
    const reference = await database('reference');
    const both = path.join(tmp, 'both', 's');
    mkdirSync(both, { recursive: true });
    for (const f of [BEFORE, DURING]) copyFileSync(path.join(FIXTURES, f), path.join(both, f));
    const one = await ingestJson(['--db', reference, path.dirname(both)]);
    expect(one, one.stderr).toMatchObject({ code: 0, signal: null });

    const url = await database('watched');
    const said = await watchThroughOutage(['ingest', '--no-detect', '--db', url], 'spool', {
      first: async () => (await ledgerPaths(url)).length === 1,
      refused: (text) => text.includes(`${DURING}:`),
      second: async () => (await ledgerPaths(url)).includes(DURING),
    });
    expect(said).toMatch(new RegExp(`failed +\\S*${DURING}`));
    expect(said).toContain('taken again after a wait');
    expect(await ledgerPaths(url)).toEqual([BEFORE, DURING]);
    expect(await dumpAggregates(url)).toEqual(await dumpAggregates(reference));
  });

  it('queue add --watch: a capture that cannot be queued during the outage is queued once it is back', async () => {
    const url = await database('queued');
    const said = await watchThroughOutage(['queue', 'add', '--db', url], 'queue-spool', {
      first: (text) => text.includes(`${BEFORE} (sensor s)`),
      refused: (text) => text.includes('not queued'),
      second: (text) => text.includes(`${DURING} (sensor s)`),
    });
    expect(said).toContain('taken again after a wait');
    expect(said.match(/^queued /gm)).toHaveLength(2);
  });
});
