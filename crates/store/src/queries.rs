//! The query code, written once for both backends.
//!
//! Diesel checks queries against a concrete backend and connection type, and spelling the
//! trait bounds of a generic `async fn` over "any connection whose backend can run this
//! query" is impractical. So the query functions live in one `macro_rules!`,
//! [`backend_queries!`], which `pg.rs` and `sqlite.rs` each expand once for their connection
//! type. The few places where the SQL genuinely differs are passed in by the caller:
//! how a write transaction begins (`BEGIN` vs `BEGIN IMMEDIATE`) and how duration statistics
//! are computed (`percentile_cont` on PostgreSQL). Everything that needs no database — the
//! predicate's pieces, turning aggregate rows into `QueueStats` — is plain code below.
//! See `docs/decisions/0001-store-one-codebase-two-backends.md`.

use crate::schema::tickets;
use chrono::NaiveDateTime;
use diesel::expression::BoxableExpression;
use diesel::sql_types::Bool;
use memberdesk_domain::query::{DurationStats, GroupCount, QueueStats};
use memberdesk_domain::{CategoryId, Priority, Status, StoreError, UserId};
use std::collections::BTreeMap;

/// A filter over the `tickets` table, built at run time from a `TicketFilter`.
pub(crate) type Pred<DB> = Box<dyn BoxableExpression<tickets::table, DB, SqlType = Bool>>;

/// A `LIKE` pattern that finds `text` anywhere, with `%`, `_` and `\` taken literally
/// (escape character `\`, given explicitly: SQLite has no default).
pub(crate) fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// One row of the queue's aggregate query: a (status, priority, category, assignee) group,
/// its size and its oldest creation time.
pub(crate) type GroupRow = (String, i16, Option<String>, Option<String>, i64, Option<NaiveDateTime>);

fn corrupt_group(what: String) -> StoreError {
    StoreError::Other(format!("corrupt tickets row in queue statistics: {what}"))
}

/// Folds the grouped counts into the queue statistics. Every status and priority appears
/// (0 where none); category and assignee groups are listed largest first, then by key
/// (`null` first).
pub(crate) fn stats_from_groups(
    groups: Vec<GroupRow>,
    first_response: DurationStats,
    resolution: DurationStats,
) -> Result<QueueStats, StoreError> {
    let mut stats = QueueStats {
        by_status: Status::ALL.into_iter().map(|s| (s, 0)).collect(),
        by_priority: Priority::ALL.into_iter().map(|p| (p, 0)).collect(),
        first_response,
        resolution,
        ..QueueStats::default()
    };
    let mut by_category: BTreeMap<Option<CategoryId>, i64> = BTreeMap::new();
    let mut by_assignee: BTreeMap<Option<UserId>, i64> = BTreeMap::new();
    for (status, rank, category, assignee, count, oldest) in groups {
        let status = Status::parse(&status).map_err(corrupt_group)?;
        let priority = Priority::from_rank(rank).ok_or_else(|| corrupt_group(format!("priority rank {rank}")))?;
        let category = match category {
            Some(c) => Some(c.parse::<CategoryId>().map_err(|_| corrupt_group(format!("category_id `{c}`")))?),
            None => None,
        };
        stats.total += count;
        *stats.by_status.entry(status).or_default() += count;
        *stats.by_priority.entry(priority).or_default() += count;
        *by_category.entry(category).or_default() += count;
        if status.is_active() && assignee.is_none() {
            stats.unassigned += count;
        }
        *by_assignee.entry(assignee.map(UserId::new)).or_default() += count;
        if let (Status::Open, Some(oldest)) = (status, oldest.map(crate::rows::utc)) {
            stats.oldest_open_created_at = Some(stats.oldest_open_created_at.map_or(oldest, |o| o.min(oldest)));
        }
    }
    stats.by_category = largest_first(by_category);
    stats.by_assignee = largest_first(by_assignee);
    Ok(stats)
}

fn largest_first<K: Ord>(groups: BTreeMap<K, i64>) -> Vec<GroupCount<K>> {
    let mut list: Vec<GroupCount<K>> = groups.into_iter().map(|(key, count)| GroupCount { key, count }).collect();
    // Stable sort: equal counts keep the key order of the map.
    list.sort_by_key(|group| std::cmp::Reverse(group.count));
    list
}

/// Expands the query functions for one connection type.
///
/// - `conn`: the async connection type (`AsyncPgConnection`, `SyncConnectionWrapper<…>`);
/// - `backend`: its Diesel backend;
/// - `write_transaction`: the connection's method that runs a closure in a write transaction;
/// - `durations`: `async fn(&mut conn, Pred<backend>) -> QueryResult<(DurationStats, DurationStats)>`
///   giving (first response, resolution) over the tickets the predicate selects.
macro_rules! backend_queries {
    (
        conn = $Conn:ty,
        backend = $DB:ty,
        write_transaction = $write_tx:ident,
        durations = $durations:path $(,)?
    ) => {
        #[allow(unused_imports)]
        use $crate::queries::backend_queries_prelude::*;

        type Conn = $Conn;
        type Db = $DB;

        /// The WHERE clause of a queue query: the client first, then every filter given.
        fn ticket_predicate(client: &ClientId, filter: &TicketFilter) -> Pred<Db> {
            use $crate::schema::tickets::dsl as t;
            let mut predicate: Pred<Db> = Box::new(t::client_id.eq(client.0.clone()));
            if !filter.statuses.is_empty() {
                let statuses: Vec<String> = filter.statuses.iter().map(|s| s.as_str().to_owned()).collect();
                predicate = Box::new(predicate.and(t::status.eq_any(statuses)));
            }
            if !filter.priorities.is_empty() {
                let ranks: Vec<i16> = filter.priorities.iter().map(|p| p.rank()).collect();
                predicate = Box::new(predicate.and(t::priority_rank.eq_any(ranks)));
            }
            if let Some(category) = filter.category_id {
                predicate = Box::new(predicate.and(t::category_id.assume_not_null().eq(category.to_string())));
            }
            match &filter.assignee {
                Some(AssigneeFilter::Unassigned) => predicate = Box::new(predicate.and(t::assignee_id.is_null())),
                Some(AssigneeFilter::Agent(agent)) => {
                    predicate = Box::new(predicate.and(t::assignee_id.assume_not_null().eq(agent.0.clone())))
                }
                None => {}
            }
            if let Some(from) = filter.created_from {
                predicate = Box::new(predicate.and(t::created_at.ge(db_time(from))));
            }
            if let Some(to) = filter.created_to {
                predicate = Box::new(predicate.and(t::created_at.lt(db_time(to))));
            }
            if let Some(text) = filter.text.as_deref().filter(|t| !t.is_empty()) {
                predicate = Box::new(predicate.and(t::search_text.like(contains_pattern(text)).escape('\\')));
            }
            if let Some(member) = &filter.member_id {
                predicate = Box::new(predicate.and(t::member_id.eq(member.0.clone())));
            }
            if !filter.sla_states.is_empty() {
                // Either target in one of the states (each side has its index).
                let states: Vec<String> = filter.sla_states.iter().map(|s| s.as_str().to_owned()).collect();
                predicate = Box::new(
                    predicate.and(
                        t::sla_first_response_state
                            .assume_not_null()
                            .eq_any(states.clone())
                            .or(t::sla_resolution_state.assume_not_null().eq_any(states)),
                    ),
                );
            }
            if let Some(escalated) = filter.escalated {
                predicate = Box::new(predicate.and(t::escalated.eq(escalated)));
            }
            predicate
        }

        /// Tickets after the cursor in the sort's order: (key, id) strictly beyond the cursor's.
        /// `None` when the cursor's key cannot be a stored value (nothing comes after it).
        fn after_cursor(sort: Sort, cursor: &Cursor) -> Option<Pred<Db>> {
            use $crate::schema::tickets::dsl as t;
            let id = cursor.id.to_string();
            let micros = |key: i64| chrono::DateTime::from_timestamp_micros(key).map(|at| at.naive_utc());
            let predicate: Pred<Db> = match (sort.field, sort.direction) {
                (SortField::CreatedAt, SortDirection::Asc) => {
                    let key = micros(cursor.key)?;
                    Box::new(t::created_at.gt(key).or(t::created_at.eq(key).and(t::id.gt(id))))
                }
                (SortField::CreatedAt, SortDirection::Desc) => {
                    let key = micros(cursor.key)?;
                    Box::new(t::created_at.lt(key).or(t::created_at.eq(key).and(t::id.lt(id))))
                }
                (SortField::UpdatedAt, SortDirection::Asc) => {
                    let key = micros(cursor.key)?;
                    Box::new(t::updated_at.gt(key).or(t::updated_at.eq(key).and(t::id.gt(id))))
                }
                (SortField::UpdatedAt, SortDirection::Desc) => {
                    let key = micros(cursor.key)?;
                    Box::new(t::updated_at.lt(key).or(t::updated_at.eq(key).and(t::id.lt(id))))
                }
                (SortField::Priority, SortDirection::Asc) => {
                    let key = i16::try_from(cursor.key).ok()?;
                    Box::new(t::priority_rank.gt(key).or(t::priority_rank.eq(key).and(t::id.gt(id))))
                }
                (SortField::Priority, SortDirection::Desc) => {
                    let key = i16::try_from(cursor.key).ok()?;
                    Box::new(t::priority_rank.lt(key).or(t::priority_rank.eq(key).and(t::id.lt(id))))
                }
                (SortField::SlaDueAt, SortDirection::Asc) => {
                    let key = micros(cursor.key)?;
                    Box::new(t::sla_due_at.gt(key).or(t::sla_due_at.eq(key).and(t::id.gt(id))))
                }
                (SortField::SlaDueAt, SortDirection::Desc) => {
                    let key = micros(cursor.key)?;
                    Box::new(t::sla_due_at.lt(key).or(t::sla_due_at.eq(key).and(t::id.lt(id))))
                }
            };
            Some(predicate)
        }

        /// Writes the rows of a commit; the ticket row is already in place. One statement per
        /// row: a commit holds a handful, and SQLite cannot batch rows with `DEFAULT` columns.
        async fn write_commit(conn: &mut Conn, rows: &CommitRows) -> Result<(), TxError> {
            for response in &rows.responses {
                diesel::insert_into(responses::table).values(response).execute(conn).await?;
            }
            write_attachments(conn, &rows.attachments).await?;
            for event in &rows.events {
                diesel::insert_into(ticket_events::table).values(event).execute(conn).await?;
            }
            for message in &rows.outbox {
                diesel::insert_into(outbox::table).values(message).execute(conn).await?;
            }
            Ok(())
        }

        async fn write_idempotency(conn: &mut Conn, rows: &CommitRows) -> Result<(), TxError> {
            if let Some(record) = &rows.idempotency {
                diesel::insert_into(idempotency_keys::table).values(record).execute(conn).await?;
            }
            Ok(())
        }

        pub(crate) async fn insert_ticket(
            conn: &mut Conn,
            ticket: Ticket,
            commit: Commit,
        ) -> Result<Ticket, StoreError> {
            let rows = CommitRows::new(&ticket.client_id, &commit)?;
            let mut row = TicketRow::from_domain(&ticket, 0);
            let stored = conn
                .$write_tx(async |conn: &mut Conn| {
                    // The key first: a replayed request stops here, before taking a number.
                    write_idempotency(conn, &rows).await?;
                    // The counter row is locked until commit, so numbers are gapless per client:
                    // a rolled-back insert gives its number back.
                    row.number = diesel::insert_into(ticket_counters::table)
                        .values((ticket_counters::client_id.eq(&row.client_id), ticket_counters::last_number.eq(1_i64)))
                        .on_conflict(ticket_counters::client_id)
                        .do_update()
                        .set(ticket_counters::last_number.eq(ticket_counters::last_number + 1_i64))
                        .returning(ticket_counters::last_number)
                        .get_result::<i64>(conn)
                        .await?;
                    diesel::insert_into(tickets::table).values(&row).execute(conn).await?;
                    write_commit(conn, &rows).await?;
                    Ok::<TicketRow, TxError>(row)
                })
                .await?;
            stored.into_domain()
        }

        pub(crate) async fn update_ticket(
            conn: &mut Conn,
            ticket: Ticket,
            expected_version: i64,
            commit: Commit,
        ) -> Result<(), StoreError> {
            let rows = CommitRows::new(&ticket.client_id, &commit)?;
            let row = TicketRow::from_domain(&ticket, ticket.number);
            let changes = row.changes();
            conn.$write_tx(async |conn: &mut Conn| {
                let updated = diesel::update(
                    tickets::table
                        .filter(tickets::id.eq(&row.id))
                        .filter(tickets::client_id.eq(&row.client_id))
                        .filter(tickets::version.eq(expected_version)),
                )
                .set(&changes)
                .execute(conn)
                .await?;
                if updated == 0 {
                    return Err(TxError::Store(StoreError::VersionConflict));
                }
                write_idempotency(conn, &rows).await?;
                write_commit(conn, &rows).await?;
                Ok::<(), TxError>(())
            })
            .await?;
            Ok(())
        }

        pub(crate) async fn get_ticket(
            conn: &mut Conn,
            client: &ClientId,
            id: TicketId,
        ) -> Result<Option<Ticket>, StoreError> {
            tickets::table
                .filter(tickets::id.eq(id.to_string()))
                .filter(tickets::client_id.eq(client.0.as_str()))
                .select(TicketRow::as_select())
                .first::<TicketRow>(conn)
                .await
                .optional()
                .map_err(translate)?
                .map(TicketRow::into_domain)
                .transpose()
        }

        pub(crate) async fn list_responses(
            conn: &mut Conn,
            client: &ClientId,
            ticket: TicketId,
            include_notes: bool,
        ) -> Result<Vec<Response>, StoreError> {
            let mut query = responses::table
                .filter(responses::client_id.eq(client.0.clone()))
                .filter(responses::ticket_id.eq(ticket.to_string()))
                .select(ResponseRow::as_select())
                .order_by((responses::created_at.asc(), responses::id.asc()))
                .into_boxed();
            if !include_notes {
                query = query.filter(responses::kind.eq(ResponseKind::Reply.as_str()));
            }
            let responses = query
                .load::<ResponseRow>(conn)
                .await
                .map_err(translate)?
                .into_iter()
                .map(ResponseRow::into_domain)
                .collect::<Result<Vec<_>, _>>()?;
            with_attachments(conn, client, responses).await
        }

        pub(crate) async fn get_response(
            conn: &mut Conn,
            client: &ClientId,
            id: ResponseId,
        ) -> Result<Option<Response>, StoreError> {
            let response = responses::table
                .filter(responses::id.eq(id.to_string()))
                .filter(responses::client_id.eq(client.0.as_str()))
                .select(ResponseRow::as_select())
                .first::<ResponseRow>(conn)
                .await
                .optional()
                .map_err(translate)?
                .map(ResponseRow::into_domain)
                .transpose()?;
            match response {
                Some(response) => Ok(with_attachments(conn, client, vec![response]).await?.pop()),
                None => Ok(None),
            }
        }

        pub(crate) async fn list_events(
            conn: &mut Conn,
            client: &ClientId,
            ticket: TicketId,
            include_internal: bool,
        ) -> Result<Vec<TicketEvent>, StoreError> {
            let mut query = ticket_events::table
                .filter(ticket_events::client_id.eq(client.0.clone()))
                .filter(ticket_events::ticket_id.eq(ticket.to_string()))
                .select(EventRow::as_select())
                .order_by((ticket_events::at.asc(), ticket_events::id.asc()))
                .into_boxed();
            if !include_internal {
                query = query.filter(ticket_events::internal.eq(false));
            }
            query.load::<EventRow>(conn).await.map_err(translate)?.into_iter().map(EventRow::into_domain).collect()
        }

        pub(crate) async fn list_tickets(
            conn: &mut Conn,
            client: &ClientId,
            filter: &TicketFilter,
            sort: Sort,
            after: Option<&Cursor>,
            limit: u32,
        ) -> Result<Page<Ticket>, StoreError> {
            use $crate::schema::tickets::dsl as t;
            // Count the matches, stopping at the cap (see `TOTAL_COUNT_CAP`).
            let matches = tickets::table
                .filter(ticket_predicate(client, filter))
                .select(t::id)
                .limit(TOTAL_COUNT_CAP + 1)
                .into_boxed();
            let counted: i64 = $crate::count_rows::CountRows(matches).get_result(conn).await.map_err(translate)?;
            let (total, total_exact) = (counted.min(TOTAL_COUNT_CAP), counted <= TOTAL_COUNT_CAP);
            let mut query =
                tickets::table.filter(ticket_predicate(client, filter)).select(TicketRow::as_select()).into_boxed();
            if let Some(cursor) = after {
                match after_cursor(sort, cursor) {
                    Some(after) => query = query.filter(after),
                    None => return Ok(Page { items: Vec::new(), next_cursor: None, total, total_exact }),
                }
            }
            query = match (sort.field, sort.direction) {
                (SortField::CreatedAt, SortDirection::Asc) => query.order_by((t::created_at.asc(), t::id.asc())),
                (SortField::CreatedAt, SortDirection::Desc) => query.order_by((t::created_at.desc(), t::id.desc())),
                (SortField::UpdatedAt, SortDirection::Asc) => query.order_by((t::updated_at.asc(), t::id.asc())),
                (SortField::UpdatedAt, SortDirection::Desc) => query.order_by((t::updated_at.desc(), t::id.desc())),
                (SortField::Priority, SortDirection::Asc) => query.order_by((t::priority_rank.asc(), t::id.asc())),
                (SortField::Priority, SortDirection::Desc) => query.order_by((t::priority_rank.desc(), t::id.desc())),
                (SortField::SlaDueAt, SortDirection::Asc) => query.order_by((t::sla_due_at.asc(), t::id.asc())),
                (SortField::SlaDueAt, SortDirection::Desc) => query.order_by((t::sla_due_at.desc(), t::id.desc())),
            };
            let items = query
                .limit(i64::from(limit))
                .load::<TicketRow>(conn)
                .await
                .map_err(translate)?
                .into_iter()
                .map(TicketRow::into_domain)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Page { items, next_cursor: None, total, total_exact })
        }

        pub(crate) async fn queue_stats(
            conn: &mut Conn,
            client: &ClientId,
            filter: &TicketFilter,
        ) -> Result<QueueStats, StoreError> {
            use $crate::schema::tickets::dsl as t;
            let groups: Vec<GroupRow> = tickets::table
                .filter(ticket_predicate(client, filter))
                .group_by((t::status, t::priority_rank, t::category_id, t::assignee_id))
                .select((
                    t::status,
                    t::priority_rank,
                    t::category_id,
                    t::assignee_id,
                    diesel::dsl::count_star(),
                    diesel::dsl::min(t::created_at),
                ))
                .load(conn)
                .await
                .map_err(translate)?;
            let (first_response, resolution) =
                $durations(conn, ticket_predicate(client, filter)).await.map_err(translate)?;
            stats_from_groups(groups, first_response, resolution)
        }

        pub(crate) async fn category_usable(
            conn: &mut Conn,
            client: &ClientId,
            id: CategoryId,
        ) -> Result<bool, StoreError> {
            diesel::select(diesel::dsl::exists(
                categories::table
                    .filter(categories::id.eq(id.to_string()))
                    .filter(categories::client_id.eq(client.0.clone()))
                    .filter(categories::archived.eq(false)),
            ))
            .get_result::<bool>(conn)
            .await
            .map_err(translate)
        }

        pub(crate) async fn find_idempotency(
            conn: &mut Conn,
            client: &ClientId,
            user: &UserId,
            key: &str,
        ) -> Result<Option<IdempotencyRecord>, StoreError> {
            idempotency_keys::table
                .filter(idempotency_keys::client_id.eq(client.0.as_str()))
                .filter(idempotency_keys::user_id.eq(user.0.as_str()))
                .filter(idempotency_keys::key.eq(key))
                .select(IdempotencyRow::as_select())
                .first::<IdempotencyRow>(conn)
                .await
                .optional()
                .map_err(translate)?
                .map(IdempotencyRow::into_domain)
                .transpose()
        }

        pub(crate) async fn ping(conn: &mut Conn) -> Result<(), StoreError> {
            diesel::select(1_i32.into_sql::<diesel::sql_types::Integer>())
                .get_result::<i32>(conn)
                .await
                .map(|_| ())
                .map_err(translate)
        }

        pub(crate) async fn upsert_user(conn: &mut Conn, user: DirectoryUser) -> Result<(), StoreError> {
            let row = UserRow::from_domain(&user);
            diesel::insert_into(users::table)
                .values(&row)
                .on_conflict((users::client_id, users::id))
                .do_update()
                .set((
                    users::name.eq(&row.name),
                    users::email.eq(&row.email),
                    users::roles.eq(&row.roles),
                    users::is_staff.eq(row.is_staff),
                    users::last_seen_at.eq(row.last_seen_at),
                ))
                .execute(conn)
                .await
                .map(|_| ())
                .map_err(translate)
        }

        pub(crate) async fn get_user(
            conn: &mut Conn,
            client: &ClientId,
            id: &UserId,
        ) -> Result<Option<DirectoryUser>, StoreError> {
            users::table
                .filter(users::client_id.eq(client.0.as_str()))
                .filter(users::id.eq(id.0.as_str()))
                .select(UserRow::as_select())
                .first::<UserRow>(conn)
                .await
                .optional()
                .map_err(translate)?
                .map(UserRow::into_domain)
                .transpose()
        }

        pub(crate) async fn list_staff(conn: &mut Conn, client: &ClientId) -> Result<Vec<DirectoryUser>, StoreError> {
            users::table
                .filter(users::client_id.eq(client.0.as_str()))
                .filter(users::is_staff.eq(true))
                .select(UserRow::as_select())
                .order_by((users::name.asc(), users::id.asc()))
                .load::<UserRow>(conn)
                .await
                .map_err(translate)?
                .into_iter()
                .map(UserRow::into_domain)
                .collect()
        }
    };
}
pub(crate) use backend_queries;

/// What every expansion of [`backend_queries!`] uses.
#[allow(unused_imports)]
pub(crate) mod backend_queries_prelude {
    pub(crate) use super::{GroupRow, Pred, contains_pattern, stats_from_groups};
    pub(crate) use crate::error::{TxError, translate};
    pub(crate) use crate::rows::{CommitRows, EventRow, IdempotencyRow, ResponseRow, TicketRow, UserRow, db_time};
    pub(crate) use crate::schema::{
        categories, idempotency_keys, outbox, responses, ticket_counters, ticket_events, tickets, users,
    };
    pub(crate) use diesel::prelude::*;
    pub(crate) use diesel_async::{AsyncConnection, RunQueryDsl};
    pub(crate) use memberdesk_domain::ports::{Commit, IdempotencyRecord};
    pub(crate) use memberdesk_domain::query::{
        AssigneeFilter, Cursor, Page, QueueStats, Sort, SortDirection, SortField, TOTAL_COUNT_CAP, TicketFilter,
    };
    pub(crate) use memberdesk_domain::{
        CategoryId, ClientId, DirectoryUser, Response, ResponseId, ResponseKind, StoreError, Ticket, TicketEvent,
        TicketId, UserId,
    };
}
