-- Stored, versioned ticket and conversation summaries (issue 8, docs/ai.md). Keep equivalent
-- to migrations/sqlite. Versions are only ever added; `body` is the summary's API JSON (with
-- placeholders, never personal data); `ticket_version` is the ticket's version when it was made.
CREATE TABLE ticket_summaries (
    client_id      text      NOT NULL,
    ticket_id      text      NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    kind           text      NOT NULL CHECK (kind IN ('ticket', 'conversation')),
    version        bigint    NOT NULL CHECK (version >= 1),
    body           text      NOT NULL,
    generated_at   timestamp NOT NULL,
    ticket_version bigint    NOT NULL,
    CONSTRAINT ticket_summaries_pkey PRIMARY KEY (client_id, ticket_id, kind, version)
);
