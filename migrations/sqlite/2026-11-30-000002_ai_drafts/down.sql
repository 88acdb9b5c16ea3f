DROP TABLE ai_drafts;
DROP TABLE ai_settings;
