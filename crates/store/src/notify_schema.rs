//! The tables of notifications (migration `2026-11-27-000001_notifications`): which consumers
//! finished with an outbox row, the clients' CRM settings, the CRM note of each ticket. The
//! `outbox` table itself is in `schema.rs`.

diesel::table! {
    outbox_deliveries (outbox_id, consumer) {
        outbox_id -> Text,
        consumer -> Text,
        completed_at -> Timestamp,
    }
}

diesel::table! {
    crm_settings (client_id) {
        client_id -> Text,
        provider -> Text,
        endpoint -> Text,
        secret -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    crm_notes (client_id, ticket_id) {
        client_id -> Text,
        ticket_id -> Text,
        note_id -> Text,
        updated_at -> Timestamp,
    }
}
