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
