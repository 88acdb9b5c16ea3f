DROP TABLE attachments;
DROP INDEX idx_responses_client_id;
