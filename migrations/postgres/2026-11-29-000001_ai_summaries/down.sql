DROP TABLE ticket_summaries;
