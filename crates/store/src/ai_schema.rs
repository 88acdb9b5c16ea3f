//! The table of stored summaries (migration `2026-11-29-000001_ai_summaries`, `docs/ai.md`).

diesel::table! {
    ticket_summaries (client_id, ticket_id, kind, version) {
        client_id -> Text,
        ticket_id -> Text,
        kind -> Text,
        version -> BigInt,
        body -> Text,
        generated_at -> Timestamp,
        ticket_version -> BigInt,
    }
}
