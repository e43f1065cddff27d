-- Nexmark q3 (local item suggestion): an updating inner join of auctions in category 10 with
-- their sellers in OR, ID or CA; written as debezium and compared on its final state.
-- The standard query filters in a WHERE after the join; the compiler refuses that here
-- ("unknown table or alias 'p'", see tests/nexmark/README.md), so the filters are pushed into
-- the two inputs (equivalent for an inner join).
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'debezium_json', type = 'sink');
CREATE VIEW auctions AS SELECT auction.id AS id, auction.seller AS seller
  FROM nexmark WHERE auction IS NOT NULL AND auction.category = 10;
CREATE VIEW people AS SELECT person.id AS id, person.name AS name, person.city AS city,
  person.state AS state FROM nexmark
  WHERE person IS NOT NULL AND (person.state = 'OR' OR person.state = 'ID' OR person.state = 'CA');
INSERT INTO out
SELECT p.name AS name, p.city AS city, p.state AS state, a.id AS id
FROM auctions AS a INNER JOIN people AS p ON a.seller = p.id;
