-- AlterTable. Files ingested before this column filtered nothing: 0 packets left out.
ALTER TABLE "ingested_file" ADD COLUMN "outside_packets" BIGINT NOT NULL DEFAULT 0;
