//! The port of automatic summary regeneration (issue 8, `docs/ai.md`): one "refresh due at"
//! record per ticket. The outbox consumer schedules it when significant content arrives; the
//! refresh worker claims the due records, regenerates, and removes or reschedules them.
//!
//! A record is never lost: it is only removed by the worker that holds it, and only if nobody
//! scheduled it again since the claim (`requests` fences that); a failure reschedules it. Held
//! as `Arc<dyn …>`, hence `async_trait`; with the `mocks` feature mockall implements it.

use crate::error::StoreError;
use crate::ids::{ClientId, TicketId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A record a worker has claimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedRefresh {
    pub client_id: ClientId,
    pub ticket_id: TicketId,
    /// How often the record was scheduled, as of the claim: a later schedule raises it, so
    /// finishing leaves the record for the next pass.
    pub requests: i64,
    /// Failed regenerations so far (for the backoff).
    pub attempts: i32,
    /// The claim's lease: every write of the claimer is fenced by it, so a worker whose lease
    /// lapsed (and whose record another worker claimed since) changes nothing.
    pub lease_until: DateTime<Utc>,
}

/// How a claim ends, short of finishing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshRetry {
    /// Not yet due (the debounce): look again at `until`.
    Wait { until: DateTime<Utc> },
    /// Regeneration failed: count the attempt, keep the reason, try again at `until`.
    Failed { until: DateTime<Utc>, error: String },
}

#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait SummaryRefreshStore: Send + Sync {
    /// Creates the ticket's record due at `due_at`, or moves an existing one there; either way
    /// counts one more request. A claim in progress keeps its lease.
    async fn schedule_refresh(
        &self,
        client: &ClientId,
        ticket: TicketId,
        due_at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Claims up to `limit` records, of any client, due at or before `now` and not held by a
    /// live lease (earliest first), holding them until `lease_until`. On PostgreSQL records
    /// another claim is taking are skipped (`FOR UPDATE SKIP LOCKED`), never taken twice.
    async fn claim_refreshes(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<ClaimedRefresh>, StoreError>;

    /// Done with a claim: the record is removed, unless it was scheduled again since the claim
    /// (then it is only released, due when that schedule says).
    async fn finish_refresh(&self, claim: &ClaimedRefresh) -> Result<(), StoreError>;

    /// Releases a claim, due again at the retry's time (or later, if it was scheduled later
    /// since); a failure counts an attempt and keeps its reason.
    async fn retry_refresh(&self, claim: &ClaimedRefresh, retry: RefreshRetry) -> Result<(), StoreError>;
}
