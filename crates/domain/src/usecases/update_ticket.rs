//! Editing a ticket's subject, description, category and priority.

use super::{Decision, Desk};
use crate::access::{self, Action, Actor};
use crate::error::DeskError;
use crate::event::Change;
use crate::ids::{CategoryId, TicketId};
use crate::ticket::{Description, Priority, Subject, Ticket};
use crate::validation::FieldErrors;

/// The fields to change; `None` leaves a field as it is. `category_id: Some(None)` clears the
/// category.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketPatchInput {
    pub subject: Option<String>,
    pub description: Option<String>,
    pub category_id: Option<Option<String>>,
    pub priority: Option<String>,
}

impl Desk {
    /// Staff edit subject, description and category; only admins change priority.
    pub async fn update_ticket(
        &self,
        actor: &Actor,
        ticket_id: TicketId,
        patch: TicketPatchInput,
        expected_version: Option<i64>,
    ) -> Result<Ticket, DeskError> {
        let current = self.load_for(actor, ticket_id, Action::EditTicket).await?;

        let mut errors = FieldErrors::new();
        if patch.subject.is_none()
            && patch.description.is_none()
            && patch.category_id.is_none()
            && patch.priority.is_none()
        {
            errors.add("body", "must set at least one of subject, description, categoryId, priority");
        }
        let subject = patch.subject.as_deref().and_then(|v| errors.check("subject", Subject::new(v)));
        let description = patch.description.as_deref().and_then(|v| errors.check("description", Description::new(v)));
        let priority = patch.priority.as_deref().and_then(|v| errors.check("priority", Priority::parse(v.trim())));
        let category = match &patch.category_id {
            None => None,
            Some(None) => Some(None),
            Some(Some(value)) => match value.trim().parse::<CategoryId>() {
                Ok(id) if Some(id) == current.category_id => Some(Some(id)),
                Ok(id) if self.tickets.category_usable(&actor.client_id, id).await? => Some(Some(id)),
                Ok(_) => {
                    errors.add("categoryId", "is not an active category of this desk");
                    None
                }
                Err(_) => {
                    errors.add("categoryId", "must be a UUID or null");
                    None
                }
            },
        };
        errors.into_result()?;
        if priority.is_some_and(|p| p != current.priority) {
            access::authorize(actor, Action::ChangePriority)?;
        }

        let (ticket, _) = self
            .change_ticket(actor, ticket_id, Action::EditTicket, expected_version, |ticket, _now| {
                let mut changes = Vec::new();
                if let Some(to) = &subject
                    && *to != ticket.subject
                {
                    let from = std::mem::replace(&mut ticket.subject, to.clone());
                    changes.push(Change::SubjectChanged { from: from.as_str().into(), to: to.as_str().into() });
                }
                if let Some(to) = &description
                    && *to != ticket.description
                {
                    let from = std::mem::replace(&mut ticket.description, to.clone());
                    changes.push(Change::DescriptionChanged { from: from.as_str().into(), to: to.as_str().into() });
                }
                if let Some(to) = category
                    && to != ticket.category_id
                {
                    let from = std::mem::replace(&mut ticket.category_id, to);
                    changes.push(Change::CategoryChanged { from, to });
                }
                if let Some(to) = priority
                    && to != ticket.priority
                {
                    let from = std::mem::replace(&mut ticket.priority, to);
                    changes.push(Change::PriorityChanged { from, to });
                }
                Ok(Decision { changes, ..Decision::default() })
            })
            .await?;
        Ok(ticket)
    }
}
