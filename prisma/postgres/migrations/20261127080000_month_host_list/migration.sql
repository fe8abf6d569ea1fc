-- month_host_list: the hosts with the most packets of one slice (country, AS, port,
-- prefix, or none) over one whole calendar month, with their exact month sums, made when
-- a host ranking first needs it and kept (a cache: the packets total beside it tells
-- when a later file changed the month; retention deletes the lists of purged months).

-- CreateTable
CREATE TABLE "month_host_list" (
    "kind" TEXT NOT NULL,
    "sensor_id" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "total" BIGINT NOT NULL,
    "depth" INTEGER NOT NULL,
    "hosts" TEXT NOT NULL,

    CONSTRAINT "month_host_list_pkey" PRIMARY KEY ("kind","sensor_id","month")
);
