-- bench/nexmark q8: monitor new users: people who opened an auction in the 10 s tumbling window they registered in.
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');

CREATE VIEW person AS
SELECT person.id AS id, person.name AS name, person.email_address AS email_address,
  person.credit_card AS credit_card, person.city AS city, person.state AS state,
  person.datetime AS datetime, person.extra AS extra
FROM nexmark WHERE person IS NOT NULL;

CREATE VIEW auction AS
SELECT auction.id AS id, auction.item_name AS item_name, auction.description AS description,
  auction.initial_bid AS initial_bid, auction.reserve AS reserve, auction.datetime AS datetime,
  auction.expires AS expires, auction.seller AS seller, auction.category AS category,
  auction.extra AS extra
FROM nexmark WHERE auction IS NOT NULL;

CREATE TABLE out WITH (connector = 'blackhole', type = 'sink');

CREATE VIEW P AS
SELECT tumble(INTERVAL '10' SECOND) AS window, id, name
FROM person GROUP BY 1, 2, 3;

CREATE VIEW A AS
SELECT tumble(INTERVAL '10' SECOND) AS window, seller
FROM auction GROUP BY 1, 2;

INSERT INTO out
SELECT P.id, P.name, P.window.start AS stime
FROM P JOIN A ON P.id = A.seller AND P.window = A.window;
