//! Notifications in the composition root: their configuration (SMTP, sender, portal URL, how
//! often the outbox is polled, retries), the adapters (lettre SMTP, the CRM clients) wired into
//! the domain's [`OutboxWorker`], and the background loop that runs it.
//!
//! The loop claims a batch, delivers it row by row and, when a batch came back full, goes on at
//! once; otherwise it waits for the next interval. On shutdown it finishes the row it is
//! delivering and releases the rest of its batch (pending again at once, the claim not
//! counted); a process that is killed leaves its rows to be taken again when their lease ends.

use clap::Args;
use memberdesk_crm::CrmClients;
use memberdesk_domain::notify::{
    CrmNotifier, EmailNotifier, Mailer, OutboxConsumer, OutboxWorker, PassReport, RetryPolicy, RowOutcome,
};
use memberdesk_domain::{Clock, StoreError};
use memberdesk_smtp::{SmtpMailer, SmtpSetupError};
use memberdesk_store::Store;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// How often the outbox is polled by default.
pub const DEFAULT_OUTBOX_INTERVAL: &str = "2s";

/// What notifications need from configuration.
#[derive(Debug, Clone)]
pub struct NotificationConfig {
    /// lettre's URL form (`smtp://host:25`, `smtp://user:pass@host:587?tls=required`,
    /// `smtps://user:pass@host:465`); `None`: emails are skipped, loudly.
    pub smtp_url: Option<String>,
    /// The sender address (`support@example.org` or `Desk <support@example.org>`).
    pub mail_from: Option<String>,
    /// Where members and staff log in; shown in the emails when set.
    pub portal_url: Option<String>,
    /// How often the outbox worker polls; `None` runs no worker in this instance (another
    /// instance runs it, or a test drives it with [`OutboxWorker::run_once`]).
    pub poll_interval: Option<Duration>,
    /// Attempts, backoff, lease and batch size.
    pub retry: RetryPolicy,
}

impl Default for NotificationConfig {
    /// No SMTP (emails skipped), polled every 2 s, the domain's default retry policy.
    fn default() -> Self {
        NotificationConfig {
            smtp_url: None,
            mail_from: None,
            portal_url: None,
            poll_interval: Some(Duration::from_secs(2)),
            retry: RetryPolicy::default(),
        }
    }
}

/// The notification flags of `serve` and `demo`.
#[derive(Debug, Clone, Args)]
pub struct NotificationArgs {
    /// SMTP server in lettre's URL form: `smtp://host:25` (plain), `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS) or `smtps://user:pass@host:465` (TLS). Unset: email notifications are skipped.
    #[arg(long, env = "MEMBERDESK_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of notification emails, e.g. `support@example.org`; shown with the client's name.
    #[arg(long, env = "MEMBERDESK_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// The member portal's URL, named in emails as the place to answer.
    #[arg(long, env = "MEMBERDESK_PORTAL_URL")]
    pub portal_url: Option<String>,
    /// How often the outbox worker looks for notifications to deliver (`0s`: not in this instance).
    #[arg(long, env = "MEMBERDESK_OUTBOX_INTERVAL", default_value = DEFAULT_OUTBOX_INTERVAL)]
    pub outbox_interval: humantime::Duration,
    /// Delivery attempts before a notification is marked failed.
    #[arg(long, env = "MEMBERDESK_OUTBOX_MAX_ATTEMPTS", default_value_t = RetryPolicy::default().max_attempts,
          value_parser = clap::value_parser!(i32).range(1..=100))]
    pub outbox_max_attempts: i32,
}

impl NotificationArgs {
    pub fn config(&self) -> NotificationConfig {
        let set = |value: &Option<String>| value.as_ref().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        NotificationConfig {
            smtp_url: set(&self.smtp_url),
            mail_from: set(&self.mail_from),
            portal_url: set(&self.portal_url),
            poll_interval: Some(*self.outbox_interval).filter(|d| !d.is_zero()),
            retry: RetryPolicy { max_attempts: self.outbox_max_attempts, ..RetryPolicy::default() },
        }
    }
}

/// Why notifications cannot be set up.
#[derive(Debug, thiserror::Error)]
pub enum NotificationSetupError {
    #[error(transparent)]
    Smtp(#[from] SmtpSetupError),
    #[error("cannot build the CRM HTTP client: {0}")]
    Crm(String),
}

/// The outbox worker over the store, with the email and CRM consumers.
pub fn outbox_worker(
    store: Store,
    config: &NotificationConfig,
    clock: Arc<dyn Clock>,
) -> Result<OutboxWorker, NotificationSetupError> {
    let mailer: Option<Arc<dyn Mailer>> = match (&config.smtp_url, &config.mail_from) {
        (Some(url), Some(from)) => {
            let mailer = SmtpMailer::new(url, from)?;
            tracing::info!(server = mailer.server(), "email notifications go through SMTP");
            Some(Arc::new(mailer))
        }
        (Some(_), None) => return Err(SmtpSetupError::MissingFrom.into()),
        (None, _) => {
            tracing::warn!(
                "MEMBERDESK_SMTP_URL is not set: email notifications will not be sent; the outbox marks them `skipped`"
            );
            None
        }
    };
    let store = Arc::new(store);
    let crm = CrmClients::new(clock.clone()).map_err(|e| NotificationSetupError::Crm(e.to_string()))?;
    let consumers: Vec<Arc<dyn OutboxConsumer>> = vec![
        Arc::new(EmailNotifier::new(store.clone(), store.clone(), store.clone(), mailer, config.portal_url.clone())),
        Arc::new(CrmNotifier::new(store.clone(), store.clone(), store.clone(), Arc::new(crm))),
    ];
    Ok(OutboxWorker::new(store, consumers, clock, config.retry))
}

/// Logs how each row of a pass ended: skipped loudly, failures with their cause.
pub fn log_pass(report: &PassReport) {
    for (id, topic, outcome) in &report.rows {
        log_row(*id, topic, outcome);
    }
}

fn log_row(id: uuid::Uuid, topic: &str, outcome: &RowOutcome) {
    match outcome {
        RowOutcome::Done => tracing::debug!(%id, topic, "notification delivered"),
        RowOutcome::Skipped(reason) => tracing::warn!(%id, topic, reason, "notification skipped"),
        RowOutcome::Retrying { attempts, error } => {
            tracing::warn!(%id, topic, attempts, error, "notification failed; retrying later")
        }
        RowOutcome::Failed { attempts, error } => {
            tracing::error!(%id, topic, attempts, error, "notification failed for good; an admin may retry it")
        }
        RowOutcome::Released => tracing::info!(%id, topic, "notification released at shutdown"),
        RowOutcome::LeaseLost => tracing::warn!(%id, topic, "notification lease expired; another worker took it"),
    }
}

/// One pass of the loop: claims a batch and delivers it, releasing what is left when `stop`
/// turns true. Returns how many rows were claimed.
async fn pass(worker: &OutboxWorker, stop: &watch::Receiver<bool>) -> Result<usize, StoreError> {
    let rows = worker.claim().await?;
    let claimed = rows.len();
    for (index, row) in rows.iter().enumerate() {
        if *stop.borrow() {
            for rest in &rows[index..] {
                let outcome = worker.release(rest).await?;
                log_row(rest.message.id, &rest.message.topic, &outcome);
            }
            break;
        }
        let outcome = worker.deliver(row).await?;
        log_row(row.message.id, &row.message.topic, &outcome);
    }
    Ok(claimed)
}

/// The running outbox worker; [`OutboxLoop::stop`] ends it gracefully.
pub struct OutboxLoop {
    stop: watch::Sender<bool>,
    handle: JoinHandle<()>,
}

impl OutboxLoop {
    /// Polls every `interval`; a full batch is followed by the next at once.
    pub fn start(worker: OutboxWorker, interval: Duration) -> OutboxLoop {
        let (stop, mut stopped) = watch::channel(false);
        let handle = tokio::spawn(async move {
            tracing::info!(interval = %humantime::format_duration(interval), "outbox worker started");
            let batch = worker.policy().batch_size as usize;
            loop {
                let full = match pass(&worker, &stopped).await {
                    Ok(claimed) => claimed >= batch,
                    Err(error) => {
                        tracing::error!(%error, "outbox pass failed; trying again at the next interval");
                        false
                    }
                };
                if *stopped.borrow() {
                    break;
                }
                if !full {
                    tokio::select! {
                        _ = tokio::time::sleep(interval) => {}
                        _ = stopped.changed() => break,
                    }
                }
            }
            tracing::info!("outbox worker stopped");
        });
        OutboxLoop { stop, handle }
    }

    /// Finishes the row being delivered, releases the rest of the batch, then stops.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(error) = self.handle.await {
            tracing::error!(%error, "outbox worker ended abnormally");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Flags {
        #[command(flatten)]
        notifications: NotificationArgs,
    }

    fn config(args: &[&str]) -> NotificationConfig {
        Flags::try_parse_from(std::iter::once("memberdesk").chain(args.iter().copied()))
            .unwrap_or_else(|e| panic!("{e}"))
            .notifications
            .config()
    }

    #[test]
    fn flags_become_the_configuration() {
        let default = config(&[]);
        assert_eq!(default.poll_interval, Some(Duration::from_secs(2)));
        assert_eq!(default.retry, RetryPolicy::default());
        assert!(default.smtp_url.is_none());
        let set = config(&[
            "--smtp-url",
            " smtp://127.0.0.1:2525 ",
            "--mail-from",
            "desk@example.org",
            "--outbox-interval",
            "0s",
            "--outbox-max-attempts",
            "3",
        ]);
        assert_eq!(set.smtp_url.as_deref(), Some("smtp://127.0.0.1:2525"));
        assert_eq!(set.poll_interval, None, "0s runs no worker in this instance");
        assert_eq!(set.retry.max_attempts, 3);
        assert!(config(&["--smtp-url", ""]).smtp_url.is_none());
    }

    #[tokio::test]
    async fn an_smtp_server_needs_a_sender() {
        let (store, _db) = memberdesk_testkit::fresh_store(memberdesk_store::Backend::Sqlite).await;
        let clock: Arc<dyn Clock> = Arc::new(memberdesk_domain::SystemClock);
        let config =
            NotificationConfig { smtp_url: Some("smtp://127.0.0.1:2525".into()), ..NotificationConfig::default() };
        let refused = outbox_worker(store.clone(), &config, clock.clone());
        assert!(matches!(refused, Err(NotificationSetupError::Smtp(SmtpSetupError::MissingFrom))));
        let config = NotificationConfig { mail_from: Some("desk@example.org".into()), ..config };
        assert!(outbox_worker(store, &config, clock).is_ok());
    }
}
