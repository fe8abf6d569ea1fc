-- AlterTable (added in place: redefining the table would drop its triggers). Rows
-- stored before keep 0, read as "the row's own totals" (ingest/store/codec.ts): no
-- rewrite of the table, which on SQLite would also rewrite daily_host_port by trigger.
ALTER TABLE "daily_host" ADD COLUMN "tcp_vote_weight" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "daily_host" ADD COLUMN "ttl_vote_weight" BIGINT NOT NULL DEFAULT 0;
