import type { CaptureError } from '../format/read-capture';

export type FileOutcome = 'stored' | 'partial' | 'duplicate' | 'failed';

export interface FileReport {
  path: string;
  sensor: string;
  outcome: FileOutcome;
  packets: number;
  bytes: number;
  seconds: number;
  error: CaptureError | null;
  /** One line for the log. */
  message: string;
  /** IP packets not counted: their destination is outside the sensor's prefixes. */
  outside?: number;
  /** Set when the file was written in that many parts (over the memory budget). */
  parts?: number;
  /** A partial file that just ends early: the sensor may still be writing it. */
  cutShort?: boolean;
}

/** A 'failed' report for a file whose reading or commit threw. */
export function failedReport(file: { path: string; sensor: string }, err: unknown): FileReport {
  return {
    path: file.path,
    sensor: file.sensor,
    outcome: 'failed',
    packets: 0,
    bytes: 0,
    seconds: 0,
    error: null,
    message: `${file.path}: ${err instanceof Error ? err.message : String(err)}`,
  };
}

export function duplicateReport(path: string, sensor: string, started: number): FileReport {
  return {
    path,
    sensor,
    outcome: 'duplicate',
    packets: 0,
    bytes: 0,
    seconds: elapsed(started),
    error: null,
    message: `${path}: already ingested (same content), skipped`,
  };
}

export function elapsed(started: number): number {
  return (performance.now() - started) / 1000;
}
