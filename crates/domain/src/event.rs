//! History: every change to a ticket is an event with actor, time and old/new values, stored
//! in the same transaction as the change.

use crate::ids::{CategoryId, ClientId, EventId, ResponseId, TicketId, UserId};
use crate::response::ResponseKind;
use crate::sla::SlaTarget;
use crate::ticket::{Priority, Status};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What changed. Serialized with a `type` tag; stores keep it as JSON text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum Change {
    Created {
        subject: String,
        status: Status,
        priority: Priority,
        category_id: Option<CategoryId>,
    },
    Replied {
        response_id: ResponseId,
    },
    NoteAdded {
        response_id: ResponseId,
    },
    StatusChanged {
        from: Status,
        to: Status,
    },
    PriorityChanged {
        from: Priority,
        to: Priority,
    },
    CategoryChanged {
        from: Option<CategoryId>,
        to: Option<CategoryId>,
    },
    SubjectChanged {
        from: String,
        to: String,
    },
    DescriptionChanged {
        from: String,
        to: String,
    },
    AssigneeChanged {
        from: Option<UserId>,
        to: Option<UserId>,
        /// Who or what chose the assignee: an admin, or a rule and its strategy. Absent in
        /// events recorded before assignment rules existed, and in the SLA's escalations.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        assigned_by: Option<crate::assignment::AssignedBy>,
    },
    /// The target reached its at-risk share (recorded once per target, by the SLA worker).
    SlaWarning {
        target: SlaTarget,
    },
    /// The target passed its due time (recorded once per target, by the SLA worker).
    SlaBreached {
        target: SlaTarget,
    },
    /// The ticket was flagged as escalated because the target breached.
    Escalated {
        target: SlaTarget,
    },
}

impl Change {
    /// The stable name of the change, used as the history entry's `type` and the outbox topic.
    pub fn name(&self) -> &'static str {
        match self {
            Change::Created { .. } => "created",
            Change::Replied { .. } => "replied",
            Change::NoteAdded { .. } => "note_added",
            Change::StatusChanged { .. } => "status_changed",
            Change::PriorityChanged { .. } => "priority_changed",
            Change::CategoryChanged { .. } => "category_changed",
            Change::SubjectChanged { .. } => "subject_changed",
            Change::DescriptionChanged { .. } => "description_changed",
            Change::AssigneeChanged { .. } => "assignee_changed",
            Change::SlaWarning { .. } => "sla_warning",
            Change::SlaBreached { .. } => "sla_breached",
            Change::Escalated { .. } => "escalated",
        }
    }

    /// Internal entries are never shown to members (notes, and the desk's SLA bookkeeping).
    pub fn is_internal(&self) -> bool {
        matches!(
            self,
            Change::NoteAdded { .. }
                | Change::SlaWarning { .. }
                | Change::SlaBreached { .. }
                | Change::Escalated { .. }
        )
    }

    pub fn for_response(kind: ResponseKind, response_id: ResponseId) -> Change {
        match kind {
            ResponseKind::Reply => Change::Replied { response_id },
            ResponseKind::Note => Change::NoteAdded { response_id },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketEvent {
    pub id: EventId,
    pub ticket_id: TicketId,
    pub client_id: ClientId,
    pub actor_id: UserId,
    pub actor_name: String,
    pub at: DateTime<Utc>,
    pub change: Change,
}

impl TicketEvent {
    pub fn is_internal(&self) -> bool {
        self.change.is_internal()
    }
}
