//! The stored summaries' port on [`Store`] (issue 8). Declared after the `read!`/`write!`
//! macros of the crate root, which it uses (`ai::…` names what `ai_queries!` expands into
//! `pg::ai` and `sqlite::ai`).

use crate::{Inner, Store, bounded, detached, pg, sqlite};
use async_trait::async_trait;
use memberdesk_domain::ai_ports::{StoredSummary, SummaryKind, SummaryStore};
use memberdesk_domain::{ClientId, StoreError, TicketId};

#[async_trait]
impl SummaryStore for Store {
    async fn latest_summary(
        &self,
        client: &ClientId,
        ticket: TicketId,
        kind: SummaryKind,
    ) -> Result<Option<StoredSummary>, StoreError> {
        read!(self, ai::latest_summary(client, ticket, kind))
    }

    async fn append_summary(&self, client: &ClientId, summary: StoredSummary) -> Result<StoredSummary, StoreError> {
        let client = client.clone();
        write!(self, ai::append_summary(client, summary))
    }

    async fn summary_history(
        &self,
        client: &ClientId,
        ticket: TicketId,
        kind: SummaryKind,
    ) -> Result<Vec<StoredSummary>, StoreError> {
        read!(self, ai::summary_history(client, ticket, kind))
    }
}
