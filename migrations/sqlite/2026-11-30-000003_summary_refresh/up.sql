-- Automatic summary regeneration (issue 8, docs/ai.md), SQLite flavour (keep equivalent to
-- migrations/postgres).
CREATE TABLE summary_refreshes (
    client_id    TEXT    NOT NULL,
    ticket_id    TEXT    NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    due_at       TEXT    NOT NULL,
    locked_until TEXT,
    requests     INTEGER NOT NULL CHECK (requests >= 1),
    attempts     INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error   TEXT,
    CONSTRAINT summary_refreshes_pkey PRIMARY KEY (client_id, ticket_id)
) STRICT;
CREATE INDEX idx_summary_refreshes_due ON summary_refreshes (due_at);
