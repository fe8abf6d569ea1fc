-- ip in the by-day index too, so the unfiltered host ranking's sorted access (each day's
-- largest rows) reads the index alone instead of fetching every row from the table.

-- DropIndex
DROP INDEX "daily_host_day_packets_idx";

-- CreateIndex
CREATE INDEX "daily_host_day_packets_ip_idx" ON "daily_host"("day", "packets", "ip");
