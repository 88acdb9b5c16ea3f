//! Side effects to deliver after a change commits (emails, CRM notes, summaries, assignment).
//! Written in the same transaction as the change; delivered by workers at least once.

use crate::event::TicketEvent;
use crate::ids::{ClientId, TicketId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub id: Uuid,
    pub client_id: ClientId,
    pub ticket_id: Option<TicketId>,
    /// e.g. `ticket.status_changed`.
    pub topic: String,
    pub payload: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

impl OutboxMessage {
    /// One message per event: consumers pick the topics they care for. The message id is the
    /// event id, so a redelivery is recognisably the same message.
    pub fn for_event(event: &TicketEvent) -> OutboxMessage {
        OutboxMessage {
            id: event.id.0,
            client_id: event.client_id.clone(),
            ticket_id: Some(event.ticket_id),
            topic: format!("ticket.{}", event.change.name()),
            payload: serde_json::to_value(event).unwrap_or(serde_json::Value::Null),
            created_at: event.at,
        }
    }
}
