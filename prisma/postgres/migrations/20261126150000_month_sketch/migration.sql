-- month_sketch: distinct sources of one key over one whole calendar month, the merge of
-- its daily sketches, made when a query first needs it and kept (a cache: the packets
-- total beside it tells when a later file changed the month).

-- CreateTable
CREATE TABLE "month_sketch" (
    "kind" TEXT NOT NULL,
    "sensor_id" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "total" BIGINT NOT NULL,
    "sketch" BYTEA NOT NULL,

    CONSTRAINT "month_sketch_pkey" PRIMARY KEY ("kind","sensor_id","month","key")
);

