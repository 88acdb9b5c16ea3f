DROP TABLE summary_refreshes;
