-- Each day of daily_host ordered by packets: the host rankings read the largest rows
-- of every day of a period (a threshold algorithm, lib/queries/top-hosts.ts) instead of
-- adding up every host row of the period.
-- CreateIndex
CREATE INDEX "daily_host_day_packets_idx" ON "daily_host"("day", "packets");
