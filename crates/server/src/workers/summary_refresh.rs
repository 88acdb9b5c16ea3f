//! The summary refresh worker (issue 8, `docs/ai.md`): every interval, one pass of
//! [`SummaryRefresher::run_pass`] — claim the tickets whose "refresh due at" has come (on
//! PostgreSQL records another instance is claiming are skipped), ask the debounce again, and
//! append the next version of each summary the ticket moved on from. Time comes from the desk's
//! clock, so tests drive it with a fixed clock and [`run_once`]. A failing AI service leaves
//! the record for a later pass (with a backoff); it never stops the loop.

use super::periodic::Periodic;
use memberdesk_domain::DeskError;
use memberdesk_domain::usecases::{RefreshPassReport, SummaryRefresher};
use std::time::Duration;

/// Tickets claimed at a time.
pub const BATCH: u32 = 20;

/// One pass: regenerates every ticket whose summaries are due (at the desk's clock), logging
/// failures (such a ticket is retried later). Errs only when claiming fails.
pub async fn run_once(refresher: &SummaryRefresher) -> Result<RefreshPassReport, DeskError> {
    let report = refresher.run_pass(BATCH).await?;
    for (ticket, error) in &report.failed {
        tracing::warn!(%ticket, %error, "summary regeneration failed; the ticket is retried later");
    }
    if report.versions > 0 {
        tracing::info!(claimed = report.claimed, versions = report.versions, "summaries regenerated");
    }
    Ok(report)
}

/// Runs a pass now and then every `interval`.
pub fn start(refresher: SummaryRefresher, interval: Duration) -> Periodic {
    Periodic::start("summary refresh", interval, move || {
        let refresher = refresher.clone();
        async move {
            if let Err(error) = run_once(&refresher).await {
                tracing::error!(%error, "summary refresh pass failed; trying again at the next interval");
            }
        }
    })
}
