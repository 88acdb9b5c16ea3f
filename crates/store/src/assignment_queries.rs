//! Assignment's queries (issue 6), written once for both backends like `queries.rs`:
//! [`assignment_queries!`] is expanded by `pg.rs` and `sqlite.rs` into an `assignment` module
//! of theirs, next to `backend_queries!` (whose `write_commit` and `list_staff` it uses).
//!
//! The guarded commit ([`AssignmentWrite`](memberdesk_domain::assignment_ports::AssignmentWrite))
//! runs in one write transaction: the client's generation is compare-and-set first, which on
//! PostgreSQL takes the row lock of `assignment_state` until commit, so two instances
//! committing for one client queue behind each other and the second finds the generation
//! moved (a conflict: it decides again). The cursor compare-and-set on `turns` and the
//! re-count of each assigned agent's load against their capacity are then checked under that
//! lock too. SQLite serialises writers (`BEGIN IMMEDIATE`), so the same checks hold there.

use memberdesk_domain::Status;
use memberdesk_domain::StoreError;
use memberdesk_domain::assignment::{AgentSettings, AgentSettingsInput, AssignmentRules, AssignmentRulesInput};

/// The statuses whose tickets count towards an agent's load.
pub(crate) fn active_statuses() -> Vec<String> {
    Status::ALL.into_iter().filter(|s| s.is_active()).map(|s| s.as_str().to_owned()).collect()
}

pub(crate) fn rules_from_json(raw: Option<String>) -> Result<AssignmentRules, StoreError> {
    let Some(raw) = raw else {
        return Ok(AssignmentRules::default());
    };
    let input: AssignmentRulesInput =
        serde_json::from_str(&raw).map_err(|e| StoreError::Other(format!("corrupt assignment_rules row: {e}")))?;
    AssignmentRules::from_input(&input).map_err(|e| StoreError::Other(format!("corrupt assignment_rules row: {e}")))
}

pub(crate) fn rules_to_json(rules: &AssignmentRules) -> Result<String, StoreError> {
    serde_json::to_string(&rules.to_input()).map_err(|e| StoreError::Other(e.to_string()))
}

pub(crate) fn settings_from_row(
    available: bool,
    capacity: Option<i32>,
    categories: &str,
) -> Result<AgentSettings, StoreError> {
    let categories: Vec<String> =
        serde_json::from_str(categories).map_err(|e| StoreError::Other(format!("corrupt agent_settings row: {e}")))?;
    let input = AgentSettingsInput { available: Some(available), capacity: capacity.map(i64::from), categories };
    AgentSettings::from_input(&input).map_err(|e| StoreError::Other(format!("corrupt agent_settings row: {e}")))
}

pub(crate) fn categories_to_json(settings: &AgentSettings) -> Result<String, StoreError> {
    serde_json::to_string(&settings.to_input().categories).map_err(|e| StoreError::Other(e.to_string()))
}

pub(crate) fn capacity_column(settings: &AgentSettings) -> Option<i32> {
    settings.capacity.and_then(|c| i32::try_from(c.get()).ok())
}

/// Expands the assignment queries into `mod assignment` for one connection type.
///
/// - `conn`: the async connection type, as a path that resolves from anywhere;
/// - `write_transaction`: its method that runs a closure in a write transaction.
macro_rules! assignment_queries {
    (conn = $Conn:ty, write_transaction = $write_tx:ident $(,)?) => {
        pub(crate) mod assignment {
            #[allow(unused_imports)]
            use $crate::assignment_queries::prelude::*;

            type Conn = $Conn;

            fn conflict() -> TxError {
                TxError::Store(StoreError::VersionConflict)
            }

            pub(crate) async fn assignment_rules(
                conn: &mut Conn,
                client: &ClientId,
            ) -> Result<AssignmentRules, StoreError> {
                let raw = assignment_rules::table
                    .filter(assignment_rules::client_id.eq(client.0.as_str()))
                    .select(assignment_rules::rules)
                    .first::<String>(conn)
                    .await
                    .optional()
                    .map_err(translate)?;
                rules_from_json(raw)
            }

            pub(crate) async fn put_assignment_rules(
                conn: &mut Conn,
                client: ClientId,
                rules: AssignmentRules,
                now: DateTime<Utc>,
                outbox: OutboxMessage,
            ) -> Result<(), StoreError> {
                let json = rules_to_json(&rules)?;
                let rows = CommitRows::new(&client, &Commit { outbox: vec![outbox], ..Commit::default() })?;
                let at = db_time(now);
                conn.$write_tx(async |conn: &mut Conn| {
                    diesel::insert_into(assignment_rules::table)
                        .values((
                            assignment_rules::client_id.eq(client.0.as_str()),
                            assignment_rules::rules.eq(&json),
                            assignment_rules::updated_at.eq(at),
                        ))
                        .on_conflict(assignment_rules::client_id)
                        .do_update()
                        .set((assignment_rules::rules.eq(&json), assignment_rules::updated_at.eq(at)))
                        .execute(conn)
                        .await?;
                    super::write_commit(conn, &rows).await?;
                    Ok::<(), TxError>(())
                })
                .await?;
                Ok(())
            }

            /// Active tickets per assignee: one grouped query.
            async fn loads(conn: &mut Conn, client: &ClientId) -> QueryResult<BTreeMap<String, i64>> {
                let rows: Vec<(Option<String>, i64)> = tickets::table
                    .filter(tickets::client_id.eq(client.0.as_str()))
                    .filter(tickets::assignee_id.is_not_null())
                    .filter(tickets::status.eq_any(active_statuses()))
                    .group_by(tickets::assignee_id)
                    .select((tickets::assignee_id, diesel::dsl::count_star()))
                    .load(conn)
                    .await?;
                Ok(rows.into_iter().filter_map(|(agent, n)| agent.map(|a| (a, n))).collect())
            }

            pub(crate) async fn list_agent_records(
                conn: &mut Conn,
                client: &ClientId,
            ) -> Result<Vec<AgentRecord>, StoreError> {
                let staff = super::list_staff(conn, client).await?;
                let settings: Vec<(String, bool, Option<i32>, String, Option<NaiveDateTime>)> = agent_settings::table
                    .filter(agent_settings::client_id.eq(client.0.as_str()))
                    .select((
                        agent_settings::user_id,
                        agent_settings::available,
                        agent_settings::capacity,
                        agent_settings::categories,
                        agent_settings::last_assigned_at,
                    ))
                    .load(conn)
                    .await
                    .map_err(translate)?;
                let mut settings: BTreeMap<String, (bool, Option<i32>, String, Option<NaiveDateTime>)> =
                    settings.into_iter().map(|(user, a, c, cats, last)| (user, (a, c, cats, last))).collect();
                let loads = loads(conn, client).await.map_err(translate)?;
                staff
                    .into_iter()
                    .map(|user| {
                        let (agent, last_assigned_at) = match settings.remove(user.id.as_str()) {
                            Some((available, capacity, categories, last)) => {
                                (settings_from_row(available, capacity, &categories)?, last.map(utc))
                            }
                            None => (AgentSettings::default(), None),
                        };
                        let load = loads.get(user.id.as_str()).copied().unwrap_or(0);
                        Ok(AgentRecord {
                            load: u32::try_from(load).unwrap_or(u32::MAX),
                            settings: agent,
                            last_assigned_at,
                            user,
                        })
                    })
                    .collect()
            }

            pub(crate) async fn put_agent_settings(
                conn: &mut Conn,
                client: ClientId,
                user: UserId,
                settings: AgentSettings,
                now: DateTime<Utc>,
                outbox: OutboxMessage,
            ) -> Result<(), StoreError> {
                let categories = categories_to_json(&settings)?;
                let capacity = capacity_column(&settings);
                let rows = CommitRows::new(&client, &Commit { outbox: vec![outbox], ..Commit::default() })?;
                let at = db_time(now);
                conn.$write_tx(async |conn: &mut Conn| {
                    diesel::insert_into(agent_settings::table)
                        .values((
                            agent_settings::client_id.eq(client.0.as_str()),
                            agent_settings::user_id.eq(user.as_str()),
                            agent_settings::available.eq(settings.available),
                            agent_settings::capacity.eq(capacity),
                            agent_settings::categories.eq(&categories),
                            agent_settings::updated_at.eq(at),
                        ))
                        .on_conflict((agent_settings::client_id, agent_settings::user_id))
                        .do_update()
                        .set((
                            agent_settings::available.eq(settings.available),
                            agent_settings::capacity.eq(capacity),
                            agent_settings::categories.eq(&categories),
                            agent_settings::updated_at.eq(at),
                        ))
                        .execute(conn)
                        .await?;
                    super::write_commit(conn, &rows).await?;
                    Ok::<(), TxError>(())
                })
                .await?;
                Ok(())
            }

            pub(crate) async fn assignment_snapshot(
                conn: &mut Conn,
                client: &ClientId,
            ) -> Result<AssignmentSnapshot, StoreError> {
                // The generation first: whatever is read after it is at least as new.
                let generation = assignment_state::table
                    .filter(assignment_state::client_id.eq(client.0.as_str()))
                    .select(assignment_state::generation)
                    .first::<i64>(conn)
                    .await
                    .optional()
                    .map_err(translate)?
                    .unwrap_or(0);
                let rules = assignment_rules(conn, client).await?;
                let agents = list_agent_records(conn, client).await?.iter().map(AgentRecord::profile).collect();
                let cursors: Vec<(String, i64, Option<String>)> = assignment_cursors::table
                    .filter(assignment_cursors::client_id.eq(client.0.as_str()))
                    .select((assignment_cursors::key, assignment_cursors::turns, assignment_cursors::last_agent))
                    .load(conn)
                    .await
                    .map_err(translate)?;
                let cursors = cursors
                    .into_iter()
                    .map(|(key, turns, last)| {
                        let cursor = RoundRobinCursor {
                            turns: u64::try_from(turns).unwrap_or(0),
                            last_agent: last.map(UserId::new),
                        };
                        (key, cursor)
                    })
                    .collect();
                Ok(AssignmentSnapshot { generation, rules, agents, cursors })
            }

            pub(crate) async fn backlog(
                conn: &mut Conn,
                client: &ClientId,
                limit: u32,
            ) -> Result<Vec<Ticket>, StoreError> {
                let waiting = assignment_backlog::table
                    .filter(assignment_backlog::client_id.eq(client.0.clone()))
                    .select(assignment_backlog::ticket_id);
                tickets::table
                    .filter(tickets::client_id.eq(client.0.as_str()))
                    .filter(tickets::id.eq_any(waiting))
                    .filter(tickets::assignee_id.is_null())
                    .filter(tickets::status.eq_any(active_statuses()))
                    .order_by((tickets::priority_rank.desc(), tickets::created_at.asc(), tickets::id.asc()))
                    .limit(i64::from(limit))
                    .select(TicketRow::as_select())
                    .load::<TicketRow>(conn)
                    .await
                    .map_err(translate)?
                    .into_iter()
                    .map(TicketRow::into_domain)
                    .collect()
            }

            pub(crate) async fn commit_assignment(conn: &mut Conn, write: AssignmentWrite) -> Result<(), StoreError> {
                let client = write.client_id.0.clone();
                let at = db_time(write.now);
                let mut commits = Vec::with_capacity(write.assignments.len());
                for assignment in &write.assignments {
                    commits.push(CommitRows::new(&write.client_id, &assignment.commit)?);
                }
                let generation = write.generation;
                conn.$write_tx(async |conn: &mut Conn| {
                    // 1. The client's generation: compare-and-set (and, on PostgreSQL, its row
                    //    lock until commit serialises the client's assignment commits).
                    diesel::insert_into(assignment_state::table)
                        .values((assignment_state::client_id.eq(&client), assignment_state::generation.eq(0_i64)))
                        .on_conflict_do_nothing()
                        .execute(conn)
                        .await?;
                    let moved = diesel::update(
                        assignment_state::table
                            .filter(assignment_state::client_id.eq(&client))
                            .filter(assignment_state::generation.eq(generation)),
                    )
                    .set(assignment_state::generation.eq(generation + 1))
                    .execute(conn)
                    .await?;
                    if moved == 0 {
                        return Err(conflict());
                    }
                    // 2. Each ticket, guarded by its version; only the assignee changes.
                    for (assignment, rows) in write.assignments.iter().zip(&commits) {
                        let ticket = &assignment.ticket;
                        let updated = diesel::update(
                            tickets::table
                                .filter(tickets::id.eq(ticket.id.to_string()))
                                .filter(tickets::client_id.eq(&client))
                                .filter(tickets::version.eq(assignment.expected_version)),
                        )
                        .set((
                            tickets::assignee_id.eq(assignment.agent.as_str()),
                            tickets::version.eq(ticket.version),
                            tickets::updated_at.eq(db_time(ticket.updated_at)),
                        ))
                        .execute(conn)
                        .await?;
                        if updated == 0 {
                            return Err(conflict());
                        }
                        super::write_commit(conn, rows).await?;
                    }
                    // 3. Round-robin cursors: compare-and-set on `turns` (no row: 0).
                    for cursor in &write.cursors {
                        let from = i64::try_from(cursor.from.turns).map_err(|_| conflict())?;
                        let to = i64::try_from(cursor.to.turns).map_err(|_| conflict())?;
                        diesel::insert_into(assignment_cursors::table)
                            .values((
                                assignment_cursors::client_id.eq(&client),
                                assignment_cursors::key.eq(&cursor.key),
                                assignment_cursors::turns.eq(0_i64),
                                assignment_cursors::last_agent.eq(None::<String>),
                            ))
                            .on_conflict_do_nothing()
                            .execute(conn)
                            .await?;
                        let set = diesel::update(
                            assignment_cursors::table
                                .filter(assignment_cursors::client_id.eq(&client))
                                .filter(assignment_cursors::key.eq(&cursor.key))
                                .filter(assignment_cursors::turns.eq(from)),
                        )
                        .set((
                            assignment_cursors::turns.eq(to),
                            assignment_cursors::last_agent.eq(cursor.to.last_agent.as_ref().map(|a| a.0.clone())),
                        ))
                        .execute(conn)
                        .await?;
                        if set == 0 {
                            return Err(conflict());
                        }
                    }
                    // 4–5. Each assigned agent: load re-counted against capacity, then
                    //      `last_assigned_at`.
                    let agents: BTreeSet<&str> = write.assignments.iter().map(|a| a.agent.as_str()).collect();
                    for agent in agents {
                        let capacity = agent_settings::table
                            .filter(agent_settings::client_id.eq(&client))
                            .filter(agent_settings::user_id.eq(agent))
                            .select(agent_settings::capacity)
                            .first::<Option<i32>>(conn)
                            .await
                            .optional()?
                            .flatten();
                        if let Some(capacity) = capacity {
                            let load: i64 = tickets::table
                                .filter(tickets::client_id.eq(&client))
                                .filter(tickets::assignee_id.eq(agent))
                                .filter(tickets::status.eq_any(active_statuses()))
                                .count()
                                .get_result(conn)
                                .await?;
                            if load > i64::from(capacity) {
                                return Err(conflict());
                            }
                        }
                        touch_agent(conn, &client, agent, at).await?;
                    }
                    // 6. The backlog.
                    for (ticket, rule) in &write.waiting {
                        diesel::insert_into(assignment_backlog::table)
                            .values((
                                assignment_backlog::client_id.eq(&client),
                                assignment_backlog::ticket_id.eq(ticket.to_string()),
                                assignment_backlog::rule_name.eq(rule),
                                assignment_backlog::waiting_since.eq(at),
                            ))
                            .on_conflict_do_nothing()
                            .execute(conn)
                            .await?;
                    }
                    if !write.leave_backlog.is_empty() {
                        let ids: Vec<String> = write.leave_backlog.iter().map(ToString::to_string).collect();
                        diesel::delete(
                            assignment_backlog::table
                                .filter(assignment_backlog::client_id.eq(&client))
                                .filter(assignment_backlog::ticket_id.eq_any(ids)),
                        )
                        .execute(conn)
                        .await?;
                    }
                    Ok::<(), TxError>(())
                })
                .await?;
                Ok(())
            }

            /// `last_assigned_at = at`, creating the agent's row with default settings if needed.
            async fn touch_agent(conn: &mut Conn, client: &str, agent: &str, at: NaiveDateTime) -> QueryResult<usize> {
                diesel::insert_into(agent_settings::table)
                    .values((
                        agent_settings::client_id.eq(client),
                        agent_settings::user_id.eq(agent),
                        agent_settings::available.eq(true),
                        agent_settings::capacity.eq(None::<i32>),
                        agent_settings::categories.eq("[]"),
                        agent_settings::last_assigned_at.eq(Some(at)),
                        agent_settings::updated_at.eq(at),
                    ))
                    .on_conflict((agent_settings::client_id, agent_settings::user_id))
                    .do_update()
                    .set(agent_settings::last_assigned_at.eq(Some(at)))
                    .execute(conn)
                    .await
            }

            pub(crate) async fn record_manual_assignment(
                conn: &mut Conn,
                client: ClientId,
                ticket: TicketId,
                agent: Option<UserId>,
                now: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                let at = db_time(now);
                conn.$write_tx(async |conn: &mut Conn| {
                    if let Some(agent) = &agent {
                        touch_agent(conn, client.0.as_str(), agent.as_str(), at).await?;
                    }
                    diesel::delete(
                        assignment_backlog::table
                            .filter(assignment_backlog::client_id.eq(client.0.as_str()))
                            .filter(assignment_backlog::ticket_id.eq(ticket.to_string())),
                    )
                    .execute(conn)
                    .await?;
                    Ok::<(), TxError>(())
                })
                .await?;
                Ok(())
            }
        }
    };
}
pub(crate) use assignment_queries;

/// What every expansion of [`assignment_queries!`] uses.
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub(crate) use super::{
        active_statuses, capacity_column, categories_to_json, rules_from_json, rules_to_json, settings_from_row,
    };
    pub(crate) use crate::assignment_schema::{
        agent_settings, assignment_backlog, assignment_cursors, assignment_rules, assignment_state,
    };
    pub(crate) use crate::error::{TxError, translate};
    pub(crate) use crate::rows::{CommitRows, TicketRow, db_time, utc};
    pub(crate) use crate::schema::tickets;
    pub(crate) use chrono::{DateTime, NaiveDateTime, Utc};
    pub(crate) use diesel::prelude::*;
    pub(crate) use diesel_async::{AsyncConnection, RunQueryDsl};
    pub(crate) use memberdesk_domain::assignment::{AgentSettings, AssignmentRules, RoundRobinCursor};
    pub(crate) use memberdesk_domain::assignment_ports::{AgentRecord, AssignmentSnapshot, AssignmentWrite};
    pub(crate) use memberdesk_domain::ports::Commit;
    pub(crate) use memberdesk_domain::{ClientId, OutboxMessage, StoreError, Ticket, TicketId, UserId};
    pub(crate) use std::collections::{BTreeMap, BTreeSet};
}
