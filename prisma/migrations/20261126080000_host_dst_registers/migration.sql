-- A host row keeps the HyperLogLog registers behind distinct_dsts, so that rows of one
-- host and day from several files (or parts of one file) merge to the estimate of one
-- pass instead of the larger of the two. Rows stored before stay NULL (merged as before).
ALTER TABLE "daily_host" ADD COLUMN "dst_registers" BLOB;
