//! Test helpers for memberdesk: a fresh, migrated database per test on either store backend.
//!
//! ```no_run
//! # async fn example() {
//! use memberdesk_testkit::{Backend, fresh_store};
//! let (store, db) = fresh_store(Backend::Postgres).await;
//! // … use `store` (a `memberdesk_store::Store`) or `db.url()` …
//! drop(store);
//! drop(db); // the database is dropped (PostgreSQL) or its file removed (SQLite)
//! # }
//! ```
//!
//! - PostgreSQL: each test gets `CREATE DATABASE memberdesk_test_<uuid> TEMPLATE
//!   memberdesk_template_<hash of migrations/postgres>`; the template is built once (under an
//!   advisory lock, so concurrent test processes agree) and reused until the migrations change.
//!   The server comes from `MEMBERDESK_TEST_PG_URL` (default
//!   `postgres://postgres@127.0.0.1:5432/postgres`; any database of the server will do, it is
//!   only used to create and drop others). Dropping the [`TestDatabase`] runs
//!   `DROP DATABASE … WITH (FORCE)`.
//! - SQLite: each test gets a migrated file in a fresh temporary directory, removed on drop.
//! - Databases and directories left behind by a killed test process (no `Drop`) are swept once
//!   they are an hour old, the next time a test process starts.
//!
//! The helpers panic with a clear message when the database cannot be set up: they are for
//! tests only.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::Utc;
use diesel::QueryableByName;
use diesel::sqlite::SqliteConnection;
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use memberdesk_domain::{CategoryId, ClientId};
pub use memberdesk_store::{Backend, Store};
use std::path::{Path, PathBuf};
use tokio::sync::OnceCell;

/// Where the PostgreSQL server for tests is; any database of it.
pub const PG_URL_ENV: &str = "MEMBERDESK_TEST_PG_URL";
const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
/// Serialises template builds across test processes.
const TEMPLATE_LOCK: i64 = 0x6d64_7465_6d70_6c74; // "mdtemplt"

/// A database that exists for one test. Dropping it removes the database.
#[derive(Debug)]
pub struct TestDatabase {
    url: String,
    backend: Backend,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Postgres { admin_url: String, name: String },
    Sqlite { dir: PathBuf },
}

/// A fresh PostgreSQL database, cloned from the migrated template.
pub async fn fresh_postgres() -> TestDatabase {
    let admin_url = std::env::var(PG_URL_ENV).unwrap_or_else(|_| DEFAULT_PG_URL.to_owned());
    let template = template(&admin_url).await;
    let name = format!("memberdesk_test_{}", uuid::Uuid::now_v7().simple());
    let mut admin = admin_connection(&admin_url).await;
    admin
        .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .await
        .unwrap_or_else(|e| panic!("cannot create test database {name} from {template}: {e}"));
    TestDatabase {
        url: with_database(&admin_url, &name),
        backend: Backend::Postgres,
        cleanup: Cleanup::Postgres { admin_url, name },
    }
}

/// A fresh, migrated SQLite database file in its own temporary directory.
pub async fn fresh_sqlite() -> TestDatabase {
    sweep_sqlite_leftovers();
    let dir = std::env::temp_dir().join(format!("memberdesk-test-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    let url = format!("sqlite://{}", dir.join("memberdesk.db").display());
    let store = Store::connect(&url).await.unwrap_or_else(|e| panic!("{e}"));
    store.migrate().await.unwrap_or_else(|e| panic!("{e}"));
    TestDatabase { url, backend: Backend::Sqlite, cleanup: Cleanup::Sqlite { dir } }
}

/// A fresh, migrated database of the given backend.
pub async fn fresh_database(backend: Backend) -> TestDatabase {
    match backend {
        Backend::Postgres => fresh_postgres().await,
        Backend::Sqlite => fresh_sqlite().await,
    }
}

/// A store connected to a fresh, migrated database of the given backend. Keep the
/// `TestDatabase` alive as long as the store is used.
pub async fn fresh_store(backend: Backend) -> (Store, TestDatabase) {
    let db = fresh_database(backend).await;
    let store = Store::connect(db.url()).await.unwrap_or_else(|e| panic!("{e}"));
    (store, db)
}

impl TestDatabase {
    /// The URL to give `Store::connect` (or the server's configuration).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs SQL statements (separated by `;`) on the database, e.g. to arrange data the API
    /// cannot create yet. Panics if they fail.
    pub async fn execute(&self, sql: &str) {
        let result = match self.connect().await {
            Conn::Pg(mut conn) => conn.batch_execute(sql).await,
            Conn::Sqlite(mut conn) => conn.batch_execute(sql).await,
        };
        result.unwrap_or_else(|e| panic!("SQL failed on {}: {e}\n{sql}", self.backend));
    }

    /// `SELECT count(*) FROM {table} WHERE {condition}` (`condition` may be `true`).
    pub async fn count_rows(&self, table: &str, condition: &str) -> i64 {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let sql = format!("SELECT count(*) AS n FROM {table} WHERE {condition}");
        let query = diesel::sql_query(&sql);
        let result = match self.connect().await {
            Conn::Pg(mut conn) => query.get_result::<Count>(&mut *conn).await,
            Conn::Sqlite(mut conn) => query.get_result::<Count>(&mut conn).await,
        };
        result.unwrap_or_else(|e| panic!("{sql} failed on {}: {e}", self.backend)).n
    }

    /// Adds a category to the client (the category API comes later) and returns its id.
    pub async fn insert_category(&self, client: &ClientId, name: &str, archived: bool) -> CategoryId {
        let id = CategoryId::new();
        let now = Utc::now().format("%F %T%.6f");
        let name_key = name.trim().to_lowercase();
        self.execute(&format!(
            "INSERT INTO categories (id, client_id, name, name_key, description, sort_order, archived, created_at, updated_at) \
             VALUES ({}, {}, {}, {}, NULL, 0, {archived}, '{now}', '{now}')",
            quote(&id.to_string()),
            quote(client.as_str()),
            quote(name),
            quote(&name_key),
        ))
        .await;
        id
    }

    async fn connect(&self) -> Conn {
        match &self.cleanup {
            Cleanup::Postgres { .. } => Conn::Pg(Box::new(
                AsyncPgConnection::establish(&self.url)
                    .await
                    .unwrap_or_else(|e| panic!("cannot connect to the test database: {e}")),
            )),
            Cleanup::Sqlite { dir } => {
                let path = dir.join("memberdesk.db");
                let mut conn = SyncConnectionWrapper::<SqliteConnection>::establish(&path.to_string_lossy())
                    .await
                    .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
                conn.batch_execute("PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;")
                    .await
                    .unwrap_or_else(|e| panic!("cannot configure {}: {e}", path.display()));
                Conn::Sqlite(conn)
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Postgres { admin_url, name } => drop_postgres_database(admin_url, name),
            Cleanup::Sqlite { dir } => {
                if let Err(e) = std::fs::remove_dir_all(dir) {
                    eprintln!("memberdesk-testkit: cannot remove {}: {e}", dir.display());
                }
            }
        }
    }
}

enum Conn {
    Pg(Box<AsyncPgConnection>),
    Sqlite(SyncConnectionWrapper<SqliteConnection>),
}

/// `Drop` is synchronous and may run inside a runtime (where blocking on another is not
/// allowed), so the drop runs on a thread of its own with its own small runtime.
fn drop_postgres_database(admin_url: &str, name: &str) {
    let admin_url = admin_url.to_owned();
    let name = name.to_owned();
    let dropped = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
        runtime.block_on(async {
            let mut admin = AsyncPgConnection::establish(&admin_url).await.map_err(|e| e.to_string())?;
            admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .map_err(|e| e.to_string())
        })
    })
    .join();
    match dropped {
        Ok(Ok(())) => {}
        Ok(Err(e)) => eprintln!("memberdesk-testkit: cannot drop test database: {e}"),
        Err(_) => eprintln!("memberdesk-testkit: the thread dropping a test database panicked"),
    }
}

async fn admin_connection(admin_url: &str) -> AsyncPgConnection {
    AsyncPgConnection::establish(admin_url).await.unwrap_or_else(|e| {
        panic!("cannot connect to PostgreSQL for tests (set {PG_URL_ENV}; default {DEFAULT_PG_URL}): {e}")
    })
}

/// The migrated template database for the current PostgreSQL migrations, built if missing.
async fn template(admin_url: &str) -> String {
    static TEMPLATE: OnceCell<String> = OnceCell::const_new();
    TEMPLATE.get_or_init(|| build_template(admin_url.to_owned())).await.clone()
}

async fn build_template(admin_url: String) -> String {
    let name = format!("memberdesk_template_{:016x}", migrations_fingerprint(&migrations_dir("postgres")));
    let mut admin = admin_connection(&admin_url).await;
    // Session-level lock: released when `admin` disconnects, even if this panics.
    admin.batch_execute(&format!("SELECT pg_advisory_lock({TEMPLATE_LOCK})")).await.unwrap_or_else(|e| panic!("{e}"));
    if !database_exists(&mut admin, &name).await {
        // Built under another name and renamed when complete: a template that exists is whole.
        let building = format!("{name}_building");
        // (Separate statements: a multi-statement string is one implicit transaction.)
        for sql in [format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"), format!("CREATE DATABASE {building}")] {
            admin.batch_execute(&sql).await.unwrap_or_else(|e| panic!("cannot create {building}: {e}"));
        }
        {
            let store = Store::connect(&with_database(&admin_url, &building)).await.unwrap_or_else(|e| panic!("{e}"));
            store.migrate().await.unwrap_or_else(|e| panic!("{e}"));
        }
        // The store's pooled connections may take a moment to go away.
        let terminate = format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{building}' AND pid <> pg_backend_pid()"
        );
        let rename = format!("ALTER DATABASE {building} RENAME TO {name}");
        let mut attempts = 0;
        loop {
            let result = match admin.batch_execute(&terminate).await {
                Ok(()) => admin.batch_execute(&rename).await,
                Err(e) => Err(e),
            };
            let Err(e) = result else { break };
            attempts += 1;
            if attempts > 50 {
                panic!("cannot rename {building} to {name}: {e}");
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    sweep_postgres_leftovers(&mut admin).await;
    admin.batch_execute(&format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK})")).await.unwrap_or_else(|e| panic!("{e}"));
    name
}

/// How old a leftover test database or directory must be before it is swept away.
const LEFTOVER_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Whether a `…_<uuid v7>` name was made more than [`LEFTOVER_AGE`] ago (a killed test process
/// never ran its `Drop`).
fn is_leftover(name: &str, prefix: &str) -> bool {
    let Some(created) = name
        .strip_prefix(prefix)
        .and_then(|id| uuid::Uuid::try_parse(id).ok())
        .and_then(|id| id.get_timestamp())
        .map(|ts| ts.to_unix())
    else {
        return false;
    };
    let created = std::time::UNIX_EPOCH + std::time::Duration::new(created.0, created.1);
    created.elapsed().is_ok_and(|age| age > LEFTOVER_AGE)
}

/// Drops test databases left behind by killed test processes (once per process, best effort:
/// a database still in use is left alone).
async fn sweep_postgres_leftovers(admin: &mut AsyncPgConnection) {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        datname: String,
    }
    let Ok(names) = diesel::sql_query("SELECT datname FROM pg_database WHERE datname LIKE 'memberdesk\\_test\\_%'")
        .load::<Name>(admin)
        .await
    else {
        return;
    };
    for Name { datname } in names {
        if is_leftover(&datname, "memberdesk_test_") {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {datname}")).await;
        }
    }
}

/// Removes SQLite test directories left behind by killed test processes (once per process).
fn sweep_sqlite_leftovers() {
    static SWEPT: std::sync::Once = std::sync::Once::new();
    SWEPT.call_once(|| {
        let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if is_leftover(&name, "memberdesk-test-") {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    });
}

async fn database_exists(admin: &mut AsyncPgConnection, name: &str) -> bool {
    #[derive(QueryableByName)]
    struct Exists {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        exists: bool,
    }
    diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
        .bind::<diesel::sql_types::Text, _>(name)
        .get_result::<Exists>(admin)
        .await
        .unwrap_or_else(|e| panic!("cannot list databases: {e}"))
        .exists
}

fn migrations_dir(backend: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations").join(backend)
}

/// FNV-1a over the migration files' relative paths and contents: stable across processes and
/// toolchains, and different as soon as any migration changes.
fn migrations_fingerprint(dir: &Path) -> u64 {
    fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect(&path, files);
            } else {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    collect(dir, &mut files);
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for byte in bytes {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for file in files {
        feed(file.strip_prefix(dir).unwrap_or(&file).to_string_lossy().as_bytes());
        feed(&[0]);
        feed(&std::fs::read(&file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display())));
        feed(&[0]);
    }
    hash
}

/// The same server URL with another database name.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let (scheme, rest) = base.split_once("://").unwrap_or(("postgres", base));
    let authority = rest.split('/').next().unwrap_or(rest);
    let mut out = format!("{scheme}://{authority}/{database}");
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// An SQL string literal.
fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_swap_only_the_database() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(with_database("postgres://u:p@h/db?sslmode=disable", "x"), "postgres://u:p@h/x?sslmode=disable");
        assert_eq!(with_database("postgres://h:5432", "x"), "postgres://h:5432/x");
    }

    #[test]
    fn only_old_leftovers_are_swept() {
        let fresh = format!("memberdesk_test_{}", uuid::Uuid::now_v7().simple());
        assert!(!is_leftover(&fresh, "memberdesk_test_"));
        let old = uuid::Uuid::new_v7(uuid::Timestamp::from_unix(uuid::NoContext, 1_700_000_000, 0));
        assert!(is_leftover(&format!("memberdesk_test_{}", old.simple()), "memberdesk_test_"));
        assert!(!is_leftover("memberdesk_template_0123", "memberdesk_test_"));
        assert!(!is_leftover("memberdesk_test_not-a-uuid", "memberdesk_test_"));
    }

    #[test]
    fn the_fingerprint_follows_the_migrations() {
        let pg = migrations_fingerprint(&migrations_dir("postgres"));
        assert_eq!(pg, migrations_fingerprint(&migrations_dir("postgres")));
        assert_ne!(pg, migrations_fingerprint(&migrations_dir("sqlite")));
    }
}
