//! Draft responses (issue 8): the built-in drafter's answers in the specification's shape for
//! every tone, clarifying questions for an unclear ticket, canned responses enhanced, usage
//! accounting through `draftId`, permissions, and an OpenAI-compatible stand-in (no personal
//! data received; a failure answers the unavailable state with the canned responses).

use crate::both_backends;
use crate::support::{TestApp, Who};
use reqwest::Method;
use serde_json::{Value, json};

const CANNED: &str = "/api/tickets/canned-responses";

fn draft_path(id: &str) -> String {
    format!("/api/tickets/{id}/draft-response")
}

async fn draft(app: &TestApp, who: Who, ticket: &str, body: Value) -> Value {
    app.post(who, &draft_path(ticket), body).await.expect(200).body
}

async fn drafts_in_the_specification_shape(app: TestApp) {
    let id = app.member_ticket("Renewal payment failed").await;
    app.post(
        Who::Member,
        &format!("/api/tickets/{id}/responses"),
        json!({"body": "My card was declined twice when I renewed. How can I pay my membership fee instead?"}),
    )
    .await
    .expect(201);

    for (tone, closing) in [
        ("professional", "Kind regards,"),
        ("friendly", "Best wishes,"),
        ("concise", "Thanks,"),
        ("formal", "Yours sincerely,"),
    ] {
        let body = draft(&app, Who::User, &id, json!({"tone": tone, "includeKnowledgeBase": true})).await;
        assert_eq!(body["state"], "ready", "{body}");
        assert_eq!(body["tone"], tone);
        assert_eq!(body["generatedBy"], "builtin");
        assert!(body["draftId"].as_str().is_some_and(|d| uuid::Uuid::parse_str(d).is_ok()), "{body}");
        let text = body["draft"].as_str().unwrap();
        assert!(text.contains("Mia"), "the member's name is filled back in: {text}");
        assert!(!text.contains("[Member"), "{text}");
        assert!(text.contains(closing) && text.contains("Uma"), "signed by the agent in the tone: {text}");
        assert!(text.contains("How can I pay my membership fee instead?"), "the open question: {text}");
        let confidence = body["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&confidence), "{body}");
        assert!(body["suggestedAttachments"].is_array() && body["clarifyingQuestions"].is_array(), "{body}");
    }

    // Without a tone, the client's default tone.
    app.put(Who::Admin, "/api/settings/support-ai", json!({"defaultTone": "concise"})).await.expect(200);
    assert_eq!(draft(&app, Who::Admin, &id, json!({})).await["tone"], "concise");

    // Bad requests.
    let reply = app.post(Who::User, &draft_path(&id), json!({"tone": "casual"})).await.expect(422);
    assert!(reply.body["errors"]["tone"].is_string(), "{}", reply.body);
    let reply = app.post(Who::User, &draft_path(&id), json!({"cannedResponseId": "nope"})).await.expect(422);
    assert!(reply.body["errors"]["cannedResponseId"].is_string(), "{}", reply.body);
    app.raw(Who::User, Method::POST, &draft_path(&id), "application/json", b"{".to_vec()).await.expect(400);
    app.raw(Who::User, Method::POST, &draft_path(&id), "text/plain", b"{}".to_vec()).await.expect(415);
}
both_backends!(drafts_in_the_specification_shape_for_every_tone, drafts_in_the_specification_shape);

async fn unclear_tickets_get_clarifying_questions(app: TestApp) {
    // "Help" / "Please help with this.": no question, no detail.
    let id = app.member_ticket("Help").await;
    let body = draft(&app, Who::User, &id, json!({})).await;
    let questions = body["clarifyingQuestions"].as_array().unwrap();
    assert!(!questions.is_empty(), "{body}");
    let text = body["draft"].as_str().unwrap();
    assert!(text.contains(questions[0].as_str().unwrap()), "the questions are in the draft: {text}");
    assert!(body["confidence"].as_f64().unwrap() <= 0.35, "{body}");
}
both_backends!(unclear_tickets_get_clarifying_questions_in_the_draft, unclear_tickets_get_clarifying_questions);

async fn canned_responses_are_enhanced(app: TestApp) {
    let id = app.member_ticket("Renewal reminder").await;
    let canned = app
        .post(
            Who::Admin,
            CANNED,
            json!({"title": "Renewal done", "body": "Hi {{member.firstName}},\n\nYour renewal for ticket #{{ticket.number}} is processed.\n\nKind regards", "shared": true}),
        )
        .await
        .expect(201)
        .body;
    let canned_id = canned["id"].as_str().unwrap();
    let body = draft(&app, Who::User, &id, json!({"cannedResponseId": canned_id, "tone": "professional"})).await;
    let text = body["draft"].as_str().unwrap();
    assert!(text.contains("Your renewal for ticket #1 is processed."), "rendered for the ticket: {text}");
    assert!(text.starts_with("Dear Mia,"), "the draft's own greeting, not the canned one's: {text}");

    // Unknown, another client's, or another agent's personal canned response: 422.
    let theirs = app
        .post(Who::OtherClientAdmin, CANNED, json!({"title": "Theirs", "body": "x", "shared": true}))
        .await
        .expect(201)
        .body;
    let personal = app
        .post(Who::Admin, CANNED, json!({"title": "Alex's", "body": "Personal", "shared": false}))
        .await
        .expect(201)
        .body;
    for unusable in [
        uuid::Uuid::new_v4().to_string(),
        theirs["id"].as_str().unwrap().to_owned(),
        personal["id"].as_str().unwrap().to_owned(),
    ] {
        let reply = app.post(Who::User, &draft_path(&id), json!({"cannedResponseId": unusable})).await.expect(422);
        assert!(reply.body["errors"]["cannedResponseId"].is_string(), "{}", reply.body);
    }
}
both_backends!(canned_responses_are_enhanced_with_the_tickets_context, canned_responses_are_enhanced);

/// A reply with a draft id, as `multipart/form-data` (no files).
fn multipart(fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "----memberdesk-draft-boundary";
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    (format!("multipart/form-data; boundary={boundary}"), body.into_bytes())
}

async fn usage_is_accounted(app: TestApp) {
    let id = app.member_ticket("Card not received").await;
    let other = app.member_ticket("Another question").await;
    let responses = format!("/api/tickets/{id}/responses");

    // Uma posts her draft unchanged (JSON).
    let umas = draft(&app, Who::User, &id, json!({})).await;
    let umas_id = umas["draftId"].as_str().unwrap();
    app.post(Who::User, &responses, json!({"body": umas["draft"], "draftId": umas_id})).await.expect(201);

    // Alex edits one (multipart) and leaves another unused.
    let alexs = draft(&app, Who::Admin, &id, json!({"tone": "formal"})).await;
    draft(&app, Who::Admin, &id, json!({})).await;
    let edited = format!("{}\n\nP.S. Your new card was posted today.", alexs["draft"].as_str().unwrap());
    let (content_type, body) = multipart(&[("body", &edited), ("draftId", alexs["draftId"].as_str().unwrap())]);
    app.raw(Who::Admin, Method::POST, &responses, &content_type, body).await.expect(201);
    // A second reply from the same draft does not count again.
    app.post(Who::Admin, &responses, json!({"body": "Rewritten entirely.", "draftId": alexs["draftId"]}))
        .await
        .expect(201);

    // Drafts of another ticket, unknown, malformed, with a note, or by a member: 422.
    let elsewhere = draft(&app, Who::User, &other, json!({})).await;
    for (who, body) in [
        (Who::User, json!({"body": "x", "draftId": elsewhere["draftId"]})),
        (Who::User, json!({"body": "x", "draftId": uuid::Uuid::new_v4().to_string()})),
        (Who::User, json!({"body": "x", "draftId": "not-a-uuid"})),
        (Who::User, json!({"body": "x", "kind": "note", "draftId": umas_id})),
        (Who::Member, json!({"body": "x", "draftId": umas_id})),
    ] {
        let reply = app.post(who, &responses, body.clone()).await.expect(422);
        assert!(reply.body["errors"]["draftId"].is_string(), "{body}: {}", reply.body);
    }
    // Other members and clients still get 404 first.
    app.post(Who::OtherMember, &responses, json!({"body": "x", "draftId": umas_id})).await.expect(404);
    app.post(Who::OtherClientAdmin, &responses, json!({"body": "x", "draftId": umas_id})).await.expect(404);
    // Nothing of the refused replies was stored.
    let ticket = app.get(Who::Admin, &format!("/api/tickets/{id}")).await.expect(200).body;
    assert_eq!(ticket["responses"].as_array().map(Vec::len), Some(3), "{ticket}");

    let usage = app.get(Who::Admin, "/api/settings/support-ai/usage").await.expect(200).body;
    let agents = usage["agents"].as_array().unwrap();
    assert_eq!(agents.len(), 2, "{usage}");
    let alex = agents.iter().find(|a| a["agentId"] == "admin-1").unwrap();
    assert_eq!((alex["draftsGenerated"].as_u64(), alex["draftsUsed"].as_u64()), (Some(2), Some(1)), "{usage}");
    assert_eq!(alex["useRate"], 0.5);
    assert_eq!(alex["agentName"], "Alex Admin");
    let ratio = alex["averageEditRatio"].as_f64().unwrap();
    assert!(ratio > 0.0 && ratio < 0.5, "a few words added: {usage}");
    let uma = agents.iter().find(|a| a["agentId"] == "agent-1").unwrap();
    assert_eq!((uma["draftsGenerated"].as_u64(), uma["draftsUsed"].as_u64()), (Some(2), Some(1)), "{usage}");
    assert_eq!(uma["averageEditRatio"], 0.0, "posted unchanged");
    assert_eq!(usage["totals"]["draftsGenerated"], 4);
    assert_eq!(usage["totals"]["draftsUsed"], 2);
    assert_eq!(usage["totals"]["useRate"], 0.5);

    // The period.
    let later = app.get(Who::Admin, "/api/settings/support-ai/usage?from=2999-01-01").await.expect(200).body;
    assert_eq!(later["totals"]["draftsGenerated"], 0);
    assert_eq!(later["agents"], json!([]));
    let all =
        app.get(Who::Admin, "/api/settings/support-ai/usage?from=2000-01-01&to=2999-12-31").await.expect(200).body;
    assert_eq!(all["totals"]["draftsGenerated"], 4);
    for bad in ["?from=yesterday", "?to=2026-13-01", "?from=2026-02-01&to=2026-01-01"] {
        app.get(Who::Admin, &format!("/api/settings/support-ai/usage{bad}")).await.expect(422);
    }
    app.get(Who::User, "/api/settings/support-ai/usage?from=yesterday").await.expect(403);
    // Another client sees nothing of this one's.
    let theirs = app.get(Who::OtherClientAdmin, "/api/settings/support-ai/usage").await.expect(200).body;
    assert_eq!(theirs["totals"]["draftsGenerated"], 0);
}
both_backends!(draft_usage_is_accounted_per_agent, usage_is_accounted);

async fn every_endpoint_by_role(app: TestApp) {
    let id = app.member_ticket("Who may draft?").await;
    let settings = json!({"defaultTone": "friendly"});
    let expected = [
        (Who::Admin, 200, 200, 200, 200),
        (Who::User, 200, 200, 403, 403),
        (Who::Member, 404, 403, 403, 403),
        (Who::OtherMember, 404, 403, 403, 403),
        (Who::OtherClientAdmin, 404, 200, 200, 200),
        (Who::NoToken, 401, 401, 401, 401),
        (Who::ExpiredToken, 401, 401, 401, 401),
    ];
    for (who, draft_status, get_status, put_status, usage_status) in expected {
        app.post(who, &draft_path(&id), json!({})).await.expect(draft_status);
        app.get(who, "/api/settings/support-ai").await.expect(get_status);
        app.put(who, "/api/settings/support-ai", settings.clone()).await.expect(put_status);
        app.get(who, "/api/settings/support-ai/usage").await.expect(usage_status);
    }
    // An unknown ticket is 404 for staff too; members get 404 with the not_found code.
    app.post(Who::Admin, &draft_path(&uuid::Uuid::new_v4().to_string()), json!({})).await.expect(404);
    let reply = app.post(Who::Member, &draft_path(&id), json!({})).await.expect(404);
    assert_eq!(reply.body["code"], "not_found");
}
both_backends!(every_draft_and_settings_endpoint_by_role, every_endpoint_by_role);

async fn drafts_from_an_openai_compatible_service(backend: memberdesk_store::Backend) {
    use crate::ai_stand_in::{answer, completion, desk_using, received};
    let server = wiremock::MockServer::start().await;
    let draft_answer = json!({"draft": "Dear [Member First Name],\n\nWe will send a new card to [EMAIL_1]. Thanks for being a valued customer.",
        "confidence": 0.8, "suggestedAttachments": [], "clarifyingQuestions": []});
    answer(&server, completion(&draft_answer.to_string())).await;
    let app = desk_using(backend, &server).await;
    let id = app.member_ticket("Card lost").await;
    app.post(
        Who::Member,
        &format!("/api/tickets/{id}/responses"),
        json!({"body": "I lost my card. Write to mia.private@example.org or call 07700 900123. Can you send a new one?"}),
    )
    .await
    .expect(201);
    app.post(
        Who::User,
        &format!("/api/tickets/{id}/responses"),
        json!({"kind": "note", "body": "Internal: second loss this year"}),
    )
    .await
    .expect(201);

    let body = draft(&app, Who::User, &id, json!({"tone": "professional"})).await;
    assert_eq!(body["generatedBy"], "ai", "{body}");
    let text = body["draft"].as_str().unwrap();
    assert!(text.starts_with("Dear Mia,"), "{text}");
    assert!(text.contains("mia.private@example.org"), "placeholders are filled back in locally: {text}");
    assert!(text.contains("valued member"), "terminology is applied after generation: {text}");
    assert!(text.ends_with("Kind regards,\nUma User"), "an unnamed client adds no organisation line: {text}");
    let sent: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].contains("I lost my card"), "{}", sent[0]);
    for private in ["mia.private@example.org", "07700 900123", "Mia Member", "mia@members.example", "second loss"] {
        assert!(!sent[0].contains(private), "{private} was sent: {}", sent[0]);
    }

    // Switched off for this client: the built-in drafter and summariser, nothing sent.
    app.put(Who::Admin, "/api/settings/support-ai", json!({"enabled": false})).await.expect(200);
    assert_eq!(draft(&app, Who::User, &id, json!({})).await["generatedBy"], "builtin");
    let summary = app.post(Who::User, &format!("/api/tickets/{id}/summary/refresh"), json!({})).await.expect(200);
    assert_eq!(summary.body["generatedBy"], "builtin", "{}", summary.body);
    assert_eq!(received(&server).await.len(), 1);
    app.put(Who::Admin, "/api/settings/support-ai", json!({"enabled": true})).await.expect(200);

    // The service fails: the unavailable state with the canned responses, never a 500.
    app.post(
        Who::Admin,
        CANNED,
        json!({"title": "Card replacement", "body": "We are sending a new card.", "shared": true}),
    )
    .await
    .expect(201);
    server.reset().await;
    answer(&server, wiremock::ResponseTemplate::new(503).set_body_string("overloaded")).await;
    let failed = draft(&app, Who::User, &id, json!({})).await;
    assert_eq!(failed["state"], "unavailable", "{failed}");
    assert_eq!(failed["message"], "Draft unavailable");
    assert!(failed["retryAfterSeconds"].as_u64().is_some());
    let canned = failed["cannedResponses"].as_array().unwrap();
    assert_eq!(canned.len(), 1, "{failed}");
    assert_eq!(canned[0]["title"], "Card replacement");
    assert!(canned[0]["id"].is_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_from_an_openai_compatible_service_postgres() {
    drafts_from_an_openai_compatible_service(memberdesk_store::Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_from_an_openai_compatible_service_sqlite() {
    drafts_from_an_openai_compatible_service(memberdesk_store::Backend::Sqlite).await;
}
