-- Automatic summary regeneration (issue 8, docs/ai.md): one "refresh due at" record per
-- ticket. Keep equivalent to migrations/sqlite. The outbox consumer schedules it (`due_at`,
-- `requests` counts the schedules); the refresh worker claims due records (`locked_until`),
-- then removes them, or reschedules them with `attempts` and `last_error` after a failure.
CREATE TABLE summary_refreshes (
    client_id    text      NOT NULL,
    ticket_id    text      NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    due_at       timestamp NOT NULL,
    locked_until timestamp,
    requests     bigint    NOT NULL CHECK (requests >= 1),
    attempts     integer   NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error   text,
    CONSTRAINT summary_refreshes_pkey PRIMARY KEY (client_id, ticket_id)
);
-- The worker's claim: due records, earliest first.
CREATE INDEX idx_summary_refreshes_due ON summary_refreshes (due_at);
