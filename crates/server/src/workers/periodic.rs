//! The loop every interval worker shares: a pass now and then every interval (a pass that
//! overruns delays the next one), stopped gracefully — a pass in progress finishes (its commits
//! are never cut short) before the worker ends.

use std::future::Future;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

/// A running interval worker; [`Periodic::stop`] ends it gracefully.
pub struct Periodic {
    name: &'static str,
    stop: watch::Sender<bool>,
    handle: JoinHandle<()>,
}

impl Periodic {
    /// Runs `pass` now and then every `interval`; `name` is for the logs.
    pub fn start<F, Fut>(name: &'static str, interval: Duration, mut pass: F) -> Periodic
    where
        F: FnMut() -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send,
    {
        let (stop, mut stopped) = watch::channel(false);
        let handle = tokio::spawn(async move {
            let mut ticker = tokio::time::interval(interval);
            ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
            tracing::info!(interval = %humantime::format_duration(interval), "{name} worker started");
            loop {
                tokio::select! {
                    _ = ticker.tick() => {}
                    _ = stopped.changed() => break,
                }
                pass().await;
                if *stopped.borrow() {
                    break;
                }
            }
            tracing::info!("{name} worker stopped");
        });
        Periodic { name, stop, handle }
    }

    /// Lets a pass in progress finish, then stops.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(error) = self.handle.await {
            tracing::error!(%error, "{} worker ended abnormally", self.name);
        }
    }
}
