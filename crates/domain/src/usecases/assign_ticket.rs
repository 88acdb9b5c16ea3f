//! Manual assignment by an admin.

use super::{Decision, Desk};
use crate::access::{self, Action, Actor};
use crate::assignment::{AssignedBy, ManualAssignment, check_manual_assignment};
use crate::error::DeskError;
use crate::event::Change;
use crate::ids::{CategoryId, TicketId, UserId};
use crate::ticket::{Status, Ticket};
use crate::validation::FieldErrors;

/// A manual assignment's result: the ticket, and what it means for the agent (`None` when
/// unassigning). Never refused for capacity, availability or category: the report says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignOutcome {
    pub ticket: Ticket,
    pub report: Option<ManualAssignment>,
}

impl Desk {
    /// Assigns the ticket to a staff user of the same client, or unassigns it with `None`.
    pub async fn assign_ticket(
        &self,
        actor: &Actor,
        ticket_id: TicketId,
        assignee: Option<&str>,
        expected_version: Option<i64>,
    ) -> Result<Ticket, DeskError> {
        Ok(self.assign_ticket_reporting(actor, ticket_id, assignee, expected_version).await?.ticket)
    }

    /// As [`Desk::assign_ticket`], with the capacity report of `check_manual_assignment`. The
    /// history event names the admin (`assignedBy: manual`); the ticket leaves the backlog.
    pub async fn assign_ticket_reporting(
        &self,
        actor: &Actor,
        ticket_id: TicketId,
        assignee: Option<&str>,
        expected_version: Option<i64>,
    ) -> Result<AssignOutcome, DeskError> {
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
        let profile = match &assignee {
            Some(id) => self
                .assignment
                .list_agent_records(&actor.client_id)
                .await?
                .into_iter()
                .find(|record| &record.user.id == id)
                .map(|record| record.profile()),
            None => None,
        };
        let mut before: Option<(Status, Option<CategoryId>, bool)> = None;
        let assigned_by = AssignedBy::Manual { admin_id: actor.user_id.clone() };
        let (ticket, decision) = self
            .change_ticket(actor, ticket_id, Action::Assign, expected_version, |ticket, _now| {
                before = Some((ticket.status, ticket.category_id, ticket.assignee_id == assignee));
                if ticket.assignee_id == assignee {
                    return Ok(Decision::default());
                }
                let from = std::mem::replace(&mut ticket.assignee_id, assignee.clone());
                Ok(Decision {
                    changes: vec![Change::AssigneeChanged {
                        from,
                        to: assignee.clone(),
                        assigned_by: Some(assigned_by.clone()),
                    }],
                    ..Decision::default()
                })
            })
            .await?;
        if !decision.changes.is_empty() {
            self.assignment
                .record_manual_assignment(&actor.client_id, ticket.id, assignee.clone(), self.clock.now())
                .await?;
        }
        let report = match (profile, before) {
            (Some(profile), Some((status, category, already_theirs))) => {
                Some(check_manual_assignment(&profile, status, category, already_theirs))
            }
            _ => None,
        };
        Ok(AssignOutcome { ticket, report })
    }
}
