//! Canned responses and response templates end to end: shared and personal ones, who may
//! manage which, filters, placeholder checks at save time, rendering for a ticket, and the
//! client settings that `{{client.name}}` reads.

use crate::both_backends;
use crate::support::{TestApp, Who};
use reqwest::Method;
use serde_json::{Value, json};

const CANNED: &str = "/api/tickets/canned-responses";

async fn create(app: &TestApp, who: Who, title: &str, body: &str, shared: bool) -> Value {
    app.post(who, CANNED, json!({"title": title, "body": body, "shared": shared})).await.expect(201).body
}

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

async fn titles(app: &TestApp, who: Who, query: &str) -> Vec<String> {
    let reply = app.get(who, &format!("{CANNED}{query}")).await.expect(200);
    reply.body["items"].as_array().unwrap().iter().map(|c| c["title"].as_str().unwrap().to_owned()).collect()
}

async fn shared_and_personal(app: TestApp) {
    // The route is not mistaken for a ticket id.
    assert_eq!(app.get(Who::User, CANNED).await.expect(200).body, json!({"items": []}));

    let reply = app
        .post(Who::Admin, CANNED, json!({"title": " Welcome ", "body": "Hi {{member.firstName}}!", "shared": true}))
        .await
        .expect(201);
    let welcome = reply.body.clone();
    assert_eq!(welcome["title"], "Welcome");
    assert_eq!(welcome["shared"], true);
    assert_eq!(welcome["ownerId"], Value::Null);
    assert_eq!(welcome["categoryId"], Value::Null);
    let location = reply.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(location, format!("{CANNED}/{}", id(&welcome)));

    // Users keep personal ones; only admins make shared ones.
    let reply = app.post(Who::User, CANNED, json!({"title": "Mine", "body": "x", "shared": true})).await.expect(403);
    assert_eq!(reply.body["code"], "forbidden");
    let users = app
        .post(Who::User, CANNED, json!({"title": "Uma's sign-off", "body": "Cheers, {{agent.firstName}}"}))
        .await
        .expect(201)
        .body;
    assert_eq!((users["shared"].as_bool(), users["ownerId"].as_str()), (Some(false), Some("agent-1")));
    let admins = create(&app, Who::Admin, "Alex's notes", "Personal to Alex", false).await;
    assert_eq!(admins["ownerId"], "admin-1");

    // Everyone sees the shared ones and their own, by title.
    assert_eq!(titles(&app, Who::User, "").await, ["Uma's sign-off", "Welcome"]);
    assert_eq!(titles(&app, Who::Admin, "").await, ["Alex's notes", "Welcome"]);
    assert_eq!(titles(&app, Who::OtherClientAdmin, "").await, Vec::<String>::new());

    // Someone else's personal one is theirs alone — even for an admin.
    let users_path = format!("{CANNED}/{}", id(&users));
    app.get(Who::Admin, &users_path).await.expect(403);
    app.put(Who::Admin, &users_path, json!({"title": "Taken over"})).await.expect(403);
    app.call(Who::Admin, Method::DELETE, &users_path, None).await.expect(403);
    app.get(Who::User, &format!("{CANNED}/{}", id(&admins))).await.expect(403);
    // Shared ones are the admins' to change.
    let welcome_path = format!("{CANNED}/{}", id(&welcome));
    assert_eq!(app.get(Who::User, &welcome_path).await.expect(200).body, welcome);
    app.put(Who::User, &welcome_path, json!({"title": "Hello"})).await.expect(403);
    app.call(Who::User, Method::DELETE, &welcome_path, None).await.expect(403);
    let edited = app
        .put(Who::Admin, &welcome_path, json!({"title": "Welcome aboard", "body": "Hi {{member.name}}"}))
        .await
        .expect(200)
        .body;
    assert_eq!(
        (edited["title"].as_str(), edited["body"].as_str()),
        (Some("Welcome aboard"), Some("Hi {{member.name}}"))
    );
    assert_eq!(edited["createdAt"], welcome["createdAt"]);
    let reply = app.put(Who::Admin, &welcome_path, json!({})).await.expect(422);
    assert!(reply.body["errors"]["body"].is_string());

    // Each their own.
    app.put(Who::User, &users_path, json!({"body": "Thanks, {{agent.name}}"})).await.expect(200);
    app.call(Who::User, Method::DELETE, &users_path, None).await.expect(204);
    app.get(Who::User, &users_path).await.expect(404);
    app.call(Who::User, Method::DELETE, &users_path, None).await.expect(404);

    // Members have no access at all; another client's admin finds nothing.
    for who in [Who::Member, Who::OtherMember] {
        app.get(who, CANNED).await.expect(403);
        app.get(who, &welcome_path).await.expect(403);
        app.post(who, CANNED, json!({"title": "t", "body": "b"})).await.expect(403);
    }
    for (method, body) in [(Method::GET, None), (Method::PUT, Some(json!({"title": "x"}))), (Method::DELETE, None)] {
        app.call(Who::OtherClientAdmin, method.clone(), &welcome_path, body.clone()).await.expect(404);
        app.call(Who::NoToken, method, &welcome_path, body).await.expect(401);
    }
    app.get(Who::Admin, &format!("{CANNED}/not-a-uuid")).await.expect(404);
}
both_backends!(shared_ones_for_admins_personal_ones_for_everyone, shared_and_personal);

async fn placeholders_are_checked_when_saved(app: TestApp) {
    let reply = app
        .post(Who::User, CANNED, json!({"title": "Typo", "body": "Dear {{member.nickname}}, about {{ticket.subject}}"}))
        .await
        .expect(422);
    let message = reply.body["errors"]["body"].as_str().unwrap();
    assert!(message.contains("`{{member.nickname}}`"), "{message}");
    assert!(message.contains("{{member.firstName}}"), "the message lists the known ones: {message}");

    let reply = app.post(Who::User, CANNED, json!({"title": "Open", "body": "Hi {{member.name"})).await.expect(422);
    assert!(reply.body["errors"]["body"].as_str().unwrap().contains("not closed"), "{}", reply.text);

    for bad in [json!({"title": "", "body": "b"}), json!({"body": "b"}), json!({"title": "t".repeat(121), "body": "b"})]
    {
        let reply = app.post(Who::User, CANNED, bad).await.expect(422);
        assert!(reply.body["errors"]["title"].is_string(), "{}", reply.text);
    }
    let reply = app.post(Who::User, CANNED, json!({"title": "t", "body": "  "})).await.expect(422);
    assert!(reply.body["errors"]["body"].is_string());

    let ok = create(&app, Who::User, "All of them", "{{member.name}} {{member.firstName}} {{member.email}} {{ticket.number}} {{ticket.reference}} {{ticket.subject}} {{ticket.status}} {{agent.name}} {{agent.firstName}} {{client.name}}", false).await;
    let reply =
        app.put(Who::User, &format!("{CANNED}/{}", id(&ok)), json!({"body": "{{agent.title}}"})).await.expect(422);
    assert!(reply.body["errors"]["body"].as_str().unwrap().contains("`{{agent.title}}`"));
    assert_eq!(titles(&app, Who::User, "").await, ["All of them"], "nothing invalid was saved");
}
both_backends!(unknown_placeholders_are_refused_at_save_time, placeholders_are_checked_when_saved);

async fn filters_and_categories(app: TestApp) {
    let billing = app.post(Who::Admin, "/api/tickets/categories", json!({"name": "Billing"})).await.expect(201).body;
    let events = app.post(Who::Admin, "/api/tickets/categories", json!({"name": "Events"})).await.expect(201).body;
    let foreign =
        app.post(Who::OtherClientAdmin, "/api/tickets/categories", json!({"name": "Billing"})).await.expect(201).body;
    let refund = app
        .post(Who::Admin, CANNED, json!({"title": "Refund issued", "body": "Your 100% refund is on its way.", "categoryId": id(&billing), "shared": true}))
        .await
        .expect(201)
        .body;
    assert_eq!(refund["categoryId"], billing["id"]);
    app.post(Who::Admin, CANNED, json!({"title": "Booking confirmed", "body": "See you at the regatta.", "categoryId": id(&events), "shared": true}))
        .await
        .expect(201);
    create(&app, Who::User, "General thanks", "Thanks for your patience with the REFUND.", false).await;

    assert_eq!(titles(&app, Who::User, &format!("?categoryId={}", id(&billing))).await, ["Refund issued"]);
    assert_eq!(
        titles(&app, Who::User, "?q=refund").await,
        ["General thanks", "Refund issued"],
        "title or body, any case"
    );
    assert_eq!(titles(&app, Who::User, "?q=REGATTA").await, ["Booking confirmed"]);
    assert_eq!(titles(&app, Who::User, "?q=1%25").await, Vec::<String>::new(), "`%` is literal");
    assert_eq!(titles(&app, Who::User, &format!("?q=refund&categoryId={}", id(&billing))).await, ["Refund issued"]);
    let reply = app.get(Who::User, &format!("{CANNED}?categoryId=nope")).await.expect(422);
    assert!(reply.body["errors"]["categoryId"].is_string());
    let reply = app.get(Who::User, &format!("{CANNED}?q={}", "q".repeat(201))).await.expect(422);
    assert!(reply.body["errors"]["q"].is_string());

    // A template's category must be an active one of the client; an archived one it already
    // has may stay, and it can be cleared.
    let reply =
        app.post(Who::User, CANNED, json!({"title": "x", "body": "y", "categoryId": id(&foreign)})).await.expect(422);
    assert!(reply.body["errors"]["categoryId"].is_string());
    app.call(Who::Admin, Method::DELETE, &format!("/api/tickets/categories/{}", id(&billing)), None).await.expect(200);
    let reply =
        app.post(Who::User, CANNED, json!({"title": "x", "body": "y", "categoryId": id(&billing)})).await.expect(422);
    assert!(reply.body["errors"]["categoryId"].is_string());
    let path = format!("{CANNED}/{}", id(&refund));
    app.put(Who::Admin, &path, json!({"title": "Refund sent", "categoryId": id(&billing)})).await.expect(200);
    assert_eq!(
        titles(&app, Who::User, &format!("?categoryId={}", id(&billing))).await,
        ["Refund sent"],
        "still filterable"
    );
    let cleared = app.put(Who::Admin, &path, json!({"categoryId": null})).await.expect(200).body;
    assert_eq!(cleared["categoryId"], Value::Null);
}
both_backends!(canned_responses_filter_by_category_and_text, filters_and_categories);

async fn rendering_fills_placeholders(app: TestApp) {
    let ticket = app.member_ticket("Cannot log in").await;
    app.status(Who::User, &ticket, "in_progress").await.expect(200);
    let number =
        app.get(Who::User, &format!("/api/tickets/{ticket}")).await.expect(200).body["number"].as_i64().unwrap();
    let template = create(
        &app,
        Who::Admin,
        "Everything",
        "Hi {{ member.firstName }} ({{member.name}}, {{member.email}}),\nre {{ticket.reference}} / {{ticket.number}}: \
         \"{{ticket.subject}}\" is {{ticket.status}}.\n{{agent.firstName}} / {{agent.name}}, {{client.name}}",
        true,
    )
    .await;
    let render = format!("/api/tickets/{ticket}/canned-responses/{}/render", id(&template));

    // Without a client name, its id stands in.
    let reply = app.call(Who::User, Method::POST, &render, None).await.expect(200);
    let expected = format!(
        "Hi Mia (Mia Member, mia@members.example),\nre #{number} / {number}: \"Cannot log in\" is in progress.\n\
         Uma / Uma User, harbour"
    );
    assert_eq!(reply.body, json!({"body": expected}));

    // Admins name the client; the agent is whoever renders.
    let settings =
        app.put(Who::Admin, "/api/settings/client", json!({"name": " Harbour City Rowing "})).await.expect(200).body;
    assert_eq!(
        (settings["name"].as_str(), settings["displayName"].as_str()),
        (Some("Harbour City Rowing"), Some("Harbour City Rowing"))
    );
    let reply = app.call(Who::Admin, Method::POST, &render, None).await.expect(200);
    assert!(reply.body["body"].as_str().unwrap().ends_with("Alex / Alex Admin, Harbour City Rowing"), "{}", reply.text);

    // Rendering sends nothing: the ticket has no responses and the same version.
    let details = app.get(Who::User, &format!("/api/tickets/{ticket}")).await.expect(200).body;
    assert_eq!(details["responses"], json!([]), "{details}");

    // Who may render what.
    app.call(Who::Member, Method::POST, &render, None).await.expect(403);
    app.call(Who::OtherClientAdmin, Method::POST, &render, None).await.expect(404);
    app.call(Who::NoToken, Method::POST, &render, None).await.expect(401);
    let personal = create(&app, Who::Admin, "Alex only", "Hi {{member.firstName}}", false).await;
    app.call(
        Who::User,
        Method::POST,
        &format!("/api/tickets/{ticket}/canned-responses/{}/render", id(&personal)),
        None,
    )
    .await
    .expect(403);
    let unknown = "0195f1a2-0000-7000-8000-000000000000";
    app.call(
        Who::User,
        Method::POST,
        &format!("/api/tickets/{unknown}/canned-responses/{}/render", id(&template)),
        None,
    )
    .await
    .expect(404);
    app.call(Who::User, Method::POST, &format!("/api/tickets/{ticket}/canned-responses/{unknown}/render"), None)
        .await
        .expect(404);
    app.call(Who::User, Method::POST, &format!("/api/tickets/nope/canned-responses/{}/render", id(&template)), None)
        .await
        .expect(404);
    // Another client's template on our ticket is not found either.
    let theirs = create(&app, Who::OtherClientAdmin, "Theirs", "Hello", true).await;
    app.call(Who::Admin, Method::POST, &format!("/api/tickets/{ticket}/canned-responses/{}/render", id(&theirs)), None)
        .await
        .expect(404);
}
both_backends!(rendering_fills_in_the_placeholders, rendering_fills_placeholders);

async fn client_settings(app: TestApp) {
    let unnamed = app.get(Who::User, "/api/settings/client").await.expect(200).body;
    assert_eq!(unnamed, json!({"clientId": "harbour", "name": null, "displayName": "harbour", "updatedAt": null}));
    app.put(Who::User, "/api/settings/client", json!({"name": "Harbour"})).await.expect(403);
    app.get(Who::Member, "/api/settings/client").await.expect(403);
    app.get(Who::NoToken, "/api/settings/client").await.expect(401);
    let reply = app.put(Who::Admin, "/api/settings/client", json!({"name": ""})).await.expect(422);
    assert!(reply.body["errors"]["name"].is_string());
    app.put(Who::Admin, "/api/settings/client", json!({"name": "Harbour City Rowing"})).await.expect(200);
    let named = app.get(Who::User, "/api/settings/client").await.expect(200).body;
    assert_eq!(named["name"], "Harbour City Rowing");
    assert!(named["updatedAt"].is_string());
    // Each client names itself.
    assert_eq!(app.get(Who::OtherClientAdmin, "/api/settings/client").await.expect(200).body["name"], Value::Null);
}
both_backends!(admins_name_the_client, client_settings);
