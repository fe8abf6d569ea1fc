-- CreateIndex
CREATE INDEX "daily_port_window_sensor_id_port_day_window_packets_sources_idx" ON "daily_port_window"("sensor_id", "port", "day", "window", "packets", "sources");
