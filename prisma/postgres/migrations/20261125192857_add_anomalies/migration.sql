-- CreateTable
CREATE TABLE "anomaly" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "period_from" TEXT NOT NULL,
    "dimension" TEXT NOT NULL,
    "anomaly_key" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "country" TEXT,
    "proto" TEXT,
    "port" INTEGER,
    "asn" INTEGER,
    "score" DOUBLE PRECISION NOT NULL,
    "severity" DOUBLE PRECISION NOT NULL,
    "observed" DOUBLE PRECISION NOT NULL,
    "baseline" DOUBLE PRECISION NOT NULL,
    "summary" TEXT NOT NULL,
    "link" TEXT NOT NULL,
    "details" TEXT NOT NULL DEFAULT '{}',
    "detected_at" TIMESTAMP(3) NOT NULL,
    "reviewed" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT NOT NULL DEFAULT '',
    "reviewed_at" TIMESTAMP(3),

    CONSTRAINT "anomaly_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "anomaly_scan" (
    "scope" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "detected_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "anomaly_scan_pkey" PRIMARY KEY ("scope")
);

-- CreateIndex
CREATE INDEX "anomaly_day_idx" ON "anomaly"("day");

-- CreateIndex
CREATE INDEX "anomaly_period_from_day_idx" ON "anomaly"("period_from", "day");

-- CreateIndex
CREATE INDEX "anomaly_country_day_idx" ON "anomaly"("country", "day");

-- CreateIndex
CREATE INDEX "anomaly_port_day_idx" ON "anomaly"("port", "day");
