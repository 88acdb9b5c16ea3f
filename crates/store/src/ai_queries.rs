//! The stored summaries' queries (issue 8), written once for both backends like `queries.rs`:
//! [`ai_queries!`] is expanded by `pg.rs` and `sqlite.rs` into an `ai` module of theirs.
//!
//! A new version is the newest plus one, read and inserted in one write transaction; two
//! requests racing on PostgreSQL may both read the same newest version, and the second insert
//! then fails on the primary key (`Duplicate`), which the use case retries. SQLite serialises
//! writers, so it never races.

use memberdesk_domain::StoreError;
use memberdesk_domain::TicketId;
use memberdesk_domain::ai_ports::{StoredSummary, SummaryBody, SummaryKind};

/// One `ticket_summaries` row: version, body, generated_at (unused: the body has it), ticket_version.
pub(crate) type SummaryRow = (i64, String, chrono::NaiveDateTime, i64);

pub(crate) fn summary_from_row(
    ticket: TicketId,
    kind: SummaryKind,
    row: SummaryRow,
) -> Result<StoredSummary, StoreError> {
    let (version, body, _generated_at, ticket_version) = row;
    Ok(StoredSummary { ticket_id: ticket, version, body: SummaryBody::from_json(kind, &body)?, ticket_version })
}

/// Expands the summary queries into `mod ai` for one connection type.
///
/// - `conn`: the async connection type, as a path that resolves from anywhere;
/// - `write_transaction`: its method that runs a closure in a write transaction.
macro_rules! ai_queries {
    (conn = $Conn:ty, write_transaction = $write_tx:ident $(,)?) => {
        pub(crate) mod ai {
            #[allow(unused_imports)]
            use $crate::ai_queries::prelude::*;

            type Conn = $Conn;

            /// The stored versions of one summary, newest first; only the newest with
            /// `only_latest`.
            async fn versions(
                conn: &mut Conn,
                client: &ClientId,
                ticket: TicketId,
                kind: SummaryKind,
                only_latest: bool,
            ) -> Result<Vec<StoredSummary>, StoreError> {
                let mut query = ticket_summaries::table
                    .filter(ticket_summaries::client_id.eq(client.0.as_str()))
                    .filter(ticket_summaries::ticket_id.eq(ticket.to_string()))
                    .filter(ticket_summaries::kind.eq(kind.as_str()))
                    .order_by(ticket_summaries::version.desc())
                    .select((
                        ticket_summaries::version,
                        ticket_summaries::body,
                        ticket_summaries::generated_at,
                        ticket_summaries::ticket_version,
                    ))
                    .into_boxed();
                if only_latest {
                    query = query.limit(1);
                }
                let rows = query.load::<SummaryRow>(conn).await.map_err(translate)?;
                rows.into_iter().map(|row| summary_from_row(ticket, kind, row)).collect()
            }

            pub(crate) async fn latest_summary(
                conn: &mut Conn,
                client: &ClientId,
                ticket: TicketId,
                kind: SummaryKind,
            ) -> Result<Option<StoredSummary>, StoreError> {
                Ok(versions(conn, client, ticket, kind, true).await?.into_iter().next())
            }

            pub(crate) async fn summary_history(
                conn: &mut Conn,
                client: &ClientId,
                ticket: TicketId,
                kind: SummaryKind,
            ) -> Result<Vec<StoredSummary>, StoreError> {
                versions(conn, client, ticket, kind, false).await
            }

            pub(crate) async fn append_summary(
                conn: &mut Conn,
                client: ClientId,
                summary: StoredSummary,
            ) -> Result<StoredSummary, StoreError> {
                let body = summary.body.to_json()?;
                let kind = summary.kind();
                let ticket = summary.ticket_id.to_string();
                let at = db_time(summary.body.generated_at());
                let version = conn
                    .$write_tx(async |conn: &mut Conn| {
                        let newest: Option<i64> = ticket_summaries::table
                            .filter(ticket_summaries::client_id.eq(client.0.as_str()))
                            .filter(ticket_summaries::ticket_id.eq(&ticket))
                            .filter(ticket_summaries::kind.eq(kind.as_str()))
                            .select(diesel::dsl::max(ticket_summaries::version))
                            .first::<Option<i64>>(conn)
                            .await?;
                        let version = newest.unwrap_or(0) + 1;
                        diesel::insert_into(ticket_summaries::table)
                            .values((
                                ticket_summaries::client_id.eq(client.0.as_str()),
                                ticket_summaries::ticket_id.eq(&ticket),
                                ticket_summaries::kind.eq(kind.as_str()),
                                ticket_summaries::version.eq(version),
                                ticket_summaries::body.eq(&body),
                                ticket_summaries::generated_at.eq(at),
                                ticket_summaries::ticket_version.eq(summary.ticket_version),
                            ))
                            .execute(conn)
                            .await?;
                        Ok::<i64, TxError>(version)
                    })
                    .await?;
                Ok(StoredSummary { version, ..summary })
            }
        }
    };
}
pub(crate) use ai_queries;

/// What every expansion of [`ai_queries!`] uses.
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub(crate) use super::{SummaryRow, summary_from_row};
    pub(crate) use crate::ai_schema::ticket_summaries;
    pub(crate) use crate::error::{TxError, translate};
    pub(crate) use crate::rows::db_time;
    pub(crate) use diesel::prelude::*;
    pub(crate) use diesel_async::{AsyncConnection, RunQueryDsl};
    pub(crate) use memberdesk_domain::ai_ports::{StoredSummary, SummaryKind};
    pub(crate) use memberdesk_domain::{ClientId, StoreError, TicketId};
}
