-- memberdesk schema, PostgreSQL flavour. Keep equivalent to migrations/sqlite (same tables,
-- columns, nullability, keys and index names; a store test compares them).
-- Ids are text (UUIDs as hyphenated lower case; client and user ids are opaque strings),
-- times are `timestamp` holding UTC at microsecond precision, JSON is text: these SQL types
-- are the ones both backends share, so one Diesel schema serves both.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE categories (
    id          text        NOT NULL PRIMARY KEY,
    client_id   text        NOT NULL,
    name        text        NOT NULL,
    name_key    text        NOT NULL,
    description text,
    sort_order  integer     NOT NULL DEFAULT 0,
    archived    boolean     NOT NULL DEFAULT false,
    created_at  timestamp   NOT NULL,
    updated_at  timestamp   NOT NULL,
    CONSTRAINT categories_client_name_key UNIQUE (client_id, name_key),
    CONSTRAINT categories_client_id_key UNIQUE (client_id, id)
);

CREATE TABLE ticket_counters (
    client_id   text        NOT NULL PRIMARY KEY,
    last_number bigint      NOT NULL
);

CREATE TABLE tickets (
    id                 text      NOT NULL PRIMARY KEY,
    client_id          text      NOT NULL,
    number             bigint    NOT NULL,
    subject            text      NOT NULL,
    description        text      NOT NULL,
    status             text      NOT NULL
        CHECK (status IN ('open', 'in_progress', 'waiting', 'resolved', 'closed')),
    priority_rank      smallint  NOT NULL CHECK (priority_rank BETWEEN 1 AND 3),
    category_id        text,
    member_id          text      NOT NULL,
    member_name        text      NOT NULL,
    member_email       text      NOT NULL,
    assignee_id        text,
    created_at         timestamp NOT NULL,
    updated_at         timestamp NOT NULL,
    first_responded_at timestamp,
    resolved_at        timestamp,
    closed_at          timestamp,
    version            bigint    NOT NULL,
    search_text        text      NOT NULL,
    CONSTRAINT tickets_client_number_key UNIQUE (client_id, number),
    CONSTRAINT tickets_client_id_key UNIQUE (client_id, id),
    CONSTRAINT tickets_category_fkey FOREIGN KEY (client_id, category_id)
        REFERENCES categories (client_id, id)
);

-- One index per queue filter / sort, keyset friendly (sort key, then id).
CREATE INDEX idx_tickets_created ON tickets (client_id, created_at, id);
CREATE INDEX idx_tickets_updated ON tickets (client_id, updated_at, id);
CREATE INDEX idx_tickets_priority ON tickets (client_id, priority_rank, id);
CREATE INDEX idx_tickets_status ON tickets (client_id, status, created_at, id);
CREATE INDEX idx_tickets_category ON tickets (client_id, category_id, created_at);
CREATE INDEX idx_tickets_assignee ON tickets (client_id, assignee_id, created_at);
CREATE INDEX idx_tickets_member ON tickets (client_id, member_id, created_at);
-- PostgreSQL only: `search_text LIKE '%…%'` served by trigrams.
CREATE INDEX tickets_search_trgm ON tickets USING gin (search_text gin_trgm_ops);

CREATE TABLE responses (
    id          text      NOT NULL PRIMARY KEY,
    client_id   text      NOT NULL,
    ticket_id   text      NOT NULL,
    kind        text      NOT NULL CHECK (kind IN ('reply', 'note')),
    author_id   text      NOT NULL,
    author_name text      NOT NULL,
    author_role text      NOT NULL,
    body        text      NOT NULL,
    created_at  timestamp NOT NULL,
    CONSTRAINT responses_ticket_fkey FOREIGN KEY (client_id, ticket_id)
        REFERENCES tickets (client_id, id)
);
CREATE INDEX idx_responses_ticket ON responses (ticket_id, created_at);

CREATE TABLE ticket_events (
    id         text      NOT NULL PRIMARY KEY,
    client_id  text      NOT NULL,
    ticket_id  text      NOT NULL,
    actor_id   text      NOT NULL,
    actor_name text      NOT NULL,
    kind       text      NOT NULL,
    internal   boolean   NOT NULL,
    payload    text      NOT NULL,
    at         timestamp NOT NULL,
    CONSTRAINT ticket_events_ticket_fkey FOREIGN KEY (client_id, ticket_id)
        REFERENCES tickets (client_id, id)
);
CREATE INDEX idx_ticket_events_ticket ON ticket_events (ticket_id, at);

-- Side effects to deliver; consumers claim rows by (status, available_at).
CREATE TABLE outbox (
    id           text      NOT NULL PRIMARY KEY,
    client_id    text      NOT NULL,
    ticket_id    text,
    topic        text      NOT NULL,
    payload      text      NOT NULL,
    created_at   timestamp NOT NULL,
    status       text      NOT NULL DEFAULT 'pending',
    attempts     integer   NOT NULL DEFAULT 0,
    available_at timestamp NOT NULL,
    locked_until timestamp,
    last_error   text,
    delivered_at timestamp
);
CREATE INDEX idx_outbox_status_available ON outbox (status, available_at);

CREATE TABLE idempotency_keys (
    client_id   text      NOT NULL,
    user_id     text      NOT NULL,
    "key"       text      NOT NULL,
    fingerprint text      NOT NULL,
    ticket_id   text      NOT NULL,
    response_id text,
    created_at  timestamp NOT NULL,
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY (client_id, user_id, "key")
);

CREATE TABLE users (
    client_id    text      NOT NULL,
    id           text      NOT NULL,
    name         text      NOT NULL,
    email        text      NOT NULL,
    roles        text      NOT NULL,
    is_staff     boolean   NOT NULL,
    last_seen_at timestamp NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (client_id, id)
);
CREATE INDEX idx_users_staff ON users (client_id, is_staff, name);
