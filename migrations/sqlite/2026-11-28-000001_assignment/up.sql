-- Assignment (issue 6), SQLite flavour (keep equivalent to migrations/postgres). See
-- docs/assignment.md: agent settings, the rules, round-robin cursors, the backlog, and the
-- per-client generation that serialises automatic assignment decisions.

CREATE TABLE agent_settings (
    client_id        TEXT    NOT NULL,
    user_id          TEXT    NOT NULL,
    available        INTEGER NOT NULL CHECK (available IN (0, 1)),
    capacity         INTEGER,
    categories       TEXT    NOT NULL,
    last_assigned_at TEXT,
    updated_at       TEXT    NOT NULL,
    CONSTRAINT agent_settings_pkey PRIMARY KEY (client_id, user_id)
) STRICT;

CREATE TABLE assignment_rules (
    client_id  TEXT NOT NULL PRIMARY KEY,
    rules      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE assignment_state (
    client_id  TEXT    NOT NULL PRIMARY KEY,
    generation INTEGER NOT NULL
) STRICT;

CREATE TABLE assignment_cursors (
    client_id  TEXT    NOT NULL,
    "key"      TEXT    NOT NULL,
    turns      INTEGER NOT NULL,
    last_agent TEXT,
    CONSTRAINT assignment_cursors_pkey PRIMARY KEY (client_id, "key")
) STRICT;

CREATE TABLE assignment_backlog (
    client_id     TEXT NOT NULL,
    ticket_id     TEXT NOT NULL,
    rule_name     TEXT NOT NULL,
    waiting_since TEXT NOT NULL,
    CONSTRAINT assignment_backlog_pkey PRIMARY KEY (client_id, ticket_id)
) STRICT;

CREATE INDEX idx_tickets_assignee_status ON tickets (client_id, assignee_id, status);
