//! Automatic summary regeneration (issue 8, `docs/ai.md`): summaries follow the conversation
//! without a person pressing "Refresh Summary", and a burst of changes makes one generation.
//!
//! - The outbox consumer ([`SummaryRefresher`] as an [`OutboxConsumer`]) reads each event; a
//!   significant one ([`is_significant`]: creation, a public reply from either side, a status
//!   change, a real subject or description edit) schedules the ticket's "refresh due at" record
//!   for the time [`refresh_decision`] names — the end of the quiet window, at most the maximum
//!   delay after the first pending change. Notes, priority, category and assignment changes,
//!   SLA entries and punctuation-only edits schedule nothing (a note is included whenever the
//!   summaries next regenerate).
//! - The refresh worker's pass ([`SummaryRefresher::run_pass`]) claims the due records and asks
//!   [`refresh_decision`] again over the ticket's events since its summaries: `Now` appends the
//!   next version of each summary whose ticket changed since it was made (as the desk itself,
//!   [`Actor::system`]); `Wait` puts the record back for later; `UpToDate` removes it.
//! - A failing AI service (or store) leaves the record, rescheduled with a backoff (the AI
//!   service's retry hint at least), attempts counted; it is never dropped and never stops the
//!   pass.

use super::{Desk, SummaryOutcome};
use crate::access::Actor;
use crate::ai::refresh::{RefreshDecision, RefreshPolicy, decide as refresh_decision, is_significant};
use crate::ai_ports::{StoredSummary, SummaryKind};
use crate::error::{DeskError, StoreError};
use crate::event::TicketEvent;
use crate::ids::{ClientId, TicketId};
use crate::notify::{Delivery, DeliveryError, OutboxConsumer, RetryPolicy};
use crate::outbox::OutboxMessage;
use crate::refresh_ports::{ClaimedRefresh, RefreshRetry, SummaryRefreshStore};
use crate::ticket::Ticket;
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

/// The consumer's name in the outbox's delivery records.
pub const SUMMARY_REFRESH_CONSUMER: &str = "summary_refresh";

/// The topics that may carry a significant change (a subject or description edit is then read
/// to tell a real edit from a trivial one).
const TOPICS: [&str; 5] = [
    "ticket.created",
    "ticket.replied",
    "ticket.status_changed",
    "ticket.subject_changed",
    "ticket.description_changed",
];

const KINDS: [SummaryKind; 2] = [SummaryKind::Ticket, SummaryKind::Conversation];

/// How long a claimed record is kept from other workers; a worker that dies mid-generation
/// leaves it to be claimed again after this. Longer than two model calls with their timeouts.
const CLAIM_LEASE_SECONDS: i64 = 300;
/// The longest an AI service's retry hint is followed (a day).
const MAX_HINT_SECONDS: u64 = 86_400;
/// A pass claims batches until none is due, at most this many.
const MAX_BATCHES_PER_PASS: usize = 20;

/// Retries after a failed regeneration: 30 s, doubling, at most an hour apart, for ever (a
/// record is never given up; the next significant change schedules it anyway).
fn retry_policy() -> RetryPolicy {
    RetryPolicy { base_delay: Duration::seconds(30), max_delay: Duration::hours(1), ..RetryPolicy::default() }
}

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefreshPassReport {
    /// Records claimed.
    pub claimed: usize,
    /// Summary versions appended.
    pub versions: usize,
    /// Records put back because their quiet window had not passed.
    pub waiting: usize,
    /// Records whose regeneration failed, with the reason (rescheduled with a backoff).
    pub failed: Vec<(TicketId, String)>,
}

/// How one claimed record ended.
enum Handled {
    Finished { versions: usize },
    Waiting,
    Failed { versions: usize, error: String },
}

/// Automatic regeneration over a desk and the "refresh due at" records. Cheap to clone.
#[derive(Clone)]
pub struct SummaryRefresher {
    desk: Desk,
    schedule: Arc<dyn SummaryRefreshStore>,
    policy: RefreshPolicy,
}

impl SummaryRefresher {
    pub fn new(desk: Desk, schedule: Arc<dyn SummaryRefreshStore>, policy: RefreshPolicy) -> SummaryRefresher {
        SummaryRefresher { desk, schedule, policy }
    }

    pub fn policy(&self) -> RefreshPolicy {
        self.policy
    }

    /// The newest stored summary of each kind.
    async fn latest(&self, client: &ClientId, id: TicketId) -> Result<Vec<Option<StoredSummary>>, StoreError> {
        let mut latest = Vec::with_capacity(KINDS.len());
        for kind in KINDS {
            latest.push(self.desk.summaries.latest_summary(client, id, kind).await?);
        }
        Ok(latest)
    }

    /// What the debounce says now: the events since the older of the two summaries count
    /// (none yet: every event counts, so a new ticket gets its first summaries too).
    async fn decision(
        &self,
        client: &ClientId,
        id: TicketId,
        latest: &[Option<StoredSummary>],
    ) -> Result<RefreshDecision, StoreError> {
        let events = self.desk.tickets.list_events(client, id, true).await?;
        let last_generated: Option<DateTime<Utc>> = latest
            .iter()
            .map(|s| s.as_ref().map(|s| s.body.generated_at()))
            .collect::<Option<Vec<_>>>()
            .and_then(|times| times.into_iter().min());
        Ok(refresh_decision(&self.policy, last_generated, &events, self.desk.clock.now()))
    }

    /// A significant change arrived: schedule the record for when the debounce says.
    async fn request(&self, message: &OutboxMessage) -> Result<Delivery, StoreError> {
        let Some(id) = message.ticket_id else { return Ok(Delivery::NotNeeded) };
        // An unreadable payload of a significant topic is scheduled: a pass decides on the
        // stored events anyway.
        if let Ok(event) = serde_json::from_value::<TicketEvent>(message.payload.clone())
            && !is_significant(&event.change)
        {
            return Ok(Delivery::NotNeeded);
        }
        let client = &message.client_id;
        let latest = self.latest(client, id).await?;
        let due = match self.decision(client, id, &latest).await? {
            RefreshDecision::UpToDate => return Ok(Delivery::NotNeeded),
            RefreshDecision::Now => self.desk.clock.now(),
            RefreshDecision::Wait { until } => until,
        };
        self.schedule.schedule_refresh(client, id, due).await?;
        Ok(Delivery::Sent)
    }

    /// One pass of the refresh worker: claims the due records in batches of `batch` and
    /// handles each, until none is due. Failures are reported and rescheduled, not fatal; only
    /// a failure to claim ends the pass with an error.
    pub async fn run_pass(&self, batch: u32) -> Result<RefreshPassReport, DeskError> {
        let mut report = RefreshPassReport::default();
        for _ in 0..MAX_BATCHES_PER_PASS {
            let now = self.desk.clock.now();
            let claimed =
                self.schedule.claim_refreshes(now, now + Duration::seconds(CLAIM_LEASE_SECONDS), batch.max(1)).await?;
            if claimed.is_empty() {
                break;
            }
            for claim in claimed {
                report.claimed += 1;
                match self.handle(&claim).await {
                    Ok(Handled::Finished { versions }) => report.versions += versions,
                    Ok(Handled::Waiting) => report.waiting += 1,
                    Ok(Handled::Failed { versions, error }) => {
                        report.versions += versions;
                        report.failed.push((claim.ticket_id, error));
                    }
                    // The store failed: the record keeps its lease and is claimed again once
                    // the lease lapses.
                    Err(error) => report.failed.push((claim.ticket_id, error.to_string())),
                }
            }
        }
        Ok(report)
    }

    async fn handle(&self, claim: &ClaimedRefresh) -> Result<Handled, StoreError> {
        let (client, id) = (&claim.client_id, claim.ticket_id);
        let Some(ticket) = self.desk.tickets.get_ticket(client, id).await? else {
            self.schedule.finish_refresh(claim).await?;
            return Ok(Handled::Finished { versions: 0 });
        };
        let latest = self.latest(client, id).await?;
        match self.decision(client, id, &latest).await? {
            RefreshDecision::UpToDate => {
                self.schedule.finish_refresh(claim).await?;
                Ok(Handled::Finished { versions: 0 })
            }
            RefreshDecision::Wait { until } => {
                self.schedule.retry_refresh(claim, RefreshRetry::Wait { until }).await?;
                Ok(Handled::Waiting)
            }
            RefreshDecision::Now => self.regenerate(claim, &ticket, &latest).await,
        }
    }

    /// Appends the next version of each summary the ticket moved on from; on a failure the
    /// record is rescheduled with a backoff (what succeeded stays: the retry redoes only the
    /// summaries still behind the ticket).
    async fn regenerate(
        &self,
        claim: &ClaimedRefresh,
        ticket: &Ticket,
        latest: &[Option<StoredSummary>],
    ) -> Result<Handled, StoreError> {
        let actor = Actor::system(claim.client_id.clone());
        let mut versions = 0;
        let mut failure: Option<(String, u64)> = None;
        // Only the summaries still behind the ticket, all made from one gathering of its context.
        let behind: Vec<SummaryKind> = KINDS
            .into_iter()
            .zip(latest)
            .filter(|(_, stored)| stored.as_ref().is_none_or(|s| s.ticket_version < ticket.version))
            .map(|(kind, _)| kind)
            .collect();
        if !behind.is_empty() {
            match self.desk.refresh_summaries(&actor, ticket.id, &behind).await {
                Ok(outcomes) => {
                    for outcome in outcomes {
                        match outcome {
                            SummaryOutcome::Ready(_) => versions += 1,
                            SummaryOutcome::Unavailable { failure: f, .. } => {
                                failure.get_or_insert((f.to_string(), f.retry_after_seconds()));
                            }
                        }
                    }
                }
                Err(DeskError::NotFound(_)) => {}
                Err(error) => failure = Some((error.to_string(), 0)),
            }
        }
        let Some((error, hint)) = failure else {
            self.schedule.finish_refresh(claim).await?;
            return Ok(Handled::Finished { versions });
        };
        let attempt = claim.attempts.saturating_add(1);
        let delay = retry_policy()
            .backoff(claim.ticket_id.0, attempt)
            .max(Duration::seconds(i64::try_from(hint.min(MAX_HINT_SECONDS)).unwrap_or(0)));
        let until = self.desk.clock.now() + delay;
        self.schedule.retry_refresh(claim, RefreshRetry::Failed { until, error: error.clone() }).await?;
        Ok(Handled::Failed { versions, error })
    }
}

#[async_trait]
impl OutboxConsumer for SummaryRefresher {
    fn name(&self) -> &'static str {
        SUMMARY_REFRESH_CONSUMER
    }

    fn wants(&self, topic: &str) -> bool {
        TOPICS.contains(&topic)
    }

    async fn deliver(&self, message: &OutboxMessage) -> Result<Delivery, DeliveryError> {
        Ok(self.request(message).await?)
    }
}

#[cfg(all(test, feature = "mocks"))]
#[path = "summary_refresh_tests.rs"]
mod tests;
