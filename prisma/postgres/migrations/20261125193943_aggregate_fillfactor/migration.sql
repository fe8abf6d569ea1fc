-- PostgreSQL only: storage parameters are not part of the Prisma schema, so the schema
-- and the migrations still agree. Merging a second file of a day updates every row it
-- shares with the first. Leaving 30% of each page free lets those updates be HOT
-- (heap-only, no new index entries), about 2-3x cheaper on daily_host.
-- (No semicolons in comments: the schema engine splits scripts on them.)
ALTER TABLE "daily_host" SET (fillfactor = 70);
ALTER TABLE "daily_total" SET (fillfactor = 70);
ALTER TABLE "daily_port" SET (fillfactor = 70);
ALTER TABLE "daily_country" SET (fillfactor = 70);
ALTER TABLE "daily_country_port" SET (fillfactor = 70);
ALTER TABLE "daily_window" SET (fillfactor = 70);
ALTER TABLE "daily_tag" SET (fillfactor = 70);
