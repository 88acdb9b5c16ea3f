//! `/api/settings/support-ai` (issue 8): the defaults, saving, validation with field paths,
//! per-client isolation, and the settings applied to drafts (tone, terminology, organisation).

use crate::both_backends;
use crate::support::{TestApp, Who};
use reqwest::Method;
use serde_json::json;

const SETTINGS: &str = "/api/settings/support-ai";

async fn settings_round_trip(app: TestApp) {
    let defaults = app.get(Who::User, SETTINGS).await.expect(200).body;
    assert_eq!(
        defaults,
        json!({
            "enabled": true, "defaultTone": "professional", "styleInstructions": "",
            "terminology": [{"preferred": "member", "avoid": ["customer"]}, {"preferred": "members", "avoid": ["customers"]}]
        })
    );

    let saved = app
        .put(
            Who::Admin,
            SETTINGS,
            json!({
                "enabled": true, "defaultTone": "formal", "styleInstructions": "  Use British spelling. ",
                "terminology": [{"preferred": "association", "avoid": ["club"]}, {"preferred": "member", "avoid": ["customer"]}]
            }),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(saved["defaultTone"], "formal");
    assert_eq!(saved["styleInstructions"], "Use British spelling.");
    assert_eq!(app.get(Who::User, SETTINGS).await.expect(200).body, saved, "staff read what admins saved");
    // Another client keeps its own (the defaults).
    assert_eq!(app.get(Who::OtherClientAdmin, SETTINGS).await.expect(200).body, defaults);

    // Every problem is reported with its field; nothing is stored.
    let reply = app
        .put(
            Who::Admin,
            SETTINGS,
            json!({
                "defaultTone": "casual", "styleInstructions": "x".repeat(2_001),
                "terminology": [{"preferred": "member", "avoid": []}]
            }),
        )
        .await
        .expect(422);
    let errors = &reply.body["errors"];
    assert!(errors["defaultTone"].as_str().is_some_and(|m| m.contains("formal")), "{}", reply.body);
    assert!(errors["styleInstructions"].is_string(), "{}", reply.body);
    assert!(errors["terminology[0].avoid"].is_string(), "{}", reply.body);
    let reply = app.put(Who::Admin, SETTINGS, json!({"enabled": "yes"})).await.expect(422);
    assert!(reply.body["errors"]["enabled"].is_string(), "{}", reply.body);
    app.raw(Who::Admin, Method::PUT, SETTINGS, "application/json", b"{\"enabled\":".to_vec()).await.expect(400);
    app.raw(Who::Admin, Method::PUT, SETTINGS, "text/plain", b"{}".to_vec()).await.expect(415);
    assert_eq!(app.get(Who::Admin, SETTINGS).await.expect(200).body, saved);

    // The settings shape every draft: the default tone, the terminology, the organisation.
    app.put(Who::Admin, "/api/settings/client", json!({"name": "Harbour City Rowing"})).await.expect(200);
    let id = app.member_ticket("Club renewal").await;
    let draft = app.post(Who::User, &format!("/api/tickets/{id}/draft-response"), json!({})).await.expect(200).body;
    assert_eq!(draft["tone"], "formal");
    let text = draft["draft"].as_str().unwrap();
    assert!(text.contains("Association renewal"), "terminology: {text}");
    assert!(!text.contains("Club"), "{text}");
    assert!(text.ends_with("Yours sincerely,\nUma User\nHarbour City Rowing"), "{text}");

    // Fields left out take their defaults.
    let reset = app.put(Who::Admin, SETTINGS, json!({})).await.expect(200).body;
    assert_eq!(reset, defaults);
}
both_backends!(support_ai_settings_round_trip_validate_and_shape_drafts, settings_round_trip);
