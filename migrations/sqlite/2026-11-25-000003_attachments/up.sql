-- Files attached to replies and notes: the metadata; the bytes are in attachment storage under
-- `storage_key`. SQLite flavour; keep equivalent to migrations/postgres (a store test compares
-- them). Rows are written in the same transaction as their response.

-- What the attachments' foreign key refers to: a response of the same client.
CREATE UNIQUE INDEX idx_responses_client_id ON responses (client_id, id);

CREATE TABLE attachments (
    id           TEXT    NOT NULL PRIMARY KEY,
    client_id    TEXT    NOT NULL,
    ticket_id    TEXT    NOT NULL,
    response_id  TEXT    NOT NULL,
    filename     TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL CHECK (size > 0),
    sha256       TEXT    NOT NULL CHECK (length(sha256) = 64),
    storage_key  TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    CONSTRAINT attachments_storage_key_key UNIQUE (storage_key),
    CONSTRAINT attachments_response_fkey FOREIGN KEY (client_id, response_id)
        REFERENCES responses (client_id, id),
    CONSTRAINT attachments_ticket_fkey FOREIGN KEY (client_id, ticket_id)
        REFERENCES tickets (client_id, id)
) STRICT;
CREATE INDEX idx_attachments_response ON attachments (response_id, created_at, id);
