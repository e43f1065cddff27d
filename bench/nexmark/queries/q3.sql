-- bench/nexmark q3: local item suggestion: sellers in OR/ID/CA of category-10 auctions (updating join).
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');

CREATE VIEW auction AS
SELECT auction.id AS id, auction.item_name AS item_name, auction.description AS description,
  auction.initial_bid AS initial_bid, auction.reserve AS reserve, auction.datetime AS datetime,
  auction.expires AS expires, auction.seller AS seller, auction.category AS category,
  auction.extra AS extra
FROM nexmark WHERE auction IS NOT NULL;

CREATE VIEW person AS
SELECT person.id AS id, person.name AS name, person.email_address AS email_address,
  person.credit_card AS credit_card, person.city AS city, person.state AS state,
  person.datetime AS datetime, person.extra AS extra
FROM nexmark WHERE person IS NOT NULL;

-- The result is updating (retractions): the blackhole sink counts insertions and retractions
-- and encodes nothing.
CREATE TABLE out WITH (connector = 'blackhole');

INSERT INTO out
SELECT P.name, P.city, P.state, A.id
FROM auction AS A INNER JOIN person AS P ON A.seller = P.id
  AND A.category = 10 AND (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA');
