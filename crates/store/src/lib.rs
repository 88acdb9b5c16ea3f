//! memberdesk's store: the domain's [`TicketStore`] and [`UserDirectory`] ports on PostgreSQL
//! or on an SQLite file, with one codebase for both (see `queries.rs` and
//! `docs/decisions/0001-store-one-codebase-two-backends.md`).
//!
//! ```no_run
//! # async fn run() -> Result<(), memberdesk_store::StoreSetupError> {
//! let store = memberdesk_store::Store::connect("sqlite://data/memberdesk.db").await?;
//! store.migrate().await?;
//! # Ok(()) }
//! ```
//!
//! Every write is one transaction: the ticket row, its responses (with their attachments'
//! metadata), events, outbox rows and idempotency record commit together or not at all. Times are
//! stored in UTC at microsecond precision (finer parts are truncated on the way in). Driver errors
//! are translated here: connection, pool and timeout failures become `StoreError::Unavailable`,
//! unique violations `StoreError::Duplicate(rule)` (`"idempotency_key"` for a reused key), the rest
//! `StoreError::Other`.

mod ai_drafts_queries;
mod ai_drafts_schema;
mod ai_queries;
mod ai_schema;
mod assignment_queries;
mod assignment_schema;
mod attachment_queries;
mod catalog_queries;
mod catalog_rows;
mod count_rows;
mod error;
mod kb_queries;
mod kb_rows;
mod kb_schema;
mod notify_rows;
mod notify_schema;
mod outbox_queries;
mod pg;
mod queries;
mod refresh_queries;
mod refresh_schema;
mod rows;
mod schema;
mod sla_queries;
mod sla_rows;
mod sqlite;
mod url;

use async_trait::async_trait;
use memberdesk_domain::ports::{Commit, IdempotencyRecord, TicketStore, UserDirectory};
use memberdesk_domain::query::{Cursor, Page, QueueStats, Sort, TicketFilter};
use memberdesk_domain::{
    Attachment, AttachmentId, CategoryId, ClientId, DirectoryUser, Response, ResponseId, StoreError, Ticket,
    TicketEvent, TicketId, UserId,
};
use std::fmt;
use std::future::Future;
use std::time::Duration;

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Postgres => "PostgreSQL",
            Backend::Sqlite => "SQLite",
        })
    }
}

/// Why a store could not be set up. Messages are one line and never contain a password.
#[derive(Debug, thiserror::Error)]
pub enum StoreSetupError {
    #[error("unsupported database URL ({what}); use {accepted}", accepted = url::ACCEPTED)]
    UnsupportedUrl { what: String },
    #[error("cannot open the SQLite database {path} for writing: {reason}")]
    SqliteUnwritable { path: String, reason: String },
    #[error("cannot connect to PostgreSQL at {address}: {reason}")]
    PostgresUnreachable { address: String, reason: String },
    #[error("migrating the {backend} database failed: {reason}")]
    Migration { backend: Backend, reason: String },
    #[error("cannot build the database connection pool: {0}")]
    Pool(String),
}

/// The longest a single store operation may take before it is reported as unavailable.
const OPERATION_TIMEOUT: Duration = Duration::from_secs(30);

/// The store: a pool of connections to PostgreSQL or to an SQLite file. Cheap to clone (the
/// clones share the pool).
#[derive(Clone)]
pub struct Store {
    inner: Inner,
}

#[derive(Clone)]
enum Inner {
    Postgres(pg::PgPool),
    Sqlite(sqlite::SqliteStore),
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("backend", &self.backend()).finish_non_exhaustive()
    }
}

impl Store {
    /// `postgres://…` / `postgresql://…` selects PostgreSQL; `sqlite://PATH`, `sqlite:PATH` or
    /// a plain file path ending in `.db` selects SQLite (the file, and its directory, are
    /// created if missing). Checks that the database answers; does not migrate.
    pub async fn connect(url: &str) -> Result<Store, StoreSetupError> {
        let inner = match url::parse(url)? {
            url::Target::Postgres { url, address } => Inner::Postgres(pg::connect(&url, &address).await?),
            url::Target::Sqlite { path } => Inner::Sqlite(sqlite::connect(&path).await?),
        };
        Ok(Store { inner })
    }

    /// Runs the backend's embedded migrations that have not run yet.
    pub async fn migrate(&self) -> Result<(), StoreSetupError> {
        match &self.inner {
            Inner::Postgres(pool) => pg::migrate(pool).await,
            Inner::Sqlite(store) => sqlite::migrate(store).await,
        }
    }

    pub fn backend(&self) -> Backend {
        match &self.inner {
            Inner::Postgres(_) => Backend::Postgres,
            Inner::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// Bounds an operation's time; a database that does not answer is unavailable.
async fn bounded<T>(operation: impl Future<Output = Result<T, StoreError>>) -> Result<T, StoreError> {
    tokio::time::timeout(OPERATION_TIMEOUT, operation)
        .await
        .unwrap_or_else(|_| Err(StoreError::Unavailable(format!("no answer within {}s", OPERATION_TIMEOUT.as_secs()))))
}

/// Runs a write on its own task, so that a caller who goes away (a dropped HTTP request) or
/// stops waiting cannot cancel a transaction half-way and leave its connection (and, on SQLite,
/// the write lock) mid-transaction. Past [`OPERATION_TIMEOUT`] the caller is told the store is
/// unavailable while the task still finishes (committing or rolling back); an idempotency key
/// makes the retry safe.
async fn detached<T: Send + 'static>(
    write: impl Future<Output = Result<T, StoreError>> + Send + 'static,
) -> Result<T, StoreError> {
    match tokio::time::timeout(OPERATION_TIMEOUT, tokio::spawn(write)).await {
        Ok(Ok(result)) => result,
        Ok(Err(e)) => Err(StoreError::Other(format!("write task failed: {e}"))),
        Err(_) => Err(StoreError::Unavailable(format!(
            "no answer within {}s (the write may still complete)",
            OPERATION_TIMEOUT.as_secs()
        ))),
    }
}

/// Reads: a pooled connection of either backend, then the same query function expanded for it.
macro_rules! read {
    ($store:expr, $($function:ident)::+($($arg:expr),* $(,)?)) => {
        bounded(async {
            match &$store.inner {
                Inner::Postgres(pool) => {
                    let mut conn = pg::conn(pool).await?;
                    pg::$($function)::+(&mut *conn, $($arg),*).await
                }
                Inner::Sqlite(store) => {
                    let mut conn = sqlite::conn(&store.pool).await?;
                    sqlite::$($function)::+(&mut *conn, $($arg),*).await
                }
            }
        })
        .await
    };
}

/// Writes: as reads, on a detached task; on SQLite after taking this process's turn to write.
macro_rules! write {
    ($store:expr, $($function:ident)::+($($arg:expr),* $(,)?)) => {{
        let inner = $store.inner.clone();
        detached(async move {
            match &inner {
                Inner::Postgres(pool) => {
                    let mut conn = pg::conn(pool).await?;
                    pg::$($function)::+(&mut *conn, $($arg),*).await
                }
                Inner::Sqlite(store) => {
                    let _turn = sqlite::write_turn(store).await?;
                    let mut conn = sqlite::conn(&store.pool).await?;
                    sqlite::$($function)::+(&mut *conn, $($arg),*).await
                }
            }
        })
        .await
    }};
}

// After the macros above, which it uses (`catalog::…` names the functions that
// `catalog_queries!` expands into `pg::catalog` and `sqlite::catalog`).
mod catalog;
// Likewise (`sla::…` names what `sla_queries!` expands into `pg::sla` and `sqlite::sla`).
mod sla;
// Likewise (`assignment::…`: `assignment_queries!` in `pg::assignment`, `sqlite::assignment`).
mod assignment;
// Likewise (`ai::…`: `ai_queries!` in `pg::ai`, `sqlite::ai`).
mod ai;
// Likewise (`kb::…`: `kb_queries!` in `pg::kb`, `sqlite::kb`).
mod kb;
// Likewise (`refresh::…`: `refresh_queries!` in `pg::refresh`, `sqlite::refresh`).
mod refresh;
// Likewise (`ai_drafts::…`: `ai_drafts_queries!` in `pg::ai_drafts`, `sqlite::ai_drafts`).
mod ai_drafts;

#[async_trait]
impl TicketStore for Store {
    async fn insert_ticket(&self, ticket: Ticket, commit: Commit) -> Result<Ticket, StoreError> {
        write!(self, insert_ticket(ticket, commit))
    }

    async fn update_ticket(&self, ticket: &Ticket, expected_version: i64, commit: Commit) -> Result<(), StoreError> {
        let ticket = ticket.clone();
        write!(self, update_ticket(ticket, expected_version, commit))
    }

    async fn get_ticket(&self, client: &ClientId, id: TicketId) -> Result<Option<Ticket>, StoreError> {
        read!(self, get_ticket(client, id))
    }

    async fn list_responses(
        &self,
        client: &ClientId,
        ticket: TicketId,
        include_notes: bool,
    ) -> Result<Vec<Response>, StoreError> {
        read!(self, list_responses(client, ticket, include_notes))
    }

    async fn get_response(&self, client: &ClientId, id: ResponseId) -> Result<Option<Response>, StoreError> {
        read!(self, get_response(client, id))
    }

    async fn get_attachment(&self, client: &ClientId, id: AttachmentId) -> Result<Option<Attachment>, StoreError> {
        read!(self, get_attachment(client, id))
    }

    async fn list_events(
        &self,
        client: &ClientId,
        ticket: TicketId,
        include_internal: bool,
    ) -> Result<Vec<TicketEvent>, StoreError> {
        read!(self, list_events(client, ticket, include_internal))
    }

    async fn list_tickets(
        &self,
        client: &ClientId,
        filter: &TicketFilter,
        sort: Sort,
        after: Option<&Cursor>,
        limit: u32,
    ) -> Result<Page<Ticket>, StoreError> {
        read!(self, list_tickets(client, filter, sort, after, limit))
    }

    async fn queue_stats(&self, client: &ClientId, filter: &TicketFilter) -> Result<QueueStats, StoreError> {
        read!(self, queue_stats(client, filter))
    }

    async fn category_usable(&self, client: &ClientId, id: CategoryId) -> Result<bool, StoreError> {
        read!(self, category_usable(client, id))
    }

    async fn find_idempotency(
        &self,
        client: &ClientId,
        user: &UserId,
        key: &str,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        read!(self, find_idempotency(client, user, key))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        read!(self, ping())
    }
}

#[async_trait]
impl UserDirectory for Store {
    async fn upsert_user(&self, user: &DirectoryUser) -> Result<(), StoreError> {
        let user = user.clone();
        write!(self, upsert_user(user))
    }

    async fn get_user(&self, client: &ClientId, id: &UserId) -> Result<Option<DirectoryUser>, StoreError> {
        read!(self, get_user(client, id))
    }

    async fn list_staff(&self, client: &ClientId) -> Result<Vec<DirectoryUser>, StoreError> {
        read!(self, list_staff(client))
    }
}

// After the `read!`/`write!` macros, which it uses (`notify::…` names what `outbox_queries!`
// expands into `pg::notify` and `sqlite::notify`).
mod notify;
