-- No query reads daily_window by window without its port, and each index costs about as
-- much to write as the table: the index on sensor, window and day goes.
-- DropIndex
DROP INDEX "daily_window_sensor_id_window_day_idx";
