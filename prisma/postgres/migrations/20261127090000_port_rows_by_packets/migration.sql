-- A port ranking's candidates are the ports with a row of at least a bound in the
-- period (lib/queries/port-ranking.ts): with the packets after the day (or month), each
-- day of the period is one seek to its large rows instead of a read of all its ports.

-- CreateIndex
CREATE INDEX "daily_port_sensor_id_day_packets_idx" ON "daily_port"("sensor_id", "day", "packets");

-- CreateIndex
CREATE INDEX "monthly_port_sensor_id_month_packets_idx" ON "monthly_port"("sensor_id", "month", "packets");
