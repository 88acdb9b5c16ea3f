//! Driver errors, translated at the boundary into the domain's [`StoreError`].
//!
//! - connection, pool and timeout failures ⇒ `Unavailable` (the caller may retry later);
//! - unique violations ⇒ `Duplicate(rule)`, the rule named after the table
//!   (`idempotency_keys` ⇒ `"idempotency_key"`, which the domain matches on);
//! - everything else ⇒ `Other(message)`, for logs only.

use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind, Error as DieselError};
use memberdesk_domain::StoreError;

/// What can end a write transaction: the database, or a rule the store checks itself.
#[derive(Debug)]
pub(crate) enum TxError {
    Db(DieselError),
    Store(StoreError),
}

impl From<DieselError> for TxError {
    fn from(e: DieselError) -> Self {
        TxError::Db(e)
    }
}

impl From<TxError> for StoreError {
    fn from(e: TxError) -> Self {
        match e {
            TxError::Db(e) => translate(e),
            TxError::Store(e) => e,
        }
    }
}

/// The name of the uniqueness rule a table's unique violation breaks.
fn rule_for_table(table: &str) -> String {
    match table {
        "idempotency_keys" => "idempotency_key",
        "tickets" => "ticket",
        "ticket_counters" => "ticket_number",
        "responses" => "response",
        "ticket_events" => "ticket_event",
        "outbox" => "outbox_message",
        "users" => "user",
        "categories" => "category",
        "attachments" => "attachment",
        "canned_responses" => "canned_response",
        "clients" => "client",
        "kb_articles" => "article",
        other => other,
    }
    .to_owned()
}

const TABLES: [&str; 12] = [
    "idempotency_keys",
    "tickets",
    "ticket_counters",
    "responses",
    "ticket_events",
    "outbox",
    "users",
    "categories",
    "attachments",
    "canned_responses",
    "clients",
    "kb_articles",
];

/// The table a unique violation happened in: PostgreSQL says so; SQLite only in its message
/// (`UNIQUE constraint failed: idempotency_keys.client_id, …`).
fn violated_table(info: &dyn DatabaseErrorInformation) -> Option<String> {
    if let Some(table) = info.table_name() {
        return Some(table.to_owned());
    }
    if let Some(constraint) = info.constraint_name() {
        // Constraints are named `<table>_<what>` in the migrations.
        return TABLES.iter().filter(|t| constraint.starts_with(*t)).max_by_key(|t| t.len()).map(|t| (*t).to_owned());
    }
    let message = info.message();
    let rest = message.split_once("constraint failed: ").map(|(_, rest)| rest)?;
    rest.split('.').next().map(|t| t.trim().to_owned())
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Transient conditions that a retry later may get past.
fn is_transient(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.contains("database is locked")
        || m.contains("database table is locked")
        || m.contains("connection")
        || m.contains("terminating")
        || m.contains("shutting down")
        || m.contains("timeout")
        || m.contains("timed out")
}

pub(crate) fn translate(e: DieselError) -> StoreError {
    match e {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => StoreError::Duplicate(
            violated_table(info.as_ref()).map_or_else(|| "unique".to_owned(), |t| rule_for_table(&t)),
        ),
        DieselError::DatabaseError(
            DatabaseErrorKind::ClosedConnection
            | DatabaseErrorKind::UnableToSendCommand
            | DatabaseErrorKind::SerializationFailure,
            info,
        ) => StoreError::Unavailable(one_line(info.message())),
        DieselError::DatabaseError(_, info) if is_transient(info.message()) => {
            StoreError::Unavailable(one_line(info.message()))
        }
        DieselError::BrokenTransactionManager => {
            StoreError::Unavailable("connection left in a broken transaction".into())
        }
        DieselError::DeserializationError(e) => {
            StoreError::Other(format!("cannot read a stored value: {}", one_line(&e.to_string())))
        }
        other => StoreError::Other(one_line(&other.to_string())),
    }
}

/// A pool that cannot hand out a connection: the database is down, or every connection is busy
/// for longer than the caller may wait.
pub(crate) fn pool_error(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(one_line(&format!("no database connection: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Info(&'static str, Option<&'static str>);

    impl DatabaseErrorInformation for Info {
        fn message(&self) -> &str {
            self.0
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            self.1
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            None
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    fn unique(message: &'static str, table: Option<&'static str>) -> DieselError {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, Box::new(Info(message, table)))
    }

    #[test]
    fn unique_violations_name_their_rule_on_both_backends() {
        let sqlite = unique(
            "UNIQUE constraint failed: idempotency_keys.client_id, idempotency_keys.user_id, idempotency_keys.key",
            None,
        );
        assert_eq!(translate(sqlite), StoreError::Duplicate("idempotency_key".into()));
        let pg = unique(
            "duplicate key value violates unique constraint \"idempotency_keys_pkey\"",
            Some("idempotency_keys"),
        );
        assert_eq!(translate(pg), StoreError::Duplicate("idempotency_key".into()));
    }

    #[test]
    fn a_locked_sqlite_database_is_unavailable_not_a_failure() {
        let locked = DieselError::DatabaseError(DatabaseErrorKind::Unknown, Box::new(Info("database is locked", None)));
        assert!(matches!(translate(locked), StoreError::Unavailable(_)));
    }
}
