-- Stored, versioned ticket and conversation summaries (issue 8, docs/ai.md), SQLite flavour
-- (keep equivalent to migrations/postgres).
CREATE TABLE ticket_summaries (
    client_id      TEXT    NOT NULL,
    ticket_id      TEXT    NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL CHECK (kind IN ('ticket', 'conversation')),
    version        INTEGER NOT NULL CHECK (version >= 1),
    body           TEXT    NOT NULL,
    generated_at   TEXT    NOT NULL,
    ticket_version INTEGER NOT NULL,
    CONSTRAINT ticket_summaries_pkey PRIMARY KEY (client_id, ticket_id, kind, version)
) STRICT;
