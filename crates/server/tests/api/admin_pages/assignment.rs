//! `/ui/admin/assignment`: agents' settings and the ordered rules.

use super::{field_error, open};
use crate::both_backends;
use crate::support::{TestApp, Who};
use crate::web::Browser;
use serde_json::{Value, json};

const PAGE: &str = "/ui/admin/assignment";

async fn agent(app: &TestApp, id: &str) -> Value {
    let agents = app.get(Who::Admin, "/api/agents").await.expect(200).body;
    agents["items"].as_array().unwrap().iter().find(|a| a["id"] == id).unwrap().clone()
}

async fn rules(app: &TestApp) -> Value {
    app.get(Who::Admin, "/api/settings/assignment-rules").await.expect(200).body["rules"].clone()
}

async fn admins_set_agents_and_rules(app: TestApp) {
    app.introduce_staff().await;
    let billing =
        app.post(Who::Admin, "/api/tickets/categories", json!({"name": "Billing"})).await.expect(201).body["id"]
            .as_str()
            .unwrap()
            .to_owned();
    let mut admin = Browser::signed_in(&app, Who::Admin).await;
    let (page, csrf) = open(&mut admin, PAGE).await;
    assert!(page.has("data-agent-id=\"agent-1\"") && page.has("id=\"rule-0-name\""));

    // An agent: a negative capacity is refused beside the field; then capacity and a category.
    let agent_form = "/ui/admin/assignment/agent";
    let refused = admin
        .post(agent_form, &[("_csrf", &csrf), ("agent", "agent-1"), ("available", "on"), ("capacity", "-1")])
        .await
        .expect(422);
    let which = refused.html.split("data-agent-id=\"agent-1\"").nth(1).unwrap().to_owned();
    assert!(which.contains("class=\"field-error\""), "the error is in agent-1's form: {}", refused.html);
    assert!(which.contains("value=\"-1\""));
    assert_eq!(agent(&app, "agent-1").await["capacity"], Value::Null);
    admin
        .post(agent_form, &[("_csrf", &csrf), ("agent", "agent-1"), ("capacity", "3"), ("categories", &billing)])
        .await
        .redirects_to(&format!("{PAGE}#agents"));
    let saved = agent(&app, "agent-1").await;
    assert_eq!((saved["available"].clone(), saved["capacity"].clone()), (json!(false), json!(3)));
    assert_eq!(saved["categories"], json!([billing]));

    // Rules: a pool without agents is refused beside that rule's agents; nothing stored.
    let refused = admin
        .post(
            "/ui/admin/assignment/rules",
            &[
                ("_csrf", &csrf),
                ("rule-0-name", "Billing desk"),
                ("rule-0-strategy", "round_robin"),
                ("rule-0-position", "1"),
            ],
        )
        .await
        .expect(422);
    assert!(!field_error(&refused, "rule-0-agents-error").is_empty(), "{}", refused.html);
    assert!(refused.has("value=\"Billing desk\""));
    assert_eq!(rules(&app).await, json!([]));

    // Two rules, the second put first by its order number.
    admin
        .post(
            "/ui/admin/assignment/rules",
            &[
                ("_csrf", &csrf),
                ("rule-0-name", "Everything else"),
                ("rule-0-strategy", "agent"),
                ("rule-0-agents", "admin-1"),
                ("rule-0-position", "2"),
                ("rule-1-name", "Billing desk"),
                ("rule-1-categories", &billing),
                ("rule-1-priorities", "high"),
                ("rule-1-keywords", "refund, invoice"),
                ("rule-1-strategy", "least_loaded"),
                ("rule-1-agents", "agent-1"),
                ("rule-1-agents", "admin-1"),
                ("rule-1-position", "1"),
            ],
        )
        .await
        .redirects_to(&format!("{PAGE}#rules"));
    let saved = rules(&app).await;
    assert_eq!(saved[0]["name"], "Billing desk");
    assert_eq!(saved[0]["pool"], json!(["agent-1", "admin-1"]));
    assert_eq!(saved[0]["strategy"], "least_loaded");
    assert_eq!(saved[0]["keywords"], json!(["refund", "invoice"]));
    assert_eq!(saved[0]["priorities"], json!(["high"]));
    assert_eq!(saved[1]["agent"], "admin-1");

    // Removing one keeps the other.
    let page = admin.get(PAGE).await.expect(200);
    assert!(page.has("value=\"Billing desk\"") && page.has("id=\"rule-2-name\""), "two rules and a blank one");
    admin
        .post(
            "/ui/admin/assignment/rules",
            &[
                ("_csrf", &csrf),
                ("rule-0-name", "Billing desk"),
                ("rule-0-strategy", "agent"),
                ("rule-0-agents", "agent-1"),
                ("rule-0-remove", "on"),
                ("rule-1-name", "Everything else"),
                ("rule-1-strategy", "agent"),
                ("rule-1-agents", "admin-1"),
                ("rule-2-name", ""),
                ("rule-2-strategy", "agent"),
            ],
        )
        .await
        .redirects_to(&format!("{PAGE}#rules"));
    let saved = rules(&app).await;
    assert_eq!(saved.as_array().map(Vec::len), Some(1));
    assert_eq!(saved[0]["name"], "Everything else");
}
both_backends!(admins_set_agents_and_rules, admins_set_agents_and_rules);
