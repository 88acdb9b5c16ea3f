//! The queue: listing with filters and keyset pages, and its statistics.

use super::Desk;
use crate::access::{self, Action, Actor};
use crate::error::DeskError;
use crate::query::{Cursor, Page, QueueStats, RawTicketQuery, TicketQuery};
use crate::ticket::Ticket;

impl Desk {
    /// Staff list all of the client's tickets; members only their own.
    pub async fn list_tickets(&self, actor: &Actor, raw: &RawTicketQuery) -> Result<Page<Ticket>, DeskError> {
        access::authorize(actor, Action::ViewTicket)?;
        let mut query = TicketQuery::parse(raw)?;
        if !actor.is_staff() {
            query.filter.member_id = Some(actor.user_id.clone());
        }
        let mut page = self
            .tickets
            .list_tickets(&actor.client_id, &query.filter, query.sort, query.cursor.as_ref(), query.limit)
            .await?;
        self.present(actor, &mut page.items).await?;
        // The store fetched one page; a full page means there may be more after its last item.
        page.next_cursor = match page.items.last() {
            Some(last) if page.items.len() == query.limit as usize => Some(Cursor::after(query.sort, last).encode()),
            _ => None,
        };
        Ok(page)
    }

    /// Counts and timings over the tickets the same filters select (staff only).
    pub async fn queue_stats(&self, actor: &Actor, raw: &RawTicketQuery) -> Result<QueueStats, DeskError> {
        access::authorize(actor, Action::ViewQueueStats)?;
        let query = TicketQuery::parse(raw)?;
        let mut stats = self.tickets.queue_stats(&actor.client_id, &query.filter).await?;
        stats.sla = self.sla.sla_report(&actor.client_id, &query.filter).await?;
        let now = self.clock.now();
        stats.oldest_open_age_seconds = stats.oldest_open_created_at.map(|at| (now - at).num_seconds().max(0));
        Ok(stats)
    }
}
