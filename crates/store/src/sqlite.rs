//! SQLite: one database file, `SqliteConnection`s wrapped for async use in a deadpool pool,
//! migrations, and the one query that is SQLite's own (duration statistics).
//!
//! Every pooled connection runs with WAL journaling, `busy_timeout`, `foreign_keys = ON` and
//! `synchronous = NORMAL`. Writes are serialised twice over: inside this process by an async
//! mutex (writers queue in FIFO order instead of spinning in SQLite's busy handler), and in the
//! database by `BEGIN IMMEDIATE` (the write lock is taken up front, so a transaction never has
//! to upgrade a read lock and fail with "database is locked"; another process waits up to the
//! busy timeout).

use crate::StoreSetupError;
use crate::error::pool_error;
use crate::queries::Pred;
use crate::schema::tickets;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sqlite::Sqlite;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod};
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::{AsyncConnection, RunQueryDsl, SimpleAsyncConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use memberdesk_domain::StoreError;
use memberdesk_domain::query::DurationStats;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub(crate) const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");

pub(crate) type SqliteConn = SyncConnectionWrapper<SqliteConnection>;

const POOL_SIZE: usize = 8;
const BUSY_TIMEOUT_MS: u64 = 5_000;
/// How long a request waits for a connection (or its turn to write) before the store reports
/// itself unavailable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// Set on every connection, before anything else runs on it.
fn pragmas() -> String {
    format!(
        "PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}; PRAGMA journal_mode = WAL; \
         PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
    )
}

#[derive(Clone)]
pub(crate) struct SqliteStore {
    pub(crate) pool: Pool<SqliteConn>,
    pub(crate) path: PathBuf,
    /// Held for the whole of every write transaction of this process.
    pub(crate) write_lock: Arc<tokio::sync::Mutex<()>>,
}

pub(crate) async fn connect(path: &Path) -> Result<SqliteStore, StoreSetupError> {
    let shown = path.display().to_string();
    let unwritable = |reason: String| StoreSetupError::SqliteUnwritable {
        path: shown.clone(),
        reason: reason.split_whitespace().collect::<Vec<_>>().join(" "),
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| unwritable(format!("cannot create {}: {e}", parent.display())))?;
    }
    let path_str = path.to_str().ok_or_else(|| unwritable("the path is not valid UTF-8".to_owned()))?.to_owned();

    let mut config = ManagerConfig::<SqliteConn>::default();
    config.recycling_method = RecyclingMethod::Fast;
    config.custom_setup = Box::new(|url| {
        let url = url.to_owned();
        Box::pin(async move {
            let mut conn = SqliteConn::establish(&url).await?;
            conn.batch_execute(&pragmas()).await.map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(conn)
        })
    });
    let manager = AsyncDieselConnectionManager::<SqliteConn>::new_with_config(path_str, config);
    let pool = Pool::builder(manager).max_size(POOL_SIZE).build().map_err(|e| StoreSetupError::Pool(e.to_string()))?;

    // Open (and so create) the file now, and prove that it can be written.
    let mut conn = match tokio::time::timeout(ACQUIRE_TIMEOUT, pool.get()).await {
        Ok(Ok(conn)) => conn,
        Ok(Err(e)) => return Err(unwritable(e.to_string())),
        Err(_) => return Err(unwritable("timed out opening the file".to_owned())),
    };
    conn.batch_execute("BEGIN IMMEDIATE; ROLLBACK;").await.map_err(|e| unwritable(e.to_string()))?;
    drop(conn);
    Ok(SqliteStore { pool, path: path.to_owned(), write_lock: Arc::new(tokio::sync::Mutex::new(())) })
}

pub(crate) async fn conn(pool: &Pool<SqliteConn>) -> Result<Object<SqliteConn>, StoreError> {
    match tokio::time::timeout(ACQUIRE_TIMEOUT, pool.get()).await {
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(e)) => Err(pool_error(e)),
        Err(_) => Err(pool_error(format!("timed out after {}s", ACQUIRE_TIMEOUT.as_secs()))),
    }
}

/// This process's turn to write.
pub(crate) async fn write_turn(store: &SqliteStore) -> Result<tokio::sync::OwnedMutexGuard<()>, StoreError> {
    tokio::time::timeout(ACQUIRE_TIMEOUT, store.write_lock.clone().lock_owned())
        .await
        .map_err(|_| pool_error(format!("waited more than {}s for a turn to write", ACQUIRE_TIMEOUT.as_secs())))
}

/// Runs the pending migrations on a dedicated connection, on a blocking thread.
pub(crate) async fn migrate(store: &SqliteStore) -> Result<(), StoreSetupError> {
    let failed = |reason: String| StoreSetupError::Migration {
        backend: crate::Backend::Sqlite,
        reason: reason.split_whitespace().collect::<Vec<_>>().join(" "),
    };
    let path = store.path.to_str().map(str::to_owned).ok_or_else(|| failed("the path is not valid UTF-8".into()))?;
    let _turn = write_turn(store).await.map_err(|e| failed(e.to_string()))?;
    let applied = tokio::task::spawn_blocking(move || {
        let mut conn = SqliteConnection::establish(&path).map_err(|e| e.to_string())?;
        conn.batch_execute(&pragmas()).map_err(|e| e.to_string())?;
        conn.run_pending_migrations(MIGRATIONS).map(|applied| applied.len()).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| failed(e.to_string()))?
    .map_err(failed)?;
    tracing::info!(backend = "SQLite", applied, "database migrations run");
    Ok(())
}

fn seconds_between(from: chrono::NaiveDateTime, to: chrono::NaiveDateTime) -> f64 {
    let micros = (to - from).num_microseconds().unwrap_or(i64::MAX);
    micros as f64 / 1_000_000.0
}

/// First-response and resolution times, in seconds, over the tickets the predicate selects.
/// SQLite has no median aggregate (and its date functions keep milliseconds only), so this
/// loads the three timestamps of the tickets that have either time and computes in Rust.
pub(crate) async fn duration_stats(
    conn: &mut SqliteConn,
    predicate: Pred<Sqlite>,
) -> QueryResult<(DurationStats, DurationStats)> {
    use crate::schema::tickets::dsl as t;
    let rows = tickets::table
        .filter(predicate)
        .filter(t::first_responded_at.is_not_null().or(t::resolved_at.is_not_null()))
        .select((t::created_at, t::first_responded_at, t::resolved_at))
        .load::<(chrono::NaiveDateTime, Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>)>(conn)
        .await?;
    let first_response = rows.iter().filter_map(|(c, f, _)| f.map(|f| seconds_between(*c, f))).collect();
    let resolution = rows.iter().filter_map(|(c, _, r)| r.map(|r| seconds_between(*c, r))).collect();
    Ok((DurationStats::from_seconds(first_response), DurationStats::from_seconds(resolution)))
}

crate::queries::backend_queries!(
    conn = SqliteConn,
    backend = Sqlite,
    write_transaction = immediate_transaction,
    durations = duration_stats,
);

crate::catalog_queries::catalog_queries!(conn = crate::sqlite::SqliteConn, write_transaction = immediate_transaction);

crate::attachment_queries::attachment_queries!(conn = SqliteConn);

crate::assignment_queries::assignment_queries!(
    conn = crate::sqlite::SqliteConn,
    write_transaction = immediate_transaction
);

crate::ai_queries::ai_queries!(conn = crate::sqlite::SqliteConn, write_transaction = immediate_transaction);

crate::kb_queries::kb_queries!(conn = crate::sqlite::SqliteConn, candidates = crate::kb_queries::sqlite_candidates);
crate::refresh_queries::refresh_queries!(
    conn = crate::sqlite::SqliteConn,
    write_transaction = immediate_transaction,
    due = crate::refresh_queries::sqlite_due_refreshes,
);
crate::ai_drafts_queries::ai_drafts_queries!(conn = crate::sqlite::SqliteConn);

crate::sla_queries::sla_queries!(
    conn = crate::sqlite::SqliteConn,
    write_transaction = immediate_transaction,
    due_checks = crate::sla_queries::sqlite_due_checks,
    times = crate::sla_queries::sqlite_sla_times,
);

crate::outbox_queries::outbox_queries!(
    conn = crate::sqlite::SqliteConn,
    write_transaction = immediate_transaction,
    claimable = crate::outbox_queries::sqlite_claimable,
);
