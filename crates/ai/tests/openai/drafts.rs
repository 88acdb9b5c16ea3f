//! The drafter against the same stand-in: the prompt carries the public conversation, the
//! offered article and the style, never personal data or internal notes; the answer's shape
//! and confidence; the one retry; each failure mode.

use super::*;
use memberdesk_ai::OpenAiDrafter;
use memberdesk_domain::ai::{DraftInput, DraftStyle, KnowledgeSnippet, Terminology, Tone};
use memberdesk_domain::ai_ports::Drafter;

fn input() -> (Redacted<DraftInput>, Vec<String>) {
    let (ctx, _) = context();
    let mut ticket = ctx.into_inner();
    // Undo the summary redaction: the draft input is redacted on its own, as the use case does.
    ticket.member_name = "Mia Jones".into();
    ticket.description =
        format!("I am Mia Jones. Write to {EMAIL}; card {CARD} was charged twice. How do I get a refund?");
    ticket.messages.push(memberdesk_domain::ai::ConversationMessage {
        id: None,
        at: Utc::now(),
        side: memberdesk_domain::ai::Side::Staff,
        kind: ResponseKind::Note,
        body: "INTERNAL: refund already approved by the treasurer".into(),
    });
    let knowledge = vec![KnowledgeSnippet {
        id: "kb-9".into(),
        title: "Refunds for double charges".into(),
        snippet: "Double charges are refunded within five working days.".into(),
        score: 0.8,
    }];
    let input = DraftInput { ticket, tone: Tone::Formal, knowledge, canned: None };
    let (redacted, redaction) = input.redacted().unwrap();
    (redacted, redaction.values().map(str::to_owned).collect())
}

fn style() -> DraftStyle {
    DraftStyle {
        instructions: "Use British spelling.".into(),
        terminology: Terminology::default(),
        organisation: Some("Harbour City Rowing".into()),
    }
}

const GOOD_DRAFT: &str = r#"{"draft": "Dear [Member Name],\n\nThe double charge will be refunded.", "confidence": 0.9,
  "suggestedAttachments": [{"type": "knowledge_base", "id": "kb-9", "title": "x"}, {"id": "invented"}],
  "clarifyingQuestions": []}"#;

async fn drafter(server: &MockServer, timeout: Duration) -> OpenAiDrafter {
    OpenAiDrafter::new(&AiConfig {
        base_url: format!("{}/v1", server.uri()),
        api_key: "test-key".into(),
        model: "test-model".into(),
        timeout,
    })
    .unwrap()
}

#[tokio::test]
async fn the_draft_prompt_carries_the_public_conversation_and_no_personal_data() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(completion(GOOD_DRAFT))
        .mount(&server)
        .await;
    let (input, values) = input();
    assert!(values.iter().any(|v| v == EMAIL), "{values:?}");

    let draft = drafter(&server, Duration::from_secs(5)).await.draft(&input, &style()).await.unwrap();
    assert_eq!(draft.generated_by, GeneratedBy::Ai);
    assert_eq!(draft.tone, Tone::Formal);
    assert_eq!(draft.draft, "Dear [Member Name],\n\nThe double charge will be refunded.", "the use case restores");
    assert_eq!(draft.suggested_attachments.len(), 1, "only offered articles");
    assert_eq!(draft.suggested_attachments[0].title, "Refunds for double charges");
    // 0.4·0.9 + 0.6·(0.15 + 0.45·0.8 + 0.15) = 0.36 + 0.396 = 0.756
    assert_eq!(draft.confidence, 0.76);

    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["response_format"]["type"], "json_object");
    let text = sent[0].to_string();
    for expected in [
        "How do I get a refund?",
        "Still locked out",
        "Refunds for double charges",
        "kb-9",
        "British spelling",
        "Harbour City Rowing",
        "never \\\"customer\\\"",
    ] {
        assert!(text.contains(expected), "{expected} is missing: {text}");
    }
    for value in values.iter().map(String::as_str).chain([EMAIL, PHONE, CARD, "Mia Jones", "treasurer"]) {
        assert!(!text.contains(value), "{value} was sent: {text}");
    }
}

#[tokio::test]
async fn an_invalid_draft_is_retried_once_then_a_failure() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(completion("Dear member, here is your draft."))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(completion(GOOD_DRAFT))
        .mount(&server)
        .await;
    let (input, _) = input();
    let draft = drafter(&server, Duration::from_secs(5)).await.draft(&input, &style()).await.unwrap();
    assert!(draft.draft.contains("refunded"));
    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 2);
    let retry = sent[1]["messages"].as_array().unwrap();
    assert_eq!(retry[retry.len() - 2]["role"], "assistant");

    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(completion(r#"{"draft": "", "confidence": 2}"#))
        .mount(&server)
        .await;
    let result = drafter(&server, Duration::from_secs(5)).await.draft(&input, &style()).await;
    assert!(matches!(result, Err(AiFailure::InvalidAnswer(_))), "{result:?}");
    assert_eq!(bodies(&server).await.len(), 2);
}

#[tokio::test]
async fn each_failure_mode_of_the_drafter() {
    let (input, _) = input();
    let cases = [
        (ResponseTemplate::new(500).set_body_string("boom"), "unavailable"),
        (
            ResponseTemplate::new(429).set_body_json(json!({
                "error": {"message": "Rate limit reached", "type": "requests", "param": null, "code": "rate_limit_exceeded"}
            })),
            "rate limited",
        ),
        (ResponseTemplate::new(200).set_body_string("not json at all"), "invalid"),
        (completion(GOOD_DRAFT).set_delay(Duration::from_secs(3)), "timeout"),
    ];
    for (response, expected) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST")).and(path("/v1/chat/completions")).respond_with(response).mount(&server).await;
        let result = drafter(&server, Duration::from_millis(500)).await.draft(&input, &style()).await;
        let matched = matches!(
            (&result, expected),
            (Err(AiFailure::Unavailable(_)), "unavailable")
                | (Err(AiFailure::RateLimited { .. }), "rate limited")
                | (Err(AiFailure::InvalidAnswer(_)), "invalid")
                | (Err(AiFailure::Timeout), "timeout")
        );
        assert!(matched, "{expected}: {result:?}");
    }
}
