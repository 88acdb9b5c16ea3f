//! The "refresh due at" records of automatic summary regeneration (migration
//! `2026-11-30-000003_summary_refresh`, `docs/ai.md`).

diesel::table! {
    summary_refreshes (client_id, ticket_id) {
        client_id -> Text,
        ticket_id -> Text,
        due_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        requests -> BigInt,
        attempts -> Integer,
        last_error -> Nullable<Text>,
    }
}
