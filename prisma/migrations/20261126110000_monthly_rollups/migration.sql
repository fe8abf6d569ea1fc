-- Monthly rollups of the packet counters of daily_port, daily_country and
-- daily_country_port (month = first 7 characters of day, UTC), so that a ranking over
-- a quarter or a year adds up a few rows per key instead of one per day. Triggers keep
-- them equal to the sums of the daily rows whatever writes those (ingest inserts and
-- merges, or SQL by hand), inside the same transaction. Existing rows are summed once
-- here. Distinct sources are not rolled up (sketches stay daily).
-- (No quote characters or semicolons in these comments: the schema engine splits statements on them.)

CREATE TABLE "monthly_port" (
    "sensor_id" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "proto" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "packets" BIGINT NOT NULL,

    PRIMARY KEY ("sensor_id", "month", "proto", "port")
) WITHOUT ROWID;

-- CreateTable
CREATE TABLE "monthly_country" (
    "sensor_id" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "packets" BIGINT NOT NULL,

    PRIMARY KEY ("sensor_id", "month", "country")
) WITHOUT ROWID;

-- CreateTable
CREATE TABLE "monthly_country_port" (
    "sensor_id" INTEGER NOT NULL,
    "country" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "proto" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "packets" BIGINT NOT NULL,

    PRIMARY KEY ("sensor_id", "country", "month", "proto", "port")
) WITHOUT ROWID;

-- CreateIndex
CREATE INDEX "monthly_country_port_by_port_idx" ON "monthly_country_port"("sensor_id", "proto", "port", "month", "country", "packets");


-- CreateTrigger
CREATE TRIGGER "daily_port_rollup_insert" AFTER INSERT ON "daily_port"
BEGIN
  INSERT INTO "monthly_port" ("sensor_id", "month", "proto", "port", "packets")
  VALUES (NEW."sensor_id", substr(NEW."day", 1, 7), NEW."proto", NEW."port", NEW."packets")
  ON CONFLICT ("sensor_id", "month", "proto", "port") DO UPDATE SET "packets" = "packets" + excluded."packets";
END;

-- CreateTrigger
CREATE TRIGGER "daily_port_rollup_update" AFTER UPDATE ON "daily_port"
WHEN NEW."sensor_id" = OLD."sensor_id" AND substr(NEW."day", 1, 7) = substr(OLD."day", 1, 7) AND NEW."proto" = OLD."proto" AND NEW."port" = OLD."port"
BEGIN
  UPDATE "monthly_port" SET "packets" = "packets" + NEW."packets" - OLD."packets" WHERE "sensor_id" = NEW."sensor_id" AND "month" = substr(NEW."day", 1, 7) AND "proto" = NEW."proto" AND "port" = NEW."port";
END;

-- CreateTrigger
CREATE TRIGGER "daily_port_rollup_rekey" AFTER UPDATE ON "daily_port"
WHEN NOT (NEW."sensor_id" = OLD."sensor_id" AND substr(NEW."day", 1, 7) = substr(OLD."day", 1, 7) AND NEW."proto" = OLD."proto" AND NEW."port" = OLD."port")
BEGIN
  UPDATE "monthly_port" SET "packets" = "packets" - OLD."packets" WHERE "sensor_id" = OLD."sensor_id" AND "month" = substr(OLD."day", 1, 7) AND "proto" = OLD."proto" AND "port" = OLD."port";
  DELETE FROM "monthly_port" WHERE "sensor_id" = OLD."sensor_id" AND "month" = substr(OLD."day", 1, 7) AND "proto" = OLD."proto" AND "port" = OLD."port" AND "packets" = 0;
  INSERT INTO "monthly_port" ("sensor_id", "month", "proto", "port", "packets")
  VALUES (NEW."sensor_id", substr(NEW."day", 1, 7), NEW."proto", NEW."port", NEW."packets")
  ON CONFLICT ("sensor_id", "month", "proto", "port") DO UPDATE SET "packets" = "packets" + excluded."packets";
END;

-- CreateTrigger
CREATE TRIGGER "daily_port_rollup_delete" AFTER DELETE ON "daily_port"
BEGIN
  UPDATE "monthly_port" SET "packets" = "packets" - OLD."packets" WHERE "sensor_id" = OLD."sensor_id" AND "month" = substr(OLD."day", 1, 7) AND "proto" = OLD."proto" AND "port" = OLD."port";
  DELETE FROM "monthly_port" WHERE "sensor_id" = OLD."sensor_id" AND "month" = substr(OLD."day", 1, 7) AND "proto" = OLD."proto" AND "port" = OLD."port" AND "packets" = 0;
END;

-- Backfill
INSERT INTO "monthly_port" ("sensor_id", "month", "proto", "port", "packets")
SELECT "sensor_id", substr("day", 1, 7), "proto", "port", SUM("packets") FROM "daily_port"
GROUP BY "sensor_id", substr("day", 1, 7), "proto", "port";

-- CreateTrigger
CREATE TRIGGER "daily_country_rollup_insert" AFTER INSERT ON "daily_country"
BEGIN
  INSERT INTO "monthly_country" ("sensor_id", "month", "country", "packets")
  VALUES (NEW."sensor_id", substr(NEW."day", 1, 7), NEW."country", NEW."packets")
  ON CONFLICT ("sensor_id", "month", "country") DO UPDATE SET "packets" = "packets" + excluded."packets";
END;

-- CreateTrigger
CREATE TRIGGER "daily_country_rollup_update" AFTER UPDATE ON "daily_country"
WHEN NEW."sensor_id" = OLD."sensor_id" AND substr(NEW."day", 1, 7) = substr(OLD."day", 1, 7) AND NEW."country" = OLD."country"
BEGIN
  UPDATE "monthly_country" SET "packets" = "packets" + NEW."packets" - OLD."packets" WHERE "sensor_id" = NEW."sensor_id" AND "month" = substr(NEW."day", 1, 7) AND "country" = NEW."country";
END;

-- CreateTrigger
CREATE TRIGGER "daily_country_rollup_rekey" AFTER UPDATE ON "daily_country"
WHEN NOT (NEW."sensor_id" = OLD."sensor_id" AND substr(NEW."day", 1, 7) = substr(OLD."day", 1, 7) AND NEW."country" = OLD."country")
BEGIN
  UPDATE "monthly_country" SET "packets" = "packets" - OLD."packets" WHERE "sensor_id" = OLD."sensor_id" AND "month" = substr(OLD."day", 1, 7) AND "country" = OLD."country";
  DELETE FROM "monthly_country" WHERE "sensor_id" = OLD."sensor_id" AND "month" = substr(OLD."day", 1, 7) AND "country" = OLD."country" AND "packets" = 0;
  INSERT INTO "monthly_country" ("sensor_id", "month", "country", "packets")
  VALUES (NEW."sensor_id", substr(NEW."day", 1, 7), NEW."country", NEW."packets")
  ON CONFLICT ("sensor_id", "month", "country") DO UPDATE SET "packets" = "packets" + excluded."packets";
END;

-- CreateTrigger
CREATE TRIGGER "daily_country_rollup_delete" AFTER DELETE ON "daily_country"
BEGIN
  UPDATE "monthly_country" SET "packets" = "packets" - OLD."packets" WHERE "sensor_id" = OLD."sensor_id" AND "month" = substr(OLD."day", 1, 7) AND "country" = OLD."country";
  DELETE FROM "monthly_country" WHERE "sensor_id" = OLD."sensor_id" AND "month" = substr(OLD."day", 1, 7) AND "country" = OLD."country" AND "packets" = 0;
END;

-- Backfill
INSERT INTO "monthly_country" ("sensor_id", "month", "country", "packets")
SELECT "sensor_id", substr("day", 1, 7), "country", SUM("packets") FROM "daily_country"
GROUP BY "sensor_id", substr("day", 1, 7), "country";

-- CreateTrigger
CREATE TRIGGER "daily_country_port_rollup_insert" AFTER INSERT ON "daily_country_port"
BEGIN
  INSERT INTO "monthly_country_port" ("sensor_id", "month", "country", "proto", "port", "packets")
  VALUES (NEW."sensor_id", substr(NEW."day", 1, 7), NEW."country", NEW."proto", NEW."port", NEW."packets")
  ON CONFLICT ("sensor_id", "month", "country", "proto", "port") DO UPDATE SET "packets" = "packets" + excluded."packets";
END;

-- CreateTrigger
CREATE TRIGGER "daily_country_port_rollup_update" AFTER UPDATE ON "daily_country_port"
WHEN NEW."sensor_id" = OLD."sensor_id" AND substr(NEW."day", 1, 7) = substr(OLD."day", 1, 7) AND NEW."country" = OLD."country" AND NEW."proto" = OLD."proto" AND NEW."port" = OLD."port"
BEGIN
  UPDATE "monthly_country_port" SET "packets" = "packets" + NEW."packets" - OLD."packets" WHERE "sensor_id" = NEW."sensor_id" AND "month" = substr(NEW."day", 1, 7) AND "country" = NEW."country" AND "proto" = NEW."proto" AND "port" = NEW."port";
END;

-- CreateTrigger
CREATE TRIGGER "daily_country_port_rollup_rekey" AFTER UPDATE ON "daily_country_port"
WHEN NOT (NEW."sensor_id" = OLD."sensor_id" AND substr(NEW."day", 1, 7) = substr(OLD."day", 1, 7) AND NEW."country" = OLD."country" AND NEW."proto" = OLD."proto" AND NEW."port" = OLD."port")
BEGIN
  UPDATE "monthly_country_port" SET "packets" = "packets" - OLD."packets" WHERE "sensor_id" = OLD."sensor_id" AND "month" = substr(OLD."day", 1, 7) AND "country" = OLD."country" AND "proto" = OLD."proto" AND "port" = OLD."port";
  DELETE FROM "monthly_country_port" WHERE "sensor_id" = OLD."sensor_id" AND "month" = substr(OLD."day", 1, 7) AND "country" = OLD."country" AND "proto" = OLD."proto" AND "port" = OLD."port" AND "packets" = 0;
  INSERT INTO "monthly_country_port" ("sensor_id", "month", "country", "proto", "port", "packets")
  VALUES (NEW."sensor_id", substr(NEW."day", 1, 7), NEW."country", NEW."proto", NEW."port", NEW."packets")
  ON CONFLICT ("sensor_id", "month", "country", "proto", "port") DO UPDATE SET "packets" = "packets" + excluded."packets";
END;

-- CreateTrigger
CREATE TRIGGER "daily_country_port_rollup_delete" AFTER DELETE ON "daily_country_port"
BEGIN
  UPDATE "monthly_country_port" SET "packets" = "packets" - OLD."packets" WHERE "sensor_id" = OLD."sensor_id" AND "month" = substr(OLD."day", 1, 7) AND "country" = OLD."country" AND "proto" = OLD."proto" AND "port" = OLD."port";
  DELETE FROM "monthly_country_port" WHERE "sensor_id" = OLD."sensor_id" AND "month" = substr(OLD."day", 1, 7) AND "country" = OLD."country" AND "proto" = OLD."proto" AND "port" = OLD."port" AND "packets" = 0;
END;

-- Backfill
INSERT INTO "monthly_country_port" ("sensor_id", "month", "country", "proto", "port", "packets")
SELECT "sensor_id", substr("day", 1, 7), "country", "proto", "port", SUM("packets") FROM "daily_country_port"
GROUP BY "sensor_id", substr("day", 1, 7), "country", "proto", "port";
