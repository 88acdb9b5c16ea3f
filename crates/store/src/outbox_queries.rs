//! The outbox's and the CRM's queries, written once for both backends like `queries.rs`:
//! [`outbox_queries!`] is expanded by `pg.rs` and `sqlite.rs` into a `notify` module of theirs.
//! The one place where the backends differ is finding the rows to claim, a plain function
//! below passed to the macro: on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so that workers of
//! several instances claiming at once skip each other's rows instead of waiting for them or
//! taking them twice; SQLite serialises writers (`BEGIN IMMEDIATE`), so a plain query suffices.
//!
//! Every update of a claimed row is fenced by the claim's `attempts` (a claim counts one), so a
//! worker whose lease expired, and whose row another worker claimed since, changes nothing.

use crate::schema::outbox;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// Ids of up to `limit` claimable rows (pending, available, no live lease), oldest first,
/// locked for this transaction; rows another transaction holds are skipped.
pub(crate) async fn pg_claimable(
    conn: &mut AsyncPgConnection,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<String>> {
    outbox::table
        .filter(outbox::status.eq("pending"))
        .filter(outbox::available_at.le(now))
        .filter(outbox::locked_until.is_null().or(outbox::locked_until.le(now)))
        .order_by((outbox::available_at.asc(), outbox::id.asc()))
        .limit(limit)
        .select(outbox::id)
        .for_update()
        .skip_locked()
        .load(conn)
        .await
}

/// As [`pg_claimable`]; the caller's `BEGIN IMMEDIATE` already excludes other writers.
pub(crate) async fn sqlite_claimable(
    conn: &mut crate::sqlite::SqliteConn,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<String>> {
    outbox::table
        .filter(outbox::status.eq("pending"))
        .filter(outbox::available_at.le(now))
        .filter(outbox::locked_until.is_null().or(outbox::locked_until.le(now)))
        .order_by((outbox::available_at.asc(), outbox::id.asc()))
        .limit(limit)
        .select(outbox::id)
        .load(conn)
        .await
}

/// Expands the outbox's and the CRM's query functions into `mod notify` for one connection
/// type.
///
/// - `conn`: the async connection type, as a path that resolves from anywhere;
/// - `write_transaction`: its method that runs a closure in a write transaction;
/// - `claimable`: [`pg_claimable`] or [`sqlite_claimable`].
macro_rules! outbox_queries {
    (conn = $Conn:ty, write_transaction = $write_tx:ident, claimable = $claimable:path $(,)?) => {
        pub(crate) mod notify {
            #[allow(unused_imports)]
            use $crate::outbox_queries::prelude::*;

            type Conn = $Conn;

            async fn completed(conn: &mut Conn, ids: &[String]) -> QueryResult<BTreeMap<String, Vec<String>>> {
                if ids.is_empty() {
                    return Ok(BTreeMap::new());
                }
                let pairs: Vec<(String, String)> = outbox_deliveries::table
                    .filter(outbox_deliveries::outbox_id.eq_any(ids))
                    .order_by((outbox_deliveries::outbox_id.asc(), outbox_deliveries::consumer.asc()))
                    .select((outbox_deliveries::outbox_id, outbox_deliveries::consumer))
                    .load(conn)
                    .await?;
                Ok(completed_by(pairs))
            }

            pub(crate) async fn claim_outbox(
                conn: &mut Conn,
                now: DateTime<Utc>,
                lease_until: DateTime<Utc>,
                limit: u32,
            ) -> Result<Vec<ClaimedMessage>, StoreError> {
                let (now, lease_until) = (db_time(now), db_time(lease_until));
                let (rows, mut done) = conn
                    .$write_tx(async |conn: &mut Conn| {
                        let ids: Vec<String> = $claimable(conn, now, i64::from(limit)).await?;
                        if ids.is_empty() {
                            return Ok::<_, TxError>((Vec::new(), BTreeMap::new()));
                        }
                        diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
                            .set((
                                outbox::locked_until.eq(Some(lease_until)),
                                outbox::attempts.eq(outbox::attempts + 1),
                            ))
                            .execute(conn)
                            .await?;
                        let rows: Vec<OutboxRow> = outbox::table
                            .filter(outbox::id.eq_any(&ids))
                            .order_by((outbox::available_at.asc(), outbox::id.asc()))
                            .select(OutboxRow::as_select())
                            .load(conn)
                            .await?;
                        let done = completed(conn, &ids).await?;
                        Ok::<_, TxError>((rows, done))
                    })
                    .await?;
                rows.into_iter()
                    .map(|row| {
                        let completed = done.remove(&row.id).unwrap_or_default();
                        row.into_claimed(completed)
                    })
                    .collect()
            }

            pub(crate) async fn record_consumer(
                conn: &mut Conn,
                id: Uuid,
                consumer: String,
                at: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                diesel::insert_into(outbox_deliveries::table)
                    .values((
                        outbox_deliveries::outbox_id.eq(id.to_string()),
                        outbox_deliveries::consumer.eq(consumer),
                        outbox_deliveries::completed_at.eq(db_time(at)),
                    ))
                    .on_conflict_do_nothing()
                    .execute(conn)
                    .await
                    .map_err(translate)?;
                Ok(())
            }

            pub(crate) async fn update_outbox(
                conn: &mut Conn,
                id: Uuid,
                attempts: i32,
                update: OutboxUpdate,
            ) -> Result<bool, StoreError> {
                let claimed = outbox::table
                    .filter(outbox::id.eq(id.to_string()))
                    .filter(outbox::attempts.eq(attempts))
                    .filter(outbox::status.eq("pending"));
                let none: Option<NaiveDateTime> = None;
                let updated = match update {
                    OutboxUpdate::Done { at } => {
                        diesel::update(claimed)
                            .set((
                                outbox::status.eq("done"),
                                outbox::delivered_at.eq(Some(db_time(at))),
                                outbox::locked_until.eq(none),
                                outbox::last_error.eq(None::<String>),
                            ))
                            .execute(conn)
                            .await
                    }
                    OutboxUpdate::Skipped { at, reason } => {
                        diesel::update(claimed)
                            .set((
                                outbox::status.eq("skipped"),
                                outbox::delivered_at.eq(Some(db_time(at))),
                                outbox::locked_until.eq(none),
                                outbox::last_error.eq(Some(reason)),
                            ))
                            .execute(conn)
                            .await
                    }
                    OutboxUpdate::Retry { available_at, error } => {
                        diesel::update(claimed)
                            .set((
                                outbox::available_at.eq(db_time(available_at)),
                                outbox::locked_until.eq(none),
                                outbox::last_error.eq(Some(error)),
                            ))
                            .execute(conn)
                            .await
                    }
                    OutboxUpdate::Failed { error } => {
                        diesel::update(claimed)
                            .set((
                                outbox::status.eq("failed"),
                                outbox::locked_until.eq(none),
                                outbox::last_error.eq(Some(error)),
                            ))
                            .execute(conn)
                            .await
                    }
                    OutboxUpdate::Release => {
                        diesel::update(claimed)
                            .set((outbox::locked_until.eq(none), outbox::attempts.eq(outbox::attempts - 1)))
                            .execute(conn)
                            .await
                    }
                }
                .map_err(translate)?;
                Ok(updated == 1)
            }

            pub(crate) async fn list_outbox(
                conn: &mut Conn,
                client: &ClientId,
                filter: &OutboxFilter,
                after: Option<Uuid>,
                limit: u32,
            ) -> Result<OutboxPage, StoreError> {
                let mut query = outbox::table
                    .filter(outbox::client_id.eq(client.0.as_str()))
                    .order_by(outbox::id.desc())
                    .limit(i64::from(limit) + 1)
                    .select(OutboxRow::as_select())
                    .into_boxed();
                if let Some(status) = filter.status {
                    query = query.filter(outbox::status.eq(status.as_str()));
                }
                if let Some(after) = after {
                    query = query.filter(outbox::id.lt(after.to_string()));
                }
                let mut rows: Vec<OutboxRow> = query.load(conn).await.map_err(translate)?;
                let more = rows.len() > limit as usize;
                rows.truncate(limit as usize);
                let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
                let mut done = completed(conn, &ids).await.map_err(translate)?;
                let items = rows
                    .into_iter()
                    .map(|row| {
                        let completed = done.remove(&row.id).unwrap_or_default();
                        row.into_record(completed)
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let next_cursor = if more { items.last().map(|r| r.id) } else { None };
                Ok(OutboxPage { items, next_cursor })
            }

            pub(crate) async fn get_outbox(
                conn: &mut Conn,
                client: &ClientId,
                id: Uuid,
            ) -> Result<Option<OutboxRecord>, StoreError> {
                let row: Option<OutboxRow> = outbox::table
                    .filter(outbox::client_id.eq(client.0.as_str()))
                    .filter(outbox::id.eq(id.to_string()))
                    .select(OutboxRow::as_select())
                    .first(conn)
                    .await
                    .optional()
                    .map_err(translate)?;
                let Some(row) = row else { return Ok(None) };
                let mut done = completed(conn, std::slice::from_ref(&row.id)).await.map_err(translate)?;
                let completed = done.remove(&row.id).unwrap_or_default();
                row.into_record(completed).map(Some)
            }

            pub(crate) async fn requeue_outbox(
                conn: &mut Conn,
                client: ClientId,
                id: Uuid,
                now: DateTime<Utc>,
            ) -> Result<bool, StoreError> {
                let none: Option<NaiveDateTime> = None;
                let updated = diesel::update(
                    outbox::table
                        .filter(outbox::client_id.eq(client.0.as_str()))
                        .filter(outbox::id.eq(id.to_string()))
                        .filter(outbox::status.eq_any(["failed", "skipped"])),
                )
                .set((
                    outbox::status.eq("pending"),
                    outbox::attempts.eq(0),
                    outbox::available_at.eq(db_time(now)),
                    outbox::locked_until.eq(none),
                    outbox::delivered_at.eq(none),
                ))
                .execute(conn)
                .await
                .map_err(translate)?;
                Ok(updated == 1)
            }

            pub(crate) async fn get_crm_settings(
                conn: &mut Conn,
                client: &ClientId,
            ) -> Result<Option<CrmSettings>, StoreError> {
                crm_settings::table
                    .filter(crm_settings::client_id.eq(client.0.as_str()))
                    .select(CrmSettingsRow::as_select())
                    .first::<CrmSettingsRow>(conn)
                    .await
                    .optional()
                    .map_err(translate)?
                    .map(CrmSettingsRow::into_domain)
                    .transpose()
            }

            pub(crate) async fn put_crm_settings(conn: &mut Conn, settings: CrmSettings) -> Result<(), StoreError> {
                let row = CrmSettingsRow::from_domain(&settings);
                diesel::insert_into(crm_settings::table)
                    .values(&row)
                    .on_conflict(crm_settings::client_id)
                    .do_update()
                    .set(&row)
                    .execute(conn)
                    .await
                    .map_err(translate)?;
                Ok(())
            }

            pub(crate) async fn get_crm_note(
                conn: &mut Conn,
                client: &ClientId,
                ticket: TicketId,
            ) -> Result<Option<String>, StoreError> {
                crm_notes::table
                    .filter(crm_notes::client_id.eq(client.0.as_str()))
                    .filter(crm_notes::ticket_id.eq(ticket.to_string()))
                    .select(crm_notes::note_id)
                    .first::<String>(conn)
                    .await
                    .optional()
                    .map_err(translate)
            }

            pub(crate) async fn put_crm_note(
                conn: &mut Conn,
                client: ClientId,
                ticket: TicketId,
                note_id: String,
                at: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                let at = db_time(at);
                diesel::insert_into(crm_notes::table)
                    .values((
                        crm_notes::client_id.eq(client.0.as_str()),
                        crm_notes::ticket_id.eq(ticket.to_string()),
                        crm_notes::note_id.eq(note_id.as_str()),
                        crm_notes::updated_at.eq(at),
                    ))
                    .on_conflict((crm_notes::client_id, crm_notes::ticket_id))
                    .do_update()
                    .set((crm_notes::note_id.eq(note_id.as_str()), crm_notes::updated_at.eq(at)))
                    .execute(conn)
                    .await
                    .map_err(translate)?;
                Ok(())
            }
        }
    };
}
pub(crate) use outbox_queries;

/// What every expansion of [`outbox_queries!`] uses.
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub(crate) use crate::error::{TxError, translate};
    pub(crate) use crate::notify_rows::{CrmSettingsRow, OutboxRow, completed_by};
    pub(crate) use crate::notify_schema::{crm_notes, crm_settings, outbox_deliveries};
    pub(crate) use crate::rows::db_time;
    pub(crate) use crate::schema::outbox;
    pub(crate) use chrono::{DateTime, NaiveDateTime, Utc};
    pub(crate) use diesel::prelude::*;
    pub(crate) use diesel_async::{AsyncConnection, RunQueryDsl};
    pub(crate) use memberdesk_domain::notify::{
        ClaimedMessage, CrmSettings, OutboxFilter, OutboxPage, OutboxRecord, OutboxUpdate,
    };
    pub(crate) use memberdesk_domain::{ClientId, StoreError, TicketId};
    pub(crate) use std::collections::BTreeMap;
    pub(crate) use uuid::Uuid;
}
