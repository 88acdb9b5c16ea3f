DROP TABLE kb_articles;
