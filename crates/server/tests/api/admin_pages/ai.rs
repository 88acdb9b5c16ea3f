//! `/ui/admin/ai`: AI settings and the draft usage report.

use super::{field_error, open};
use crate::both_backends;
use crate::support::{TestApp, Who};
use crate::web::Browser;
use serde_json::json;

const PAGE: &str = "/ui/admin/ai";

async fn admins_set_the_ai_settings(app: TestApp) {
    let before = app.get(Who::Admin, "/api/settings/support-ai").await.expect(200).body;
    let mut admin = Browser::signed_in(&app, Who::Admin).await;
    let (page, csrf) = open(&mut admin, PAGE).await;
    assert!(page.has("id=\"draft-usage\"") && page.has("No drafts generated yet."));
    assert!(page.has("<option value=\"professional\" selected>"));

    // A rule that avoids nothing: the desk's message beside the field, naming the line.
    let typed = "member: customer, client\nboat club";
    let refused = admin
        .post(PAGE, &[("_csrf", &csrf), ("enabled", "on"), ("defaultTone", "friendly"), ("terminology", typed)])
        .await
        .expect(422);
    let message = field_error(&refused, "terminology-error");
    assert!(message.starts_with("line 2:"), "{message}");
    assert!(refused.has(&format!(">{typed}</textarea>")));
    assert_eq!(app.get(Who::Admin, "/api/settings/support-ai").await.expect(200).body, before);

    admin
        .post(
            PAGE,
            &[
                ("_csrf", &csrf),
                ("defaultTone", "friendly"),
                ("styleInstructions", "British spelling."),
                ("terminology", "member: customer, client"),
            ],
        )
        .await
        .redirects_to(PAGE);
    let saved = app.get(Who::Admin, "/api/settings/support-ai").await.expect(200).body;
    assert_eq!(saved["enabled"], false, "the box was not ticked");
    assert_eq!(saved["defaultTone"], "friendly");
    assert_eq!(saved["styleInstructions"], "British spelling.");
    assert_eq!(saved["terminology"], json!([{"preferred": "member", "avoid": ["customer", "client"]}]));
    let page = admin.get(PAGE).await.expect(200);
    assert!(page.has("class=\"flash success\"") && page.has("<option value=\"friendly\" selected>"));
}
both_backends!(admins_set_the_ai_settings, admins_set_the_ai_settings);
