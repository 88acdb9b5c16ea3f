//! The outbox consumer of automatic assignment (issue 6): runs on the outbox worker, so a
//! request never waits for an assignment decision.
//!
//! | topic | does |
//! |---|---|
//! | `ticket.created` | decides the new ticket ([`Desk::auto_assign`]) |
//! | `ticket.category_changed` | decides it again under its new category |
//! | `ticket.status_changed` to `resolved`/`closed` | drains the backlog (a load went down) |
//! | `ticket.assignee_changed` away from someone | drains the backlog |
//! | `assignment.agent_changed`, `assignment.rules_changed` | drains the backlog |
//!
//! Every action is safe to repeat (at least once): a ticket already assigned is kept, a drain
//! with nothing waiting writes nothing.

use super::Desk;
use super::assignment::{AssignmentTrigger, TOPIC_AGENT_CHANGED, TOPIC_RULES_CHANGED};
use crate::error::{DeskError, StoreError};
use crate::event::{Change, TicketEvent};
use crate::notify::{Delivery, DeliveryError, OutboxConsumer};
use crate::outbox::OutboxMessage;
use crate::ticket::Status;
use async_trait::async_trait;

/// The consumer's name in the outbox's delivery records.
pub const ASSIGNMENT_CONSUMER: &str = "assignment";

const TOPICS: [&str; 6] = [
    "ticket.created",
    "ticket.category_changed",
    "ticket.status_changed",
    "ticket.assignee_changed",
    TOPIC_AGENT_CHANGED,
    TOPIC_RULES_CHANGED,
];

/// Automatic assignment as an outbox consumer, over a desk.
#[derive(Clone)]
pub struct AssignmentConsumer {
    desk: Desk,
}

impl AssignmentConsumer {
    pub fn new(desk: Desk) -> AssignmentConsumer {
        AssignmentConsumer { desk }
    }

    async fn act(&self, message: &OutboxMessage) -> Result<Delivery, DeskError> {
        let client = &message.client_id;
        let trigger = match message.topic.as_str() {
            "ticket.created" => Some(AssignmentTrigger::Created),
            "ticket.category_changed" => Some(AssignmentTrigger::CategoryChanged),
            _ => None,
        };
        if let Some(trigger) = trigger {
            let Some(ticket) = message.ticket_id else {
                return Ok(Delivery::NotNeeded);
            };
            self.desk.auto_assign(client, ticket, trigger).await?;
            return Ok(Delivery::Sent);
        }
        if frees_capacity(message) {
            self.desk.drain_backlog(client).await?;
            return Ok(Delivery::Sent);
        }
        Ok(Delivery::NotNeeded)
    }
}

/// Could the message mean that an agent has room now?
fn frees_capacity(message: &OutboxMessage) -> bool {
    match message.topic.as_str() {
        TOPIC_AGENT_CHANGED | TOPIC_RULES_CHANGED => true,
        "ticket.status_changed" | "ticket.assignee_changed" => {
            match serde_json::from_value::<TicketEvent>(message.payload.clone()).map(|e| e.change) {
                Ok(Change::StatusChanged { to, .. }) => matches!(to, Status::Resolved | Status::Closed),
                Ok(Change::AssigneeChanged { from, .. }) => from.is_some(),
                // An unreadable payload: draining is harmless.
                _ => true,
            }
        }
        _ => false,
    }
}

#[async_trait]
impl OutboxConsumer for AssignmentConsumer {
    fn name(&self) -> &'static str {
        ASSIGNMENT_CONSUMER
    }

    fn wants(&self, topic: &str) -> bool {
        TOPICS.contains(&topic)
    }

    async fn deliver(&self, message: &OutboxMessage) -> Result<Delivery, DeliveryError> {
        self.act(message).await.map_err(|error| match error {
            DeskError::Contended | DeskError::Store(StoreError::Unavailable(_) | StoreError::VersionConflict) => {
                DeliveryError::Transient(error.to_string())
            }
            DeskError::Store(StoreError::Other(_)) => DeliveryError::Transient(error.to_string()),
            other => DeliveryError::Permanent(other.to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ClientId, EventId, TicketId, UserId};
    use chrono::Utc;

    fn message(change: Change) -> OutboxMessage {
        let event = TicketEvent {
            id: EventId::new(),
            ticket_id: TicketId::new(),
            client_id: ClientId::new("c"),
            actor_id: UserId::new("u"),
            actor_name: "U".into(),
            at: Utc::now(),
            change,
        };
        OutboxMessage::for_event(&event)
    }

    #[test]
    fn capacity_frees_when_a_ticket_ends_or_leaves_an_agent() {
        let status = |to| message(Change::StatusChanged { from: Status::Open, to });
        assert!(frees_capacity(&status(Status::Resolved)));
        assert!(frees_capacity(&status(Status::Closed)));
        assert!(!frees_capacity(&status(Status::InProgress)));
        let moved = |from: Option<&str>| {
            message(Change::AssigneeChanged { from: from.map(UserId::new), to: None, assigned_by: None })
        };
        assert!(frees_capacity(&moved(Some("ann"))));
        assert!(!frees_capacity(&moved(None)));
        let mut rules = status(Status::Open);
        rules.topic = TOPIC_RULES_CHANGED.into();
        assert!(frees_capacity(&rules));
        let mut created = status(Status::Open);
        created.topic = "ticket.created".into();
        assert!(!frees_capacity(&created));
    }
}
