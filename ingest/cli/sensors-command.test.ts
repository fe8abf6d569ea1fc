import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { ENGINES, freshDbsFor } from '../../tests/support/db';
import { finished, ingestLines, startScanline } from '../../tests/support/scanline-cli';
import type { SensorSummary } from '../store/sensor-list';
import { runSensors } from './sensors-command';

const FIXTURES = fileURLToPath(new URL('../../tests/real-tools/fixtures/', import.meta.url));
const CAPTURE = path.join(FIXTURES, 'any-sll2.pcap');

const sensors = (args: string[]) => finished(startScanline(['sensors', ...args]));

/** tshark's count of the capture's packets that match a display filter. */
function tsharkCount(filter: string): number {
  const out = execFileSync('tshark', ['-r', CAPTURE, '-Y', filter], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.toString().split('\n').filter(Boolean).length;
}

describe.each(ENGINES)('scanline sensors on %s', { timeout: 120_000 }, (engine) => {
  const fresh = freshDbsFor(engine);

  it('set before the first file: that ingest filters by them; the list shows the ledger', async () => {
    const db = await fresh();
    const set = await sensors(['set', 'edge', '--prefixes', '192.0.2.0/24', '--db', db.url]);
    expect(set, set.stderr).toMatchObject({ code: 0 });
    expect(set.stdout).toContain('sensor edge: prefixes 192.0.2.0/24 (a new sensor)');

    const run = await ingestLines(['--db', db.url, '--sensor', 'edge', CAPTURE]);
    expect(run.code, run.stderr).toBe(0);
    const inside = tsharkCount('ip.dst#1 == 192.0.2.0/24');
    const outside = tsharkCount('(ip || ipv6) && !(ip.dst#1 == 192.0.2.0/24)');
    expect(inside).toBeGreaterThan(10);
    expect(outside).toBeGreaterThan(10);

    const list = await sensors(['--json', '--db', db.url]);
    expect(list.code, list.stderr).toBe(0);
    const { sensors: rows } = JSON.parse(list.stdout) as { sensors: SensorSummary[] };
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      name: 'edge',
      prefixes: '192.0.2.0/24',
      files: 1,
      partialFiles: 0,
      packets: tsharkCount('frame'),
      ipPackets: inside,
      outsidePackets: outside,
    });
    expect(rows[0]!.firstPacket).toMatch(/^\d{4}-\d\d-\d\dT/);

    const table = await sensors(['--db', db.url]);
    expect(table.stdout).toMatch(/^edge\s+192\.0\.2\.0\/24\s+1\s+0\s/m);

    const changed = await sensors(['set', 'edge', '--prefixes', '', '--db', db.url]);
    expect(changed.stdout).toContain(
      'sensor edge: prefixes none (every packet counts) (was: 192.0.2.0/24); the file ingested before keeps its counts',
    );
  });

  it('bad prefixes, a reserved name or a stray word: exit 2 naming it, nothing set', async () => {
    // In this process: these are refused before the database is opened.
    const db = await fresh();
    const cases: [string[], string][] = [
      [['set', 'edge', '--prefixes', '192.0.2.1/24'], 'the block is 192.0.2.0/24'],
      [['set', '*', '--prefixes', '192.0.2.0/24'], "'*' is reserved"],
      [['set', 'edge'], 'usage: scanline sensors'],
      [['rename', 'edge'], 'usage: scanline sensors'],
    ];
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      for (const [args, message] of cases) {
        errors.mockClear();
        expect(await runSensors([...args, '--db', db.url]), args.join(' ')).toBe(2);
        expect(errors.mock.calls.flat().join('\n')).toContain(message);
      }
    } finally {
      errors.mockRestore();
    }
    const list = await sensors(['--db', db.url]);
    expect(list.stdout).toContain('no sensors yet');
  });
});
