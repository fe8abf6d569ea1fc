import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { simulate } from '../../ingest/simulate/simulate-command';

/**
 * The demo scenario's sensors over `from`..`to` (UTC days, inclusive), merged by
 * mergecap into one classic pcap at `dir/capture.pcap`; returns its path.
 */
export async function mergedDemoCapture(dir: string, from: string, to: string): Promise<string> {
  const sim = await simulate({
    scenario: '2020-q3',
    outDir: path.join(dir, 'sim'),
    scale: 'demo',
    from,
    to,
  });
  const capture = path.join(dir, 'capture.pcap');
  execFileSync('mergecap', [
    '-F',
    'pcap',
    '-w',
    capture,
    ...sim.files.map((f) => path.join(sim.outDir, f.path)),
  ]);
  return capture;
}
