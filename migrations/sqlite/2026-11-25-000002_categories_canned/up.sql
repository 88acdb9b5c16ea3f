-- Categories management, canned responses (response templates) and the client's profile.
-- SQLite flavour; keep equivalent to migrations/postgres (a store test compares them).
-- The `categories` table comes from the first migration and already has what managing needs
-- (name_key unique per client, description, sort_order, archived, timestamps); the picker
-- reads it in order.

CREATE INDEX idx_categories_order ON categories (client_id, sort_order, name_key);

-- A canned response is shared (owner_id NULL, client-wide) or a staff user's personal one.
CREATE TABLE canned_responses (
    id          TEXT NOT NULL PRIMARY KEY,
    client_id   TEXT NOT NULL,
    owner_id    TEXT,
    title       TEXT NOT NULL,
    title_key   TEXT NOT NULL,
    body        TEXT NOT NULL,
    search_text TEXT NOT NULL,
    category_id TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CONSTRAINT canned_responses_category_fkey FOREIGN KEY (client_id, category_id)
        REFERENCES categories (client_id, id)
) STRICT;
CREATE INDEX idx_canned_responses_client ON canned_responses (client_id, owner_id, title_key);

-- What the desk knows of a client beyond its id; a row exists once an admin names it.
CREATE TABLE clients (
    id         TEXT NOT NULL PRIMARY KEY,
    name       TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
