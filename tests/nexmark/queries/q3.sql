-- Nexmark q3 (local item suggestion): an updating inner join of auctions in category 10 with
-- their sellers in OR, ID or CA; written as debezium and compared on its final state.
-- As the standard query, the filters are a WHERE after the join.
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'debezium_json', type = 'sink');
CREATE VIEW auctions AS SELECT auction.id AS id, auction.seller AS seller,
  auction.category AS category FROM nexmark WHERE auction IS NOT NULL;
CREATE VIEW people AS SELECT person.id AS id, person.name AS name, person.city AS city,
  person.state AS state FROM nexmark WHERE person IS NOT NULL;
INSERT INTO out
SELECT p.name AS name, p.city AS city, p.state AS state, a.id AS id
FROM auctions AS a INNER JOIN people AS p ON a.seller = p.id
WHERE a.category = 10 AND (p.state = 'OR' OR p.state = 'ID' OR p.state = 'CA');
