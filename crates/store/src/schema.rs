//! The one Diesel schema both backends share. Only SQL types that mean the same on PostgreSQL
//! and SQLite appear here: ids and JSON as `Text`, times as `Timestamp` (UTC, microseconds),
//! `BigInt`, `Integer`, `SmallInt`, `Bool`. The migrations under `migrations/postgres` and
//! `migrations/sqlite` create matching tables; `tests/contract.rs` checks that they agree.

diesel::table! {
    categories (id) {
        id -> Text,
        client_id -> Text,
        name -> Text,
        name_key -> Text,
        description -> Nullable<Text>,
        sort_order -> Integer,
        archived -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    ticket_counters (client_id) {
        client_id -> Text,
        last_number -> BigInt,
    }
}

diesel::table! {
    tickets (id) {
        id -> Text,
        client_id -> Text,
        number -> BigInt,
        subject -> Text,
        description -> Text,
        status -> Text,
        priority_rank -> SmallInt,
        category_id -> Nullable<Text>,
        member_id -> Text,
        member_name -> Text,
        member_email -> Text,
        assignee_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        first_responded_at -> Nullable<Timestamp>,
        resolved_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        version -> BigInt,
        search_text -> Text,
        sla_policy_id -> Nullable<Text>,
        sla_periods -> Text,
        sla_first_response_state -> Nullable<Text>,
        sla_resolution_state -> Nullable<Text>,
        sla_due_at -> Timestamp,
        sla_next_check_at -> Nullable<Timestamp>,
        sla_recorded -> SmallInt,
        sla_first_response_seconds -> Nullable<BigInt>,
        sla_resolution_seconds -> Nullable<BigInt>,
        escalated -> Bool,
    }
}

diesel::table! {
    sla_policies (id) {
        id -> Text,
        client_id -> Text,
        policy -> Text,
        escalation -> Text,
        created_at -> Timestamp,
        created_by -> Text,
    }
}

diesel::table! {
    responses (id) {
        id -> Text,
        client_id -> Text,
        ticket_id -> Text,
        kind -> Text,
        author_id -> Text,
        author_name -> Text,
        author_role -> Text,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ticket_events (id) {
        id -> Text,
        client_id -> Text,
        ticket_id -> Text,
        actor_id -> Text,
        actor_name -> Text,
        kind -> Text,
        internal -> Bool,
        payload -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        client_id -> Text,
        ticket_id -> Nullable<Text>,
        topic -> Text,
        payload -> Text,
        created_at -> Timestamp,
        status -> Text,
        attempts -> Integer,
        available_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    idempotency_keys (client_id, user_id, key) {
        client_id -> Text,
        user_id -> Text,
        key -> Text,
        fingerprint -> Text,
        ticket_id -> Text,
        response_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (client_id, id) {
        client_id -> Text,
        id -> Text,
        name -> Text,
        email -> Text,
        roles -> Text,
        is_staff -> Bool,
        last_seen_at -> Timestamp,
    }
}

diesel::table! {
    canned_responses (id) {
        id -> Text,
        client_id -> Text,
        owner_id -> Nullable<Text>,
        title -> Text,
        title_key -> Text,
        body -> Text,
        search_text -> Text,
        category_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    clients (id) {
        id -> Text,
        name -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    attachments (id) {
        id -> Text,
        client_id -> Text,
        ticket_id -> Text,
        response_id -> Text,
        filename -> Text,
        content_type -> Text,
        size -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    attachments,
    categories,
    ticket_counters,
    tickets,
    responses,
    ticket_events,
    outbox,
    idempotency_keys,
    users,
    sla_policies,
);
