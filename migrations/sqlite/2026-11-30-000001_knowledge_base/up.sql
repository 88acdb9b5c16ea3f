-- The knowledge base (issue 8, docs/ai.md#knowledge-base), SQLite flavour (keep equivalent to
-- migrations/postgres, except for the search index, which is each backend's own):
--   SQLite: the FTS5 table `kb_articles_fts` over title, tags and body (porter stemming, so
--   "renewing" finds "renewal"; diacritics folded), an external-content table kept in step with
--   `kb_articles` by the triggers below;
--   PostgreSQL: a generated tsvector column with a GIN index.
-- `seq` is the rowid FTS5 refers to (an INTEGER PRIMARY KEY, so VACUUM never renumbers it);
-- `id` is the article's UUID everywhere else. `tags` is a JSON array of strings.
CREATE TABLE kb_articles (
    seq        INTEGER NOT NULL PRIMARY KEY,
    id         TEXT    NOT NULL,
    client_id  TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    tags       TEXT    NOT NULL,
    published  INTEGER NOT NULL CHECK (published IN (0, 1)),
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    version    INTEGER NOT NULL CHECK (version >= 1),
    CONSTRAINT kb_articles_id_key UNIQUE (id)
) STRICT;
CREATE INDEX idx_kb_articles_client ON kb_articles (client_id, published);

CREATE VIRTUAL TABLE kb_articles_fts USING fts5(
    title, tags, body,
    content = 'kb_articles', content_rowid = 'seq',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER kb_articles_fts_insert AFTER INSERT ON kb_articles BEGIN
    INSERT INTO kb_articles_fts (rowid, title, tags, body) VALUES (new.seq, new.title, new.tags, new.body);
END;
CREATE TRIGGER kb_articles_fts_delete AFTER DELETE ON kb_articles BEGIN
    INSERT INTO kb_articles_fts (kb_articles_fts, rowid, title, tags, body)
        VALUES ('delete', old.seq, old.title, old.tags, old.body);
END;
CREATE TRIGGER kb_articles_fts_update AFTER UPDATE ON kb_articles BEGIN
    INSERT INTO kb_articles_fts (kb_articles_fts, rowid, title, tags, body)
        VALUES ('delete', old.seq, old.title, old.tags, old.body);
    INSERT INTO kb_articles_fts (rowid, title, tags, body) VALUES (new.seq, new.title, new.tags, new.body);
END;
