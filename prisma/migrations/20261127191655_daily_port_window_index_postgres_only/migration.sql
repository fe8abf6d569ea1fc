-- The covering index of daily_port_window is PostgreSQL's only (ENGINE_ONLY_INDEXES in
-- prisma/migrate.ts). On SQLite the table is WITHOUT ROWID in that order already, so the
-- index only repeated it, and updating it cost the ingest of several sensors' files
-- 10-16 % (the demo's 549 files: 125.6-133.5 s without it, 146.3-146.8 s with it).

-- DropIndex
DROP INDEX "daily_port_window_sensor_id_port_day_window_packets_sources_idx";
