//! PostgreSQL: `AsyncPgConnection` in a deadpool pool, migrations, and the one query that is
//! PostgreSQL's own (medians with `percentile_cont`).

use crate::StoreSetupError;
use crate::error::pool_error;
use crate::queries::Pred;
use crate::schema::tickets;
use crate::url::redact;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use memberdesk_domain::StoreError;
use memberdesk_domain::query::DurationStats;
use std::time::Duration;

pub(crate) const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

const POOL_SIZE: usize = 16;
/// How long a request waits for a connection before the store reports itself unavailable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
/// Serialises concurrent `migrate` calls (several instances starting at once).
const MIGRATION_LOCK: i64 = 0x6d65_6d62_6572_6473; // "memberds"

pub(crate) type PgPool = Pool<AsyncPgConnection>;

pub(crate) async fn connect(url: &str, address: &str) -> Result<PgPool, StoreSetupError> {
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(url);
    let pool = Pool::builder(manager)
        .max_size(POOL_SIZE)
        .build()
        .map_err(|e| StoreSetupError::Pool(redact(&e.to_string(), url)))?;
    // Prove the server answers now rather than on the first request.
    let unreachable = |reason: String| StoreSetupError::PostgresUnreachable { address: address.to_owned(), reason };
    match tokio::time::timeout(ACQUIRE_TIMEOUT, pool.get()).await {
        Ok(Ok(_conn)) => Ok(pool),
        Ok(Err(e)) => Err(unreachable(redact(&e.to_string(), url))),
        Err(_) => Err(unreachable(format!("no answer within {}s", ACQUIRE_TIMEOUT.as_secs()))),
    }
}

pub(crate) async fn conn(pool: &PgPool) -> Result<Object<AsyncPgConnection>, StoreError> {
    match tokio::time::timeout(ACQUIRE_TIMEOUT, pool.get()).await {
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(e)) => Err(pool_error(e)),
        Err(_) => Err(pool_error(format!("timed out after {}s", ACQUIRE_TIMEOUT.as_secs()))),
    }
}

/// Runs the pending migrations on a connection taken out of the pool, through the sync
/// migration harness on a blocking thread (works on current-thread runtimes too), holding an
/// advisory lock so that two instances starting together do not race.
pub(crate) async fn migrate(pool: &PgPool) -> Result<(), StoreSetupError> {
    let failed = |reason: String| StoreSetupError::Migration {
        backend: crate::Backend::Postgres,
        reason: reason.split_whitespace().collect::<Vec<_>>().join(" "),
    };
    let conn = conn(pool).await.map_err(|e| failed(e.to_string()))?;
    let conn = Object::take(conn);
    let applied = tokio::task::spawn_blocking(move || {
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::from(conn);
        diesel::connection::SimpleConnection::batch_execute(
            &mut conn,
            &format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"),
        )
        .map_err(|e| e.to_string())?;
        let result = conn.run_pending_migrations(MIGRATIONS).map(|applied| applied.len()).map_err(|e| e.to_string());
        let _ = diesel::connection::SimpleConnection::batch_execute(
            &mut conn,
            &format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"),
        );
        result
    })
    .await
    .map_err(|e| failed(e.to_string()))?
    .map_err(failed)?;
    tracing::info!(backend = "PostgreSQL", applied, "database migrations run");
    Ok(())
}

/// First-response and resolution times, in seconds, over the tickets the predicate selects:
/// count, mean, median and 90th percentile (`percentile_cont`), computed in the database.
pub(crate) async fn duration_stats(
    conn: &mut AsyncPgConnection,
    predicate: Pred<Pg>,
) -> QueryResult<(DurationStats, DurationStats)> {
    use diesel::dsl::sql;
    use diesel::sql_types::{BigInt, Double, Nullable};
    let ((fr_count, fr_mean, fr_median, fr_p90), (res_count, res_mean, res_median, res_p90)) = tickets::table
        .filter(predicate)
        .select((
            (
                sql::<BigInt>("count(first_responded_at)"),
                sql::<Nullable<Double>>("avg(extract(epoch from (first_responded_at - created_at)))::float8"),
                sql::<Nullable<Double>>(
                    "percentile_cont(0.5) within group (order by extract(epoch from (first_responded_at - created_at))::float8)",
                ),
                sql::<Nullable<Double>>(
                    "percentile_cont(0.9) within group (order by extract(epoch from (first_responded_at - created_at))::float8)",
                ),
            ),
            (
                sql::<BigInt>("count(resolved_at)"),
                sql::<Nullable<Double>>("avg(extract(epoch from (resolved_at - created_at)))::float8"),
                sql::<Nullable<Double>>(
                    "percentile_cont(0.5) within group (order by extract(epoch from (resolved_at - created_at))::float8)",
                ),
                sql::<Nullable<Double>>(
                    "percentile_cont(0.9) within group (order by extract(epoch from (resolved_at - created_at))::float8)",
                ),
            ),
        ))
        .get_result::<(
            (i64, Option<f64>, Option<f64>, Option<f64>),
            (i64, Option<f64>, Option<f64>, Option<f64>),
        )>(conn)
        .await?;
    let stats = |count: i64, mean: Option<f64>, median: Option<f64>, p90: Option<f64>| {
        if count == 0 {
            DurationStats::default()
        } else {
            DurationStats { count, mean_seconds: mean, median_seconds: median, p90_seconds: p90 }
        }
    };
    Ok((stats(fr_count, fr_mean, fr_median, fr_p90), stats(res_count, res_mean, res_median, res_p90)))
}

crate::queries::backend_queries!(
    conn = AsyncPgConnection,
    backend = Pg,
    write_transaction = transaction,
    durations = duration_stats,
);

crate::catalog_queries::catalog_queries!(conn = diesel_async::AsyncPgConnection, write_transaction = transaction);

crate::attachment_queries::attachment_queries!(conn = diesel_async::AsyncPgConnection);

crate::assignment_queries::assignment_queries!(conn = diesel_async::AsyncPgConnection, write_transaction = transaction);

crate::ai_queries::ai_queries!(conn = diesel_async::AsyncPgConnection, write_transaction = transaction);

crate::kb_queries::kb_queries!(conn = diesel_async::AsyncPgConnection, candidates = crate::kb_queries::pg_candidates);
crate::refresh_queries::refresh_queries!(
    conn = diesel_async::AsyncPgConnection,
    write_transaction = transaction,
    due = crate::refresh_queries::pg_due_refreshes,
);
crate::ai_drafts_queries::ai_drafts_queries!(conn = diesel_async::AsyncPgConnection);

crate::sla_queries::sla_queries!(
    conn = diesel_async::AsyncPgConnection,
    write_transaction = transaction,
    due_checks = crate::sla_queries::pg_due_checks,
    times = crate::sla_queries::pg_sla_times,
);

crate::outbox_queries::outbox_queries!(
    conn = diesel_async::AsyncPgConnection,
    write_transaction = transaction,
    claimable = crate::outbox_queries::pg_claimable,
);
