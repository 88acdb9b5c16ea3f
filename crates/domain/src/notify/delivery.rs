//! The life of an outbox row, the retry policy, and what a consumer reports.
//!
//! ```text
//!            claim (lease, attempts + 1)
//! pending ───────────────────────────────▶ in flight (pending, locked_until > now)
//!    ▲                                        │
//!    │ transient failure, attempts < limit:   ├─ every consumer delivered / had nothing to do ─▶ done
//!    │ available_at = now + backoff           ├─ a consumer is not configured (no SMTP) ───────▶ skipped
//!    └────────────────────────────────────────┤
//!                                             └─ permanent failure, or the limit reached ──────▶ failed
//! ```
//!
//! A worker that dies leaves its rows in flight until `locked_until` passes; then any worker
//! claims them again. A worker that stops gracefully releases the rows it had not started.
//! An admin's retry puts a `failed` or `skipped` row back to `pending` with its attempts reset.

use crate::ids::{ClientId, TicketId};
use crate::outbox::OutboxMessage;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// Where an outbox row stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// Waiting for a worker (or in flight while `locked_until` is in the future).
    Pending,
    /// Every interested consumer delivered it, or had nothing to deliver.
    Done,
    /// A consumer that should have delivered it is not configured (e.g. no SMTP server).
    Skipped,
    /// Gave up: a permanent failure, or the retry limit was reached.
    Failed,
}

impl OutboxStatus {
    pub const ALL: [OutboxStatus; 4] =
        [OutboxStatus::Pending, OutboxStatus::Done, OutboxStatus::Skipped, OutboxStatus::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Done => "done",
            OutboxStatus::Skipped => "skipped",
            OutboxStatus::Failed => "failed",
        }
    }

    pub fn parse(value: &str) -> Result<OutboxStatus, String> {
        OutboxStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| crate::ticket::allowed_values_message(value, OutboxStatus::ALL.map(OutboxStatus::as_str)))
    }

    /// May an admin put it back in the queue?
    pub fn is_retryable(self) -> bool {
        matches!(self, OutboxStatus::Failed | OutboxStatus::Skipped)
    }
}

impl fmt::Display for OutboxStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An outbox row as admins see it (`GET /api/admin/outbox`): what it is and how delivery went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRecord {
    pub id: Uuid,
    pub client_id: ClientId,
    pub ticket_id: Option<TicketId>,
    pub topic: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    /// When a worker may (next) take it.
    pub available_at: DateTime<Utc>,
    /// While in the future, a worker holds it.
    pub locked_until: Option<DateTime<Utc>>,
    /// Why the last attempt failed, or why it was skipped.
    pub last_error: Option<String>,
    /// When it was done or skipped.
    pub delivered_at: Option<DateTime<Utc>>,
    /// The consumers that delivered it (or had nothing to deliver), e.g. `email`, `crm`.
    pub completed_by: Vec<String>,
}

/// Which of the client's rows to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxFilter {
    pub status: Option<OutboxStatus>,
}

/// A page of outbox rows, newest first; `next_cursor` is the id to continue after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxPage {
    pub items: Vec<OutboxRecord>,
    pub next_cursor: Option<Uuid>,
}

/// A row a worker has claimed: the message, its attempt number (this claim's, which fences
/// every later write of this worker on the row), and the consumers that already delivered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedMessage {
    pub message: OutboxMessage,
    /// 1 on the first claim; counts claims, so a worker that died mid-delivery counts too.
    pub attempts: i32,
    pub lease_until: DateTime<Utc>,
    /// Consumers recorded as finished with this row on an earlier attempt.
    pub completed: Vec<String>,
}

/// How a worker leaves a claimed row. Every update is guarded by the claim's `attempts`, so a
/// worker whose lease expired (and whose row another worker claimed since) changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboxUpdate {
    Done {
        at: DateTime<Utc>,
    },
    Skipped {
        at: DateTime<Utc>,
        reason: String,
    },
    /// Back to pending, not before `available_at`.
    Retry {
        available_at: DateTime<Utc>,
        error: String,
    },
    Failed {
        error: String,
    },
    /// Back to pending at once, the claim not counted (graceful shutdown before delivery).
    Release,
}

/// What a consumer did with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Sent (an email, a CRM note, a webhook).
    Sent,
    /// Nothing to send for this message (a member's own reply, a client without a CRM, …).
    NotNeeded,
    /// Should have sent, but the channel is not configured; said loudly, retried by an admin.
    Skipped(String),
}

/// Why a consumer could not deliver. Messages are for logs and the admin's outbox view: they
/// never carry secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// May work later (server down, timeout, 5xx, 429): retried with backoff.
    #[error("{0}")]
    Transient(String),
    /// Will not work by retrying (refused credentials, a 4xx): failed at once.
    #[error("{0}")]
    Permanent(String),
}

impl From<crate::error::StoreError> for DeliveryError {
    fn from(e: crate::error::StoreError) -> Self {
        DeliveryError::Transient(format!("storage: {e}"))
    }
}

/// How often and how soon failed deliveries are tried again, and how long a claim holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Claims before a row is failed (the first delivery counts).
    pub max_attempts: i32,
    /// The delay after the first failure; doubled after each further one.
    pub base_delay: Duration,
    /// No delay is longer than this.
    pub max_delay: Duration,
    /// How long a claim holds a row; a worker that dies releases its rows when it passes. It
    /// must be longer than a pass takes.
    pub lease: Duration,
    /// Rows claimed per pass.
    pub batch_size: u32,
}

impl Default for RetryPolicy {
    /// 10 attempts over about 9 hours (30 s, 1 min, 2 min, … capped at 2 h), 5-minute leases,
    /// 20 rows a pass.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::seconds(30),
            max_delay: Duration::hours(2),
            lease: Duration::minutes(5),
            batch_size: 20,
        }
    }
}

impl RetryPolicy {
    /// The delay after the `attempt`-th failure (1-based): `base · 2^(attempt−1)` capped at
    /// `max_delay`, then jittered into its upper half ("equal jitter"), so rows that failed
    /// together (an SMTP outage) do not all come back in the same second. The jitter is drawn
    /// from the row's id and the attempt: deterministic, yet spread across rows.
    pub fn backoff(&self, id: Uuid, attempt: i32) -> Duration {
        let exponent = u32::try_from(attempt.saturating_sub(1)).unwrap_or(0).min(30);
        let base_ms = self.base_delay.num_milliseconds().max(1);
        let cap_ms = self.max_delay.num_milliseconds().max(base_ms);
        let full = base_ms.saturating_mul(1_i64 << exponent).min(cap_ms);
        let half = full / 2;
        let jitter = if half > 0 { (spread(id, attempt) % (half as u64 + 1)) as i64 } else { 0 };
        Duration::milliseconds(full - half + jitter)
    }
}

/// A well-mixed number from a row id and an attempt (FNV-1a, then a final avalanche).
fn spread(id: Uuid, attempt: i32) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in id.as_bytes().iter().chain(attempt.to_le_bytes().iter()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^ (hash >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_its_jitter_band_and_is_capped() {
        let policy = RetryPolicy::default();
        for attempt in 1..=12 {
            let full = (30_000_i64 << (attempt - 1)).min(2 * 3600 * 1000);
            for _ in 0..50 {
                let delay = policy.backoff(Uuid::now_v7(), attempt).num_milliseconds();
                assert!(delay >= full / 2 && delay <= full, "attempt {attempt}: {delay} not in [{}, {full}]", full / 2);
            }
        }
    }

    #[test]
    fn backoff_is_deterministic_per_row_and_spread_across_rows() {
        let policy = RetryPolicy::default();
        let id = Uuid::now_v7();
        assert_eq!(policy.backoff(id, 3), policy.backoff(id, 3));
        let distinct: std::collections::BTreeSet<i64> =
            (0..100).map(|_| policy.backoff(Uuid::now_v7(), 3).num_milliseconds()).collect();
        assert!(distinct.len() > 50, "jitter spreads rows: {} distinct delays", distinct.len());
    }

    #[test]
    fn statuses_parse_and_only_failed_or_skipped_retry() {
        for status in OutboxStatus::ALL {
            assert_eq!(OutboxStatus::parse(status.as_str()), Ok(status));
        }
        assert!(OutboxStatus::parse("delivered").is_err());
        assert!(OutboxStatus::Failed.is_retryable() && OutboxStatus::Skipped.is_retryable());
        assert!(!OutboxStatus::Pending.is_retryable() && !OutboxStatus::Done.is_retryable());
    }
}
