DROP TABLE users;
DROP TABLE idempotency_keys;
DROP TABLE outbox;
DROP TABLE ticket_events;
DROP TABLE responses;
DROP TABLE tickets;
DROP TABLE ticket_counters;
DROP TABLE categories;
