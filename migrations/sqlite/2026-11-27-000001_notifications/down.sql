DROP TABLE crm_notes;
DROP TABLE crm_settings;
DROP INDEX idx_outbox_client_id;
DROP INDEX idx_outbox_client_status_id;
DROP TABLE outbox_deliveries;
