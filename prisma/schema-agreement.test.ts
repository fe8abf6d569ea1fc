import { readFileSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { schemaFile } from '../lib/db/migrations';
import { testPgUrl } from '../tests/support/db';
import { diffFor, schemaBody, schemasAgree } from './migrate';

describe('Prisma schemas and migrations', () => {
  it('the SQLite and PostgreSQL schemas differ only in provider and output', () => {
    const sqlite = readFileSync(schemaFile('sqlite'), 'utf8');
    const postgres = readFileSync(schemaFile('postgres'), 'utf8');
    expect(sqlite).toMatch(/provider = "sqlite"/);
    expect(postgres).toMatch(/provider = "postgresql"/);
    expect(schemaBody(postgres)).toBe(schemaBody(sqlite));
    expect(schemasAgree()).toBe(true);
  });

  it('SQLite: replaying the migrations gives exactly the schema (empty diff)', async () => {
    expect(await diffFor('sqlite')).toBe('');
  });

  it('PostgreSQL: replaying the migrations gives exactly the schema (empty diff)', async () => {
    const url = testPgUrl();
    expect(await diffFor('postgres', url)).toBe('');
    // The shadow database is gone.
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const left = await c.query(
      "SELECT datname FROM pg_database WHERE datname LIKE 'scanline_shadow_%'",
    );
    await c.end();
    expect(left.rows).toEqual([]);
  });
});
