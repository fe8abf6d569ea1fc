-- A country or an AS first, then day and packets (and ip, so the sorted access reads
-- the index alone): the filtered host rankings read each day of one country by packets,
-- and a long period of one country reads its rows only. Day first made the planner walk
-- every host of every day.

-- DropIndex
DROP INDEX "daily_host_day_asn_idx";

-- DropIndex
DROP INDEX "daily_host_day_country_idx";

-- CreateIndex
CREATE INDEX "daily_host_country_day_packets_ip_idx" ON "daily_host"("country", "day", "packets", "ip");

-- CreateIndex
CREATE INDEX "daily_host_asn_day_packets_ip_idx" ON "daily_host"("asn", "day", "packets", "ip");
