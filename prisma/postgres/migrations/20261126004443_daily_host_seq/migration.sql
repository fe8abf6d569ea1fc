-- daily_host.seq: the host's majority TCP sequence number that day, an unsigned 32-bit
-- value (hence BIGINT), -1 when the host sent no TCP. Rows written before this migration
-- get -1 (unknown): files ingested from now on fill it (the ledger skips files already
-- ingested). A constant default makes the added column a catalog change only (no table
-- rewrite).
-- AlterTable
ALTER TABLE "daily_host" ADD COLUMN "seq" BIGINT NOT NULL DEFAULT -1;
