//! Building the running desk: store and attachment storage → domain → HTTP, and its lifecycle.

use crate::config::Config;
use memberdesk_attachments::{ObjectStorage, StorageSetupError};
use memberdesk_domain::ports::AttachmentStorage;
use memberdesk_domain::{Clock, Desk, DeskPorts, SystemClock};
use memberdesk_http::HttpSettings;
use memberdesk_store::{Store, StoreSetupError};
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] StoreSetupError),
    #[error(transparent)]
    Attachments(#[from] StorageSetupError),
    #[error(transparent)]
    Notifications(#[from] crate::notifications::NotificationSetupError),
    #[error("cannot set up the AI service: {0}")]
    Ai(String),
    #[error(transparent)]
    Web(#[from] memberdesk_web::WebSetupError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
}

/// A desk that is listening, not yet serving until [`Application::run_until_stopped`] is awaited.
pub struct Application {
    addr: SocketAddr,
    server: actix_web::dev::Server,
    desk: Desk,
    outbox: memberdesk_domain::notify::OutboxWorker,
    outbox_interval: Option<std::time::Duration>,
    sla_check_interval: Option<std::time::Duration>,
}

impl Application {
    /// Connects to the configured database, runs its migrations and binds the listener.
    pub async fn build(config: &Config) -> Result<Application, StartError> {
        let store = connect_and_migrate(&config.database_url).await?;
        Application::start(store, config, Arc::new(SystemClock))
    }

    /// Wires an already-migrated store with the given clock (tests pass a controllable one),
    /// and the attachment storage the configuration names.
    pub fn start(store: Store, config: &Config, clock: Arc<dyn Clock>) -> Result<Application, StartError> {
        let attachments = attachment_storage(config)?;
        let outbox = crate::notifications::outbox_worker(store.clone(), &config.notifications, clock.clone())?;
        let mut desk = desk_over(store, attachments, clock).with_attachment_limits(config.attachment_limits);
        // Summaries from an OpenAI-compatible service when one is configured (issue 8);
        // otherwise the built-in summariser answers.
        if let Some(ai) = &config.ai {
            let summarizer = memberdesk_ai::OpenAiSummarizer::new(ai).map_err(StartError::Ai)?;
            desk = desk.with_ai(Arc::new(summarizer), Arc::new(memberdesk_domain::ai_ports::BuiltinDrafter));
        }
        // Automatic assignment (issue 6) runs on the same outbox rows as the notifiers.
        let outbox = outbox.with_consumer(Arc::new(memberdesk_domain::usecases::AssignmentConsumer::new(desk.clone())));
        let listener =
            TcpListener::bind(config.bind).map_err(|source| StartError::Bind { addr: config.bind, source })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind { addr: config.bind, source })?;
        // The web UI's pages are served by the same application as the API (issue 9).
        let pages = memberdesk_web::routes(
            desk.clone(),
            memberdesk_web::WebSettings {
                jwt_secret: config.jwt_secret.clone(),
                session_key: config.session_key.clone(),
                demo: config.demo_sign_in.clone(),
            },
        )?;
        let settings = HttpSettings::new(config.jwt_secret.clone()).with_extra_routes(pages);
        let server = memberdesk_http::serve(listener, desk.clone(), settings)
            .map_err(|source| StartError::Bind { addr: config.bind, source })?;
        let outbox_interval = config.notifications.poll_interval;
        Ok(Application { addr, server, desk, outbox, outbox_interval, sla_check_interval: config.sla_check_interval })
    }

    /// The address actually bound (useful with port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn desk(&self) -> &Desk {
        &self.desk
    }

    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// The outbox worker (emails, CRM notes): what the background loop runs every interval;
    /// tests and operators call [`memberdesk_domain::notify::OutboxWorker::run_once`] on it.
    pub fn outbox_worker(&self) -> &memberdesk_domain::notify::OutboxWorker {
        &self.outbox
    }

    /// One pass of the SLA escalation worker, now (what the background worker does every
    /// interval; for tests and operators).
    pub async fn run_sla_pass(
        &self,
    ) -> Result<memberdesk_domain::usecases::SlaPassReport, memberdesk_domain::DeskError> {
        crate::workers::sla::run_once(&self.desk).await
    }

    /// Serves (and runs the SLA worker, if configured) until SIGTERM or SIGINT, then stops
    /// gracefully: no new connections, in-flight requests (and their transactions) and the SLA
    /// pass in progress finish before the process exits.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let handle = self.server.handle();
        tokio::spawn(async move {
            wait_for_shutdown_signal().await;
            tracing::info!("shutdown signal received; finishing in-flight requests");
            handle.stop(true).await;
        });
        let worker =
            self.sla_check_interval.map(|every| crate::workers::sla::SlaWorker::start(self.desk.clone(), every));
        let outbox =
            self.outbox_interval.map(|every| crate::notifications::OutboxLoop::start(self.outbox.clone(), every));
        let served = self.server.await;
        if let Some(outbox) = outbox {
            outbox.stop().await;
        }
        if let Some(worker) = worker {
            worker.stop().await;
        }
        served
    }
}

/// The attachment storage the configuration names (a directory is created if missing).
pub fn attachment_storage(config: &Config) -> Result<Arc<dyn AttachmentStorage>, StorageSetupError> {
    let storage = ObjectStorage::from_location(&config.attachments)?;
    tracing::info!(location = storage.location(), "attachment storage ready");
    Ok(Arc::new(storage))
}

/// The one place adapters are plugged into the domain.
pub fn desk_over(store: Store, attachments: Arc<dyn AttachmentStorage>, clock: Arc<dyn Clock>) -> Desk {
    let store = Arc::new(store);
    Desk::new(DeskPorts {
        tickets: store.clone(),
        users: store.clone(),
        clock,
        categories: store.clone(),
        canned_responses: store.clone(),
        outbox: store.clone(),
        crm: store.clone(),
        clients: store.clone(),
        attachments,
        assignment: store.clone(),
        summaries: store.clone(),
        // Replaced by the store's own once it keeps AI settings and articles (issue 8).
        ai: Arc::new(memberdesk_domain::ai_ports::NoAiStore),
        knowledge: Arc::new(memberdesk_domain::kb_ports::NoKnowledgeBase),
        sla: store,
    })
}

pub async fn connect_and_migrate(database_url: &str) -> Result<Store, StoreSetupError> {
    let store = Store::connect(database_url).await?;
    store.migrate().await?;
    Ok(store)
}

async fn wait_for_shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
            (Ok(mut term), Ok(mut int)) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
