//! Automatic summary regeneration (issue 8) end to end, on both backends: the outbox consumer
//! schedules, the refresh worker's pass (driven on the fixed clock) regenerates. Model calls
//! are counted at a wiremock chat-completions stand-in. A burst of replies makes one new
//! version of each summary; a status change makes one; priority, notes and assignment make
//! none; a failing service is retried later and the version appears once it recovers. Related
//! tickets: a similar recent ticket of the member is referenced, unrelated or old ones are not.

use crate::support::{TestApp, Who};
use chrono::Duration;
use memberdesk_domain::usecases::RefreshPassReport;
use memberdesk_store::Backend;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Runs `$body(backend)` (which spawns its own desk, with the AI stand-in) on both backends.
macro_rules! per_backend {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$body(memberdesk_store::Backend::Postgres).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$body(memberdesk_store::Backend::Sqlite).await;
            }
        }
    };
}

/// One answer that reads as either summary (each parser takes its own fields).
fn model_answer() -> Value {
    let content = json!({
        "summary": "[Member Name] cannot renew.", "keyPoints": [], "sentiment": "neutral", "suggestedActions": [],
        "timeline": [], "resolutionAttempts": [], "memberSentiment": "neutral", "keyDecisions": []
    });
    json!({
        "id": "c1", "object": "chat.completion", "created": 1, "model": "m",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content.to_string()}}]
    })
}

async fn answer(server: &MockServer, status: u16) {
    server.reset().await;
    let response = if status == 200 {
        ResponseTemplate::new(200).set_body_json(model_answer())
    } else {
        ResponseTemplate::new(status).set_body_string("internal error")
    };
    Mock::given(method("POST")).and(path("/v1/chat/completions")).respond_with(response).mount(server).await;
}

/// A desk whose summaries come from the stand-in, with a 60 s debounce.
async fn spawn(backend: Backend, server: &MockServer) -> TestApp {
    let uri = server.uri();
    TestApp::spawn_with(backend, |config| {
        config.ai = Some(memberdesk_ai::AiConfig {
            base_url: format!("{uri}/v1"),
            api_key: "k".into(),
            model: "m".into(),
            timeout: std::time::Duration::from_secs(5),
        });
        config.summary_refresh.debounce = std::time::Duration::from_secs(60);
    })
    .await
}

async fn calls(server: &MockServer) -> usize {
    server.received_requests().await.map(|r| r.len()).unwrap_or(0)
}

/// The outbox hands the new rows to the consumers (the refresh consumer among them).
async fn deliver(app: &TestApp) {
    app.outbox.run_once().await.expect("outbox pass");
}

async fn pass(app: &TestApp) -> RefreshPassReport {
    memberdesk_server::workers::summary_refresh::run_once(&app.refresh).await.expect("refresh pass")
}

/// How many versions each summary has: (ticket, conversation).
async fn versions(app: &TestApp, id: &str) -> (usize, usize) {
    let mut counts = [0; 2];
    for (i, kind) in ["summary", "conversation-summary"].into_iter().enumerate() {
        let history = app.get(Who::User, &format!("/api/tickets/{id}/{kind}/history")).await.expect(200);
        counts[i] = history.body["items"].as_array().map_or(0, Vec::len);
    }
    (counts[0], counts[1])
}

fn advance(app: &TestApp, seconds: i64) {
    app.clock.advance(Duration::seconds(seconds));
}

async fn reply(app: &TestApp, who: Who, id: &str, body: &str) {
    app.post(who, &format!("/api/tickets/{id}/responses"), json!({"kind": "reply", "body": body})).await.expect(201);
}

async fn regenerates_debounced(backend: Backend) {
    let server = MockServer::start().await;
    answer(&server, 200).await;
    let app = spawn(backend, &server).await;
    app.introduce_staff().await;
    let id = app.member_ticket("Renewal fails").await;

    // The new ticket gets its first summaries once it has been quiet for the debounce.
    deliver(&app).await;
    assert_eq!(pass(&app).await.claimed, 0, "not due yet");
    advance(&app, 60);
    let report = pass(&app).await;
    assert_eq!((report.versions, report.failed.len()), (2, 0), "{report:?}");
    assert_eq!(calls(&server).await, 2, "one call per summary kind");
    assert_eq!(versions(&app, &id).await, (1, 1));

    // A burst of five replies from both sides, five seconds apart: one generation.
    server.reset().await;
    answer(&server, 200).await;
    for (i, who) in [Who::Member, Who::User, Who::Member, Who::User, Who::Member].into_iter().enumerate() {
        advance(&app, 5);
        reply(&app, who, &id, &format!("Message {i} about the renewal.")).await;
        deliver(&app).await;
        assert_eq!(pass(&app).await.versions, 0, "nothing during the burst");
    }
    advance(&app, 59);
    assert_eq!(pass(&app).await.versions, 0, "quiet for 59 s only");
    advance(&app, 1);
    let report = pass(&app).await;
    assert_eq!(report.versions, 2, "{report:?}");
    assert_eq!(calls(&server).await, 2, "a burst makes one generation: one call per summary kind");
    assert_eq!(versions(&app, &id).await, (2, 2));
    let latest = app.get(Who::User, &format!("/api/tickets/{id}/summary")).await.expect(200);
    assert_eq!((latest.body["version"].as_i64(), latest.body["stale"].as_bool()), (Some(2), Some(false)));
    assert_eq!(latest.body["generatedBy"], "ai");

    // A status change is significant.
    advance(&app, 5);
    app.status(Who::User, &id, "waiting").await.expect(200);
    deliver(&app).await;
    advance(&app, 60);
    assert_eq!(pass(&app).await.versions, 2);
    assert_eq!(calls(&server).await, 4);
    assert_eq!(versions(&app, &id).await, (3, 3));

    // Priority, a note and an assignment are not.
    advance(&app, 5);
    app.put(Who::Admin, &format!("/api/tickets/{id}"), json!({"priority": "high"})).await.expect(200);
    app.post(Who::User, &format!("/api/tickets/{id}/responses"), json!({"kind": "note", "body": "Checked billing."}))
        .await
        .expect(201);
    app.put(Who::Admin, &format!("/api/tickets/{id}/assign"), json!({"assigneeId": "agent-1"})).await.expect(200);
    deliver(&app).await;
    advance(&app, 600);
    let report = pass(&app).await;
    assert_eq!((report.claimed, report.versions), (0, 0), "{report:?}");
    assert_eq!(calls(&server).await, 4, "no model call");
    assert_eq!(versions(&app, &id).await, (3, 3));
    // The stored summary says the ticket changed since (it was edited), all the same.
    let latest = app.get(Who::User, &format!("/api/tickets/{id}/summary")).await.expect(200);
    assert_eq!(latest.body["stale"], true);
}

per_backend!(regenerates_debounced_on, regenerates_debounced);

async fn a_failing_service_is_retried(backend: Backend) {
    let server = MockServer::start().await;
    answer(&server, 500).await;
    let app = spawn(backend, &server).await;
    let id = app.member_ticket("Card was charged twice").await;
    deliver(&app).await;
    advance(&app, 60);
    let report = pass(&app).await;
    assert_eq!((report.versions, report.failed.len()), (0, 1), "{report:?}");
    assert!(calls(&server).await >= 1, "the service was asked");
    assert_eq!(versions(&app, &id).await, (0, 0));

    // The service recovers; the record waits for its backoff, then the versions appear.
    answer(&server, 200).await;
    advance(&app, 10);
    assert_eq!(pass(&app).await.claimed, 0, "not before the backoff");
    assert_eq!(calls(&server).await, 0);
    advance(&app, 60);
    let report = pass(&app).await;
    assert_eq!((report.versions, report.failed.len()), (2, 0), "{report:?}");
    assert_eq!(calls(&server).await, 2);
    assert_eq!(versions(&app, &id).await, (1, 1));
    advance(&app, 3600);
    assert_eq!(pass(&app).await.claimed, 0, "done");
}

per_backend!(a_failing_service_is_retried_on, a_failing_service_is_retried);

async fn ticket(app: &TestApp, subject: &str, description: &str) -> (String, i64) {
    let body = app
        .post(Who::Member, "/api/tickets", json!({"subject": subject, "description": description}))
        .await
        .expect(201)
        .body;
    (body["id"].as_str().expect("id").to_owned(), body["number"].as_i64().expect("number"))
}

/// The member's history: a similar ticket 410 days ago, a similar one 10 days ago, an
/// unrelated one 2 days ago, then the current ticket. Returns the three numbers and its id.
async fn member_history(app: &TestApp) -> (i64, i64, i64, String) {
    let (_, old_similar) = ticket(app, "Password reset email never arrives", "The reset email does not arrive.").await;
    advance(app, 400 * 86_400);
    let (_, similar) = ticket(app, "Reset password email missing", "No reset email came after I asked.").await;
    advance(app, 8 * 86_400);
    let (_, unrelated) = ticket(app, "Change of address", "We moved house last month.").await;
    advance(app, 2 * 86_400);
    let (id, _) = ticket(app, "Password reset email still missing", "I asked for a password reset again.").await;
    (old_similar, similar, unrelated, id)
}

async fn related_tickets_are_similar_and_recent(app: TestApp) {
    let (old_similar, similar, unrelated, id) = member_history(&app).await;
    let summary = app.get(Who::User, &format!("/api/tickets/{id}/summary")).await.expect(200);
    let text = summary.body.to_string();
    assert!(text.contains(&format!("Previous ticket #{similar} ")), "the similar one is referenced: {text}");
    assert!(text.contains(&format!("Check previous ticket #{similar} ")), "{text}");
    for left_out in [old_similar, unrelated] {
        assert!(!text.contains(&format!("#{left_out} ")), "#{left_out} is old or unrelated: {text}");
    }
}
crate::both_backends!(related_tickets_are_similar_and_recent_only, related_tickets_are_similar_and_recent);

/// The model is told of the similar ticket only.
async fn related_tickets_reach_the_prompt(backend: Backend) {
    let server = MockServer::start().await;
    answer(&server, 200).await;
    let app = spawn(backend, &server).await;
    let (old_similar, similar, unrelated, id) = member_history(&app).await;
    app.get(Who::User, &format!("/api/tickets/{id}/summary")).await.expect(200);
    let requests = server.received_requests().await.unwrap_or_default();
    let prompt = requests.last().map(|r| String::from_utf8_lossy(&r.body).into_owned()).unwrap_or_default();
    assert!(prompt.contains(&format!("#{similar} ")), "{prompt}");
    assert!(prompt.contains("Reset password email missing"), "{prompt}");
    assert!(!prompt.contains("Change of address") && !prompt.contains(&format!("#{unrelated} ")), "{prompt}");
    assert!(!prompt.contains("never arrives") && !prompt.contains(&format!("#{old_similar} ")), "{prompt}");
}
per_backend!(related_tickets_reach_the_prompt_on, related_tickets_reach_the_prompt);
