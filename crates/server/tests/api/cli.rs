//! The `memberdesk` binary itself: start-up errors, tokens, and a SIGTERM in the middle of writes.

use crate::support::SECRET;
use reqwest::StatusCode;
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn memberdesk() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_memberdesk"));
    command.env_remove("MEMBERDESK_DATABASE_URL").env_remove("MEMBERDESK_BIND").env("RUST_LOG", "warn");
    command
}

/// Runs the binary to completion, returning (exit success, stderr).
fn run(args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let mut command = memberdesk();
    command.args(args);
    for (k, v) in env {
        command.env(k, v);
    }
    let output = command.output().expect("binary runs");
    (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn bad_configuration_is_one_clear_line_and_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("mysql://root@localhost/db", "mysql"),
        ("sqlite:///proc/definitely/not/writable.db", "sqlite"),
        ("postgres://postgres@127.0.0.1:1/none", "127.0.0.1:1"),
    ];
    for (url, mention) in cases {
        let (ok, stderr) = run(
            &["serve", "--bind", "127.0.0.1:0"],
            &[("MEMBERDESK_DATABASE_URL", url), ("MEMBERDESK_JWT_SECRET", SECRET)],
        );
        assert!(!ok, "{url} must fail");
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "{url}: one line, got {stderr:?}");
        assert!(lines[0].starts_with("error: "), "{stderr}");
        assert!(lines[0].to_lowercase().contains(mention), "{url}: {stderr}");
        assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"), "{stderr}");
    }
    // No secret: refused before anything starts.
    let db = dir.path().join("x.db");
    let url = format!("sqlite://{}", db.display());
    let (ok, stderr) = run(&["serve"], &[("MEMBERDESK_DATABASE_URL", &url)]);
    assert!(!ok);
    assert!(stderr.contains("MEMBERDESK_JWT_SECRET"), "{stderr}");
}

#[test]
fn token_command_prints_a_token() {
    let mut command = memberdesk();
    command.args(["token", "--client", "c", "--user", "u", "--role", "admin", "--name", "N", "--email", "n@x.org"]);
    command.env("MEMBERDESK_JWT_SECRET", SECRET);
    let output = command.output().unwrap();
    assert!(output.status.success());
    let token = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    assert_eq!(token.split('.').count(), 3, "a JWT: {token}");
}

struct Running {
    child: Child,
    base: String,
}

/// Starts `memberdesk serve` on a free port and waits for its "listening" line.
fn serve(database_url: &str) -> Running {
    let mut child = memberdesk()
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("MEMBERDESK_DATABASE_URL", database_url)
        .env("MEMBERDESK_JWT_SECRET", SECRET)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let base = loop {
        let line = lines.next().expect("server printed its address").unwrap();
        if let Some(rest) = line.split("listening on ").nth(1) {
            break rest.trim().to_owned();
        }
    };
    // Keep draining stderr so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    Running { child, base }
}

fn sigterm(child: &Child) {
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_during_writes_loses_no_committed_ticket() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("desk.db").display());
    let mut server = serve(&url);
    let token = {
        let mut command = memberdesk();
        command
            .args(["token", "--client", "c", "--user", "m", "--role", "member", "--name", "M", "--email", "m@x.org"]);
        command.env("MEMBERDESK_JWT_SECRET", SECRET);
        String::from_utf8_lossy(&command.output().unwrap().stdout).trim().to_owned()
    };
    let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();

    // Writers keep creating tickets; SIGTERM lands while they are busy.
    let mut writers = Vec::new();
    for w in 0..8 {
        let http = http.clone();
        let base = server.base.clone();
        let token = token.clone();
        writers.push(tokio::spawn(async move {
            let mut committed = Vec::new();
            for n in 0..200 {
                let body = json!({"subject": format!("writer {w} ticket {n}"), "description": "load"});
                match http.post(format!("{base}/api/tickets")).bearer_auth(&token).json(&body).send().await {
                    Ok(r) if r.status() == StatusCode::CREATED => {
                        let v: serde_json::Value = r.json().await.unwrap_or_default();
                        committed.push(v["id"].as_str().unwrap_or_default().to_owned());
                    }
                    _ => break,
                }
            }
            committed
        }));
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    sigterm(&server.child);
    let mut committed = Vec::new();
    for writer in writers {
        committed.extend(writer.await.unwrap());
    }
    let status = tokio::task::spawn_blocking(move || server.child.wait()).await.unwrap().unwrap();
    assert!(status.success(), "graceful exit, got {status:?}");
    assert!(!committed.is_empty(), "some writes happened before the signal");
    assert!(committed.len() < 8 * 200, "the signal arrived while writers were still busy");

    // The file is consistent and holds every ticket that was acknowledged.
    let db = dir.path().join("desk.db");
    assert_eq!(integrity_check(&db), "ok");
    let restarted = serve(&url);
    let mut seen = 0;
    for id in &committed {
        let r = http.get(format!("{}/api/tickets/{id}", restarted.base)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "acknowledged ticket {id} survived");
        seen += 1;
    }
    assert_eq!(seen, committed.len());
    let mut restarted = restarted;
    sigterm(&restarted.child);
    let _ = restarted.child.wait();
}

/// SQLite's own consistency check of the whole file.
fn integrity_check(path: &std::path::Path) -> String {
    use diesel::{Connection, QueryableByName, RunQueryDsl, sql_types::Text};
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        integrity_check: String,
    }
    let mut conn = diesel::SqliteConnection::establish(&path.display().to_string()).unwrap();
    let rows: Vec<Row> = diesel::sql_query("PRAGMA integrity_check").load(&mut conn).unwrap();
    rows.into_iter().map(|r| r.integrity_check).collect::<Vec<_>>().join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_seeds_once_and_its_printed_curl_lines_work() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("demo.db").display());
    let demo = |expect_created: bool| {
        let output = memberdesk()
            .args(["demo", "--no-serve"])
            .env("MEMBERDESK_DATABASE_URL", &url)
            .env("MEMBERDESK_JWT_SECRET", SECRET)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(stderr.contains("demo data created"), expect_created, "{stderr}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let first = demo(true);
    let second = demo(false);
    assert!(second.contains("curl"), "{second}");

    // Serve the seeded file and run the printed curl line of the admin and of a member.
    let mut server = serve(&url);
    let curl_lines: Vec<&str> = first.lines().map(str::trim).filter(|l| l.starts_with("curl ")).collect();
    assert!(curl_lines.len() >= 4, "a curl line per demo identity: {first}");
    let mut totals = Vec::new();
    for line in [curl_lines[0], curl_lines[curl_lines.len() - 1]] {
        let token = line.split("Bearer ").nth(1).unwrap().split('\'').next().unwrap();
        let reply = reqwest::Client::new()
            .get(format!("{}/api/tickets?limit=5", server.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::OK);
        let body: serde_json::Value = reply.json().await.unwrap();
        totals.push(body["total"].as_i64().unwrap());
    }
    assert!((55..=70).contains(&totals[0]), "the admin sees the whole demo desk once: {totals:?}");
    assert!(totals[1] >= 1 && totals[1] < totals[0], "a member sees only their own: {totals:?}");

    // The demo's knowledge base, seeded once over the two runs, answers a full-text search.
    let admin = curl_lines[0].split("Bearer ").nth(1).unwrap().split('\'').next().unwrap();
    let get = |path: String| reqwest::Client::new().get(format!("{}{path}", server.base)).bearer_auth(admin).send();
    let articles: serde_json::Value = get("/api/kb/articles".into()).await.unwrap().json().await.unwrap();
    assert_eq!(articles["items"].as_array().map(Vec::len), Some(6), "{articles}");
    let found: serde_json::Value = get("/api/kb/search?q=renewing".into()).await.unwrap().json().await.unwrap();
    assert_eq!(found["items"][0]["title"], "Membership renewal and fees", "{found}");
    sigterm(&server.child);
    let _ = server.child.wait();
}
