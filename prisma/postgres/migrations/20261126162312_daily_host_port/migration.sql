-- daily_host_port: one row per port of each daily_host row (the keys of its ports JSON,
-- the HOST_PORTS_KEPT largest), with the host row packets, country and AS. The host
-- rankings of one port read each day of that port by packets from its primary key
-- instead of testing every host row of the day with a LIKE on the JSON.
-- Statement triggers over transition tables keep it equal to the host rows whatever
-- writes daily_host, inside the same transaction. Existing rows are expanded once here.
-- Partitioned by month like daily_host (the same bounds, partitions named
-- daily_host_port_pYYYY_MM, created by the ingest with the host partitions and dropped
-- by retention with them). This migration creates the months daily_host has rows in.
-- (No quote characters or semicolons in these comments: the schema engine splits statements on them.
-- For the same reason the DO block below is an E string that spells each of its semicolons \073.)

-- CreateTable
CREATE TABLE "daily_host_port" (
    "port" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "packets" BIGINT NOT NULL,
    "ip" TEXT NOT NULL,
    "sensor_id" INTEGER NOT NULL,
    "country" TEXT NOT NULL,
    "asn" INTEGER NOT NULL,

    CONSTRAINT "daily_host_port_pkey" PRIMARY KEY ("port","day","packets","ip","sensor_id")
) PARTITION BY RANGE ("day");

DO E'
DECLARE
  m text\073
BEGIN
  FOR m IN SELECT DISTINCT substr("day", 1, 7) FROM "daily_host" ORDER BY 1 LOOP
    EXECUTE format(
      ''CREATE TABLE %I PARTITION OF "daily_host_port" FOR VALUES FROM (%L) TO (%L)'',
      ''daily_host_port_p'' || replace(m, ''-'', ''_''),
      m || ''-01'',
      to_char(to_date(m || ''-01'', ''YYYY-MM-DD'') + interval ''1 month'', ''YYYY-MM-DD''))\073
  END LOOP\073
END
';

-- CreateFunction
CREATE FUNCTION scanline_daily_host_ports() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' OR TG_OP = 'DELETE' THEN
    DELETE FROM "daily_host_port" p USING (
      SELECT k, o."day", o."packets", o."ip", o."sensor_id" FROM old_rows o, json_object_keys(o."ports"::json) AS k
    ) d
    WHERE p."port" = d.k AND p."day" = d."day" AND p."packets" = d."packets" AND p."ip" = d."ip" AND p."sensor_id" = d."sensor_id";
  END IF;
  IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
    INSERT INTO "daily_host_port" ("port", "day", "packets", "ip", "sensor_id", "country", "asn")
    SELECT k, n."day", n."packets", n."ip", n."sensor_id", n."country", n."asn" FROM new_rows n, json_object_keys(n."ports"::json) AS k;
  END IF;
  RETURN NULL;
END
$$;

-- CreateTrigger
CREATE TRIGGER "daily_host_port_insert" AFTER INSERT ON "daily_host"
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scanline_daily_host_ports();

-- CreateTrigger
CREATE TRIGGER "daily_host_port_update" AFTER UPDATE ON "daily_host"
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION scanline_daily_host_ports();

-- CreateTrigger
CREATE TRIGGER "daily_host_port_delete" AFTER DELETE ON "daily_host"
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION scanline_daily_host_ports();

-- Backfill
INSERT INTO "daily_host_port" ("port", "day", "packets", "ip", "sensor_id", "country", "asn")
SELECT k, h."day", h."packets", h."ip", h."sensor_id", h."country", h."asn" FROM "daily_host" h, json_object_keys(h."ports"::json) AS k;
