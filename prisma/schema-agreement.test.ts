import { readFileSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { schemaFile } from '../lib/db/migrations';
import { testPgUrl } from '../tests/support/db';
import {
  diffFor,
  ENGINE_ONLY_INDEXES,
  schemaBody,
  schemasAgree,
  withoutEngineOnly,
} from './migrate';

describe('Prisma schemas and migrations', () => {
  it('the SQLite and PostgreSQL schemas differ only in provider and output', () => {
    const sqlite = readFileSync(schemaFile('sqlite'), 'utf8');
    const postgres = readFileSync(schemaFile('postgres'), 'utf8');
    expect(sqlite).toMatch(/provider = "sqlite"/);
    expect(postgres).toMatch(/provider = "postgresql"/);
    expect(schemaBody(postgres)).toBe(schemaBody(sqlite));
    expect(schemasAgree()).toBe(true);
  });

  it("a diff leaves out only the DROP of the engine's own indexes", () => {
    const own = ENGINE_ONLY_INDEXES.postgres[0]!;
    const script = [
      '-- DropIndex',
      `DROP INDEX "${own}";`,
      '',
      '-- DropIndex',
      'DROP INDEX "daily_port_sensor_id_day_packets_proto_port_idx";',
      '',
      '-- CreateIndex',
      `CREATE INDEX "${own}" ON "daily_port_window"("sensor_id");`,
    ].join('\n');
    const kept = withoutEngineOnly('postgres', script);
    expect(kept).not.toContain(`DROP INDEX "${own}"`);
    expect(kept).toContain('DROP INDEX "daily_port_sensor_id_day_packets_proto_port_idx";');
    expect(kept).toContain(`CREATE INDEX "${own}"`);
    expect(withoutEngineOnly('sqlite', script)).toBe(script);
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
