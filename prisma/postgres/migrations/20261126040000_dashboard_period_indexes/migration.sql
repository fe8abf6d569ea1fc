-- Indexes for the period queries of the dashboard (docs/BENCHMARKS.md, "Dashboard"):
-- covering (packets) indexes, so the ranking of a period reads index entries instead of
-- the aggregate rows with their sketches, and the windows and tags of one port are found
-- without scanning the rows of every other port. Two indexes of daily_port and
-- daily_country_port are replaced by covering ones with the same leading columns.
-- (No quote characters in these comments: the schema engine splits statements on them.)
-- DropIndex
DROP INDEX "daily_country_port_sensor_id_country_day_idx";

-- DropIndex
DROP INDEX "daily_country_port_sensor_id_proto_port_day_idx";

-- DropIndex
DROP INDEX "daily_port_sensor_id_proto_port_day_idx";

-- CreateIndex
CREATE INDEX "daily_country_sensor_id_day_country_packets_idx" ON "daily_country"("sensor_id", "day", "country", "packets");

-- CreateIndex
CREATE INDEX "daily_country_port_sensor_id_proto_port_day_country_packets_idx" ON "daily_country_port"("sensor_id", "proto", "port", "day", "country", "packets");

-- CreateIndex
CREATE INDEX "daily_country_port_sensor_id_country_day_proto_port_packets_idx" ON "daily_country_port"("sensor_id", "country", "day", "proto", "port", "packets");

-- CreateIndex
CREATE INDEX "daily_port_sensor_id_proto_port_day_packets_idx" ON "daily_port"("sensor_id", "proto", "port", "day", "packets");

-- CreateIndex
CREATE INDEX "daily_port_sensor_id_day_proto_port_packets_idx" ON "daily_port"("sensor_id", "day", "proto", "port", "packets");

-- CreateIndex
CREATE INDEX "daily_tag_sensor_id_proto_port_day_idx" ON "daily_tag"("sensor_id", "proto", "port", "day");

-- CreateIndex
CREATE INDEX "daily_window_sensor_id_port_day_window_packets_idx" ON "daily_window"("sensor_id", "port", "day", "window", "packets");
