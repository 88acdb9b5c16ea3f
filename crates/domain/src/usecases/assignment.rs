//! Assignment (issue 6, `docs/assignment.md`): agents' settings and loads, the rules, and the
//! automatic assignment the outbox worker runs (on creation, on a category change, and when
//! capacity frees).
//!
//! Automatic assignment decides on a snapshot ([`AssignmentSnapshot`]) with the pure functions
//! of [`crate::assignment`] and commits through [`AssignmentStore::commit_assignment`], which
//! checks the client's generation, the tickets' versions, the cursors' `turns` and the agents'
//! capacity in the same transaction. A lost race is decided again on a fresh snapshot.

use super::Desk;
use crate::access::{self, Action, Actor, SYSTEM_USER_ID, SYSTEM_USER_NAME};
use crate::assignment::{
    AgentSettings, AgentSettingsInput, AssignedBy, AssignmentDecision, AssignmentRules, AssignmentRulesInput,
    AutoAssignment, CurrentAssignment, TicketFacts, WaitingTicket, decide, decide_on_category_change, plan_backlog,
};
use crate::assignment_ports::{AgentRecord, AssignmentWrite, TicketAssignment};
use crate::error::{DeskError, StoreError};
use crate::event::{Change, TicketEvent};
use crate::ids::{ClientId, EventId, TicketId, UserId};
use crate::outbox::OutboxMessage;
use crate::ports::Commit;
use crate::ticket::Ticket;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// Decide-and-commit rounds before giving up (`DeskError::Contended`; the outbox retries).
const MAX_ROUNDS: usize = 100;
/// Waiting tickets planned per transaction when the backlog drains.
const BACKLOG_BATCH: u32 = 100;

/// Outbox topic written when an agent's settings change (capacity may have freed).
pub const TOPIC_AGENT_CHANGED: &str = "assignment.agent_changed";
/// Outbox topic written when the rules change (the backlog is decided again).
pub const TOPIC_RULES_CHANGED: &str = "assignment.rules_changed";

/// What triggers automatic assignment of one ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignmentTrigger {
    Created,
    CategoryChanged,
}

/// What automatic assignment did with one ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AutoAssignOutcome {
    Assigned(AutoAssignment),
    /// A rule matched, nobody of it is eligible: the ticket waits in the backlog.
    Waiting {
        rule_name: String,
    },
    /// No rule matches.
    Unmatched,
    /// Nothing to do: the ticket is gone, inactive, already assigned, or kept as it is.
    Kept,
}

/// A change to an agent's settings. A field left out keeps its value; `capacity: Some(None)`
/// removes the limit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgentUpdate {
    pub available: Option<bool>,
    pub capacity: Option<Option<i64>>,
    pub categories: Option<Vec<String>>,
}

impl AgentUpdate {
    fn only_availability(&self) -> bool {
        self.capacity.is_none() && self.categories.is_none()
    }
}

impl Desk {
    /// The client's agents: every staff user of the directory, by name, with their settings
    /// and current load (staff only). A desk without assignment storage (`NoAssignment`) still
    /// lists its staff, with the default settings and no load.
    pub async fn list_agent_records(&self, actor: &Actor) -> Result<Vec<AgentRecord>, DeskError> {
        access::authorize(actor, Action::ListAgents)?;
        let staff = self.users.list_staff(&actor.client_id).await?;
        let mut known: BTreeMap<UserId, AgentRecord> = self
            .assignment
            .list_agent_records(&actor.client_id)
            .await?
            .into_iter()
            .map(|record| (record.user.id.clone(), record))
            .collect();
        Ok(staff
            .into_iter()
            .map(|user| match known.remove(&user.id) {
                Some(record) => AgentRecord { user, ..record },
                None => AgentRecord { user, settings: AgentSettings::default(), load: 0, last_assigned_at: None },
            })
            .collect())
    }

    /// Changes an agent's settings. An admin may set every field of any agent; a user only
    /// their own availability. Another client's (or an unknown) user is `NotFound("agent")`.
    pub async fn update_agent(
        &self,
        actor: &Actor,
        agent: &UserId,
        update: AgentUpdate,
    ) -> Result<AgentRecord, DeskError> {
        access::authorize(actor, Action::ListAgents)?;
        if !actor.is_admin() {
            if &actor.user_id != agent {
                return Err(DeskError::Forbidden("only an admin may change another agent's settings".into()));
            }
            if !update.only_availability() {
                return Err(DeskError::Forbidden("only an admin may change capacity or categories".into()));
            }
        }
        let client = &actor.client_id;
        let records = self.assignment.list_agent_records(client).await?;
        let current = records.into_iter().find(|r| &r.user.id == agent).ok_or(DeskError::NotFound("agent"))?;
        let mut input: AgentSettingsInput = current.settings.to_input();
        if let Some(available) = update.available {
            input.available = Some(available);
        }
        if let Some(capacity) = update.capacity {
            input.capacity = capacity;
        }
        if let Some(categories) = update.categories {
            input.categories = categories;
        }
        let settings = AgentSettings::from_input(&input)?;
        if let Some(unknown) = self.unknown_categories(client, &settings).await? {
            return Err(unknown.into());
        }
        let now = self.clock.now();
        let message =
            client_message(client, TOPIC_AGENT_CHANGED, serde_json::json!({ "agentId": agent.as_str() }), now);
        self.assignment.put_agent_settings(client, agent, &settings, now, message).await?;
        Ok(AgentRecord { settings, ..current })
    }

    async fn unknown_categories(
        &self,
        client: &ClientId,
        settings: &AgentSettings,
    ) -> Result<Option<crate::validation::FieldErrors>, DeskError> {
        if settings.categories.is_empty() {
            return Ok(None);
        }
        let known: Vec<_> = self.categories.list_categories(client, true).await?.into_iter().map(|c| c.id).collect();
        let mut errors = crate::validation::FieldErrors::new();
        for (i, category) in settings.categories.iter().enumerate() {
            if !known.contains(category) {
                errors.add(&format!("categories[{i}]"), format!("no category has the id {category}"));
            }
        }
        Ok(if errors.is_empty() { None } else { Some(errors) })
    }

    /// The client's assignment rules (staff).
    pub async fn assignment_rules(&self, actor: &Actor) -> Result<AssignmentRules, DeskError> {
        access::authorize(actor, Action::ListAgents)?;
        Ok(self.assignment.assignment_rules(&actor.client_id).await?)
    }

    /// Replaces the client's rules (admin): validated, then every agent and category they name
    /// must exist. The backlog is decided again under the new rules.
    pub async fn put_assignment_rules(
        &self,
        actor: &Actor,
        input: &AssignmentRulesInput,
    ) -> Result<AssignmentRules, DeskError> {
        access::authorize(actor, Action::ManageClientSettings)?;
        let rules = AssignmentRules::from_input(input)?;
        let client = &actor.client_id;
        let staff: Vec<UserId> = self.users.list_staff(client).await?.into_iter().map(|u| u.id).collect();
        let categories: Vec<_> =
            self.categories.list_categories(client, true).await?.into_iter().map(|c| c.id).collect();
        rules.check_references(|agent| staff.contains(agent), |category| categories.contains(category))?;
        let now = self.clock.now();
        let message = client_message(client, TOPIC_RULES_CHANGED, serde_json::json!({}), now);
        self.assignment.put_assignment_rules(client, &rules, now, message).await?;
        Ok(rules)
    }

    /// Automatic assignment of one ticket (the outbox worker, on `ticket.created` and
    /// `ticket.category_changed`). Safe to run again for the same message.
    pub async fn auto_assign(
        &self,
        client: &ClientId,
        ticket_id: TicketId,
        trigger: AssignmentTrigger,
    ) -> Result<AutoAssignOutcome, DeskError> {
        for _ in 0..MAX_ROUNDS {
            let snapshot = self.assignment.assignment_snapshot(client).await?;
            let Some(ticket) = self.tickets.get_ticket(client, ticket_id).await? else {
                return Ok(AutoAssignOutcome::Kept);
            };
            if !ticket.status.is_active() {
                return Ok(AutoAssignOutcome::Kept);
            }
            let facts = TicketFacts::of(&ticket);
            let decision = match trigger {
                AssignmentTrigger::Created if ticket.assignee_id.is_some() => return Ok(AutoAssignOutcome::Kept),
                AssignmentTrigger::Created => decide(&snapshot.rules, &facts, &snapshot.agents, &snapshot.cursors),
                AssignmentTrigger::CategoryChanged => {
                    let current = self.current_assignment(&ticket).await?;
                    match decide_on_category_change(
                        &snapshot.rules,
                        &facts,
                        &snapshot.agents,
                        &snapshot.cursors,
                        &current,
                    ) {
                        Some(decision) => decision,
                        None => return Ok(AutoAssignOutcome::Kept),
                    }
                }
            };
            let now = self.clock.now();
            let mut write = AssignmentWrite {
                client_id: client.clone(),
                generation: snapshot.generation,
                now,
                assignments: Vec::new(),
                cursors: Vec::new(),
                waiting: Vec::new(),
                leave_backlog: Vec::new(),
            };
            let outcome = match decision {
                AssignmentDecision::Assigned(assignment) => {
                    write.cursors.extend(assignment.cursor.clone());
                    write.leave_backlog.push(ticket.id);
                    write.assignments.push(assign(ticket, &assignment, now));
                    AutoAssignOutcome::Assigned(assignment)
                }
                AssignmentDecision::Waiting { rule, .. } => {
                    if ticket.assignee_id.is_some() {
                        // A rule never makes an owned ticket ownerless.
                        return Ok(AutoAssignOutcome::Kept);
                    }
                    write.waiting.push((ticket.id, rule.rule_name.clone()));
                    AutoAssignOutcome::Waiting { rule_name: rule.rule_name }
                }
                AssignmentDecision::Unmatched => {
                    if trigger == AssignmentTrigger::Created {
                        return Ok(AutoAssignOutcome::Unmatched);
                    }
                    write.leave_backlog.push(ticket.id);
                    AutoAssignOutcome::Unmatched
                }
            };
            match self.assignment.commit_assignment(write).await {
                Ok(()) => return Ok(outcome),
                Err(StoreError::VersionConflict) => continue,
                Err(other) => return Err(other.into()),
            }
        }
        Err(DeskError::Contended)
    }

    /// Assigns waiting tickets while agents have room: highest priority first, then oldest
    /// (`plan_backlog`), a batch per transaction. Returns how many were assigned.
    pub async fn drain_backlog(&self, client: &ClientId) -> Result<usize, DeskError> {
        let mut assigned = 0;
        let mut rounds = 0;
        loop {
            rounds += 1;
            if rounds > MAX_ROUNDS {
                return Err(DeskError::Contended);
            }
            let snapshot = self.assignment.assignment_snapshot(client).await?;
            let batch = self.assignment.backlog(client, BACKLOG_BATCH).await?;
            if batch.is_empty() {
                return Ok(assigned);
            }
            let full_batch = batch.len() >= BACKLOG_BATCH as usize;
            let now = self.clock.now();
            let waiting: Vec<WaitingTicket> = batch
                .iter()
                .map(|t| WaitingTicket { id: t.id, created_at: t.created_at, facts: TicketFacts::of(t) })
                .collect();
            let plan = plan_backlog(&snapshot.rules, &waiting, &snapshot.agents, &snapshot.cursors, now);
            if plan.assignments.is_empty() && plan.unmatched.is_empty() {
                return Ok(assigned);
            }
            let mut tickets: BTreeMap<TicketId, Ticket> = batch.into_iter().map(|t| (t.id, t)).collect();
            let mut write = AssignmentWrite {
                client_id: client.clone(),
                generation: snapshot.generation,
                now,
                assignments: Vec::new(),
                cursors: plan.cursor_updates.clone(),
                waiting: Vec::new(),
                leave_backlog: plan.unmatched.clone(),
            };
            for planned in &plan.assignments {
                if let Some(ticket) = tickets.remove(&planned.ticket_id) {
                    write.leave_backlog.push(ticket.id);
                    write.assignments.push(assign(ticket, &planned.assignment, now));
                }
            }
            let count = write.assignments.len();
            match self.assignment.commit_assignment(write).await {
                Ok(()) => {
                    assigned += count;
                    // Another batch only if this one was full and everyone still had room.
                    if !full_batch || !plan.still_waiting.is_empty() {
                        return Ok(assigned);
                    }
                }
                Err(StoreError::VersionConflict) => continue,
                Err(other) => return Err(other.into()),
            }
        }
    }

    /// Who holds the ticket and how they got it, from its latest assignment event. An
    /// assignment the history does not attribute to a rule counts as manual (rules leave it).
    async fn current_assignment(&self, ticket: &Ticket) -> Result<CurrentAssignment, DeskError> {
        let Some(holder) = ticket.assignee_id.clone() else {
            return Ok(CurrentAssignment::Unassigned);
        };
        let events = self.tickets.list_events(&ticket.client_id, ticket.id, true).await?;
        let by_rule = events.iter().rev().find_map(|event| match &event.change {
            Change::AssigneeChanged { assigned_by, .. } => Some(matches!(assigned_by, Some(AssignedBy::Rule { .. }))),
            _ => None,
        });
        Ok(if by_rule == Some(true) { CurrentAssignment::ByRule(holder) } else { CurrentAssignment::Manual(holder) })
    }
}

/// The ticket given to the assignment's agent, with its history event (by the desk itself,
/// naming the rule and strategy) and outbox row.
fn assign(mut ticket: Ticket, assignment: &AutoAssignment, now: DateTime<Utc>) -> TicketAssignment {
    let expected_version = ticket.version;
    let from = ticket.assignee_id.replace(assignment.agent.clone());
    ticket.version = expected_version + 1;
    ticket.updated_at = now;
    let event = TicketEvent {
        id: EventId::new(),
        ticket_id: ticket.id,
        client_id: ticket.client_id.clone(),
        actor_id: UserId::new(SYSTEM_USER_ID),
        actor_name: SYSTEM_USER_NAME.to_owned(),
        at: now,
        change: Change::AssigneeChanged {
            from,
            to: Some(assignment.agent.clone()),
            assigned_by: Some(assignment.assigned_by()),
        },
    };
    let commit = Commit { outbox: vec![OutboxMessage::for_event(&event)], events: vec![event], ..Commit::default() };
    TicketAssignment { ticket, expected_version, agent: assignment.agent.clone(), commit }
}

/// An outbox row about the client rather than one ticket.
fn client_message(client: &ClientId, topic: &str, payload: serde_json::Value, now: DateTime<Utc>) -> OutboxMessage {
    OutboxMessage {
        id: EventId::new().0,
        client_id: client.clone(),
        ticket_id: None,
        topic: topic.to_owned(),
        payload,
        created_at: now,
    }
}

/// The use cases over mocked ports: retries on a lost race, what is never written, role checks.
#[cfg(all(test, feature = "mocks"))]
mod tests {
    use super::*;
    use crate::access::Role;
    use crate::assignment::{AgentProfile, RuleInput};
    use crate::assignment_ports::{AssignmentSnapshot, MockAssignmentStore};
    use crate::ports::MockTicketStore;
    use crate::ticket::{Description, MemberRef, Priority, Status, Subject};
    use crate::usecases::{DeskPorts, mock_ports};
    use futures::executor::block_on;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn actor(user: &str, role: Role) -> Actor {
        Actor::new(UserId::new(user), ClientId::new("c"), "N".into(), "n@example.org".into(), vec![role])
            .unwrap_or_else(|| unreachable!())
    }

    fn ticket(assignee: Option<&str>) -> Ticket {
        Ticket {
            id: TicketId::new(),
            client_id: ClientId::new("c"),
            number: 1,
            subject: Subject::new("s").unwrap_or_else(|_| unreachable!()),
            description: Description::new("d").unwrap_or_else(|_| unreachable!()),
            status: Status::Open,
            priority: Priority::Medium,
            category_id: None,
            member: MemberRef { id: UserId::new("m"), name: "M".into(), email: "m@example.org".into() },
            assignee_id: assignee.map(UserId::new),
            created_at: Utc::now(),
            updated_at: Utc::now(),
            first_responded_at: None,
            resolved_at: None,
            closed_at: None,
            version: 3,
            sla: Default::default(),
        }
    }

    fn snapshot(generation: i64) -> AssignmentSnapshot {
        let rules = AssignmentRules::from_input(&AssignmentRulesInput {
            rules: vec![RuleInput {
                name: "Team".into(),
                pool: Some(vec!["ann".into(), "bob".into()]),
                strategy: Some("round_robin".into()),
                ..RuleInput::default()
            }],
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let agent = |id: &str| AgentProfile::new(UserId::new(id), AgentSettings::default(), 0, None);
        AssignmentSnapshot { generation, rules, agents: vec![agent("ann"), agent("bob")], cursors: Default::default() }
    }

    fn desk(tickets: MockTicketStore, assignment: MockAssignmentStore) -> Desk {
        Desk::new(DeskPorts { tickets: Arc::new(tickets), assignment: Arc::new(assignment), ..mock_ports() })
    }

    #[test]
    fn a_lost_race_is_decided_again_on_a_fresh_snapshot() {
        let open = ticket(None);
        let id = open.id;
        let mut tickets = MockTicketStore::new();
        tickets.expect_get_ticket().times(2).returning(move |_, _| Ok(Some(open.clone())));
        let mut store = MockAssignmentStore::new();
        let rounds = Arc::new(AtomicUsize::new(0));
        let seen = rounds.clone();
        store
            .expect_assignment_snapshot()
            .times(2)
            .returning(move |_| Ok(snapshot(seen.load(Ordering::SeqCst) as i64)));
        let counter = rounds.clone();
        store.expect_commit_assignment().times(2).returning(move |write| {
            let round = counter.fetch_add(1, Ordering::SeqCst);
            assert_eq!(write.generation, round as i64, "each round commits on its own snapshot");
            assert_eq!(write.assignments.len(), 1);
            let assignment = &write.assignments[0];
            assert_eq!((assignment.expected_version, assignment.ticket.version), (3, 4));
            assert_eq!(write.cursors.len(), 1, "round-robin moves its cursor in the same write");
            match &assignment.commit.events[0].change {
                Change::AssigneeChanged { assigned_by: Some(AssignedBy::Rule { rule_name, .. }), .. } => {
                    assert_eq!(rule_name, "Team");
                }
                other => panic!("{other:?}"),
            }
            if round == 0 { Err(StoreError::VersionConflict) } else { Ok(()) }
        });
        let outcome = block_on(desk(tickets, store).auto_assign(&ClientId::new("c"), id, AssignmentTrigger::Created));
        assert!(
            matches!(outcome, Ok(AutoAssignOutcome::Assigned(ref a)) if a.agent == UserId::new("ann")),
            "{outcome:?}"
        );
    }

    #[test]
    fn a_ticket_with_an_assignee_is_kept_and_nothing_is_written() {
        let held = ticket(Some("bob"));
        let id = held.id;
        let mut tickets = MockTicketStore::new();
        tickets.expect_get_ticket().returning(move |_, _| Ok(Some(held.clone())));
        let mut store = MockAssignmentStore::new();
        store.expect_assignment_snapshot().returning(|_| Ok(snapshot(0)));
        store.expect_commit_assignment().never();
        let outcome = block_on(desk(tickets, store).auto_assign(&ClientId::new("c"), id, AssignmentTrigger::Created));
        assert_eq!(outcome.ok(), Some(AutoAssignOutcome::Kept));
    }

    #[test]
    fn a_store_failure_is_not_retried_here() {
        let mut tickets = MockTicketStore::new();
        let open = ticket(None);
        let id = open.id;
        tickets.expect_get_ticket().times(1).returning(move |_, _| Ok(Some(open.clone())));
        let mut store = MockAssignmentStore::new();
        store.expect_assignment_snapshot().times(1).returning(|_| Ok(snapshot(0)));
        store.expect_commit_assignment().times(1).returning(|_| Err(StoreError::Unavailable("down".into())));
        let outcome = block_on(desk(tickets, store).auto_assign(&ClientId::new("c"), id, AssignmentTrigger::Created));
        assert!(matches!(outcome, Err(DeskError::Store(StoreError::Unavailable(_)))), "{outcome:?}");
    }

    #[test]
    fn users_change_only_their_own_availability_and_members_nothing() {
        // No expectations: any store call would panic.
        let desk = desk(MockTicketStore::new(), MockAssignmentStore::new());
        let ann = actor("ann", Role::ClientUser);
        let forbidden = |result: Result<AgentRecord, DeskError>| matches!(result, Err(DeskError::Forbidden(_)));
        let available = AgentUpdate { available: Some(false), ..AgentUpdate::default() };
        assert!(forbidden(block_on(desk.update_agent(&ann, &UserId::new("bob"), available.clone()))));
        let capacity = AgentUpdate { capacity: Some(Some(3)), ..AgentUpdate::default() };
        assert!(forbidden(block_on(desk.update_agent(&ann, &UserId::new("ann"), capacity))));
        let categories = AgentUpdate { categories: Some(vec![]), ..AgentUpdate::default() };
        assert!(forbidden(block_on(desk.update_agent(&ann, &UserId::new("ann"), categories))));
        let member = actor("m", Role::Member);
        assert!(forbidden(block_on(desk.update_agent(&member, &UserId::new("m"), available))));
        let rules = AssignmentRulesInput::default();
        assert!(matches!(block_on(desk.put_assignment_rules(&ann, &rules)), Err(DeskError::Forbidden(_))));
        assert!(matches!(block_on(desk.assignment_rules(&member)), Err(DeskError::Forbidden(_))));
    }
}
