//! Moving a ticket through the workflow.

use super::{Decision, Desk};
use crate::access::{Action, Actor};
use crate::error::DeskError;
use crate::event::Change;
use crate::ids::TicketId;
use crate::ticket::{Status, Ticket};
use crate::validation::FieldErrors;
use crate::workflow;

impl Desk {
    /// Changes the status. Setting the status a ticket already has changes nothing and is not
    /// an error (a retried request must not fail).
    pub async fn change_status(
        &self,
        actor: &Actor,
        ticket_id: TicketId,
        status: &str,
        expected_version: Option<i64>,
    ) -> Result<Ticket, DeskError> {
        let to = match Status::parse(status.trim()) {
            Ok(to) => to,
            Err(message) => {
                self.load_for(actor, ticket_id, Action::ViewTicket).await?;
                return Err(FieldErrors::single("status", message).into());
            }
        };
        let (ticket, _) = self
            .change_ticket(actor, ticket_id, Action::ChangeStatus(to), expected_version, |ticket, now| {
                if ticket.status == to {
                    return Ok(Decision::default());
                }
                let from = workflow::transition(ticket, to, now)?;
                Ok(Decision { changes: vec![Change::StatusChanged { from, to }], ..Decision::default() })
            })
            .await?;
        Ok(ticket)
    }
}
