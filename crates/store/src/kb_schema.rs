//! The knowledge base's table (migration `2026-11-30-000001_knowledge_base`). The search index
//! is each backend's own and not declared here: PostgreSQL's generated `search_vector` column,
//! SQLite's `kb_articles_fts` table; `kb_queries.rs` reaches them with raw SQL.

diesel::table! {
    kb_articles (seq) {
        seq -> BigInt,
        id -> Text,
        client_id -> Text,
        title -> Text,
        body -> Text,
        tags -> Text,
        published -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}
