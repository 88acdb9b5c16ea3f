-- memberdesk schema, SQLite flavour. Keep equivalent to migrations/postgres (same tables,
-- columns, nullability, keys and index names; a store test compares them).
-- STRICT tables: ids, JSON and times are TEXT (times as Diesel writes `Timestamp`:
-- 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC, which sorts as it reads), integers INTEGER,
-- booleans INTEGER 0/1.

CREATE TABLE categories (
    id          TEXT    NOT NULL PRIMARY KEY,
    client_id   TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL,
    description TEXT,
    sort_order  INTEGER NOT NULL DEFAULT 0,
    archived    INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    CONSTRAINT categories_client_name_key UNIQUE (client_id, name_key),
    CONSTRAINT categories_client_id_key UNIQUE (client_id, id)
) STRICT;

CREATE TABLE ticket_counters (
    client_id   TEXT    NOT NULL PRIMARY KEY,
    last_number INTEGER NOT NULL
) STRICT;

CREATE TABLE tickets (
    id                 TEXT    NOT NULL PRIMARY KEY,
    client_id          TEXT    NOT NULL,
    number             INTEGER NOT NULL,
    subject            TEXT    NOT NULL,
    description        TEXT    NOT NULL,
    status             TEXT    NOT NULL
        CHECK (status IN ('open', 'in_progress', 'waiting', 'resolved', 'closed')),
    priority_rank      INTEGER NOT NULL CHECK (priority_rank BETWEEN 1 AND 3),
    category_id        TEXT,
    member_id          TEXT    NOT NULL,
    member_name        TEXT    NOT NULL,
    member_email       TEXT    NOT NULL,
    assignee_id        TEXT,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    first_responded_at TEXT,
    resolved_at        TEXT,
    closed_at          TEXT,
    version            INTEGER NOT NULL,
    search_text        TEXT    NOT NULL,
    CONSTRAINT tickets_client_number_key UNIQUE (client_id, number),
    CONSTRAINT tickets_client_id_key UNIQUE (client_id, id),
    CONSTRAINT tickets_category_fkey FOREIGN KEY (client_id, category_id)
        REFERENCES categories (client_id, id)
) STRICT;

-- One index per queue filter / sort, keyset friendly (sort key, then id).
CREATE INDEX idx_tickets_created ON tickets (client_id, created_at, id);
CREATE INDEX idx_tickets_updated ON tickets (client_id, updated_at, id);
CREATE INDEX idx_tickets_priority ON tickets (client_id, priority_rank, id);
CREATE INDEX idx_tickets_status ON tickets (client_id, status, created_at, id);
CREATE INDEX idx_tickets_category ON tickets (client_id, category_id, created_at);
CREATE INDEX idx_tickets_assignee ON tickets (client_id, assignee_id, created_at);
CREATE INDEX idx_tickets_member ON tickets (client_id, member_id, created_at);
-- (PostgreSQL also has the trigram index tickets_search_trgm; SQLite scans search_text.)

CREATE TABLE responses (
    id          TEXT NOT NULL PRIMARY KEY,
    client_id   TEXT NOT NULL,
    ticket_id   TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('reply', 'note')),
    author_id   TEXT NOT NULL,
    author_name TEXT NOT NULL,
    author_role TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    CONSTRAINT responses_ticket_fkey FOREIGN KEY (client_id, ticket_id)
        REFERENCES tickets (client_id, id)
) STRICT;
CREATE INDEX idx_responses_ticket ON responses (ticket_id, created_at);

CREATE TABLE ticket_events (
    id         TEXT    NOT NULL PRIMARY KEY,
    client_id  TEXT    NOT NULL,
    ticket_id  TEXT    NOT NULL,
    actor_id   TEXT    NOT NULL,
    actor_name TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    internal   INTEGER NOT NULL CHECK (internal IN (0, 1)),
    payload    TEXT    NOT NULL,
    at         TEXT    NOT NULL,
    CONSTRAINT ticket_events_ticket_fkey FOREIGN KEY (client_id, ticket_id)
        REFERENCES tickets (client_id, id)
) STRICT;
CREATE INDEX idx_ticket_events_ticket ON ticket_events (ticket_id, at);

-- Side effects to deliver; consumers claim rows by (status, available_at).
CREATE TABLE outbox (
    id           TEXT    NOT NULL PRIMARY KEY,
    client_id    TEXT    NOT NULL,
    ticket_id    TEXT,
    topic        TEXT    NOT NULL,
    payload      TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'pending',
    attempts     INTEGER NOT NULL DEFAULT 0,
    available_at TEXT    NOT NULL,
    locked_until TEXT,
    last_error   TEXT,
    delivered_at TEXT
) STRICT;
CREATE INDEX idx_outbox_status_available ON outbox (status, available_at);

CREATE TABLE idempotency_keys (
    client_id   TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    "key"       TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    ticket_id   TEXT NOT NULL,
    response_id TEXT,
    created_at  TEXT NOT NULL,
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY (client_id, user_id, "key")
) STRICT;

CREATE TABLE users (
    client_id    TEXT    NOT NULL,
    id           TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    email        TEXT    NOT NULL,
    roles        TEXT    NOT NULL,
    is_staff     INTEGER NOT NULL CHECK (is_staff IN (0, 1)),
    last_seen_at TEXT    NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (client_id, id)
) STRICT;
CREATE INDEX idx_users_staff ON users (client_id, is_staff, name);
