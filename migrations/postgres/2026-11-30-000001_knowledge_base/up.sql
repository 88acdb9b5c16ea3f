-- The knowledge base (issue 8, docs/ai.md#knowledge-base): a client's help articles, searched
-- by staff and drawn on by drafts. Keep equivalent to migrations/sqlite, except for the search
-- index, which is each backend's own (the schema test knows both):
--   PostgreSQL: `search_vector`, a stored generated tsvector (title A, tags B, body C; the
--   'english' configuration, so "renewing" finds "renewal"), with a GIN index;
--   SQLite: the FTS5 table `kb_articles_fts`, kept in step by triggers.
-- `seq` is the row's number for SQLite's FTS5 (an external-content table needs a stable integer
-- rowid); `id` is the article's UUID everywhere else. `tags` is a JSON array of strings.
CREATE TABLE kb_articles (
    seq        bigint    GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id         text      NOT NULL,
    client_id  text      NOT NULL,
    title      text      NOT NULL,
    body       text      NOT NULL,
    tags       text      NOT NULL,
    published  boolean   NOT NULL,
    created_at timestamp NOT NULL,
    updated_at timestamp NOT NULL,
    version    bigint    NOT NULL CHECK (version >= 1),
    CONSTRAINT kb_articles_id_key UNIQUE (id),
    search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, title), 'A') ||
        setweight(to_tsvector('english'::regconfig, tags), 'B') ||
        setweight(to_tsvector('english'::regconfig, body), 'C')
    ) STORED
);
CREATE INDEX idx_kb_articles_client ON kb_articles (client_id, published);
CREATE INDEX kb_articles_search ON kb_articles USING gin (search_vector);
