/** Helpers for the simulator's tests: tshark, when the machine has it. */
import { execFileSync, spawnSync } from 'node:child_process';

let cached: boolean | undefined;

export function hasTshark(): boolean {
  cached ??= spawnSync('tshark', ['-v'], { stdio: 'ignore' }).status === 0;
  return cached;
}

/** Runs tshark and returns stdout; throws on a non-zero exit. */
export function tshark(args: string[]): string {
  return execFileSync('tshark', args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 << 20,
  });
}
