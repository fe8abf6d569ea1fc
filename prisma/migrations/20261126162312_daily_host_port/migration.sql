-- daily_host_port: one row per port of each daily_host row (the keys of its ports JSON,
-- the HOST_PORTS_KEPT largest), with the host row packets, country and AS. The host
-- rankings of one port read each day of that port by packets from its primary key
-- instead of testing every host row of the day with a LIKE on the JSON.
-- Triggers keep it equal to the host rows whatever writes daily_host, inside the same
-- transaction. Existing rows are expanded once here.
-- (No quote characters or semicolons in these comments: the schema engine splits statements on them.)

-- CreateTable
CREATE TABLE "daily_host_port" (
    "port" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "packets" BIGINT NOT NULL,
    "ip" TEXT NOT NULL,
    "sensor_id" INTEGER NOT NULL,
    "country" TEXT NOT NULL,
    "asn" INTEGER NOT NULL,

    PRIMARY KEY ("port", "day", "packets", "ip", "sensor_id")
) WITHOUT ROWID;

-- CreateTrigger
CREATE TRIGGER "daily_host_port_insert" AFTER INSERT ON "daily_host"
BEGIN
  INSERT INTO "daily_host_port" ("port", "day", "packets", "ip", "sensor_id", "country", "asn")
  SELECT j."key", NEW."day", NEW."packets", NEW."ip", NEW."sensor_id", NEW."country", NEW."asn" FROM json_each(NEW."ports") AS j;
END;

-- CreateTrigger
CREATE TRIGGER "daily_host_port_update" AFTER UPDATE ON "daily_host"
BEGIN
  DELETE FROM "daily_host_port" WHERE "port" IN (SELECT j."key" FROM json_each(OLD."ports") AS j) AND "day" = OLD."day" AND "packets" = OLD."packets" AND "ip" = OLD."ip" AND "sensor_id" = OLD."sensor_id";
  INSERT INTO "daily_host_port" ("port", "day", "packets", "ip", "sensor_id", "country", "asn")
  SELECT j."key", NEW."day", NEW."packets", NEW."ip", NEW."sensor_id", NEW."country", NEW."asn" FROM json_each(NEW."ports") AS j;
END;

-- CreateTrigger
CREATE TRIGGER "daily_host_port_delete" AFTER DELETE ON "daily_host"
BEGIN
  DELETE FROM "daily_host_port" WHERE "port" IN (SELECT j."key" FROM json_each(OLD."ports") AS j) AND "day" = OLD."day" AND "packets" = OLD."packets" AND "ip" = OLD."ip" AND "sensor_id" = OLD."sensor_id";
END;

-- Backfill
INSERT INTO "daily_host_port" ("port", "day", "packets", "ip", "sensor_id", "country", "asn")
SELECT j."key", h."day", h."packets", h."ip", h."sensor_id", h."country", h."asn" FROM "daily_host" AS h, json_each(h."ports") AS j;
