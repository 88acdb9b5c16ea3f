//! Manual assignment by an admin.

use super::{Decision, Desk};
use crate::access::{self, Action, Actor};
use crate::error::DeskError;
use crate::event::Change;
use crate::ids::{TicketId, UserId};
use crate::ticket::Ticket;
use crate::validation::FieldErrors;

impl Desk {
    /// Assigns the ticket to a staff user of the same client, or unassigns it with `None`.
    pub async fn assign_ticket(
        &self,
        actor: &Actor,
        ticket_id: TicketId,
        assignee: Option<&str>,
        expected_version: Option<i64>,
    ) -> Result<Ticket, DeskError> {
        // Role first, so a user learns "forbidden" before anything about the assignee.
        self.load_for(actor, ticket_id, Action::Assign).await?;
        let assignee = match assignee.map(str::trim) {
            None => None,
            Some("") => return Err(FieldErrors::single("assigneeId", "must be a staff user's id or null").into()),
            Some(id) => {
                let id = UserId::new(id);
                match self.users.get_user(&actor.client_id, &id).await? {
                    Some(user) if user.is_staff() => Some(id),
                    _ => {
                        return Err(FieldErrors::single("assigneeId", "is not a staff user of this desk").into());
                    }
                }
            }
        };
        access::authorize(actor, Action::Assign)?;
        let (ticket, _) = self
            .change_ticket(actor, ticket_id, Action::Assign, expected_version, |ticket, _now| {
                if ticket.assignee_id == assignee {
                    return Ok(Decision::default());
                }
                let from = std::mem::replace(&mut ticket.assignee_id, assignee.clone());
                Ok(Decision {
                    changes: vec![Change::AssigneeChanged { from, to: assignee.clone() }],
                    ..Decision::default()
                })
            })
            .await?;
        Ok(ticket)
    }
}
