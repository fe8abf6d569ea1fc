-- AlterTable
ALTER TABLE "ingested_file" ADD COLUMN "content_sha256" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "ingested_file_content_sha256_key" ON "ingested_file"("content_sha256");

-- Data: an uncompressed file's content is its bytes. Gzip files ingested before this
-- migration keep NULL (their decompressed hash was not computed).
UPDATE "ingested_file" SET "content_sha256" = "sha256" WHERE "compression" = 'none';
