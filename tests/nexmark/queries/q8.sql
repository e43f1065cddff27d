-- Nexmark q8 (monitor new users): people who registered and opened an auction in the same
-- 100 us tumbling window (a windowed join of two windowed aggregates).
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'json', type = 'sink');
INSERT INTO out
SELECT P.id AS id, P.name AS name, P.window.start AS stime
FROM (
  SELECT tumble(interval '100 microseconds') AS window, person.id AS id, person.name AS name
  FROM nexmark WHERE person IS NOT NULL GROUP BY 1, 2, 3
) P
JOIN (
  SELECT tumble(interval '100 microseconds') AS window, auction.seller AS seller
  FROM nexmark WHERE auction IS NOT NULL GROUP BY 1, 2
) A
ON P.id = A.seller AND P.window = A.window;
