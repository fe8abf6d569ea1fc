import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../generated/prisma-sqlite/client';
import { freshDb, type TestDb } from '../../tests/support/db';
import { closePgReads, pgRows } from './pg-reads';
import { disconnectPrisma, getPrisma } from './prisma';
import { openPgPool, openSqlite, pgTimestamp, sqliteTimestamp } from './raw';
import {
  DEFAULT_DATABASE_URL,
  databaseUrl,
  engineOf,
  projectRoot,
  redactUrl,
  sqlitePath,
} from './url';
import { num } from './values';

describe('database URLs', () => {
  it('defaults to the embedded SQLite file under the project root', () => {
    expect(databaseUrl({})).toBe(DEFAULT_DATABASE_URL);
    expect(databaseUrl({ DATABASE_URL: '  ' })).toBe(DEFAULT_DATABASE_URL);
    expect(databaseUrl({ DATABASE_URL: 'postgres://x/y' })).toBe('postgres://x/y');
    expect(sqlitePath(DEFAULT_DATABASE_URL)).toBe(path.join(projectRoot(), 'var', 'scanline.db'));
    expect(path.basename(projectRoot())).not.toBe('db');
  });

  it('tells the engine from the URL', () => {
    expect(engineOf('file:./var/scanline.db')).toBe('sqlite');
    expect(engineOf('file:/abs/x.db')).toBe('sqlite');
    expect(engineOf('postgres://u@h/db')).toBe('postgres');
    expect(engineOf('postgresql://u:p@h:5433/db?sslmode=disable')).toBe('postgres');
    expect(() => engineOf('mysql://u:secret@h/db')).toThrow(/Unsupported/);
    expect(() => engineOf('mysql://u:secret@h/db')).not.toThrow(/secret/);
    expect(redactUrl('postgres://u:secret@h/db')).toBe('postgres://u:***@h/db');
  });

  it('resolves SQLite paths', () => {
    expect(sqlitePath('file:/tmp/a.db')).toBe('/tmp/a.db');
    expect(sqlitePath('file:///tmp/a.db')).toBe('/tmp/a.db');
    expect(sqlitePath('file:rel/a.db?mode=ro')).toBe(path.join(projectRoot(), 'rel', 'a.db'));
    expect(sqlitePath('file::memory:')).toBe(':memory:');
  });

  it('formats timestamps as Prisma stores them', () => {
    for (const ms of [0, 1709251200123, 1709337599999, Date.UTC(2031, 11, 31, 23, 59, 59, 7)]) {
      const d = new Date(ms);
      expect(sqliteTimestamp(d)).toBe(d.toISOString().replace('Z', '+00:00'));
      expect(pgTimestamp(d)).toBe(d.toISOString().replace('T', ' ').replace('Z', ''));
    }
  });
});

describe.each(['sqlite', 'postgres'] as const)('getPrisma on %s', (engine) => {
  let db: TestDb;
  afterAll(async () => {
    await disconnectPrisma(db.url);
    await db.cleanup();
  });

  it('returns one client per URL, reading the migrated schema', async () => {
    db = await freshDb(engine);
    const p = getPrisma(db.url);
    expect(getPrisma(db.url)).toBe(p);
    const rollup = await p.sensor.findUniqueOrThrow({ where: { id: 0 } });
    expect(rollup.name).toBe('*');
    expect(rollup.createdAt.getTime()).toBeGreaterThan(Date.UTC(2020, 0, 1));
    const s = await p.sensor.create({ data: { name: 'via-prisma' } });
    expect(s.id).toBeGreaterThan(0);
  });

  it('sets up the raw handles', async () => {
    if (engine === 'sqlite') {
      const p = getPrisma(db.url);
      const mode = await p.$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode');
      expect(mode[0]?.journal_mode).toBe('wal');
      const raw = openSqlite(db.url);
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(Number(raw.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
      raw.close();
    } else {
      const pool = openPgPool(db.url);
      const r = await pool.query(
        "SELECT '2024-03-01 12:34:56.789'::timestamp(3) AS t, 42::int8 AS n",
      );
      expect(r.rows[0].t.toISOString()).toBe('2024-03-01T12:34:56.789Z');
      expect(r.rows[0].n).toBe(42);
      await pool.end();
    }
  });
});

describe("pgRows (the views' reads on PostgreSQL)", () => {
  let db: TestDb;
  afterAll(async () => {
    await closePgReads(db.url);
    await db.cleanup();
  });

  it("reads the views' queries with their Prisma.sql values bound as Prisma binds them", async () => {
    db = await freshDb('postgres');
    const at = new Date(Date.UTC(2024, 2, 1, 12, 34, 56, 789));
    const q = Prisma.sql`SELECT ${at}::timestamp(3) AS t, ${Uint8Array.from([1, 2, 255])}::bytea AS b,
      ${'x'} AS s, 7::int8 * ${6} AS n, SUM(x) AS total FROM (VALUES (1::int8), (2::int8)) v(x)`;
    const [r] = await pgRows<{ t: Date; b: Uint8Array; s: string; n: number; total: string }>(
      db.url,
      q.text,
      q.values,
    );
    expect(r!.t.toISOString()).toBe(at.toISOString());
    expect([...r!.b]).toEqual([1, 2, 255]);
    expect(r!.s).toBe('x');
    expect(r!.n).toBe(42);
    expect(num(r!.total)).toBe(3);
  });
});

describe('parsePgTimestamp', () => {
  it('reads timestamp text as UTC', async () => {
    const { parsePgTimestamp } = await import('./raw');
    for (const [text, iso] of [
      ['2024-03-01 12:34:56.789', '2024-03-01T12:34:56.789Z'],
      ['2024-03-01 12:34:56', '2024-03-01T12:34:56.000Z'],
      ['2024-03-01 00:00:00.5', '2024-03-01T00:00:00.500Z'],
      ['1999-12-31 23:59:59.999999', '1999-12-31T23:59:59.999Z'],
      ['2024-02-29 23:59:59.001', '2024-02-29T23:59:59.001Z'],
    ]) {
      expect(parsePgTimestamp(text as string).toISOString()).toBe(iso);
    }
  });
});
