-- SLAs (issue 5), SQLite flavour; keep equivalent to migrations/postgres (a store test
-- compares them). See docs/sla.md.

-- Every save of a client's SLA settings is a new row; the latest is in force. Tickets point at
-- the version they were raised under, so old versions are kept.
CREATE TABLE sla_policies (
    id         TEXT NOT NULL PRIMARY KEY,
    client_id  TEXT NOT NULL,
    -- JSON: the policy as the API shows it (targets, counting, calendar, atRiskShare).
    policy     TEXT NOT NULL,
    -- JSON: the escalation actions.
    escalation TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    CONSTRAINT sla_policies_client_id_key UNIQUE (client_id, id)
) STRICT;
CREATE INDEX idx_sla_policies_current ON sla_policies (client_id, created_at, id);

-- Each ticket's SLA: the settings version it is measured under (NULL: no SLA), the pauses and
-- stops of its clocks (JSON), and the snapshot of the last evaluation, kept by every commit and
-- by the escalation worker.
ALTER TABLE tickets ADD COLUMN sla_policy_id TEXT;
ALTER TABLE tickets ADD COLUMN sla_periods TEXT NOT NULL DEFAULT '{"waiting":[],"resolved":[]}';
ALTER TABLE tickets ADD COLUMN sla_first_response_state TEXT
    CHECK (sla_first_response_state IN ('pending', 'at_risk', 'met', 'breached'));
ALTER TABLE tickets ADD COLUMN sla_resolution_state TEXT
    CHECK (sla_resolution_state IN ('pending', 'at_risk', 'met', 'breached'));
-- The earliest due time of a running target; 9999-12-31 when there is none (a sortable,
-- non-null key for keyset pages).
ALTER TABLE tickets ADD COLUMN sla_due_at TEXT NOT NULL DEFAULT '9999-12-31 00:00:00';
-- When the worker must look next; NULL when nothing can change by itself.
ALTER TABLE tickets ADD COLUMN sla_next_check_at TEXT;
-- Bits of the SLA events recorded: 1 first response warned, 2 breached, 4 resolution warned,
-- 8 breached.
ALTER TABLE tickets ADD COLUMN sla_recorded INTEGER NOT NULL DEFAULT 0 CHECK (sla_recorded BETWEEN 0 AND 15);
ALTER TABLE tickets ADD COLUMN sla_first_response_seconds INTEGER;
ALTER TABLE tickets ADD COLUMN sla_resolution_seconds INTEGER;
ALTER TABLE tickets ADD COLUMN escalated INTEGER NOT NULL DEFAULT 0 CHECK (escalated IN (0, 1));

-- The worker's claim: a range scan over the tickets with a check pending, soonest first.
CREATE INDEX idx_tickets_sla_check ON tickets (sla_next_check_at, client_id) WHERE sla_next_check_at IS NOT NULL;
-- The queue's sort by next due time (keyset: key, then id) and its SLA filters.
CREATE INDEX idx_tickets_sla_due ON tickets (client_id, sla_due_at, id);
CREATE INDEX idx_tickets_sla_first_response ON tickets (client_id, sla_first_response_state, created_at);
CREATE INDEX idx_tickets_sla_resolution ON tickets (client_id, sla_resolution_state, created_at);
CREATE INDEX idx_tickets_escalated ON tickets (client_id, escalated, created_at);
