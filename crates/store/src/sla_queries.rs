//! The SLA's queries, written once for both backends like `queries.rs`: [`sla_queries!`] is
//! expanded by `pg.rs` and `sqlite.rs` into a `sla` module of theirs. The two places where the
//! backends differ are plain functions below, passed to the macro:
//!
//! - finding the tickets due for a check: on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so that
//!   workers claiming at the same time skip each other's rows instead of waiting for them or
//!   taking them twice; SQLite serialises writers, so a plain query suffices there;
//! - time statistics: PostgreSQL aggregates them (`percentile_cont`), grouped four ways;
//!   SQLite has no percentile aggregate, so the completed times of the selected tickets are
//!   loaded (five narrow columns) and computed in Rust with the same interpolation.

use crate::queries::Pred;
use crate::schema::tickets;
use crate::schema::tickets::dsl as t;
use chrono::NaiveDateTime;
use diesel::expression::SqlLiteral;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Nullable};
use diesel::sqlite::Sqlite;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use memberdesk_domain::query::DurationStats;
use memberdesk_domain::sla::report::{SlaDurationRow, SlaTimes};
use memberdesk_domain::{CategoryId, Priority, UserId};
use std::collections::BTreeMap;

/// Builds the queue filter's predicate again (each query needs its own).
pub(crate) type PredicateFn<'a, DB> = &'a (dyn Fn() -> Pred<DB> + Sync);

/// `(client_id, id)` of up to `limit` tickets whose check is due, soonest first, locked for
/// this transaction; rows another transaction holds are skipped.
pub(crate) async fn pg_due_checks(
    conn: &mut AsyncPgConnection,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(String, String)>> {
    tickets::table
        .filter(t::sla_next_check_at.le(now))
        .order_by(t::sla_next_check_at.asc())
        .limit(limit)
        .select((t::client_id, t::id))
        .for_update()
        .skip_locked()
        .load(conn)
        .await
}

/// As [`pg_due_checks`]; the caller's `BEGIN IMMEDIATE` already excludes other writers.
pub(crate) async fn sqlite_due_checks(
    conn: &mut crate::sqlite::SqliteConn,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(String, String)>> {
    tickets::table
        .filter(t::sla_next_check_at.le(now))
        .order_by(t::sla_next_check_at.asc())
        .limit(limit)
        .select((t::client_id, t::id))
        .load(conn)
        .await
}

type Aggregates = (
    SqlLiteral<BigInt>,
    SqlLiteral<Nullable<Double>>,
    SqlLiteral<Nullable<Double>>,
    SqlLiteral<Nullable<Double>>,
    SqlLiteral<BigInt>,
    SqlLiteral<Nullable<Double>>,
    SqlLiteral<Nullable<Double>>,
    SqlLiteral<Nullable<Double>>,
);
type AggregateRow = (i64, Option<f64>, Option<f64>, Option<f64>, i64, Option<f64>, Option<f64>, Option<f64>);

/// Count, mean, median and 90th percentile of both targets' completed counted times.
fn aggregates() -> Aggregates {
    use diesel::dsl::sql;
    let stats = |column: &str| {
        (
            sql::<BigInt>(&format!("count({column})")),
            sql::<Nullable<Double>>(&format!("avg({column})::float8")),
            sql::<Nullable<Double>>(&format!("percentile_cont(0.5) within group (order by {column})")),
            sql::<Nullable<Double>>(&format!("percentile_cont(0.9) within group (order by {column})")),
        )
    };
    let (a, b, c, d) = stats("sla_first_response_seconds");
    let (e, f, g, h) = stats("sla_resolution_seconds");
    (a, b, c, d, e, f, g, h)
}

fn stats_of(row: AggregateRow) -> (DurationStats, DurationStats) {
    let one = |count: i64, mean: Option<f64>, median: Option<f64>, p90: Option<f64>| {
        if count == 0 {
            DurationStats::default()
        } else {
            DurationStats { count, mean_seconds: mean, median_seconds: median, p90_seconds: p90 }
        }
    };
    (one(row.0, row.1, row.2, row.3), one(row.4, row.5, row.6, row.7))
}

fn category_key(value: Option<String>) -> Option<CategoryId> {
    value.and_then(|c| c.parse().ok())
}

/// The time statistics, aggregated by PostgreSQL: overall and by category, priority and
/// assignee (four grouped queries over the tickets with an SLA).
pub(crate) async fn pg_sla_times(
    conn: &mut AsyncPgConnection,
    predicate: PredicateFn<'_, Pg>,
) -> QueryResult<SlaTimes> {
    let tracked = || tickets::table.filter(predicate()).filter(t::sla_policy_id.is_not_null());
    let overall: AggregateRow = tracked().select(aggregates()).get_result(conn).await?;
    let by_category: Vec<(Option<String>, AggregateRow)> =
        tracked().group_by(t::category_id).select((t::category_id, aggregates())).load(conn).await?;
    let by_priority: Vec<(i16, AggregateRow)> =
        tracked().group_by(t::priority_rank).select((t::priority_rank, aggregates())).load(conn).await?;
    let by_agent: Vec<(Option<String>, AggregateRow)> =
        tracked().group_by(t::assignee_id).select((t::assignee_id, aggregates())).load(conn).await?;
    Ok(SlaTimes {
        overall: stats_of(overall),
        by_category: by_category.into_iter().map(|(k, row)| (category_key(k), stats_of(row))).collect(),
        by_priority: by_priority
            .into_iter()
            .filter_map(|(rank, row)| Some((Priority::from_rank(rank)?, stats_of(row))))
            .collect::<BTreeMap<_, _>>(),
        by_agent: by_agent.into_iter().map(|(k, row)| (k.map(UserId::new), stats_of(row))).collect(),
    })
}

/// (category, priority rank, assignee, first-response seconds, resolution seconds).
type DurationColumns = (Option<String>, i16, Option<String>, Option<i64>, Option<i64>);
/// (category, priority rank, assignee, first-response state, resolution state, tickets).
pub(crate) type CountColumns = (Option<String>, i16, Option<String>, Option<String>, Option<String>, i64);

/// The time statistics computed in Rust from the completed times of the selected tickets.
pub(crate) async fn sqlite_sla_times(
    conn: &mut crate::sqlite::SqliteConn,
    predicate: PredicateFn<'_, Sqlite>,
) -> QueryResult<SlaTimes> {
    let rows: Vec<DurationColumns> = tickets::table
        .filter(predicate())
        .filter(t::sla_policy_id.is_not_null())
        .filter(t::sla_first_response_seconds.is_not_null().or(t::sla_resolution_seconds.is_not_null()))
        .select((
            t::category_id,
            t::priority_rank,
            t::assignee_id,
            t::sla_first_response_seconds,
            t::sla_resolution_seconds,
        ))
        .load(conn)
        .await?;
    let rows: Vec<SlaDurationRow> = rows
        .into_iter()
        .filter_map(|(category, rank, assignee, fr, res)| {
            Some(SlaDurationRow {
                category_id: category_key(category),
                priority: Priority::from_rank(rank)?,
                assignee_id: assignee.map(UserId::new),
                first_response_seconds: fr.map(|s| s as f64),
                resolution_seconds: res.map(|s| s as f64),
            })
        })
        .collect();
    Ok(SlaTimes::from_rows(&rows))
}

/// Expands the SLA's query functions into `mod sla` for one connection type.
///
/// - `conn`: the async connection type, as a path that resolves from anywhere;
/// - `write_transaction`: its method that runs a closure in a write transaction;
/// - `due_checks`: [`pg_due_checks`] or [`sqlite_due_checks`];
/// - `times`: [`pg_sla_times`] or [`sqlite_sla_times`].
///
/// Expanded next to `backend_queries!`, whose `ticket_predicate` (the queue filter) it uses.
macro_rules! sla_queries {
    (
        conn = $Conn:ty,
        write_transaction = $write_tx:ident,
        due_checks = $due_checks:path,
        times = $times:path $(,)?
    ) => {
        pub(crate) mod sla {
            #[allow(unused_imports)]
            use $crate::sla_queries::prelude::*;

            type Conn = $Conn;

            pub(crate) async fn current_sla_settings(
                conn: &mut Conn,
                client: &ClientId,
            ) -> Result<Option<SlaSettings>, StoreError> {
                sla_policies::table
                    .filter(sla_policies::client_id.eq(client.0.as_str()))
                    .order_by((sla_policies::created_at.desc(), sla_policies::id.desc()))
                    .select(SlaPolicyRow::as_select())
                    .first::<SlaPolicyRow>(conn)
                    .await
                    .optional()
                    .map_err(translate)?
                    .map(SlaPolicyRow::into_domain)
                    .transpose()
            }

            pub(crate) async fn sla_settings_versions(
                conn: &mut Conn,
                client: &ClientId,
                ids: &[SlaPolicyId],
            ) -> Result<Vec<SlaSettings>, StoreError> {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let ids: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
                sla_policies::table
                    .filter(sla_policies::client_id.eq(client.0.as_str()))
                    .filter(sla_policies::id.eq_any(ids))
                    .select(SlaPolicyRow::as_select())
                    .load::<SlaPolicyRow>(conn)
                    .await
                    .map_err(translate)?
                    .into_iter()
                    .map(SlaPolicyRow::into_domain)
                    .collect()
            }

            pub(crate) async fn insert_sla_settings(conn: &mut Conn, settings: SlaSettings) -> Result<(), StoreError> {
                let row = SlaPolicyRow::from_domain(&settings)?;
                diesel::insert_into(sla_policies::table).values(&row).execute(conn).await.map_err(translate)?;
                Ok(())
            }

            pub(crate) async fn claim_sla_checks(
                conn: &mut Conn,
                now: DateTime<Utc>,
                lease_until: DateTime<Utc>,
                limit: u32,
            ) -> Result<Vec<ClaimedCheck>, StoreError> {
                let (now, lease_until) = (db_time(now), db_time(lease_until));
                let claimed = conn
                    .$write_tx(async |conn: &mut Conn| {
                        let due: Vec<(String, String)> = $due_checks(conn, now, i64::from(limit)).await?;
                        if !due.is_empty() {
                            let ids: Vec<&str> = due.iter().map(|(_, id)| id.as_str()).collect();
                            diesel::update(tickets::table.filter(tickets::id.eq_any(ids)))
                                .set(tickets::sla_next_check_at.eq(Some(lease_until)))
                                .execute(conn)
                                .await?;
                        }
                        Ok::<Vec<(String, String)>, TxError>(due)
                    })
                    .await?;
                claimed
                    .into_iter()
                    .map(|(client, id)| {
                        let ticket_id = id
                            .parse::<TicketId>()
                            .map_err(|_| StoreError::Other(format!("corrupt tickets row {id}: id is not a UUID")))?;
                        Ok(ClaimedCheck { client_id: ClientId::new(client), ticket_id })
                    })
                    .collect()
            }

            pub(crate) async fn write_sla_snapshot(conn: &mut Conn, ticket: Ticket) -> Result<bool, StoreError> {
                let columns = SlaColumns::from_domain(&ticket.sla);
                let updated = diesel::update(
                    tickets::table
                        .filter(tickets::id.eq(ticket.id.to_string()))
                        .filter(tickets::client_id.eq(ticket.client_id.0.as_str()))
                        .filter(tickets::version.eq(ticket.version)),
                )
                .set(&columns)
                .execute(conn)
                .await
                .map_err(translate)?;
                Ok(updated == 1)
            }

            pub(crate) async fn sla_report(
                conn: &mut Conn,
                client: &ClientId,
                filter: &TicketFilter,
            ) -> Result<SlaReport, StoreError> {
                use $crate::schema::tickets::dsl as t;
                let groups: Vec<CountColumns> = tickets::table
                    .filter(super::ticket_predicate(client, filter))
                    .filter(t::sla_policy_id.is_not_null())
                    .group_by((
                        t::category_id,
                        t::priority_rank,
                        t::assignee_id,
                        t::sla_first_response_state,
                        t::sla_resolution_state,
                    ))
                    .select((
                        t::category_id,
                        t::priority_rank,
                        t::assignee_id,
                        t::sla_first_response_state,
                        t::sla_resolution_state,
                        diesel::dsl::count_star(),
                    ))
                    .load(conn)
                    .await
                    .map_err(translate)?;
                let counts = groups
                    .into_iter()
                    .map(|(category, rank, assignee, fr, res, tickets)| {
                        count_row(category, rank, assignee, fr, res, tickets)
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let predicate = || super::ticket_predicate(client, filter);
                let times = $times(conn, &predicate).await.map_err(translate)?;
                Ok(SlaReport::build(&counts, times))
            }
        }
    };
}
pub(crate) use sla_queries;

/// One group of the SLA count query, checked on the way out.
pub(crate) fn count_row(
    category: Option<String>,
    rank: i16,
    assignee: Option<String>,
    first_response: Option<String>,
    resolution: Option<String>,
    tickets: i64,
) -> Result<memberdesk_domain::sla::report::SlaCountRow, memberdesk_domain::StoreError> {
    use memberdesk_domain::StoreError;
    use memberdesk_domain::sla::SlaState;
    let corrupt = |what: String| StoreError::Other(format!("corrupt tickets row in SLA report: {what}"));
    let state = |value: Option<String>| value.map(|v| SlaState::parse(&v).map_err(corrupt)).transpose();
    Ok(memberdesk_domain::sla::report::SlaCountRow {
        category_id: match category {
            Some(c) => Some(c.parse::<CategoryId>().map_err(|_| corrupt(format!("category_id `{c}`")))?),
            None => None,
        },
        priority: Priority::from_rank(rank).ok_or_else(|| corrupt(format!("priority rank {rank}")))?,
        assignee_id: assignee.map(UserId::new),
        first_response: state(first_response)?,
        resolution: state(resolution)?,
        tickets,
    })
}

/// What every expansion of [`sla_queries!`] uses.
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub(crate) use super::{CountColumns, count_row};
    pub(crate) use crate::error::{TxError, translate};
    pub(crate) use crate::rows::db_time;
    pub(crate) use crate::schema::{sla_policies, tickets};
    pub(crate) use crate::sla_rows::{SlaColumns, SlaPolicyRow};
    pub(crate) use chrono::{DateTime, Utc};
    pub(crate) use diesel::prelude::*;
    pub(crate) use diesel_async::{AsyncConnection, RunQueryDsl};
    pub(crate) use memberdesk_domain::ports::ClaimedCheck;
    pub(crate) use memberdesk_domain::query::TicketFilter;
    pub(crate) use memberdesk_domain::sla::{SlaPolicyId, SlaReport, SlaSettings};
    pub(crate) use memberdesk_domain::{ClientId, StoreError, Ticket, TicketId};
}
