-- The host rankings sum their candidate hosts (ip IN ...) over a period: with only an
-- index on ip, each of those rows was a random read of the wide table row (ports JSON,
-- HyperLogLog registers), most of a first request on an 8-day window (350 ms cold at /16
-- scale). These columns make it a read of the index alone, which also serves lookups by ip.

-- DropIndex
DROP INDEX "daily_host_ip_idx";

-- CreateIndex
CREATE INDEX "daily_host_ip_day_sums_idx" ON "daily_host"("ip", "day", "sensor_id", "packets", "scan_packets", "backscatter_packets", "first_seen", "last_seen", "country", "asn", "as_org");
