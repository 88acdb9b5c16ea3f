//! The tables of the clients' AI settings and the draft usage log (migration
//! `2026-11-30-000002_ai_drafts`, `docs/ai.md`).

diesel::table! {
    ai_settings (client_id) {
        client_id -> Text,
        enabled -> Bool,
        default_tone -> Text,
        style_instructions -> Text,
        terminology -> Text,
    }
}

diesel::table! {
    ai_drafts (id) {
        id -> Text,
        client_id -> Text,
        ticket_id -> Text,
        agent_id -> Text,
        agent_name -> Text,
        tone -> Text,
        generated_by -> Text,
        draft -> Text,
        confidence -> Double,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        response_id -> Nullable<Text>,
        edit_ratio -> Nullable<Double>,
    }
}
