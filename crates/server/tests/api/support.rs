//! The harness: a desk on port 0 over a fresh database, identities, and request helpers.

use memberdesk_domain::{FixedClock, Role};
use memberdesk_server::{Application, Config};
use memberdesk_store::Backend;
use memberdesk_testkit::TestDatabase;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

pub const SECRET: &str = "end-to-end-test-secret-0123456789";
pub const CLIENT: &str = "harbour";
pub const OTHER_CLIENT: &str = "riverside";

/// Someone calling the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Admin,
    User,
    /// The member who raised the tickets the tests create.
    Member,
    /// A member of the same client who did not.
    OtherMember,
    /// An admin of another client.
    OtherClientAdmin,
    NoToken,
    ExpiredToken,
}

impl Who {
    pub const ALL: [Who; 7] =
        [Who::Admin, Who::User, Who::Member, Who::OtherMember, Who::OtherClientAdmin, Who::NoToken, Who::ExpiredToken];

    /// (client, user id, role, name, email)
    fn identity(self) -> Option<(&'static str, &'static str, Role, &'static str, &'static str)> {
        match self {
            Who::Admin => Some((CLIENT, "admin-1", Role::ClientAdmin, "Alex Admin", "alex@harbour.example")),
            Who::User => Some((CLIENT, "agent-1", Role::ClientUser, "Uma User", "uma@harbour.example")),
            Who::Member => Some((CLIENT, "member-1", Role::Member, "Mia Member", "mia@members.example")),
            Who::OtherMember => Some((CLIENT, "member-2", Role::Member, "Noah Other", "noah@members.example")),
            Who::OtherClientAdmin => {
                Some((OTHER_CLIENT, "admin-9", Role::ClientAdmin, "Olga Outsider", "olga@riverside.example"))
            }
            Who::ExpiredToken => Some((CLIENT, "admin-1", Role::ClientAdmin, "Alex Admin", "alex@harbour.example")),
            Who::NoToken => None,
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub clock: Arc<FixedClock>,
    /// Where this desk keeps attached files (inside `_files`).
    pub attachments_dir: std::path::PathBuf,
    /// The desk behind the server (the SLA worker's passes are run by the tests, on `clock`).
    pub desk: memberdesk_domain::Desk,
    /// The outbox worker (emails, CRM notes); no background loop runs it: tests call `run_once`.
    pub outbox: memberdesk_domain::notify::OutboxWorker,
    /// Automatic summary regeneration; no background loop runs it: tests call
    /// `memberdesk_server::workers::summary_refresh::run_once`.
    pub refresh: memberdesk_domain::usecases::SummaryRefresher,
    _files: tempfile::TempDir,
    _db: TestDatabase,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    pub fn etag(&self) -> String {
        self.headers.get("etag").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    }
    pub fn content_type(&self) -> String {
        self.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    }
    #[track_caller]
    pub fn expect(self, status: u16) -> Reply {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.text);
        self
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        TestApp::spawn_with(backend, |_| {}).await
    }

    /// As [`TestApp::spawn`], with the configuration adjusted first (e.g. attachment limits).
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let (store, db) = memberdesk_testkit::fresh_store(backend).await;
        let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
        let files = tempfile::tempdir().unwrap();
        let attachments_dir = files.path().join("attachments");
        let mut config = Config::new(db.url(), "127.0.0.1:0".parse().unwrap(), SECRET);
        config.attachments = memberdesk_attachments::StorageLocation::Directory(attachments_dir.clone());
        // No background SLA worker: tests run its passes themselves (`sla::pass`).
        config.sla_check_interval = None;
        // No background outbox worker either: tests run its passes (`outbox.run_once()`).
        config.notifications.poll_interval = None;
        // Nor a summary refresh worker (`summary_refresh.rs` runs its passes).
        config.summary_refresh.interval = None;
        adjust(&mut config);
        let app = Application::start(store, &config, clock.clone()).expect("app starts");
        let base = format!("http://{}", app.addr());
        let desk = app.desk().clone();
        let outbox = app.outbox_worker().clone();
        let refresh = app.summary_refresher().clone();
        tokio::spawn(app.run_until_stopped());
        let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
        TestApp { base, http, clock, attachments_dir, desk, outbox, refresh, _files: files, _db: db }
    }

    /// The database this desk runs on (for a second instance over the same data).
    pub fn database_url(&self) -> &str {
        self._db.url()
    }

    pub fn token(&self, who: Who) -> Option<String> {
        let (client, user, role, name, email) = who.identity()?;
        let ttl = if who == Who::ExpiredToken { -3600 } else { 3600 };
        let claims = memberdesk_http::auth::Claims {
            sub: user.into(),
            client_id: client.into(),
            roles: vec![role.as_str().into()],
            name: name.into(),
            email: email.into(),
            exp: chrono::Utc::now().timestamp() + ttl,
        };
        Some(memberdesk_http::auth::issue_token(SECRET, &claims).unwrap())
    }

    pub async fn call(&self, who: Who, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.call_with(who, method, path, body, &[]).await
    }

    pub async fn call_with(
        &self,
        who: Who,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(token) = self.token(who) {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        Self::read(request.send().await.expect("request sent")).await
    }

    /// Sends raw bytes with a content type, for malformed-input tests.
    pub async fn raw(&self, who: Who, method: Method, path: &str, content_type: &str, body: Vec<u8>) -> Reply {
        let mut request =
            self.http.request(method, format!("{}{}", self.base, path)).header("content-type", content_type).body(body);
        if let Some(token) = self.token(who) {
            request = request.bearer_auth(token);
        }
        Self::read(request.send().await.expect("request sent")).await
    }

    async fn read(response: reqwest::Response) -> Reply {
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply { status, headers, body, text }
    }

    pub async fn get(&self, who: Who, path: &str) -> Reply {
        self.call(who, Method::GET, path, None).await
    }
    pub async fn post(&self, who: Who, path: &str, body: Value) -> Reply {
        self.call(who, Method::POST, path, Some(body)).await
    }
    pub async fn put(&self, who: Who, path: &str, body: Value) -> Reply {
        self.call(who, Method::PUT, path, Some(body)).await
    }

    /// Makes sure the staff are in the directory (the assignee picker knows users it has seen).
    pub async fn introduce_staff(&self) {
        self.get(Who::Admin, "/api/agents").await.expect(200);
        self.get(Who::User, "/api/agents").await.expect(200);
    }

    /// A ticket raised by `Who::Member` (through the API, by the member), returning its id.
    pub async fn member_ticket(&self, subject: &str) -> String {
        let reply = self
            .post(Who::Member, "/api/tickets", json!({"subject": subject, "description": "Please help with this."}))
            .await
            .expect(201);
        reply.body["id"].as_str().expect("ticket id").to_owned()
    }

    /// A ticket an admin raises on the member's behalf, with a priority.
    pub async fn staff_ticket(&self, subject: &str, priority: &str) -> Value {
        self.post(
            Who::Admin,
            "/api/tickets",
            json!({
                "subject": subject,
                "description": "Raised by phone.",
                "priority": priority,
                "member": {"id": "member-1", "name": "Mia Member", "email": "mia@members.example"}
            }),
        )
        .await
        .expect(201)
        .body
    }

    pub async fn status(&self, who: Who, id: &str, status: &str) -> Reply {
        self.put(who, &format!("/api/tickets/{id}/status"), json!({"status": status})).await
    }
}

/// Runs an async test body once per store backend.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::support::TestApp::spawn(memberdesk_store::Backend::Postgres).await;
                ($body)(app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::support::TestApp::spawn(memberdesk_store::Backend::Sqlite).await;
                ($body)(app).await;
            }
        }
    };
}
