/** A child process's exit and output, for tests that run the CLI or a helper script. */
import type { ChildProcess } from 'node:child_process';

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ChildRunOptions {
  /** Kill the child (SIGKILL) after this long. */
  timeoutMs?: number;
  /** With `timeoutMs`: reject, naming `what` and quoting stderr, instead of resolving. */
  rejectOnTimeout?: boolean;
  what?: string;
}

/** Collects `child`'s stdout and stderr until it exits (spawned with both piped). */
export function childRun(child: ChildProcess, opts: ChildRunOptions = {}): Promise<ChildRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            child.kill('SIGKILL');
            if (opts.rejectOnTimeout) {
              reject(
                new Error(
                  `${opts.what ?? 'child'} did not finish in ${opts.timeoutMs} ms: ${stderr}`,
                ),
              );
            }
          }, opts.timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
