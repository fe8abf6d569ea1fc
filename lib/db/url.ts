/**
 * Which database Scanline talks to. One URL picks the engine:
 * - `file:<path>` (or a bare path ending in .db/.sqlite): a SQLite file, the embedded
 *   default `file:./var/scanline.db`; relative paths are relative to the project root.
 * - `postgres://...` or `postgresql://...`: a PostgreSQL server.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Engine = 'sqlite' | 'postgres';

export const DEFAULT_DATABASE_URL = 'file:./var/scanline.db';

let cachedRoot: string | undefined;

/**
 * The project root: SCANLINE_ROOT if set, else the nearest folder above this module
 * holding Scanline's package.json, else the current directory.
 */
export function projectRoot(): string {
  if (process.env.SCANLINE_ROOT) return path.resolve(process.env.SCANLINE_ROOT);
  if (cachedRoot) return cachedRoot;
  let found: string | undefined;
  try {
    let dir = path.dirname(fileURLToPath(import.meta.url));
    for (;;) {
      const pkg = path.join(dir, 'package.json');
      if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'scanline') {
        found = dir;
        break;
      }
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  } catch {
    // Bundled code may have no file URL: fall back to the working directory.
  }
  cachedRoot = found ?? process.cwd();
  return cachedRoot;
}

/** DATABASE_URL, or the embedded default. */
export function databaseUrl(env: Record<string, string | undefined> = process.env): string {
  const url = env.DATABASE_URL?.trim();
  return url ? url : DEFAULT_DATABASE_URL;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

export function engineOf(url: string): Engine {
  if (isPostgresUrl(url)) return 'postgres';
  if (/^file:/i.test(url) || /\.(db|sqlite3?)$/i.test(url)) return 'sqlite';
  throw new Error(
    `Unsupported DATABASE_URL '${redactUrl(url)}': use file:<path> (SQLite) or postgres://... (PostgreSQL)`,
  );
}

/** Absolute path of a SQLite URL's file (`:memory:` passes through). */
export function sqlitePath(url: string): string {
  let p = url.replace(/^file:/i, '');
  if (p.startsWith('//')) p = fileURLToPath(`file:${p}`);
  p = p.split('?')[0] ?? p;
  if (p === ':memory:') return p;
  return path.resolve(projectRoot(), p);
}

/** The URL with any password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]*)@/, '//$1:***@');
}
