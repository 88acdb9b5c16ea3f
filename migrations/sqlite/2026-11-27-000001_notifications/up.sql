-- Notifications (issue 7), SQLite flavour (keep equivalent to migrations/postgres): which consumers
-- finished with an outbox row, the clients' CRM settings, and the CRM note each ticket has.

-- A consumer (email, crm) that delivered an outbox row, or had nothing to deliver: a retry of
-- the row does not run it again.
CREATE TABLE outbox_deliveries (
    outbox_id    TEXT NOT NULL,
    consumer     TEXT NOT NULL,
    completed_at TEXT NOT NULL,
    CONSTRAINT outbox_deliveries_pkey PRIMARY KEY (outbox_id, consumer)
) STRICT;

-- The admin's view of the outbox: a client's rows, newest first, by status.
CREATE INDEX idx_outbox_client_status_id ON outbox (client_id, status, id);
CREATE INDEX idx_outbox_client_id ON outbox (client_id, id);

-- provider: hubspot (endpoint = API base URL, secret = access token), webhook (endpoint = URL,
-- secret = HMAC key) or none.
CREATE TABLE crm_settings (
    client_id  TEXT NOT NULL PRIMARY KEY,
    provider   TEXT NOT NULL,
    endpoint   TEXT NOT NULL,
    secret     TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE crm_notes (
    client_id  TEXT NOT NULL,
    ticket_id  TEXT NOT NULL,
    note_id    TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT crm_notes_pkey PRIMARY KEY (client_id, ticket_id)
) STRICT;
