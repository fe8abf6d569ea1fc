import { blockText, parseBlock } from '../pipeline/prefix-filter';

export interface SensorArgs {
  sensor?: string;
  /** Normalised: CIDR blocks joined by commas ('' clears a sensor's prefixes). */
  prefixes?: string;
}

/**
 * `--sensor` and `--prefixes` of ingest and queue add, checked before anything is read:
 * the values to use, or a message naming the option. Only packets to the prefixes count
 * (ingest/pipeline/prefix-filter.ts); their IPv4 blocks size the telescope for the
 * anomaly rates (lib/anomalies/load.ts).
 */
export function checkSensorArgs(
  sensor: string | undefined,
  prefixes: string | undefined,
): SensorArgs | { error: string } {
  if (sensor !== undefined) {
    if (sensor.trim() === '' || sensor !== sensor.trim()) {
      return { error: `--sensor must be a name without surrounding spaces (got '${sensor}')` };
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
    if (/[\u0000-\u001f\u007f]/.test(sensor)) {
      return { error: '--sensor must not contain control characters' };
    }
    if (sensor === '*') return { error: "--sensor: '*' is reserved for the all-sensors rollup" };
  }
  if (prefixes === undefined) return sensor === undefined ? {} : { sensor };
  if (sensor === undefined) {
    return { error: '--prefixes needs --sensor (they are the prefixes of that one sensor)' };
  }
  const parts = prefixes.split(',').map((p) => p.trim());
  if (parts.length === 1 && parts[0] === '') return { sensor, prefixes: '' };
  const blocks: string[] = [];
  for (const part of parts) {
    const block = parseBlock(part);
    if ('error' in block) return { error: `--prefixes: ${block.error}` };
    blocks.push(blockText(block));
  }
  return { sensor, prefixes: blocks.join(',') };
}

/** The options ingest and queue add share: --sensor, --prefixes and those of --watch. */
export function checkSpoolArgs(values: {
  sensor?: string;
  prefixes?: string;
  'settle-ms': string;
  'exit-after-s'?: string;
}): SensorArgs | { error: string } {
  const watchError = checkWatchArgs(values['settle-ms'], values['exit-after-s']);
  const checked = checkSensorArgs(values.sensor, values.prefixes);
  return 'error' in checked || watchError === null ? checked : { error: watchError };
}

/** `--settle-ms` (a whole number of milliseconds) and `--exit-after-s`: a message, or null. */
export function checkWatchArgs(settleMs: string, exitAfterS: string | undefined): string | null {
  if (!/^\d{1,9}$/.test(settleMs)) {
    return `--settle-ms must be a whole number of milliseconds (got ${settleMs})`;
  }
  return checkExitAfter(exitAfterS);
}

/** `--exit-after-s`, when given, is a positive number of seconds: a message, or null. */
export function checkExitAfter(exitAfterS: string | undefined): string | null {
  if (exitAfterS === undefined || (/^\d+(\.\d+)?$/.test(exitAfterS) && Number(exitAfterS) > 0)) {
    return null;
  }
  return `--exit-after-s must be a positive number of seconds (got ${exitAfterS})`;
}
