//! The automatic summary regeneration's port on [`Store`] (issue 8). Declared after the
//! `read!`/`write!` macros of the crate root, which it uses (`refresh::…` names what
//! `refresh_queries!` expands into `pg::refresh` and `sqlite::refresh`).

use crate::{Inner, Store, detached, pg, sqlite};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use memberdesk_domain::refresh_ports::{ClaimedRefresh, RefreshRetry, SummaryRefreshStore};
use memberdesk_domain::{ClientId, StoreError, TicketId};

#[async_trait]
impl SummaryRefreshStore for Store {
    async fn schedule_refresh(
        &self,
        client: &ClientId,
        ticket: TicketId,
        due_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let client = client.clone();
        write!(self, refresh::schedule_refresh(client, ticket, due_at))
    }

    async fn claim_refreshes(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<ClaimedRefresh>, StoreError> {
        write!(self, refresh::claim_refreshes(now, lease_until, limit))
    }

    async fn finish_refresh(&self, claim: &ClaimedRefresh) -> Result<(), StoreError> {
        let claim = claim.clone();
        write!(self, refresh::finish_refresh(claim))
    }

    async fn retry_refresh(&self, claim: &ClaimedRefresh, retry: RefreshRetry) -> Result<(), StoreError> {
        let claim = claim.clone();
        write!(self, refresh::retry_refresh(claim, retry))
    }
}
