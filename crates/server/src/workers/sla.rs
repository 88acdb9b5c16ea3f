//! The SLA escalation worker: every interval, one pass of [`Desk::run_sla_checks`] — claim the
//! tickets whose next SLA check has come (an indexed range scan; on PostgreSQL rows another
//! instance is claiming are skipped), record the warnings and breaches they owe, apply the
//! escalation actions. Time comes from the desk's clock, so tests drive it with a fixed clock
//! and [`run_once`]. Any number of instances may run it against one database: each event is
//! recorded once (see `docs/sla.md`).

use super::periodic::Periodic;
use memberdesk_domain::usecases::SlaPassReport;
use memberdesk_domain::{Desk, DeskError};
use std::time::Duration;

/// Tickets claimed at a time.
pub const BATCH: u32 = 100;

/// One pass: checks every ticket whose check is due (at the desk's clock), logging failures
/// (such a ticket is checked again once its claim lapses). Errs only when claiming fails.
pub async fn run_once(desk: &Desk) -> Result<SlaPassReport, DeskError> {
    let report = desk.run_sla_checks(BATCH).await?;
    for (ticket, error) in &report.failed {
        tracing::warn!(%ticket, %error, "SLA check failed; the ticket is checked again when its claim lapses");
    }
    if report.warnings + report.breaches > 0 {
        tracing::info!(
            checked = report.checked,
            warnings = report.warnings,
            breaches = report.breaches,
            "SLA events recorded"
        );
    }
    Ok(report)
}

/// The running worker; [`SlaWorker::stop`] ends it gracefully.
pub struct SlaWorker(Periodic);

impl SlaWorker {
    /// Runs a pass now and then every `interval` (a pass that overruns delays the next one).
    pub fn start(desk: Desk, interval: Duration) -> SlaWorker {
        SlaWorker(Periodic::start("SLA", interval, move || {
            let desk = desk.clone();
            async move {
                if let Err(error) = run_once(&desk).await {
                    tracing::error!(%error, "SLA pass failed; trying again at the next interval");
                }
            }
        }))
    }

    /// Lets a pass in progress finish (its commits are never cut short), then stops.
    pub async fn stop(self) {
        self.0.stop().await;
    }
}
