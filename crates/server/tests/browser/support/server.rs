//! The desk under test: the real `memberdesk demo` binary on a fresh SQLite file and a free
//! port, started once per test binary and shared by every test. Tests stay independent by
//! signing in as different demo identities and by working on tickets they raise themselves.

use super::process::Guarded;
use memberdesk_demo::DemoIdentity;
use memberdesk_domain::Role;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

const SECRET: &str = "browser-test-secret-0123456789abcdef";
pub const CLIENT: &str = "harbour-city-rowing";

pub struct Server {
    pub base: String,
    /// Where the server's log goes (named in failure messages).
    pub log: PathBuf,
    _server: Guarded,
}

/// The shared server, started by the first test that asks.
pub fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| start("desk", &[]))
}

/// A second desk whose AI service does not answer (nothing listens at its address), for the
/// pages' "unavailable" states; started only if a test asks for it.
pub fn server_with_ai_down() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        let url = format!("http://{closed}/v1");
        start("ai-down", &[("MEMBERDESK_AI_BASE_URL", &url), ("MEMBERDESK_AI_TIMEOUT", "3s")])
    })
}

/// A directory of this test binary's own under the target directory, emptied per run.
pub fn work_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
    .clone()
}

fn memberdesk() -> &'static str {
    env!("CARGO_BIN_EXE_memberdesk")
}

/// Starts `memberdesk demo` on `<name>.db` in the work directory and waits for its
/// "listening on" line.
fn start(name: &str, settings: &[(&str, &str)]) -> Server {
    let dir = work_dir();
    let database_url = format!("sqlite://{}", dir.join(format!("{name}.db")).display());
    let log = dir.join(format!("{name}.log"));
    let mut env = vec![
        ("MEMBERDESK_DATABASE_URL", database_url.as_str()),
        ("MEMBERDESK_JWT_SECRET", SECRET),
        ("RUST_LOG", "warn,memberdesk_server::notifications=error"),
    ];
    env.extend_from_slice(settings);
    let mut server = Guarded::spawn(memberdesk(), &["demo", "--bind", "127.0.0.1:0"], &env);
    let mut lines = BufReader::new(server.stderr()).lines();
    let mut file = std::fs::File::create(&log).unwrap();
    let base = loop {
        let Some(Ok(line)) = lines.next() else {
            panic!("memberdesk demo ended before it listened; see {}", log.display());
        };
        let _ = writeln!(file, "{line}");
        if let Some(rest) = line.split("listening on ").nth(1) {
            break rest.split_whitespace().next().unwrap_or_default().to_owned();
        }
    };
    // Keep draining stderr into the log so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let _ = writeln!(file, "{line}");
        }
    });
    Server { base, log, _server: server }
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A platform token for a demo identity, from `memberdesk token` (as the platform would
    /// sign it).
    pub fn token(&self, who: &DemoIdentity) -> String {
        let role = match who.role {
            Role::ClientAdmin => "admin",
            Role::ClientUser => "user",
            Role::Member => "member",
        };
        let output = std::process::Command::new(memberdesk())
            .args(["token", "--client", CLIENT, "--user", &who.user_id, "--role", role])
            .args(["--name", &who.name, "--email", &who.email])
            .env("MEMBERDESK_JWT_SECRET", SECRET)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    /// Raises a ticket over the API as a demo member, for a test that needs one of its own.
    /// Answers the ticket's id.
    pub async fn raise_ticket(&self, member: &DemoIdentity, subject: &str, description: &str) -> String {
        let token = self.token(member);
        let reply = reqwest::Client::new()
            .post(self.url("/api/tickets"))
            .bearer_auth(token)
            .timeout(Duration::from_secs(10))
            .json(&json!({ "subject": subject, "description": description }))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status().as_u16(), 201, "raising a ticket over the API");
        let body: Value = reply.json().await.unwrap();
        body["id"].as_str().unwrap().to_owned()
    }
}

impl Server {
    /// Reads `path` of the API as `who` (to check what a page did, where the page does not
    /// show it).
    pub async fn api_get(&self, who: &DemoIdentity, path: &str) -> Value {
        let reply = reqwest::Client::new()
            .get(self.url(path))
            .bearer_auth(self.token(who))
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status().as_u16(), 200, "GET {path}");
        reply.json().await.unwrap()
    }
}
