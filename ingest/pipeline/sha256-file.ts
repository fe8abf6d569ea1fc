import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** SHA-256 hex of a file, or of its first `length` bytes. */
export async function sha256File(path: string, length?: number): Promise<string> {
  const hash = createHash('sha256');
  if (length === 0) return hash.digest('hex');
  const range = length === undefined ? {} : { start: 0, end: length - 1 };
  for await (const chunk of createReadStream(path, { ...range, highWaterMark: 1 << 20 }))
    hash.update(chunk);
  return hash.digest('hex');
}
