-- The clients' AI settings and the draft usage log (issue 8, docs/ai.md). Keep equivalent to
-- migrations/sqlite.

-- One row per client that saved its settings (the others use the defaults). `terminology` is
-- the JSON list of {"preferred", "avoid"} rules, validated before it is written.
CREATE TABLE ai_settings (
    client_id          text    NOT NULL,
    enabled            boolean NOT NULL,
    default_tone       text    NOT NULL CHECK (default_tone IN ('professional', 'friendly', 'concise', 'formal')),
    style_instructions text    NOT NULL,
    terminology        text    NOT NULL,
    CONSTRAINT ai_settings_pkey PRIMARY KEY (client_id)
);

-- Every generated draft (drafts are never sent). `used_at`, `response_id` and `edit_ratio` are
-- set together when a reply is posted with the draft's id; only the first use counts.
CREATE TABLE ai_drafts (
    id           text             NOT NULL,
    client_id    text             NOT NULL,
    ticket_id    text             NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    agent_id     text             NOT NULL,
    agent_name   text             NOT NULL,
    tone         text             NOT NULL CHECK (tone IN ('professional', 'friendly', 'concise', 'formal')),
    generated_by text             NOT NULL CHECK (generated_by IN ('ai', 'builtin')),
    draft        text             NOT NULL,
    confidence   double precision NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    created_at   timestamp        NOT NULL,
    used_at      timestamp,
    response_id  text,
    edit_ratio   double precision CHECK (edit_ratio >= 0 AND edit_ratio <= 1),
    CONSTRAINT ai_drafts_pkey PRIMARY KEY (id)
);

-- The usage report reads a client's drafts of a period.
CREATE INDEX idx_ai_drafts_client_created ON ai_drafts (client_id, created_at);
