//! `/ui/admin/canned-responses`: canned responses and the desk's name.

use super::{field_error, open};
use crate::both_backends;
use crate::support::{TestApp, Who};
use crate::web::Browser;
use serde_json::Value;

const PAGE: &str = "/ui/admin/canned-responses";

async fn stored(app: &TestApp) -> Vec<Value> {
    app.get(Who::Admin, "/api/tickets/canned-responses").await.expect(200).body["items"].as_array().unwrap().clone()
}

async fn admins_manage_canned_responses(app: TestApp) {
    let mut admin = Browser::signed_in(&app, Who::Admin).await;
    let (page, csrf) = open(&mut admin, PAGE).await;
    assert!(page.has("<code>{{client.name}}</code>"), "the placeholders are listed");

    // An unknown placeholder: the desk's message beside the body, the typed text kept, nothing stored.
    let typed = "Dear {{member.title}}, thanks!";
    let refused = admin
        .post(PAGE, &[("_csrf", &csrf), ("title", "Thanks"), ("body", typed), ("visibility", "shared")])
        .await
        .expect(422);
    assert!(
        field_error(&refused, "body-error").contains("{{member.title}}"),
        "{}",
        field_error(&refused, "body-error")
    );
    assert!(refused.has("aria-describedby=\"body-error\""));
    assert!(refused.has("value=\"Thanks\"") && refused.has(&format!(">{typed}</textarea>")));
    assert!(refused.has("class=\"flash error\""));
    assert!(stored(&app).await.is_empty());

    // A valid one is what the API then lists.
    let body = "Hi {{member.firstName}}, thanks from {{client.name}}.";
    admin
        .post(PAGE, &[("_csrf", &csrf), ("title", "Thanks"), ("body", body), ("visibility", "shared")])
        .await
        .redirects_to(PAGE);
    let items = stored(&app).await;
    assert_eq!((items[0]["title"].as_str(), items[0]["body"].as_str()), (Some("Thanks"), Some(body)));
    assert_eq!(items[0]["shared"], true);
    let id = items[0]["id"].as_str().unwrap().to_owned();
    let page = admin.get(PAGE).await.expect(200);
    assert!(page.has("class=\"flash success\"") && page.has(&format!("data-canned-id=\"{id}\"")));

    // Edit: an empty title is refused beside that response's title; then a good edit.
    let edit = format!("{PAGE}/{id}");
    let refused = admin.post(&edit, &[("_csrf", &csrf), ("title", " "), ("body", "x")]).await.expect(422);
    assert!(!field_error(&refused, &format!("title-{id}-error")).is_empty());
    assert_eq!(stored(&app).await[0]["title"], "Thanks");
    admin.post(&edit, &[("_csrf", &csrf), ("title", "Thank you"), ("body", "Cheers")]).await.redirects_to(PAGE);
    assert_eq!(stored(&app).await[0]["title"], "Thank you");

    // Personal ones are the admin's own.
    admin
        .post(PAGE, &[("_csrf", &csrf), ("title", "Mine"), ("body", "Just me"), ("visibility", "personal")])
        .await
        .redirects_to(PAGE);
    let mine = stored(&app).await.into_iter().find(|c| c["title"] == "Mine").unwrap();
    assert_eq!(mine["ownerId"], "admin-1");

    admin.post(&format!("{edit}/delete"), &[("_csrf", &csrf)]).await.redirects_to(PAGE);
    assert_eq!(stored(&app).await.len(), 1);

    // The desk's name, for {{client.name}}.
    let refused = admin.post("/ui/admin/client", &[("_csrf", &csrf), ("clientName", "")]).await.expect(422);
    assert!(!field_error(&refused, "client-name-error").is_empty());
    assert_eq!(app.get(Who::Admin, "/api/settings/client").await.expect(200).body["name"], Value::Null);
    admin.post("/ui/admin/client", &[("_csrf", &csrf), ("clientName", "Harbour Rowing")]).await.redirects_to(PAGE);
    assert_eq!(app.get(Who::Admin, "/api/settings/client").await.expect(200).body["name"], "Harbour Rowing");
}
both_backends!(admins_manage_canned_responses, admins_manage_canned_responses);
