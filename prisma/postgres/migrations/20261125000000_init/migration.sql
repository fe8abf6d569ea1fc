-- CreateTable
CREATE TABLE "sensor" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "prefixes" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sensor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingested_file" (
    "id" SERIAL NOT NULL,
    "sha256" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "sensor_id" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "compression" TEXT NOT NULL,
    "link_types" TEXT NOT NULL,
    "packets" BIGINT NOT NULL,
    "ip_packets" BIGINT NOT NULL,
    "first_ts" TIMESTAMP(3),
    "last_ts" TIMESTAMP(3),
    "first_ns" TEXT,
    "last_ns" TEXT,
    "days" TEXT NOT NULL DEFAULT '',
    "error_message" TEXT,
    "error_record" BIGINT,
    "error_offset" BIGINT,
    "datasets" TEXT NOT NULL DEFAULT '{}',
    "ingested_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "duration_ms" INTEGER NOT NULL,

    CONSTRAINT "ingested_file_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "daily_total" (
    "day" TEXT NOT NULL,
    "sensor_id" INTEGER NOT NULL,
    "packets" BIGINT NOT NULL,
    "sources" INTEGER NOT NULL,
    "sketch" BYTEA NOT NULL,

    CONSTRAINT "daily_total_pkey" PRIMARY KEY ("day","sensor_id")
);

-- CreateTable
CREATE TABLE "daily_port" (
    "day" TEXT NOT NULL,
    "sensor_id" INTEGER NOT NULL,
    "proto" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "packets" BIGINT NOT NULL,
    "sources" INTEGER NOT NULL,
    "sketch" BYTEA NOT NULL,

    CONSTRAINT "daily_port_pkey" PRIMARY KEY ("day","sensor_id","proto","port")
);

-- CreateTable
CREATE TABLE "daily_country" (
    "day" TEXT NOT NULL,
    "sensor_id" INTEGER NOT NULL,
    "country" TEXT NOT NULL,
    "packets" BIGINT NOT NULL,
    "sources" INTEGER NOT NULL,
    "sketch" BYTEA NOT NULL,

    CONSTRAINT "daily_country_pkey" PRIMARY KEY ("day","sensor_id","country")
);

-- CreateTable
CREATE TABLE "daily_country_port" (
    "day" TEXT NOT NULL,
    "sensor_id" INTEGER NOT NULL,
    "country" TEXT NOT NULL,
    "proto" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "packets" BIGINT NOT NULL,
    "sources" INTEGER NOT NULL,
    "sketch" BYTEA NOT NULL,

    CONSTRAINT "daily_country_port_pkey" PRIMARY KEY ("day","sensor_id","country","proto","port")
);

-- CreateTable
CREATE TABLE "daily_window" (
    "day" TEXT NOT NULL,
    "sensor_id" INTEGER NOT NULL,
    "country" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "window" INTEGER NOT NULL,
    "packets" BIGINT NOT NULL,
    "sources" INTEGER NOT NULL,
    "sketch" BYTEA NOT NULL,

    CONSTRAINT "daily_window_pkey" PRIMARY KEY ("day","sensor_id","country","port","window")
);

-- CreateTable
CREATE TABLE "daily_tag" (
    "day" TEXT NOT NULL,
    "sensor_id" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,
    "proto" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "packets" BIGINT NOT NULL,
    "sources" INTEGER NOT NULL,
    "sketch" BYTEA NOT NULL,

    CONSTRAINT "daily_tag_pkey" PRIMARY KEY ("day","sensor_id","tag","proto","port")
);

-- CreateTable
CREATE TABLE "daily_host" (
    "day" TEXT NOT NULL,
    "sensor_id" INTEGER NOT NULL,
    "ip" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "asn" INTEGER NOT NULL,
    "as_org" TEXT NOT NULL,
    "packets" BIGINT NOT NULL,
    "bytes" BIGINT NOT NULL,
    "ports" TEXT NOT NULL,
    "distinct_ports" INTEGER NOT NULL,
    "distinct_dsts" INTEGER NOT NULL,
    "syn" BIGINT NOT NULL,
    "syn_ack" BIGINT NOT NULL,
    "rst" BIGINT NOT NULL,
    "ack" BIGINT NOT NULL,
    "other_tcp" BIGINT NOT NULL,
    "udp" BIGINT NOT NULL,
    "icmp" BIGINT NOT NULL,
    "window" INTEGER NOT NULL,
    "ttl" INTEGER NOT NULL,
    "fingerprints" TEXT NOT NULL,
    "scan_packets" BIGINT NOT NULL,
    "backscatter_packets" BIGINT NOT NULL,
    "first_seen" TIMESTAMP(3) NOT NULL,
    "last_seen" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "daily_host_pkey" PRIMARY KEY ("day","sensor_id","ip")
);

-- CreateIndex
CREATE UNIQUE INDEX "sensor_name_key" ON "sensor"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ingested_file_sha256_key" ON "ingested_file"("sha256");

-- CreateIndex
CREATE INDEX "ingested_file_sensor_id_first_ts_idx" ON "ingested_file"("sensor_id", "first_ts");

-- CreateIndex
CREATE INDEX "ingested_file_ingested_at_idx" ON "ingested_file"("ingested_at");

-- CreateIndex
CREATE INDEX "ingested_file_path_idx" ON "ingested_file"("path");

-- CreateIndex
CREATE INDEX "daily_total_sensor_id_day_idx" ON "daily_total"("sensor_id", "day");

-- CreateIndex
CREATE INDEX "daily_port_sensor_id_proto_port_day_idx" ON "daily_port"("sensor_id", "proto", "port", "day");

-- CreateIndex
CREATE INDEX "daily_country_sensor_id_country_day_idx" ON "daily_country"("sensor_id", "country", "day");

-- CreateIndex
CREATE INDEX "daily_country_port_sensor_id_proto_port_day_idx" ON "daily_country_port"("sensor_id", "proto", "port", "day");

-- CreateIndex
CREATE INDEX "daily_country_port_sensor_id_country_day_idx" ON "daily_country_port"("sensor_id", "country", "day");

-- CreateIndex
CREATE INDEX "daily_window_sensor_id_port_country_day_idx" ON "daily_window"("sensor_id", "port", "country", "day");

-- CreateIndex
CREATE INDEX "daily_window_sensor_id_window_day_idx" ON "daily_window"("sensor_id", "window", "day");

-- CreateIndex
CREATE INDEX "daily_tag_sensor_id_tag_day_idx" ON "daily_tag"("sensor_id", "tag", "day");

-- CreateIndex
CREATE INDEX "daily_host_ip_idx" ON "daily_host"("ip");

-- CreateIndex
CREATE INDEX "daily_host_day_country_idx" ON "daily_host"("day", "country");

-- CreateIndex
CREATE INDEX "daily_host_day_asn_idx" ON "daily_host"("day", "asn");

-- AddForeignKey
ALTER TABLE "ingested_file" ADD CONSTRAINT "ingested_file_sensor_id_fkey" FOREIGN KEY ("sensor_id") REFERENCES "sensor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The all-sensors rollup (not a real sensor): every aggregate row is also folded into it.
INSERT INTO "sensor" ("id", "name", "prefixes", "created_at")
VALUES (0, '*', '', timezone('UTC', now()));
