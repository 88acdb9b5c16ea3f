//! Assignment's port on [`Store`] (issue 6). Declared after the `read!`/`write!` macros of the
//! crate root, which it uses (`assignment::…` names what `assignment_queries!` expands into
//! `pg::assignment` and `sqlite::assignment`).

use crate::{Inner, Store, bounded, detached, pg, sqlite};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use memberdesk_domain::assignment::{AgentSettings, AssignmentRules};
use memberdesk_domain::assignment_ports::{AgentRecord, AssignmentSnapshot, AssignmentStore, AssignmentWrite};
use memberdesk_domain::{ClientId, OutboxMessage, StoreError, Ticket, TicketId, UserId};

#[async_trait]
impl AssignmentStore for Store {
    async fn assignment_rules(&self, client: &ClientId) -> Result<AssignmentRules, StoreError> {
        read!(self, assignment::assignment_rules(client))
    }

    async fn put_assignment_rules(
        &self,
        client: &ClientId,
        rules: &AssignmentRules,
        now: DateTime<Utc>,
        outbox: OutboxMessage,
    ) -> Result<(), StoreError> {
        let (client, rules) = (client.clone(), rules.clone());
        write!(self, assignment::put_assignment_rules(client, rules, now, outbox))
    }

    async fn list_agent_records(&self, client: &ClientId) -> Result<Vec<AgentRecord>, StoreError> {
        read!(self, assignment::list_agent_records(client))
    }

    async fn put_agent_settings(
        &self,
        client: &ClientId,
        user: &UserId,
        settings: &AgentSettings,
        now: DateTime<Utc>,
        outbox: OutboxMessage,
    ) -> Result<(), StoreError> {
        let (client, user, settings) = (client.clone(), user.clone(), settings.clone());
        write!(self, assignment::put_agent_settings(client, user, settings, now, outbox))
    }

    async fn assignment_snapshot(&self, client: &ClientId) -> Result<AssignmentSnapshot, StoreError> {
        read!(self, assignment::assignment_snapshot(client))
    }

    async fn backlog(&self, client: &ClientId, limit: u32) -> Result<Vec<Ticket>, StoreError> {
        read!(self, assignment::backlog(client, limit))
    }

    async fn commit_assignment(&self, write: AssignmentWrite) -> Result<(), StoreError> {
        write!(self, assignment::commit_assignment(write))
    }

    async fn record_manual_assignment(
        &self,
        client: &ClientId,
        ticket: TicketId,
        agent: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let client = client.clone();
        write!(self, assignment::record_manual_assignment(client, ticket, agent, now))
    }
}
