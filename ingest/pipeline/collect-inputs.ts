import { stat } from 'node:fs/promises';
import path from 'node:path';
import { STDIN } from '../format/read-capture';
import { isCaptureFile, skippedLine, walkCaptures } from './capture-names';

export interface InputFile {
  /** Path as the user gave it (joined with the walked sub-path for directories). */
  path: string;
  sensor: string;
}

const IGNORED_NAME = /^\.|\.(tmp|part|partial)$/i;

/**
 * Expands the command line into capture files with their sensor.
 * `--sensor NAME` assigns every file to NAME. Without it, a directory uses the
 * directory-per-sensor layout: files in `DIR/<sensor>/...` belong to `<sensor>`,
 * files directly in DIR (and files named on the command line) to `defaultSensor`.
 */
export async function collectInputs(
  args: readonly string[],
  sensor: string | undefined,
  defaultSensor = 'default',
  /** Called with each file of a directory that is not taken as a capture (capture-names.ts). */
  onSkip: (file: string) => void = () => {},
): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const arg of args) {
    if (arg === STDIN) {
      if (out.some((f) => f.path === STDIN)) throw new Error('-: standard input can be read once');
      out.push({ path: STDIN, sensor: sensor ?? defaultSensor });
      continue;
    }
    const info = await stat(arg).catch((err: NodeJS.ErrnoException) => {
      throw new Error(
        `${arg}: ${err.code === 'ENOENT' ? 'no such file or directory' : err.message}`,
      );
    });
    if (info.isDirectory()) {
      const how = { ignore: IGNORED_NAME, take: isCaptureFile, onSkip };
      for (const rel of await walkCaptures(arg, how)) {
        const first = rel.split(path.sep)[0]!;
        const nested = rel.includes(path.sep);
        out.push({ path: path.join(arg, rel), sensor: sensor ?? (nested ? first : defaultSensor) });
      }
    } else {
      out.push({ path: arg, sensor: sensor ?? defaultSensor });
    }
  }
  return out;
}

/** collectInputs for a command: the directory files not taken are named on one line. */
export async function collectCommandInputs(
  args: readonly string[],
  sensor: string | undefined,
): Promise<InputFile[]> {
  const skipped: string[] = [];
  const inputs = await collectInputs(args, sensor, undefined, (f) => skipped.push(f));
  const note = skippedLine(skipped);
  if (note !== null) console.log(note);
  return inputs;
}
