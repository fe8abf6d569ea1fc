-- The daily aggregate tables (not daily_host) become WITHOUT ROWID tables (SQLite only):
-- their composite primary key is the table itself, so a row is written to one B-tree
-- fewer (the rowid table and its primary-key index were two), the file is smaller, and a
-- key lookup takes one search instead of two. daily_host stays a rowid table: its rows
-- are wide and its three secondary indexes would carry the text key instead of a rowid
-- (measured slower on a 1.9M host-row file). Same columns and keys; the index of daily_window on
-- sensor, window and day is dropped (no query reads windows without their port, and each
-- index costs about as much to write as the table).
-- (No quote characters in these comments: the schema engine splits statements on them.)
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;

-- RedefineTables
CREATE TABLE "new_daily_total" (
    "day" TEXT NOT NULL,
    "sensor_id" INTEGER NOT NULL,
    "packets" BIGINT NOT NULL,
    "sources" INTEGER NOT NULL,
    "sketch" BLOB NOT NULL,

    PRIMARY KEY ("day", "sensor_id")
) WITHOUT ROWID;
INSERT INTO "new_daily_total" ("day", "sensor_id", "packets", "sources", "sketch") SELECT "day", "sensor_id", "packets", "sources", "sketch" FROM "daily_total";
DROP TABLE "daily_total";
ALTER TABLE "new_daily_total" RENAME TO "daily_total";

CREATE INDEX "daily_total_sensor_id_day_idx" ON "daily_total"("sensor_id", "day");

-- RedefineTables
CREATE TABLE "new_daily_port" (
    "day" TEXT NOT NULL,
    "sensor_id" INTEGER NOT NULL,
    "proto" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "packets" BIGINT NOT NULL,
    "sources" INTEGER NOT NULL,
    "sketch" BLOB NOT NULL,

    PRIMARY KEY ("day", "sensor_id", "proto", "port")
) WITHOUT ROWID;
INSERT INTO "new_daily_port" ("day", "sensor_id", "proto", "port", "packets", "sources", "sketch") SELECT "day", "sensor_id", "proto", "port", "packets", "sources", "sketch" FROM "daily_port";
DROP TABLE "daily_port";
ALTER TABLE "new_daily_port" RENAME TO "daily_port";

CREATE INDEX "daily_port_sensor_id_day_proto_port_packets_idx" ON "daily_port"("sensor_id", "day", "proto", "port", "packets");

CREATE INDEX "daily_port_sensor_id_proto_port_day_packets_idx" ON "daily_port"("sensor_id", "proto", "port", "day", "packets");

-- RedefineTables
CREATE TABLE "new_daily_country" (
    "day" TEXT NOT NULL,
    "sensor_id" INTEGER NOT NULL,
    "country" TEXT NOT NULL,
    "packets" BIGINT NOT NULL,
    "sources" INTEGER NOT NULL,
    "sketch" BLOB NOT NULL,

    PRIMARY KEY ("day", "sensor_id", "country")
) WITHOUT ROWID;
INSERT INTO "new_daily_country" ("day", "sensor_id", "country", "packets", "sources", "sketch") SELECT "day", "sensor_id", "country", "packets", "sources", "sketch" FROM "daily_country";
DROP TABLE "daily_country";
ALTER TABLE "new_daily_country" RENAME TO "daily_country";

CREATE INDEX "daily_country_sensor_id_country_day_idx" ON "daily_country"("sensor_id", "country", "day");

CREATE INDEX "daily_country_sensor_id_day_country_packets_idx" ON "daily_country"("sensor_id", "day", "country", "packets");

-- RedefineTables
CREATE TABLE "new_daily_country_port" (
    "day" TEXT NOT NULL,
    "sensor_id" INTEGER NOT NULL,
    "country" TEXT NOT NULL,
    "proto" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "packets" BIGINT NOT NULL,
    "sources" INTEGER NOT NULL,
    "sketch" BLOB NOT NULL,

    PRIMARY KEY ("day", "sensor_id", "country", "proto", "port")
) WITHOUT ROWID;
INSERT INTO "new_daily_country_port" ("day", "sensor_id", "country", "proto", "port", "packets", "sources", "sketch") SELECT "day", "sensor_id", "country", "proto", "port", "packets", "sources", "sketch" FROM "daily_country_port";
DROP TABLE "daily_country_port";
ALTER TABLE "new_daily_country_port" RENAME TO "daily_country_port";

CREATE INDEX "daily_country_port_sensor_id_country_day_proto_port_packets_idx" ON "daily_country_port"("sensor_id", "country", "day", "proto", "port", "packets");

CREATE INDEX "daily_country_port_sensor_id_proto_port_day_country_packets_idx" ON "daily_country_port"("sensor_id", "proto", "port", "day", "country", "packets");

-- RedefineTables
CREATE TABLE "new_daily_window" (
    "day" TEXT NOT NULL,
    "sensor_id" INTEGER NOT NULL,
    "country" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "window" INTEGER NOT NULL,
    "packets" BIGINT NOT NULL,
    "sources" INTEGER NOT NULL,
    "sketch" BLOB NOT NULL,

    PRIMARY KEY ("day", "sensor_id", "country", "port", "window")
) WITHOUT ROWID;
INSERT INTO "new_daily_window" ("day", "sensor_id", "country", "port", "window", "packets", "sources", "sketch") SELECT "day", "sensor_id", "country", "port", "window", "packets", "sources", "sketch" FROM "daily_window";
DROP TABLE "daily_window";
ALTER TABLE "new_daily_window" RENAME TO "daily_window";

CREATE INDEX "daily_window_sensor_id_port_country_day_idx" ON "daily_window"("sensor_id", "port", "country", "day");

CREATE INDEX "daily_window_sensor_id_port_day_window_packets_idx" ON "daily_window"("sensor_id", "port", "day", "window", "packets");

-- RedefineTables
CREATE TABLE "new_daily_tag" (
    "day" TEXT NOT NULL,
    "sensor_id" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,
    "proto" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "packets" BIGINT NOT NULL,
    "sources" INTEGER NOT NULL,
    "sketch" BLOB NOT NULL,

    PRIMARY KEY ("day", "sensor_id", "tag", "proto", "port")
) WITHOUT ROWID;
INSERT INTO "new_daily_tag" ("day", "sensor_id", "tag", "proto", "port", "packets", "sources", "sketch") SELECT "day", "sensor_id", "tag", "proto", "port", "packets", "sources", "sketch" FROM "daily_tag";
DROP TABLE "daily_tag";
ALTER TABLE "new_daily_tag" RENAME TO "daily_tag";

CREATE INDEX "daily_tag_sensor_id_proto_port_day_idx" ON "daily_tag"("sensor_id", "proto", "port", "day");

CREATE INDEX "daily_tag_sensor_id_tag_day_idx" ON "daily_tag"("sensor_id", "tag", "day");

PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
