-- Categories management, canned responses (response templates) and the client's profile.
-- PostgreSQL flavour; keep equivalent to migrations/sqlite (a store test compares them).
-- The `categories` table comes from the first migration and already has what managing needs
-- (name_key unique per client, description, sort_order, archived, timestamps); the picker
-- reads it in order.

CREATE INDEX idx_categories_order ON categories (client_id, sort_order, name_key);

-- A canned response is shared (owner_id NULL, client-wide) or a staff user's personal one.
CREATE TABLE canned_responses (
    id          text      NOT NULL PRIMARY KEY,
    client_id   text      NOT NULL,
    owner_id    text,
    title       text      NOT NULL,
    title_key   text      NOT NULL,
    body        text      NOT NULL,
    search_text text      NOT NULL,
    category_id text,
    created_at  timestamp NOT NULL,
    updated_at  timestamp NOT NULL,
    CONSTRAINT canned_responses_category_fkey FOREIGN KEY (client_id, category_id)
        REFERENCES categories (client_id, id)
);
CREATE INDEX idx_canned_responses_client ON canned_responses (client_id, owner_id, title_key);

-- What the desk knows of a client beyond its id; a row exists once an admin names it.
CREATE TABLE clients (
    id         text      NOT NULL PRIMARY KEY,
    name       text      NOT NULL,
    updated_at timestamp NOT NULL
);
