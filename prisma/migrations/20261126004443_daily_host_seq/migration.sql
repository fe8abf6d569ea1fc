-- daily_host.seq: the host's majority TCP sequence number that day, an unsigned 32-bit
-- value (hence BIGINT), -1 when the host sent no TCP. Rows written before this migration
-- get -1 (unknown): files ingested from now on fill it (the ledger skips files already
-- ingested). An added column, not a table rebuild: instant on a large daily_host.
-- AlterTable
ALTER TABLE "daily_host" ADD COLUMN "seq" BIGINT NOT NULL DEFAULT -1;
