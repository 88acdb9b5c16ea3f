//! The adapter against a local stand-in speaking the chat-completions API (wiremock): what is
//! sent (the conversation, none of the personal data), the shapes read back, the one retry on
//! an invalid answer, and each failure mode.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::Utc;
use memberdesk_ai::{AiConfig, OpenAiSummarizer};
use memberdesk_domain::ai::{GeneratedBy, Redacted, TicketContext};
use memberdesk_domain::ai_ports::{AiFailure, Summarizer};
use memberdesk_domain::response::{Author, Response, ResponseKind};
use memberdesk_domain::{
    ClientId, Description, MemberRef, Priority, ResponseId, Role, Status, Subject, Ticket, TicketId, UserId,
};
use serde_json::{Value, json};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const EMAIL: &str = "mia.jones@example.org";
const PHONE: &str = "+44 7700 900123";
const CARD: &str = "4111 1111 1111 1111";

fn context() -> (Redacted<TicketContext>, Vec<String>) {
    let ticket = Ticket {
        id: TicketId::new(),
        client_id: ClientId::new("c"),
        number: 7,
        subject: Subject::new("Cannot log in").unwrap(),
        description: Description::new(&format!(
            "I am Mia Jones and the portal says my password expired. Write to {EMAIL}; card {CARD} was charged twice."
        ))
        .unwrap(),
        status: Status::Open,
        priority: Priority::High,
        category_id: None,
        member: MemberRef { id: UserId::new("m"), name: "Mia Jones".into(), email: EMAIL.into() },
        assignee_id: None,
        created_at: Utc::now(),
        updated_at: Utc::now(),
        first_responded_at: None,
        resolved_at: None,
        closed_at: None,
        version: 2,
        sla: Default::default(),
    };
    let reply = Response {
        id: ResponseId::new(),
        ticket_id: ticket.id,
        kind: ResponseKind::Reply,
        author: Author { id: UserId::new("m"), name: "Mia Jones".into(), role: Role::Member },
        body: format!("Still locked out. Call me on {PHONE}."),
        created_at: Utc::now(),
        attachments: Vec::new(),
    };
    let ctx = TicketContext::new(&ticket, &[reply], &[], Some("Login"), &[]);
    let (redacted, redaction) = ctx.redacted().unwrap();
    let values: Vec<String> = redaction.values().map(str::to_owned).collect();
    (redacted, values)
}

fn completion(content: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "test-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}]
    }))
}

const GOOD: &str = r#"{"summary": "[Member Name] cannot log in; the password expired.", "keyPoints": ["charged twice"],
  "sentiment": "frustrated", "suggestedActions": ["reset the password"]}"#;

async fn summarizer(server: &MockServer, timeout: Duration) -> OpenAiSummarizer {
    OpenAiSummarizer::new(&AiConfig {
        base_url: format!("{}/v1", server.uri()),
        api_key: "test-key".into(),
        model: "test-model".into(),
        timeout,
    })
    .unwrap()
}

async fn bodies(server: &MockServer) -> Vec<Value> {
    server.received_requests().await.unwrap().iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect()
}

#[tokio::test]
async fn the_prompt_carries_the_conversation_and_no_personal_data() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/v1/chat/completions")).respond_with(completion(GOOD)).mount(&server).await;
    let (ctx, values) = context();
    assert!(values.iter().any(|v| v == EMAIL) && values.iter().any(|v| v.contains("Mia")), "{values:?}");

    let summary = summarizer(&server, Duration::from_secs(5)).await.ticket_summary(&ctx, Utc::now()).await.unwrap();
    assert_eq!(summary.generated_by, GeneratedBy::Ai);
    assert_eq!(summary.ticket_id, ctx.ticket_id);
    assert_eq!(summary.key_points, vec!["charged twice".to_owned()]);

    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["model"], "test-model");
    assert_eq!(sent[0]["response_format"]["type"], "json_object");
    let text = sent[0].to_string();
    assert!(text.contains("the portal says my password expired"), "{text}");
    assert!(text.contains("Still locked out"), "{text}");
    for value in &values {
        assert!(!text.contains(value.as_str()), "{value} was sent: {text}");
    }
    for value in [EMAIL, PHONE, CARD, "Mia Jones"] {
        assert!(!text.contains(value), "{value} was sent");
    }
}

#[tokio::test]
async fn an_invalid_answer_is_retried_once_with_the_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(completion("Sure! Here is a summary: the member is unhappy."))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).and(path("/v1/chat/completions")).respond_with(completion(GOOD)).mount(&server).await;
    let (ctx, _) = context();
    let summary = summarizer(&server, Duration::from_secs(5)).await.ticket_summary(&ctx, Utc::now()).await.unwrap();
    assert!(summary.summary.contains("cannot log in"));
    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 2);
    let retry = sent[1]["messages"].as_array().unwrap();
    assert_eq!(retry[retry.len() - 2]["role"], "assistant");
    assert!(retry[retry.len() - 1]["content"].as_str().unwrap().contains("not usable"));
}

#[tokio::test]
async fn two_invalid_answers_are_a_failure() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(completion(r#"{"summary": "", "sentiment": "ecstatic"}"#))
        .mount(&server)
        .await;
    let (ctx, _) = context();
    let result = summarizer(&server, Duration::from_secs(5)).await.conversation_summary(&ctx, Utc::now()).await;
    assert!(matches!(result, Err(AiFailure::InvalidAnswer(_))), "{result:?}");
    assert_eq!(bodies(&server).await.len(), 2);
}

#[tokio::test]
async fn a_server_error_is_unavailable_without_retries() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(502).set_body_string("bad gateway"))
        .mount(&server)
        .await;
    let (ctx, _) = context();
    let result = summarizer(&server, Duration::from_secs(5)).await.ticket_summary(&ctx, Utc::now()).await;
    assert!(matches!(result, Err(AiFailure::Unavailable(_))), "{result:?}");
    assert_eq!(bodies(&server).await.len(), 1, "async-openai's backoff is off");
}

#[tokio::test]
async fn a_rate_limit_is_told_apart() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(429).set_body_json(json!({
            "error": {"message": "Rate limit reached", "type": "requests", "param": null, "code": "rate_limit_exceeded"}
        })))
        .mount(&server)
        .await;
    let (ctx, _) = context();
    let result = summarizer(&server, Duration::from_secs(5)).await.ticket_summary(&ctx, Utc::now()).await;
    assert!(matches!(result, Err(AiFailure::RateLimited { .. })), "{result:?}");
}

#[tokio::test]
async fn a_slow_service_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(completion(GOOD).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let (ctx, _) = context();
    let result = summarizer(&server, Duration::from_millis(300)).await.ticket_summary(&ctx, Utc::now()).await;
    assert_eq!(result, Err(AiFailure::Timeout));
}

/// The drafter (same stand-in and helpers).
#[path = "openai/drafts.rs"]
mod drafts;
