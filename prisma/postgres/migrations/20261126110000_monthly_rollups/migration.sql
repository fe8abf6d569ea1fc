-- Monthly rollups of the packet counters of daily_port, daily_country and
-- daily_country_port (month = first 7 characters of day, UTC), so that a ranking over
-- a quarter or a year adds up a few rows per key instead of one per day. Triggers keep
-- them equal to the sums of the daily rows whatever writes those (ingest inserts and
-- merges, or SQL by hand), inside the same transaction. Existing rows are summed once
-- here. Distinct sources are not rolled up (sketches stay daily).
-- (No quote characters or semicolons in these comments: the schema engine splits statements on them.)

-- CreateTable
CREATE TABLE "monthly_port" (
    "sensor_id" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "proto" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "packets" BIGINT NOT NULL,

    CONSTRAINT "monthly_port_pkey" PRIMARY KEY ("sensor_id","month","proto","port")
);

-- CreateTable
CREATE TABLE "monthly_country" (
    "sensor_id" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "packets" BIGINT NOT NULL,

    CONSTRAINT "monthly_country_pkey" PRIMARY KEY ("sensor_id","month","country")
);

-- CreateTable
CREATE TABLE "monthly_country_port" (
    "sensor_id" INTEGER NOT NULL,
    "country" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "proto" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "packets" BIGINT NOT NULL,

    CONSTRAINT "monthly_country_port_pkey" PRIMARY KEY ("sensor_id","country","month","proto","port")
);

-- CreateIndex
CREATE INDEX "monthly_country_port_by_port_idx" ON "monthly_country_port"("sensor_id", "proto", "port", "month", "country", "packets");


-- CreateFunction
CREATE FUNCTION scanline_daily_port_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "monthly_port" AS r ("sensor_id", "month", "proto", "port", "packets")
    SELECT "sensor_id", substr("day", 1, 7), "proto", "port", SUM("packets")::bigint FROM (SELECT "sensor_id", "day", "proto", "port", "packets" FROM new_rows) d
    GROUP BY "sensor_id", substr("day", 1, 7), "proto", "port"
    HAVING SUM("packets") <> 0
    ON CONFLICT ("sensor_id", "month", "proto", "port") DO UPDATE SET "packets" = r."packets" + EXCLUDED."packets";
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "monthly_port" AS r ("sensor_id", "month", "proto", "port", "packets")
    SELECT "sensor_id", substr("day", 1, 7), "proto", "port", SUM("packets")::bigint FROM (SELECT "sensor_id", "day", "proto", "port", "packets" FROM new_rows UNION ALL SELECT "sensor_id", "day", "proto", "port", -"packets" AS "packets" FROM old_rows) d
    GROUP BY "sensor_id", substr("day", 1, 7), "proto", "port"
    HAVING SUM("packets") <> 0
    ON CONFLICT ("sensor_id", "month", "proto", "port") DO UPDATE SET "packets" = r."packets" + EXCLUDED."packets";
    DELETE FROM "monthly_port" r USING old_rows o WHERE r."sensor_id" = o."sensor_id" AND r."month" = substr(o."day", 1, 7) AND r."proto" = o."proto" AND r."port" = o."port" AND r."packets" = 0;
  ELSE
    INSERT INTO "monthly_port" AS r ("sensor_id", "month", "proto", "port", "packets")
    SELECT "sensor_id", substr("day", 1, 7), "proto", "port", SUM("packets")::bigint FROM (SELECT "sensor_id", "day", "proto", "port", -"packets" AS "packets" FROM old_rows) d
    GROUP BY "sensor_id", substr("day", 1, 7), "proto", "port"
    HAVING SUM("packets") <> 0
    ON CONFLICT ("sensor_id", "month", "proto", "port") DO UPDATE SET "packets" = r."packets" + EXCLUDED."packets";
    DELETE FROM "monthly_port" r USING old_rows o WHERE r."sensor_id" = o."sensor_id" AND r."month" = substr(o."day", 1, 7) AND r."proto" = o."proto" AND r."port" = o."port" AND r."packets" = 0;
  END IF;
  RETURN NULL;
END
$$;

-- CreateTrigger
CREATE TRIGGER "daily_port_rollup_insert" AFTER INSERT ON "daily_port"
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scanline_daily_port_rollup();

-- CreateTrigger
CREATE TRIGGER "daily_port_rollup_update" AFTER UPDATE ON "daily_port"
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scanline_daily_port_rollup();

-- CreateTrigger
CREATE TRIGGER "daily_port_rollup_delete" AFTER DELETE ON "daily_port"
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION scanline_daily_port_rollup();

-- Backfill
INSERT INTO "monthly_port" ("sensor_id", "month", "proto", "port", "packets")
SELECT "sensor_id", substr("day", 1, 7), "proto", "port", SUM("packets")::bigint FROM "daily_port"
GROUP BY "sensor_id", substr("day", 1, 7), "proto", "port";

-- CreateFunction
CREATE FUNCTION scanline_daily_country_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "monthly_country" AS r ("sensor_id", "month", "country", "packets")
    SELECT "sensor_id", substr("day", 1, 7), "country", SUM("packets")::bigint FROM (SELECT "sensor_id", "day", "country", "packets" FROM new_rows) d
    GROUP BY "sensor_id", substr("day", 1, 7), "country"
    HAVING SUM("packets") <> 0
    ON CONFLICT ("sensor_id", "month", "country") DO UPDATE SET "packets" = r."packets" + EXCLUDED."packets";
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "monthly_country" AS r ("sensor_id", "month", "country", "packets")
    SELECT "sensor_id", substr("day", 1, 7), "country", SUM("packets")::bigint FROM (SELECT "sensor_id", "day", "country", "packets" FROM new_rows UNION ALL SELECT "sensor_id", "day", "country", -"packets" AS "packets" FROM old_rows) d
    GROUP BY "sensor_id", substr("day", 1, 7), "country"
    HAVING SUM("packets") <> 0
    ON CONFLICT ("sensor_id", "month", "country") DO UPDATE SET "packets" = r."packets" + EXCLUDED."packets";
    DELETE FROM "monthly_country" r USING old_rows o WHERE r."sensor_id" = o."sensor_id" AND r."month" = substr(o."day", 1, 7) AND r."country" = o."country" AND r."packets" = 0;
  ELSE
    INSERT INTO "monthly_country" AS r ("sensor_id", "month", "country", "packets")
    SELECT "sensor_id", substr("day", 1, 7), "country", SUM("packets")::bigint FROM (SELECT "sensor_id", "day", "country", -"packets" AS "packets" FROM old_rows) d
    GROUP BY "sensor_id", substr("day", 1, 7), "country"
    HAVING SUM("packets") <> 0
    ON CONFLICT ("sensor_id", "month", "country") DO UPDATE SET "packets" = r."packets" + EXCLUDED."packets";
    DELETE FROM "monthly_country" r USING old_rows o WHERE r."sensor_id" = o."sensor_id" AND r."month" = substr(o."day", 1, 7) AND r."country" = o."country" AND r."packets" = 0;
  END IF;
  RETURN NULL;
END
$$;

-- CreateTrigger
CREATE TRIGGER "daily_country_rollup_insert" AFTER INSERT ON "daily_country"
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scanline_daily_country_rollup();

-- CreateTrigger
CREATE TRIGGER "daily_country_rollup_update" AFTER UPDATE ON "daily_country"
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scanline_daily_country_rollup();

-- CreateTrigger
CREATE TRIGGER "daily_country_rollup_delete" AFTER DELETE ON "daily_country"
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION scanline_daily_country_rollup();

-- Backfill
INSERT INTO "monthly_country" ("sensor_id", "month", "country", "packets")
SELECT "sensor_id", substr("day", 1, 7), "country", SUM("packets")::bigint FROM "daily_country"
GROUP BY "sensor_id", substr("day", 1, 7), "country";

-- CreateFunction
CREATE FUNCTION scanline_daily_country_port_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "monthly_country_port" AS r ("sensor_id", "month", "country", "proto", "port", "packets")
    SELECT "sensor_id", substr("day", 1, 7), "country", "proto", "port", SUM("packets")::bigint FROM (SELECT "sensor_id", "day", "country", "proto", "port", "packets" FROM new_rows) d
    GROUP BY "sensor_id", substr("day", 1, 7), "country", "proto", "port"
    HAVING SUM("packets") <> 0
    ON CONFLICT ("sensor_id", "month", "country", "proto", "port") DO UPDATE SET "packets" = r."packets" + EXCLUDED."packets";
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "monthly_country_port" AS r ("sensor_id", "month", "country", "proto", "port", "packets")
    SELECT "sensor_id", substr("day", 1, 7), "country", "proto", "port", SUM("packets")::bigint FROM (SELECT "sensor_id", "day", "country", "proto", "port", "packets" FROM new_rows UNION ALL SELECT "sensor_id", "day", "country", "proto", "port", -"packets" AS "packets" FROM old_rows) d
    GROUP BY "sensor_id", substr("day", 1, 7), "country", "proto", "port"
    HAVING SUM("packets") <> 0
    ON CONFLICT ("sensor_id", "month", "country", "proto", "port") DO UPDATE SET "packets" = r."packets" + EXCLUDED."packets";
    DELETE FROM "monthly_country_port" r USING old_rows o WHERE r."sensor_id" = o."sensor_id" AND r."month" = substr(o."day", 1, 7) AND r."country" = o."country" AND r."proto" = o."proto" AND r."port" = o."port" AND r."packets" = 0;
  ELSE
    INSERT INTO "monthly_country_port" AS r ("sensor_id", "month", "country", "proto", "port", "packets")
    SELECT "sensor_id", substr("day", 1, 7), "country", "proto", "port", SUM("packets")::bigint FROM (SELECT "sensor_id", "day", "country", "proto", "port", -"packets" AS "packets" FROM old_rows) d
    GROUP BY "sensor_id", substr("day", 1, 7), "country", "proto", "port"
    HAVING SUM("packets") <> 0
    ON CONFLICT ("sensor_id", "month", "country", "proto", "port") DO UPDATE SET "packets" = r."packets" + EXCLUDED."packets";
    DELETE FROM "monthly_country_port" r USING old_rows o WHERE r."sensor_id" = o."sensor_id" AND r."month" = substr(o."day", 1, 7) AND r."country" = o."country" AND r."proto" = o."proto" AND r."port" = o."port" AND r."packets" = 0;
  END IF;
  RETURN NULL;
END
$$;

-- CreateTrigger
CREATE TRIGGER "daily_country_port_rollup_insert" AFTER INSERT ON "daily_country_port"
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scanline_daily_country_port_rollup();

-- CreateTrigger
CREATE TRIGGER "daily_country_port_rollup_update" AFTER UPDATE ON "daily_country_port"
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scanline_daily_country_port_rollup();

-- CreateTrigger
CREATE TRIGGER "daily_country_port_rollup_delete" AFTER DELETE ON "daily_country_port"
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION scanline_daily_country_port_rollup();

-- Backfill
INSERT INTO "monthly_country_port" ("sensor_id", "month", "country", "proto", "port", "packets")
SELECT "sensor_id", substr("day", 1, 7), "country", "proto", "port", SUM("packets")::bigint FROM "daily_country_port"
GROUP BY "sensor_id", substr("day", 1, 7), "country", "proto", "port";
