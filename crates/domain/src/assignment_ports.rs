//! The assignment port (issue 6, `docs/assignment.md`): agent settings and loads, the rules,
//! the round-robin cursors, the backlog, and the guarded commit of automatic assignments.
//!
//! Held as `Arc<dyn …>`, hence `async_trait`; with the `mocks` feature mockall implements it
//! (`MockAssignmentStore`).

use crate::assignment::{AgentProfile, AgentSettings, AssignmentRules, CursorUpdate, Cursors};
use crate::error::StoreError;
use crate::ids::{ClientId, TicketId, UserId};
use crate::outbox::OutboxMessage;
use crate::ports::Commit;
use crate::ticket::Ticket;
use crate::user::DirectoryUser;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A staff user as an agent: who they are, their settings, their current load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentRecord {
    pub user: DirectoryUser,
    pub settings: AgentSettings,
    /// Active tickets (open, in progress, waiting) assigned to them.
    pub load: u32,
    pub last_assigned_at: Option<DateTime<Utc>>,
}

impl AgentRecord {
    pub fn profile(&self) -> AgentProfile {
        AgentProfile::new(self.user.id.clone(), self.settings.clone(), self.load, self.last_assigned_at)
    }
}

/// What automatic assignment decides on, read in this order: the client's generation first,
/// then the rules, the agents with their loads, and the cursors. A commit made on it succeeds
/// only if the generation is still the same.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AssignmentSnapshot {
    /// 0 when the client never had an automatic assignment committed.
    pub generation: i64,
    pub rules: AssignmentRules,
    pub agents: Vec<AgentProfile>,
    pub cursors: Cursors,
}

/// One ticket given to an agent by a rule: its new state (version already raised) and the
/// history event and outbox rows that go with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketAssignment {
    pub ticket: Ticket,
    pub expected_version: i64,
    pub agent: UserId,
    pub commit: Commit,
}

/// Everything one automatic-assignment step writes, in ONE transaction, or nothing:
///
/// 1. compare-and-set of the client's generation (`snapshot.generation` → +1);
/// 2. each ticket's update, guarded by its version;
/// 3. each round-robin cursor, compare-and-set on `turns`;
/// 4. each assigned agent's load re-counted: above their capacity is a conflict;
/// 5. `last_assigned_at = now` for each assigned agent;
/// 6. the backlog: `waiting` rows in (or kept), `leave_backlog` rows out.
///
/// Any guard failing is `StoreError::VersionConflict`: the caller decides again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentWrite {
    pub client_id: ClientId,
    pub generation: i64,
    pub now: DateTime<Utc>,
    pub assignments: Vec<TicketAssignment>,
    pub cursors: Vec<CursorUpdate>,
    /// (ticket, name of the rule it waits for).
    pub waiting: Vec<(TicketId, String)>,
    pub leave_backlog: Vec<TicketId>,
}

#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait AssignmentStore: Send + Sync {
    /// The client's rules (empty when never set).
    async fn assignment_rules(&self, client: &ClientId) -> Result<AssignmentRules, StoreError>;

    /// Replaces the client's rules and writes `outbox` (the backlog is drained again) with it.
    async fn put_assignment_rules(
        &self,
        client: &ClientId,
        rules: &AssignmentRules,
        now: DateTime<Utc>,
        outbox: OutboxMessage,
    ) -> Result<(), StoreError>;

    /// Every staff user of the client as an agent, by name: settings (defaults when never
    /// set) and load, counted in one aggregate query.
    async fn list_agent_records(&self, client: &ClientId) -> Result<Vec<AgentRecord>, StoreError>;

    /// Stores a staff user's settings, with `outbox` (capacity may have freed) in the same
    /// transaction.
    async fn put_agent_settings(
        &self,
        client: &ClientId,
        user: &UserId,
        settings: &AgentSettings,
        now: DateTime<Utc>,
        outbox: OutboxMessage,
    ) -> Result<(), StoreError>;

    /// The state automatic assignment decides on (see [`AssignmentSnapshot`]).
    async fn assignment_snapshot(&self, client: &ClientId) -> Result<AssignmentSnapshot, StoreError>;

    /// Up to `limit` waiting tickets that are still active and unassigned, in backlog order:
    /// highest priority first, then oldest, then id.
    async fn backlog(&self, client: &ClientId, limit: u32) -> Result<Vec<Ticket>, StoreError>;

    /// Commits one step of automatic assignment (see [`AssignmentWrite`]).
    async fn commit_assignment(&self, write: AssignmentWrite) -> Result<(), StoreError>;

    /// After a manual assignment: the agent's `last_assigned_at` (when `agent` is given) and
    /// the ticket out of the backlog (an admin decided).
    async fn record_manual_assignment(
        &self,
        client: &ClientId,
        ticket: TicketId,
        agent: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
}

/// No assignment: no rules, no agents, nothing waits; writes are accepted and dropped. For
/// desks (tests, embedded uses) that do not assign automatically.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoAssignment;

#[async_trait]
impl AssignmentStore for NoAssignment {
    async fn assignment_rules(&self, _: &ClientId) -> Result<AssignmentRules, StoreError> {
        Ok(AssignmentRules::default())
    }
    async fn put_assignment_rules(
        &self,
        _: &ClientId,
        _: &AssignmentRules,
        _: DateTime<Utc>,
        _: OutboxMessage,
    ) -> Result<(), StoreError> {
        Ok(())
    }
    async fn list_agent_records(&self, _: &ClientId) -> Result<Vec<AgentRecord>, StoreError> {
        Ok(Vec::new())
    }
    async fn put_agent_settings(
        &self,
        _: &ClientId,
        _: &UserId,
        _: &AgentSettings,
        _: DateTime<Utc>,
        _: OutboxMessage,
    ) -> Result<(), StoreError> {
        Ok(())
    }
    async fn assignment_snapshot(&self, _: &ClientId) -> Result<AssignmentSnapshot, StoreError> {
        Ok(AssignmentSnapshot::default())
    }
    async fn backlog(&self, _: &ClientId, _: u32) -> Result<Vec<Ticket>, StoreError> {
        Ok(Vec::new())
    }
    async fn commit_assignment(&self, _: AssignmentWrite) -> Result<(), StoreError> {
        Ok(())
    }
    async fn record_manual_assignment(
        &self,
        _: &ClientId,
        _: TicketId,
        _: Option<UserId>,
        _: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        Ok(())
    }
}
