//! `/ui/admin/crm`: the CRM connection; its secrets never come back into the page.

use super::{field_error, open};
use crate::both_backends;
use crate::support::{TestApp, Who};
use crate::web::Browser;

const PAGE: &str = "/ui/admin/crm";
const SECRET: &str = "whsec-0123456789abcdef";

async fn admins_connect_a_crm(app: TestApp) {
    let mut admin = Browser::signed_in(&app, Who::Admin).await;
    let (_, csrf) = open(&mut admin, PAGE).await;

    let short =
        [("_csrf", csrf.as_str()), ("provider", "webhook"), ("url", "ftp://crm.example.org"), ("secret", "short")];
    let refused = admin.post(PAGE, &short).await.expect(422);
    assert!(field_error(&refused, "url-error").contains("http"), "{}", refused.html);
    assert!(field_error(&refused, "secret-error").contains("16"));
    assert!(refused.has("value=\"ftp://crm.example.org\""), "the typed address is kept");
    assert_eq!(app.get(Who::Admin, "/api/settings/crm").await.expect(200).body["provider"], "none");

    let good = [
        ("_csrf", csrf.as_str()),
        ("provider", "webhook"),
        ("url", "https://crm.example.org/hooks"),
        ("secret", SECRET),
    ];
    admin.post(PAGE, &good).await.redirects_to(PAGE);
    let saved = app.get(Who::Admin, "/api/settings/crm").await.expect(200).body;
    assert_eq!(
        (saved["provider"].as_str(), saved["url"].as_str()),
        (Some("webhook"), Some("https://crm.example.org/hooks"))
    );
    let page = admin.get(PAGE).await.expect(200);
    assert!(!page.has(SECRET), "the secret never comes back");
    assert!(page.has("set — leave empty to keep it"));

    // Saving without typing the secret keeps it (the page could not have sent it back).
    admin
        .post(PAGE, &[("_csrf", &csrf), ("provider", "webhook"), ("url", "https://crm.example.org/v2"), ("secret", "")])
        .await
        .redirects_to(PAGE);
    assert_eq!(app.get(Who::Admin, "/api/settings/crm").await.expect(200).body["url"], "https://crm.example.org/v2");
}
both_backends!(admins_connect_a_crm, admins_connect_a_crm);
