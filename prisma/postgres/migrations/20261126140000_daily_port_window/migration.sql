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

    CONSTRAINT "daily_port_window_pkey" PRIMARY KEY ("sensor_id","port","day","window")
);


-- CreateFunction
CREATE FUNCTION scanline_daily_window_port_sum() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "daily_port_window" AS r ("sensor_id", "port", "day", "window", "packets", "sources")
    SELECT "sensor_id", "port", "day", "window", SUM("packets")::bigint, SUM("sources")::integer FROM (SELECT "sensor_id", "port", "day", "window", "packets", "sources" FROM new_rows WHERE "sensor_id" = 0) d
    GROUP BY "sensor_id", "port", "day", "window"
    HAVING SUM("packets") <> 0 OR SUM("sources") <> 0
    ON CONFLICT ("sensor_id", "port", "day", "window") DO UPDATE SET "packets" = r."packets" + EXCLUDED."packets", "sources" = r."sources" + EXCLUDED."sources";
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "daily_port_window" AS r ("sensor_id", "port", "day", "window", "packets", "sources")
    SELECT "sensor_id", "port", "day", "window", SUM("packets")::bigint, SUM("sources")::integer FROM (SELECT "sensor_id", "port", "day", "window", "packets", "sources" FROM new_rows WHERE "sensor_id" = 0 UNION ALL SELECT "sensor_id", "port", "day", "window", -"packets" AS "packets", -"sources" AS "sources" FROM old_rows WHERE "sensor_id" = 0) d
    GROUP BY "sensor_id", "port", "day", "window"
    HAVING SUM("packets") <> 0 OR SUM("sources") <> 0
    ON CONFLICT ("sensor_id", "port", "day", "window") DO UPDATE SET "packets" = r."packets" + EXCLUDED."packets", "sources" = r."sources" + EXCLUDED."sources";
    DELETE FROM "daily_port_window" r USING old_rows o WHERE r."sensor_id" = o."sensor_id" AND r."port" = o."port" AND r."day" = o."day" AND r."window" = o."window" AND r."packets" = 0;
  ELSE
    INSERT INTO "daily_port_window" AS r ("sensor_id", "port", "day", "window", "packets", "sources")
    SELECT "sensor_id", "port", "day", "window", SUM("packets")::bigint, SUM("sources")::integer FROM (SELECT "sensor_id", "port", "day", "window", -"packets" AS "packets", -"sources" AS "sources" FROM old_rows WHERE "sensor_id" = 0) d
    GROUP BY "sensor_id", "port", "day", "window"
    HAVING SUM("packets") <> 0 OR SUM("sources") <> 0
    ON CONFLICT ("sensor_id", "port", "day", "window") DO UPDATE SET "packets" = r."packets" + EXCLUDED."packets", "sources" = r."sources" + EXCLUDED."sources";
    DELETE FROM "daily_port_window" r USING old_rows o WHERE r."sensor_id" = o."sensor_id" AND r."port" = o."port" AND r."day" = o."day" AND r."window" = o."window" AND r."packets" = 0;
  END IF;
  RETURN NULL;
END
$$;

-- CreateTrigger
CREATE TRIGGER "daily_window_port_sum_insert" AFTER INSERT ON "daily_window"
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scanline_daily_window_port_sum();

-- CreateTrigger
CREATE TRIGGER "daily_window_port_sum_update" AFTER UPDATE ON "daily_window"
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scanline_daily_window_port_sum();

-- CreateTrigger
CREATE TRIGGER "daily_window_port_sum_delete" AFTER DELETE ON "daily_window"
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION scanline_daily_window_port_sum();

-- Backfill
INSERT INTO "daily_port_window" ("sensor_id", "port", "day", "window", "packets", "sources")
SELECT "sensor_id", "port", "day", "window", SUM("packets")::bigint, SUM("sources")::integer FROM "daily_window" WHERE "sensor_id" = 0
GROUP BY "sensor_id", "port", "day", "window";
