DROP INDEX idx_tickets_assignee_status;
DROP TABLE assignment_backlog;
DROP TABLE assignment_cursors;
DROP TABLE assignment_state;
DROP TABLE assignment_rules;
DROP TABLE agent_settings;
