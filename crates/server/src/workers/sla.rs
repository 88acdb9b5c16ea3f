//! The SLA escalation worker: every interval, one pass of [`Desk::run_sla_checks`] — claim the
//! tickets whose next SLA check has come (an indexed range scan; on PostgreSQL rows another
//! instance is claiming are skipped), record the warnings and breaches they owe, apply the
//! escalation actions. Time comes from the desk's clock, so tests drive it with a fixed clock
//! and [`run_once`]. Any number of instances may run it against one database: each event is
//! recorded once (see `docs/sla.md`).

use memberdesk_domain::usecases::SlaPassReport;
use memberdesk_domain::{Desk, DeskError};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

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
pub struct SlaWorker {
    stop: watch::Sender<bool>,
    handle: JoinHandle<()>,
}

impl SlaWorker {
    /// Runs a pass now and then every `interval` (a pass that overruns delays the next one).
    pub fn start(desk: Desk, interval: Duration) -> SlaWorker {
        let (stop, mut stopped) = watch::channel(false);
        let handle = tokio::spawn(async move {
            let mut ticker = tokio::time::interval(interval);
            ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
            tracing::info!(interval = %humantime::format_duration(interval), "SLA worker started");
            loop {
                tokio::select! {
                    _ = ticker.tick() => {}
                    _ = stopped.changed() => break,
                }
                if let Err(error) = run_once(&desk).await {
                    tracing::error!(%error, "SLA pass failed; trying again at the next interval");
                }
                if *stopped.borrow() {
                    break;
                }
            }
            tracing::info!("SLA worker stopped");
        });
        SlaWorker { stop, handle }
    }

    /// Lets a pass in progress finish (its commits are never cut short), then stops.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(error) = self.handle.await {
            tracing::error!(%error, "SLA worker ended abnormally");
        }
    }
}
