-- The clients' AI settings and the draft usage log (issue 8, docs/ai.md), SQLite flavour (keep
-- equivalent to migrations/postgres).

CREATE TABLE ai_settings (
    client_id          TEXT    NOT NULL,
    enabled            INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    default_tone       TEXT    NOT NULL CHECK (default_tone IN ('professional', 'friendly', 'concise', 'formal')),
    style_instructions TEXT    NOT NULL,
    terminology        TEXT    NOT NULL,
    CONSTRAINT ai_settings_pkey PRIMARY KEY (client_id)
) STRICT;

CREATE TABLE ai_drafts (
    id           TEXT NOT NULL,
    client_id    TEXT NOT NULL,
    ticket_id    TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    agent_id     TEXT NOT NULL,
    agent_name   TEXT NOT NULL,
    tone         TEXT NOT NULL CHECK (tone IN ('professional', 'friendly', 'concise', 'formal')),
    generated_by TEXT NOT NULL CHECK (generated_by IN ('ai', 'builtin')),
    draft        TEXT NOT NULL,
    confidence   REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    created_at   TEXT NOT NULL,
    used_at      TEXT,
    response_id  TEXT,
    edit_ratio   REAL CHECK (edit_ratio >= 0 AND edit_ratio <= 1),
    CONSTRAINT ai_drafts_pkey PRIMARY KEY (id)
) STRICT;

CREATE INDEX idx_ai_drafts_client_created ON ai_drafts (client_id, created_at);
