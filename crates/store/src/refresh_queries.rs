//! The queries of automatic summary regeneration (issue 8), written once for both backends like
//! `queries.rs`: [`refresh_queries!`] is expanded by `pg.rs` and `sqlite.rs` into a `refresh`
//! module of theirs. The one place where the backends differ is finding the records to claim,
//! a plain function below passed to the macro: on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so
//! that workers of several instances claiming at once skip each other's records instead of
//! waiting for them or taking them twice; SQLite serialises writers (`BEGIN IMMEDIATE`), so a
//! plain query suffices.
//!
//! Every write of a claimer is fenced by its lease (`locked_until` still the claim's), so a
//! worker whose lease lapsed, and whose record another worker claimed since, changes nothing.

use crate::refresh_schema::summary_refreshes as r;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// One claimable record: client, ticket, requests, attempts.
pub(crate) type DueRow = (String, String, i64, i32);

/// Up to `limit` records due at `now` without a live lease, earliest first, locked for this
/// transaction; records another transaction holds are skipped.
pub(crate) async fn pg_due_refreshes(
    conn: &mut AsyncPgConnection,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<DueRow>> {
    r::table
        .filter(r::due_at.le(now))
        .filter(r::locked_until.is_null().or(r::locked_until.le(now)))
        .order_by((r::due_at.asc(), r::ticket_id.asc()))
        .limit(limit)
        .select((r::client_id, r::ticket_id, r::requests, r::attempts))
        .for_update()
        .skip_locked()
        .load(conn)
        .await
}

/// As [`pg_due_refreshes`]; the caller's `BEGIN IMMEDIATE` already excludes other writers.
pub(crate) async fn sqlite_due_refreshes(
    conn: &mut crate::sqlite::SqliteConn,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<DueRow>> {
    r::table
        .filter(r::due_at.le(now))
        .filter(r::locked_until.is_null().or(r::locked_until.le(now)))
        .order_by((r::due_at.asc(), r::ticket_id.asc()))
        .limit(limit)
        .select((r::client_id, r::ticket_id, r::requests, r::attempts))
        .load(conn)
        .await
}

/// Expands the refresh records' queries into `mod refresh` for one connection type.
///
/// - `conn`: the async connection type, as a path that resolves from anywhere;
/// - `write_transaction`: its method that runs a closure in a write transaction;
/// - `due`: [`pg_due_refreshes`] or [`sqlite_due_refreshes`].
macro_rules! refresh_queries {
    (conn = $Conn:ty, write_transaction = $write_tx:ident, due = $due:path $(,)?) => {
        pub(crate) mod refresh {
            #[allow(unused_imports)]
            use $crate::refresh_queries::prelude::*;

            type Conn = $Conn;

            pub(crate) async fn schedule_refresh(
                conn: &mut Conn,
                client: ClientId,
                ticket: TicketId,
                due_at: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                let due_at = db_time(due_at);
                diesel::insert_into(r::table)
                    .values((
                        r::client_id.eq(client.0.as_str()),
                        r::ticket_id.eq(ticket.to_string()),
                        r::due_at.eq(due_at),
                        r::requests.eq(1_i64),
                        r::attempts.eq(0),
                    ))
                    .on_conflict((r::client_id, r::ticket_id))
                    .do_update()
                    .set((r::due_at.eq(due_at), r::requests.eq(r::requests + 1_i64)))
                    .execute(conn)
                    .await
                    .map_err(translate)?;
                Ok(())
            }

            pub(crate) async fn claim_refreshes(
                conn: &mut Conn,
                now: DateTime<Utc>,
                lease_until: DateTime<Utc>,
                limit: u32,
            ) -> Result<Vec<ClaimedRefresh>, StoreError> {
                let lease = db_time(lease_until);
                let now = db_time(now);
                let due = conn
                    .$write_tx(async |conn: &mut Conn| {
                        let due: Vec<DueRow> = $due(conn, now, i64::from(limit)).await?;
                        for (client, ticket, _, _) in &due {
                            diesel::update(r::table.filter(r::client_id.eq(client)).filter(r::ticket_id.eq(ticket)))
                                .set(r::locked_until.eq(Some(lease)))
                                .execute(conn)
                                .await?;
                        }
                        Ok::<Vec<DueRow>, TxError>(due)
                    })
                    .await?;
                due.into_iter()
                    .map(|(client, ticket, requests, attempts)| {
                        let ticket_id = ticket.parse::<TicketId>().map_err(|_| {
                            StoreError::Other(format!("corrupt summary_refreshes row {ticket}: not a UUID"))
                        })?;
                        Ok(ClaimedRefresh {
                            client_id: ClientId::new(client),
                            ticket_id,
                            requests,
                            attempts,
                            lease_until: utc(lease),
                        })
                    })
                    .collect()
            }

            pub(crate) async fn finish_refresh(conn: &mut Conn, claim: ClaimedRefresh) -> Result<(), StoreError> {
                let lease = db_time(claim.lease_until);
                let (client, ticket) = (claim.client_id.0.clone(), claim.ticket_id.to_string());
                conn.$write_tx(async |conn: &mut Conn| {
                    let held = r::table
                        .filter(r::client_id.eq(&client))
                        .filter(r::ticket_id.eq(&ticket))
                        .filter(r::locked_until.eq(Some(lease)));
                    // Scheduled again since the claim: only released, due as that schedule says.
                    let removed = diesel::delete(held.filter(r::requests.eq(claim.requests))).execute(conn).await?;
                    if removed == 0 {
                        diesel::update(held).set(r::locked_until.eq(None::<NaiveDateTime>)).execute(conn).await?;
                    }
                    Ok::<(), TxError>(())
                })
                .await?;
                Ok(())
            }

            pub(crate) async fn retry_refresh(
                conn: &mut Conn,
                claim: ClaimedRefresh,
                retry: RefreshRetry,
            ) -> Result<(), StoreError> {
                let lease = db_time(claim.lease_until);
                let (client, ticket) = (claim.client_id.0.clone(), claim.ticket_id.to_string());
                let (until, failure) = match retry {
                    RefreshRetry::Wait { until } => (db_time(until), None),
                    RefreshRetry::Failed { until, error } => (db_time(until), Some(error)),
                };
                conn.$write_tx(async |conn: &mut Conn| {
                    let held = r::table
                        .filter(r::client_id.eq(&client))
                        .filter(r::ticket_id.eq(&ticket))
                        .filter(r::locked_until.eq(Some(lease)));
                    if let Some(error) = &failure {
                        diesel::update(held)
                            .set((r::attempts.eq(r::attempts + 1), r::last_error.eq(Some(error))))
                            .execute(conn)
                            .await?;
                    }
                    // Each statement re-reads the row under its lock, so a schedule made since
                    // the claim, later than the retry, is kept: the later time wins.
                    let moved = diesel::update(held.filter(r::due_at.le(until)))
                        .set((r::due_at.eq(until), r::locked_until.eq(None::<NaiveDateTime>)))
                        .execute(conn)
                        .await?;
                    if moved == 0 {
                        diesel::update(held).set(r::locked_until.eq(None::<NaiveDateTime>)).execute(conn).await?;
                    }
                    Ok::<(), TxError>(())
                })
                .await?;
                Ok(())
            }
        }
    };
}
pub(crate) use refresh_queries;

/// What every expansion of [`refresh_queries!`] uses.
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub(crate) use super::DueRow;
    pub(crate) use crate::error::{TxError, translate};
    pub(crate) use crate::refresh_schema::summary_refreshes as r;
    pub(crate) use crate::rows::{db_time, utc};
    pub(crate) use chrono::{DateTime, NaiveDateTime, Utc};
    pub(crate) use diesel::prelude::*;
    pub(crate) use diesel_async::{AsyncConnection, RunQueryDsl};
    pub(crate) use memberdesk_domain::refresh_ports::{ClaimedRefresh, RefreshRetry};
    pub(crate) use memberdesk_domain::{ClientId, StoreError, TicketId};
}
