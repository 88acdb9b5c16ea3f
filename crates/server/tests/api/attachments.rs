//! Attachments end to end: uploads by members and staff, who may download what, the download
//! headers, the limits, hostile names, and that refused or failed uploads leave no file and no
//! row behind.

use crate::both_backends;
use crate::support::{TestApp, Who};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A tiny but valid-looking PNG (signature and IHDR header are what sniffing reads).
const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6,
    0, 0, 0, 0x1F, 0x15, 0xC4, 0x89,
];

/// A `multipart/form-data` body, written by hand so tests control every byte (the web UI's
/// tests send their forms with it too).
pub(crate) struct Form {
    boundary: String,
    body: Vec<u8>,
}

impl Form {
    pub(crate) fn new() -> Form {
        Form { boundary: "----memberdesk-test-boundary-7d0f".into(), body: Vec::new() }
    }

    pub(crate) fn text(mut self, name: &str, value: &str) -> Form {
        let head = format!("--{}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n", self.boundary);
        self.body.extend_from_slice(head.as_bytes());
        self.body.extend_from_slice(value.as_bytes());
        self.body.extend_from_slice(b"\r\n");
        self
    }

    fn file(self, filename: &str, content_type: &str, bytes: &[u8]) -> Form {
        self.file_part("files", filename, content_type, bytes)
    }

    pub(crate) fn file_part(mut self, part: &str, filename: &str, content_type: &str, bytes: &[u8]) -> Form {
        let head = format!(
            "--{}\r\nContent-Disposition: form-data; name=\"{part}\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n",
            self.boundary
        );
        self.body.extend_from_slice(head.as_bytes());
        self.body.extend_from_slice(bytes);
        self.body.extend_from_slice(b"\r\n");
        self
    }

    pub(crate) fn finish(mut self) -> (String, Vec<u8>) {
        self.body.extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        (format!("multipart/form-data; boundary={}", self.boundary), self.body)
    }
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Every file under `dir` (none if it does not exist).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() { pending.push(path) } else { found.push(path) }
        }
    }
    found
}

struct Download {
    status: u16,
    headers: reqwest::header::HeaderMap,
    bytes: Vec<u8>,
}

impl Download {
    fn header(&self, name: &str) -> String {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    }
}

impl TestApp {
    async fn upload(&self, who: Who, ticket: &str, form: Form) -> crate::support::Reply {
        let (content_type, body) = form.finish();
        self.raw(who, Method::POST, &format!("/api/tickets/{ticket}/responses"), &content_type, body).await
    }

    async fn download(&self, who: Who, url: &str, headers: &[(&str, &str)]) -> Download {
        let mut request = self.http.get(format!("{}{url}", self.base));
        if let Some(token) = self.token(who) {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap().to_vec();
        Download { status, headers, bytes }
    }

    fn stored_files(&self) -> Vec<PathBuf> {
        files_under(&self.attachments_dir)
    }
}

fn urls(response: &Value) -> Vec<String> {
    response["attachments"].as_array().unwrap().iter().map(|a| a["url"].as_str().unwrap().to_owned()).collect()
}

async fn uploads_by_members_and_staff(app: TestApp) {
    let id = app.member_ticket("Receipt attached").await;
    let text = "Receipt no. 4711 — paid in full.\n".as_bytes();

    // A member replies with a PNG declared as text/plain and a text file.
    let form = Form::new().text("body", "Here are my receipts.").file("receipt.png", "text/plain", PNG).file(
        "note.txt",
        "application/octet-stream",
        text,
    );
    let reply = app.upload(Who::Member, &id, form).await.expect(201);
    assert_eq!(reply.body["kind"], "reply");
    let files = reply.body["attachments"].as_array().unwrap().clone();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["filename"], "receipt.png");
    assert_eq!(files[0]["contentType"], "image/png", "sniffed from the bytes, not the request");
    assert_eq!(files[0]["size"], PNG.len());
    assert_eq!(files[0]["sha256"], sha256(PNG));
    assert_eq!(files[1]["contentType"], "text/plain; charset=utf-8");
    assert_eq!(files[1]["size"], text.len());
    assert_eq!(files[0]["url"], format!("/api/attachments/{}", files[0]["id"].as_str().unwrap()));

    // Staff reply and note with files; the note's stays with staff.
    let staff_reply =
        app.upload(Who::User, &id, Form::new().text("body", "Thanks!").file("a.pdf", "application/pdf", b"%PDF-1.4\n"));
    let staff_reply = staff_reply.await.expect(201);
    assert_eq!(staff_reply.body["attachments"][0]["contentType"], "application/pdf");
    let note = Form::new().text("kind", "note").text("body", "NOTE-ONLY bank statement").file(
        "bank.txt",
        "text/plain",
        b"IBAN",
    );
    let note = app.upload(Who::Admin, &id, note).await.expect(201);
    assert_eq!(note.body["kind"], "note");
    let note_file = note.body["attachments"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(app.stored_files().len(), 4);

    // The conversation lists the files: staff see all, the member never the note's.
    let staff_view = app.get(Who::Admin, &format!("/api/tickets/{id}")).await.expect(200);
    let counts: Vec<usize> = staff_view.body["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["attachments"].as_array().unwrap().len())
        .collect();
    assert_eq!(counts, vec![2, 1, 1]);
    let member_view = app.get(Who::Member, &format!("/api/tickets/{id}")).await.expect(200);
    assert_eq!(member_view.body["responses"].as_array().unwrap().len(), 2);
    assert!(!member_view.text.contains(&note_file) && !member_view.text.contains("bank.txt"), "{}", member_view.text);

    // Downloads: the bytes, the sniffed type, and the safety headers.
    let png = app.download(Who::Member, &urls(&reply.body)[0], &[]).await;
    assert_eq!(png.status, 200);
    assert_eq!(png.bytes, PNG);
    assert_eq!(png.header("content-type"), "image/png");
    assert_eq!(png.header("content-length"), PNG.len().to_string());
    assert_eq!(png.header("x-content-type-options"), "nosniff");
    assert_eq!(png.header("etag"), format!("\"{}\"", sha256(PNG)));
    assert_eq!(png.header("content-disposition"), "attachment; filename=\"receipt.png\"; filename*=UTF-8''receipt.png");
    let again = app.download(Who::Member, &urls(&reply.body)[0], &[("if-none-match", &png.header("etag"))]).await;
    assert_eq!(again.status, 304);
    assert!(again.bytes.is_empty());
    let by_staff = app.download(Who::User, &urls(&reply.body)[1], &[]).await;
    assert_eq!((by_staff.status, by_staff.bytes.as_slice()), (200, text));
    assert_eq!(app.download(Who::Admin, &urls(&note.body)[0], &[]).await.bytes, b"IBAN");

    // JSON replies keep working, with an empty list of files.
    let plain = app.post(Who::Member, &format!("/api/tickets/{id}/responses"), json!({"body": "Plain."})).await;
    assert_eq!(plain.expect(201).body["attachments"], json!([]));
}

both_backends!(members_and_staff_attach_files, uploads_by_members_and_staff);

async fn download_access(app: TestApp) {
    let id = app.member_ticket("Who sees the file").await;
    let reply =
        app.upload(Who::User, &id, Form::new().text("body", "Form attached").file("form.pdf", "x/y", b"%PDF-1"));
    let reply_url = urls(&reply.await.expect(201).body)[0].clone();
    let note =
        app.upload(Who::User, &id, Form::new().text("kind", "note").text("body", "n").file("n.txt", "x/y", b"n"));
    let note_url = urls(&note.await.expect(201).body)[0].clone();

    assert_eq!(app.download(Who::Member, &reply_url, &[]).await.status, 200);
    // A member never fetches a note's file; another member nothing; another client nothing: 404.
    for (who, url) in [
        (Who::Member, &note_url),
        (Who::OtherMember, &reply_url),
        (Who::OtherMember, &note_url),
        (Who::OtherClientAdmin, &reply_url),
        (Who::OtherClientAdmin, &note_url),
    ] {
        let refused = app.download(who, url, &[]).await;
        assert_eq!(refused.status, 404, "{who:?} {url}");
        let problem: Value = serde_json::from_slice(&refused.bytes).unwrap();
        assert_eq!(problem["code"], "not_found");
    }
    assert_eq!(app.download(Who::NoToken, &reply_url, &[]).await.status, 401);
    assert_eq!(app.download(Who::Admin, &format!("/api/attachments/{}", uuid_v7()), &[]).await.status, 404);
    assert_eq!(app.download(Who::Admin, "/api/attachments/not-a-uuid", &[]).await.status, 404);

    // Who may not write the response may not attach to it: a member's note is 403, another
    // member's ticket 404, and neither stores a file.
    let before = app.stored_files().len();
    let note = Form::new().text("kind", "note").text("body", "mine").file("x.txt", "text/plain", b"x");
    assert_eq!(app.upload(Who::Member, &id, note).await.expect(403).body["code"], "forbidden");
    let other = Form::new().text("body", "hi").file("x.txt", "text/plain", b"x");
    app.upload(Who::OtherMember, &id, other).await.expect(404);
    assert_eq!(app.stored_files().len(), before);
}

fn uuid_v7() -> String {
    memberdesk_domain::AttachmentId::new().to_string()
}

both_backends!(attachments_follow_their_response_access, download_access);

async fn limits_are_enforced(app: TestApp) {
    let id = app.member_ticket("Too much").await;
    let path = format!("/api/tickets/{id}");

    let big = vec![b'a'; 2048];
    let refused = app.upload(Who::Member, &id, Form::new().text("body", "big").file("big.txt", "text/plain", &big));
    let refused = refused.await.expect(413);
    assert_eq!(refused.body["code"], "payload_too_large");
    assert_eq!(refused.content_type(), "application/problem+json");

    let three = Form::new()
        .text("body", "three")
        .file("1.txt", "text/plain", b"1")
        .file("2.txt", "text/plain", b"2")
        .file("3.txt", "text/plain", b"3");
    let refused = app.upload(Who::Member, &id, three).await.expect(422);
    assert!(refused.body["errors"]["files"].as_str().unwrap().contains("at most 2"), "{}", refused.text);

    let empty = Form::new().text("body", "empty").file("empty.txt", "text/plain", b"");
    let refused = app.upload(Who::Member, &id, empty).await.expect(422);
    assert!(refused.body["errors"]["files"].as_str().unwrap().contains("empty"), "{}", refused.text);

    let no_body = Form::new().file("a.txt", "text/plain", b"a");
    assert!(app.upload(Who::Member, &id, no_body).await.expect(422).body["errors"]["body"].is_string());

    // Nothing of any of them was kept.
    assert!(app.stored_files().is_empty(), "{:?}", app.stored_files());
    let ticket = app.get(Who::Admin, &path).await.expect(200);
    assert_eq!(ticket.body["responses"], json!([]));
    assert_eq!(ticket.body["version"], 1);

    // Within the limits it goes through.
    let fine =
        Form::new().text("body", "fine").file("1.txt", "text/plain", &big[..1024]).file("2.txt", "text/plain", b"2");
    app.upload(Who::Member, &id, fine).await.expect(201);
    assert_eq!(app.stored_files().len(), 2);
}

mod limits {
    use super::*;
    use memberdesk_domain::AttachmentLimits;

    async fn with_small_limits(backend: memberdesk_store::Backend) {
        let app = TestApp::spawn_with(backend, |config| {
            config.attachment_limits = AttachmentLimits { max_bytes: 1024, max_files: 2 };
        })
        .await;
        limits_are_enforced(app).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        with_small_limits(memberdesk_store::Backend::Postgres).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        with_small_limits(memberdesk_store::Backend::Sqlite).await;
    }
}

async fn hostile_names_are_defused(app: TestApp) {
    let id = app.member_ticket("Names").await;
    let form = Form::new().text("body", "names").file("../../etc/passwd", "text/plain", b"root:x:0:0").file(
        "Übersicht März.pdf",
        "application/pdf",
        b"%PDF-1.7",
    );
    let reply = app.upload(Who::Member, &id, form).await.expect(201);
    let files = reply.body["attachments"].as_array().unwrap().clone();
    assert_eq!(files[0]["filename"], "passwd");
    assert_eq!(files[1]["filename"], "Übersicht März.pdf");

    // The files land in the storage directory only, under server-made names.
    let stored = app.stored_files();
    assert_eq!(stored.len(), 2);
    for path in &stored {
        assert_eq!(path.parent(), Some(app.attachments_dir.as_path()), "{path:?}");
        let name = path.file_name().unwrap().to_str().unwrap();
        assert!(name.len() == 32 && name.bytes().all(|b| b.is_ascii_hexdigit()), "{name}");
    }
    let beside = files_under(app.attachments_dir.parent().unwrap());
    assert_eq!(beside.len(), 2, "nothing written outside the storage directory: {beside:?}");

    let unicode = app.download(Who::Member, &urls(&reply.body)[1], &[]).await;
    assert_eq!(
        unicode.header("content-disposition"),
        "attachment; filename=\"_bersicht M_rz.pdf\"; filename*=UTF-8''%C3%9Cbersicht%20M%C3%A4rz.pdf"
    );
    let passwd = app.download(Who::Member, &urls(&reply.body)[0], &[]).await;
    assert_eq!(passwd.header("content-disposition"), "attachment; filename=\"passwd\"; filename*=UTF-8''passwd");
}

both_backends!(a_path_as_filename_is_stored_safely, hostile_names_are_defused);

async fn failures_leave_nothing_behind(app: TestApp) {
    let id = app.member_ticket("Closed soon").await;
    app.status(Who::Admin, &id, "closed").await.expect(200);
    let version = app.get(Who::Admin, &format!("/api/tickets/{id}")).await.body["version"].clone();

    let form = Form::new().text("body", "one more thing").file("late.txt", "text/plain", b"late");
    let refused = app.upload(Who::Member, &id, form).await.expect(409);
    assert_eq!(refused.body["code"], "ticket_closed");
    assert!(app.stored_files().is_empty(), "no orphan file: {:?}", app.stored_files());
    let ticket = app.get(Who::Admin, &format!("/api/tickets/{id}")).await.expect(200);
    assert_eq!((ticket.body["responses"].clone(), ticket.body["version"].clone()), (json!([]), version));

    // Notes may still be added to closed tickets, files included.
    let note = Form::new().text("kind", "note").text("body", "for the record").file("r.txt", "text/plain", b"r");
    app.upload(Who::Admin, &id, note).await.expect(201);
    assert_eq!(app.stored_files().len(), 1);

    // A retried upload (same Idempotency-Key) stores nothing new.
    let open = app.member_ticket("Retry").await;
    let send = || {
        let (content_type, body) = Form::new().text("body", "retry me").file("r.txt", "text/plain", b"retry").finish();
        let request = app
            .http
            .post(format!("{}/api/tickets/{open}/responses", app.base))
            .bearer_auth(app.token(Who::Member).unwrap())
            .header("content-type", content_type)
            .header("idempotency-key", "upload-1")
            .body(body);
        async move { request.send().await.unwrap() }
    };
    let first = send().await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let second = send().await;
    assert_eq!(second.status(), 201);
    assert_eq!(second.headers().get("idempotent-replayed").and_then(|v| v.to_str().ok()), Some("true"));
    let second: Value = second.json().await.unwrap();
    assert_eq!(first["attachments"], second["attachments"]);
    assert_eq!(app.stored_files().len(), 2);
}

both_backends!(failed_uploads_leave_no_file_and_no_row, failures_leave_nothing_behind);

async fn malformed_uploads(app: TestApp) {
    let id = app.member_ticket("Broken bodies").await;
    let path = format!("/api/tickets/{id}/responses");

    let mixed = app.raw(Who::Member, Method::POST, &path, "multipart/mixed; boundary=x", b"--x--\r\n".to_vec()).await;
    assert_eq!(mixed.expect(415).body["code"], "unsupported_media_type");

    let (content_type, body) = Form::new().text("body", "cut").file("a.txt", "text/plain", b"abc").finish();
    let cut = body[..body.len() - 30].to_vec();
    let truncated = app.raw(Who::Member, Method::POST, &path, &content_type, cut).await;
    assert_eq!(truncated.expect(400).body["code"], "malformed_multipart");

    let no_boundary = app.raw(Who::Member, Method::POST, &path, "multipart/form-data", b"x".to_vec()).await;
    assert_eq!(no_boundary.expect(400).content_type(), "application/problem+json");

    let text = app.raw(Who::Member, Method::POST, &path, "text/plain", b"hello".to_vec()).await;
    text.expect(415);

    let twice = Form::new().text("body", "a").text("body", "b").file("a.txt", "text/plain", b"a");
    assert!(app.upload(Who::Member, &id, twice).await.expect(422).body["errors"]["body"].is_string());

    assert!(app.stored_files().is_empty());
    assert_eq!(app.get(Who::Admin, &format!("/api/tickets/{id}")).await.body["responses"], json!([]));
}

both_backends!(malformed_uploads_are_refused, malformed_uploads);
