-- The window split of one country's port (series?split=window&port&country) read each
-- row's packets and sources from the table after this index, or (SQLite's choice without
-- statistics) every country's rows of the port from the covering index by port and day:
-- 130-155 ms for a first month at /16 scale. With packets and sources here, the index
-- alone answers it (6-12 ms).

-- DropIndex
DROP INDEX "daily_window_sensor_id_port_country_day_idx";

-- CreateIndex
CREATE INDEX "daily_window_sensor_id_port_country_day_window_packets_sources_idx" ON "daily_window"("sensor_id", "port", "country", "day", "window", "packets", "sources");
