-- daily_port_window: daily_window of the all-sensors rollup (sensor 0) summed over
-- countries (packets and distinct sources), so that the window split of a port reads a
-- few rows per day instead of one per country and window. Only the rollup: the triggers
-- cost the ingest per row, and one sensor alone reads the per-country rows. A source has one country a day, so the countries partition the sources and
-- their distinct counts add up. Triggers keep it equal to those sums whatever writes
-- daily_window, inside the same transaction. Existing rows are summed once here.
-- (No quote characters or semicolons in these comments: the schema engine splits statements on them.)

-- CreateTable
CREATE TABLE "daily_port_window" (
    "sensor_id" INTEGER NOT NULL,
    "port" INTEGER NOT NULL,
    "day" TEXT NOT NULL,
    "window" INTEGER NOT NULL,
    "packets" BIGINT NOT NULL,
    "sources" INTEGER NOT NULL,

    PRIMARY KEY ("sensor_id", "port", "day", "window")
) WITHOUT ROWID;


-- CreateTrigger
CREATE TRIGGER "daily_window_port_sum_insert" AFTER INSERT ON "daily_window"
WHEN NEW."sensor_id" = 0
BEGIN
  INSERT INTO "daily_port_window" ("sensor_id", "port", "day", "window", "packets", "sources")
  VALUES (NEW."sensor_id", NEW."port", NEW."day", NEW."window", NEW."packets", NEW."sources")
  ON CONFLICT ("sensor_id", "port", "day", "window") DO UPDATE SET "packets" = "packets" + excluded."packets", "sources" = "sources" + excluded."sources";
END;

-- CreateTrigger
CREATE TRIGGER "daily_window_port_sum_update" AFTER UPDATE ON "daily_window"
WHEN NEW."sensor_id" = 0 AND NEW."sensor_id" = OLD."sensor_id" AND NEW."port" = OLD."port" AND NEW."day" = OLD."day" AND NEW."window" = OLD."window"
BEGIN
  UPDATE "daily_port_window" SET "packets" = "packets" + NEW."packets" - OLD."packets", "sources" = "sources" + NEW."sources" - OLD."sources" WHERE "sensor_id" = NEW."sensor_id" AND "port" = NEW."port" AND "day" = NEW."day" AND "window" = NEW."window";
END;

-- CreateTrigger
CREATE TRIGGER "daily_window_port_sum_rekey" AFTER UPDATE ON "daily_window"
WHEN (NEW."sensor_id" = 0 OR OLD."sensor_id" = 0) AND NOT (NEW."sensor_id" = OLD."sensor_id" AND NEW."port" = OLD."port" AND NEW."day" = OLD."day" AND NEW."window" = OLD."window")
BEGIN
  UPDATE "daily_port_window" SET "packets" = "packets" - OLD."packets", "sources" = "sources" - OLD."sources" WHERE "sensor_id" = OLD."sensor_id" AND "port" = OLD."port" AND "day" = OLD."day" AND "window" = OLD."window";
  DELETE FROM "daily_port_window" WHERE "sensor_id" = OLD."sensor_id" AND "port" = OLD."port" AND "day" = OLD."day" AND "window" = OLD."window" AND "packets" = 0;
  INSERT INTO "daily_port_window" ("sensor_id", "port", "day", "window", "packets", "sources")
  SELECT NEW."sensor_id", NEW."port", NEW."day", NEW."window", NEW."packets", NEW."sources" WHERE NEW."sensor_id" = 0
  ON CONFLICT ("sensor_id", "port", "day", "window") DO UPDATE SET "packets" = "packets" + excluded."packets", "sources" = "sources" + excluded."sources";
END;

-- CreateTrigger
CREATE TRIGGER "daily_window_port_sum_delete" AFTER DELETE ON "daily_window"
WHEN OLD."sensor_id" = 0
BEGIN
  UPDATE "daily_port_window" SET "packets" = "packets" - OLD."packets", "sources" = "sources" - OLD."sources" WHERE "sensor_id" = OLD."sensor_id" AND "port" = OLD."port" AND "day" = OLD."day" AND "window" = OLD."window";
  DELETE FROM "daily_port_window" WHERE "sensor_id" = OLD."sensor_id" AND "port" = OLD."port" AND "day" = OLD."day" AND "window" = OLD."window" AND "packets" = 0;
END;

-- Backfill
INSERT INTO "daily_port_window" ("sensor_id", "port", "day", "window", "packets", "sources")
SELECT "sensor_id", "port", "day", "window", SUM("packets"), SUM("sources") FROM "daily_window" WHERE "sensor_id" = 0
GROUP BY "sensor_id", "port", "day", "window";
