DROP TABLE clients;
DROP TABLE canned_responses;
DROP INDEX idx_categories_order;
