-- demo/cars.sql: filter and project a file of ride events into a stdout sink.
-- demo/cars.json holds 50 made-up events (timestamp, driver_id, event_type, location).
-- The path is relative to the worker's working directory: run from the repository root
-- (as `make demo` does).
--   bin/arroyo-compile demo/cars.sql -o build/demo/cars.so && bin/arroyo-worker build/demo/cars.so
CREATE TABLE cars (
  timestamp TIMESTAMP,
  driver_id BIGINT,
  event_type TEXT,
  location TEXT
) WITH (
  connector = 'single_file',
  path = 'demo/cars.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE pickups (
  timestamp TIMESTAMP,
  driver_id BIGINT,
  location TEXT
) WITH (
  connector = 'stdout',
  format = 'json',
  type = 'sink'
);

INSERT INTO pickups
SELECT timestamp, driver_id, upper(location)
FROM cars
WHERE event_type = 'pickup' AND driver_id < 105;
