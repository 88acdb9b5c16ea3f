//! Reading one ticket: its details with the conversation, and its history.

use super::Desk;
use crate::access::{Action, Actor};
use crate::error::DeskError;
use crate::event::TicketEvent;
use crate::ids::TicketId;
use crate::response::Response;
use crate::ticket::Ticket;

/// A ticket with the responses the reader may see, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketDetails {
    pub ticket: Ticket,
    pub responses: Vec<Response>,
}

impl Desk {
    /// The ticket with its conversation. Members never receive internal notes.
    pub async fn get_ticket(&self, actor: &Actor, id: TicketId) -> Result<TicketDetails, DeskError> {
        let ticket = self.load_for(actor, id, Action::ViewTicket).await?;
        let ticket = self.present_one(actor, ticket).await?;
        let responses = self.tickets.list_responses(&actor.client_id, id, actor.is_staff()).await?;
        Ok(TicketDetails { ticket, responses })
    }

    /// Every change to the ticket, oldest first. Members never see note events.
    pub async fn ticket_history(&self, actor: &Actor, id: TicketId) -> Result<Vec<TicketEvent>, DeskError> {
        self.load_for(actor, id, Action::ViewHistory).await?;
        Ok(self.tickets.list_events(&actor.client_id, id, actor.is_staff()).await?)
    }
}
