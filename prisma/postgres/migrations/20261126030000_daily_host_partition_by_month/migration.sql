-- PostgreSQL only: daily_host (one row per source host per day per sensor, by far the
-- largest table) becomes a table partitioned by month on "day" ('YYYY-MM-DD' text, so
-- the range bounds compare as text). Dropping a month of host rows (scanline retention)
-- is then a DROP TABLE instead of a DELETE of millions of rows, and day-range queries
-- read only the months they cover. Partitioning is not part of the Prisma schema, so
-- the schema and the migrations still agree and the SQLite folder has no counterpart.
-- Partitions are named daily_host_pYYYY_MM with fillfactor 70 (as the aggregate tables).
-- The ingest creates a month's partition before its first commit into that month
-- (ingest/store/pg-partitions.ts). This migration creates the months that have rows.
-- The table is rebuilt from the old one. LIKE copies every column, whatever earlier
-- migrations added, in the same order.
-- (No semicolons in comments: the schema engine splits scripts on them. For the same
-- reason the DO block below is an E'' string that spells each of its semicolons \073.)
ALTER TABLE "daily_host" RENAME TO "daily_host_unpartitioned";
ALTER TABLE "daily_host_unpartitioned" RENAME CONSTRAINT "daily_host_pkey" TO "daily_host_unpartitioned_pkey";
DROP INDEX "daily_host_ip_idx";
DROP INDEX "daily_host_day_country_idx";
DROP INDEX "daily_host_day_asn_idx";

CREATE TABLE "daily_host" (LIKE "daily_host_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("day");
ALTER TABLE "daily_host" ADD CONSTRAINT "daily_host_pkey" PRIMARY KEY ("day", "sensor_id", "ip");
CREATE INDEX "daily_host_ip_idx" ON "daily_host"("ip");
CREATE INDEX "daily_host_day_country_idx" ON "daily_host"("day", "country");
CREATE INDEX "daily_host_day_asn_idx" ON "daily_host"("day", "asn");

DO E'
DECLARE
  m text\073
BEGIN
  FOR m IN SELECT DISTINCT substr("day", 1, 7) FROM "daily_host_unpartitioned" ORDER BY 1 LOOP
    EXECUTE format(
      ''CREATE TABLE %I PARTITION OF "daily_host" FOR VALUES FROM (%L) TO (%L) WITH (fillfactor = 70)'',
      ''daily_host_p'' || replace(m, ''-'', ''_''),
      m || ''-01'',
      to_char(to_date(m || ''-01'', ''YYYY-MM-DD'') + interval ''1 month'', ''YYYY-MM-DD''))\073
  END LOOP\073
END
';

INSERT INTO "daily_host" SELECT * FROM "daily_host_unpartitioned";
DROP TABLE "daily_host_unpartitioned";
