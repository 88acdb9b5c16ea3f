//! The tables of assignment (migration `2026-11-28-000001_assignment`, `docs/assignment.md`).

diesel::table! {
    agent_settings (client_id, user_id) {
        client_id -> Text,
        user_id -> Text,
        available -> Bool,
        capacity -> Nullable<Integer>,
        categories -> Text,
        last_assigned_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    assignment_rules (client_id) {
        client_id -> Text,
        rules -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    assignment_state (client_id) {
        client_id -> Text,
        generation -> BigInt,
    }
}

diesel::table! {
    assignment_cursors (client_id, key) {
        client_id -> Text,
        key -> Text,
        turns -> BigInt,
        last_agent -> Nullable<Text>,
    }
}

diesel::table! {
    assignment_backlog (client_id, ticket_id) {
        client_id -> Text,
        ticket_id -> Text,
        rule_name -> Text,
        waiting_since -> Timestamp,
    }
}

use crate::schema::tickets;

diesel::allow_tables_to_appear_in_same_query!(assignment_backlog, tickets);
