-- Files attached to replies and notes: the metadata; the bytes are in attachment storage under
-- `storage_key`. PostgreSQL flavour; keep equivalent to migrations/sqlite (a store test compares
-- them). Rows are written in the same transaction as their response.

-- What the attachments' foreign key refers to: a response of the same client.
CREATE UNIQUE INDEX idx_responses_client_id ON responses (client_id, id);

CREATE TABLE attachments (
    id           text      NOT NULL PRIMARY KEY,
    client_id    text      NOT NULL,
    ticket_id    text      NOT NULL,
    response_id  text      NOT NULL,
    filename     text      NOT NULL,
    content_type text      NOT NULL,
    size         bigint    NOT NULL CHECK (size > 0),
    sha256       text      NOT NULL CHECK (length(sha256) = 64),
    storage_key  text      NOT NULL,
    created_at   timestamp NOT NULL,
    CONSTRAINT attachments_storage_key_key UNIQUE (storage_key),
    CONSTRAINT attachments_response_fkey FOREIGN KEY (client_id, response_id)
        REFERENCES responses (client_id, id),
    CONSTRAINT attachments_ticket_fkey FOREIGN KEY (client_id, ticket_id)
        REFERENCES tickets (client_id, id)
);
CREATE INDEX idx_attachments_response ON attachments (response_id, created_at, id);
