//! Ticket and conversation summaries (issue 8): the built-in summariser's answers in the
//! specification's shapes, staff only (members and other clients get 404, no token 401).

use crate::both_backends;
use crate::support::{TestApp, Who};
use serde_json::json;

async fn builtin_summaries(app: TestApp) {
    let id = app.member_ticket("Cannot log in to the portal").await;
    app.post(
        Who::Member,
        &format!("/api/tickets/{id}/responses"),
        json!({"body": "It still fails. My email is mia.private@example.org, why does this keep happening?"}),
    )
    .await
    .expect(201);

    for who in [Who::Admin, Who::User] {
        let summary = app.get(who, &format!("/api/tickets/{id}/summary")).await.expect(200);
        let body = &summary.body;
        assert_eq!(body["state"], "ready");
        assert_eq!(body["ticketId"], id.as_str());
        assert_eq!(body["generatedBy"], "builtin");
        assert!(body["summary"].as_str().is_some_and(|s| !s.is_empty()), "{body}");
        assert!(body["keyPoints"].is_array() && body["suggestedActions"].is_array(), "{body}");
        assert!(body["sentiment"].is_string() && body["generatedAt"].is_string(), "{body}");
        assert!(!summary.text.contains("mia.private@example.org"), "summaries keep placeholders: {body}");

        let conversation = app.get(who, &format!("/api/tickets/{id}/conversation-summary")).await.expect(200);
        let body = &conversation.body;
        assert_eq!(body["ticketId"], id.as_str());
        assert_eq!(body["generatedBy"], "builtin");
        assert!(body["timeline"].as_array().is_some_and(|t| !t.is_empty()), "{body}");
        assert!(body["resolutionAttempts"].is_array() && body["keyDecisions"].is_array(), "{body}");
        assert!(body["memberSentiment"].is_string() && body["generatedAt"].is_string(), "{body}");
        assert!(!conversation.text.contains("mia.private@example.org"), "{body}");
    }
}
both_backends!(builtin_summaries_in_the_specification_shapes, builtin_summaries);

async fn summaries_are_internal(app: TestApp) {
    let id = app.member_ticket("Where is my card?").await;
    for path in [format!("/api/tickets/{id}/summary"), format!("/api/tickets/{id}/conversation-summary")] {
        // The member who raised the ticket, another member, another client: 404, never 403.
        for who in [Who::Member, Who::OtherMember, Who::OtherClientAdmin] {
            let reply = app.get(who, &path).await.expect(404);
            assert_eq!(reply.body["code"], "not_found", "{who:?} {path}");
        }
        app.get(Who::NoToken, &path).await.expect(401);
        app.get(Who::ExpiredToken, &path).await.expect(401);
        // An unknown ticket is 404 for staff too.
        app.get(Who::Admin, &format!("/api/tickets/{}/summary", uuid::Uuid::new_v4())).await.expect(404);
    }
}
both_backends!(summaries_are_staff_only, summaries_are_internal);

async fn summaries_are_stored_and_versioned(app: TestApp) {
    let id = app.member_ticket("Renewal reminder never arrived").await;
    for kind in ["summary", "conversation-summary"] {
        let path = format!("/api/tickets/{id}/{kind}");
        // The first read makes version 1; reading again gives the same stored version.
        let first = app.get(Who::User, &path).await.expect(200);
        assert_eq!(first.body["version"], 1, "{}", first.body);
        assert_eq!(first.body["stale"], false);
        let again = app.get(Who::Admin, &path).await.expect(200);
        assert_eq!(again.body["version"], 1);
        assert_eq!(again.body["generatedAt"], first.body["generatedAt"]);
        let ticket_version = first.body["ticketVersion"].as_i64().expect("ticketVersion");

        // The ticket changes: the stored summary says it is stale.
        app.post(Who::Member, &format!("/api/tickets/{id}/responses"), json!({"body": "Any news on this?"}))
            .await
            .expect(201);
        let stale = app.get(Who::User, &path).await.expect(200);
        assert_eq!(stale.body["version"], 1);
        assert_eq!(stale.body["stale"], true, "{}", stale.body);

        // A refresh stores version 2, fresh.
        let refreshed = app.post(Who::User, &format!("{path}/refresh"), json!({})).await.expect(200);
        assert_eq!(refreshed.body["version"], 2, "{}", refreshed.body);
        assert_eq!(refreshed.body["stale"], false);
        assert!(refreshed.body["ticketVersion"].as_i64().expect("ticketVersion") > ticket_version);
        assert_eq!(app.get(Who::Admin, &path).await.expect(200).body["version"], 2);

        // The history lists both, newest first; the old one is stale.
        let history = app.get(Who::Admin, &format!("{path}/history")).await.expect(200);
        let items = history.body["items"].as_array().expect("items");
        assert_eq!(items.len(), 2, "{}", history.body);
        assert_eq!(items[0]["version"], 2);
        assert_eq!(items[0]["stale"], false);
        assert_eq!(items[1]["version"], 1);
        assert_eq!(items[1]["stale"], true);

        // Refresh and history are internal too.
        for who in [Who::Member, Who::OtherMember, Who::OtherClientAdmin] {
            app.post(who, &format!("{path}/refresh"), json!({})).await.expect(404);
            app.get(who, &format!("{path}/history")).await.expect(404);
        }
        app.post(Who::NoToken, &format!("{path}/refresh"), json!({})).await.expect(401);
        app.get(Who::NoToken, &format!("{path}/history")).await.expect(401);
    }
}
both_backends!(summaries_are_stored_versioned_and_say_when_stale, summaries_are_stored_and_versioned);

async fn summaries_from_an_openai_compatible_service(backend: memberdesk_store::Backend) {
    use crate::ai_stand_in::{answer, completion, desk_using, received};
    let server = wiremock::MockServer::start().await;
    answer(
        &server,
        completion(
            "{\"summary\": \"[Member Name] cannot renew.\", \"keyPoints\": [], \"sentiment\": \"neutral\", \"suggestedActions\": []}",
        ),
    )
    .await;
    let app = desk_using(backend, &server).await;
    let id = app.member_ticket("Renewal fails").await;
    app.post(
        Who::Member,
        &format!("/api/tickets/{id}/responses"),
        json!({"body": "Renewal fails again; reach me at mia.private@example.org or 07700 900123."}),
    )
    .await
    .expect(201);
    let summary = app.get(Who::User, &format!("/api/tickets/{id}/summary")).await.expect(200);
    assert_eq!(summary.body["generatedBy"], "ai", "{}", summary.body);
    assert_eq!(summary.body["summary"], "[Member Name] cannot renew.");
    let sent = received(&server).await;
    assert_eq!(sent.len(), 1);
    assert!(sent[0].contains("Renewal fails again"), "{}", sent[0]);
    for pii in ["mia.private@example.org", "07700 900123", "Mia Member", "mia@members.example"] {
        assert!(!sent[0].contains(pii), "{pii} was sent: {}", sent[0]);
    }

    // The service fails: the unavailable state, never a 500.
    server.reset().await;
    answer(&server, wiremock::ResponseTemplate::new(503).set_body_string("overloaded")).await;
    let refresh = app.post(Who::User, &format!("/api/tickets/{id}/summary/refresh"), json!({})).await.expect(200);
    assert_eq!(refresh.body["state"], "unavailable", "{}", refresh.body);
    assert_eq!(refresh.body["message"], "Summary unavailable");
    assert_eq!(refresh.body["ticket"]["id"], id.as_str());
    assert!(refresh.body["retryAfterSeconds"].as_u64().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn summaries_from_an_openai_compatible_service_postgres() {
    summaries_from_an_openai_compatible_service(memberdesk_store::Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn summaries_from_an_openai_compatible_service_sqlite() {
    summaries_from_an_openai_compatible_service(memberdesk_store::Backend::Sqlite).await;
}
