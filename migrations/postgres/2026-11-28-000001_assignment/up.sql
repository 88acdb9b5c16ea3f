-- Assignment (issue 6), PostgreSQL flavour (keep equivalent to migrations/sqlite). See
-- docs/assignment.md: agent settings, the rules, round-robin cursors, the backlog, and the
-- per-client generation that serialises automatic assignment decisions.

-- One row per staff user whose settings were ever set (no row: available, no capacity, every
-- category). `categories` is a JSON array of category ids.
CREATE TABLE agent_settings (
    client_id        text      NOT NULL,
    user_id          text      NOT NULL,
    available        boolean   NOT NULL,
    capacity         integer,
    categories       text      NOT NULL,
    last_assigned_at timestamp,
    updated_at       timestamp NOT NULL,
    CONSTRAINT agent_settings_pkey PRIMARY KEY (client_id, user_id)
);

-- The client's ordered rules, as the JSON form `AssignmentRulesInput`.
CREATE TABLE assignment_rules (
    client_id  text      NOT NULL PRIMARY KEY,
    rules      text      NOT NULL,
    updated_at timestamp NOT NULL
);

-- Compare-and-set by every automatic assignment commit: `generation` grows by one each time,
-- so two instances deciding on the same snapshot cannot both commit.
CREATE TABLE assignment_state (
    client_id  text   NOT NULL PRIMARY KEY,
    generation bigint NOT NULL
);

-- A round-robin pool's cursor, keyed by the rule's cursor key; compare-and-set on `turns`.
CREATE TABLE assignment_cursors (
    client_id  text   NOT NULL,
    "key"      text   NOT NULL,
    turns      bigint NOT NULL,
    last_agent text,
    CONSTRAINT assignment_cursors_pkey PRIMARY KEY (client_id, "key")
);

-- Tickets waiting for an agent of the rule that matched them.
CREATE TABLE assignment_backlog (
    client_id     text      NOT NULL,
    ticket_id     text      NOT NULL,
    rule_name     text      NOT NULL,
    waiting_since timestamp NOT NULL,
    CONSTRAINT assignment_backlog_pkey PRIMARY KEY (client_id, ticket_id)
);

-- Load counts: active tickets per assignee.
CREATE INDEX idx_tickets_assignee_status ON tickets (client_id, assignee_id, status);
