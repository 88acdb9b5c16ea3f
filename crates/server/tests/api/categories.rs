//! Ticket categories end to end: management by admins, uniqueness per client, archiving, the
//! member-facing list, ordering, and categories on tickets and in the queue.

use crate::both_backends;
use crate::support::{TestApp, Who};
use reqwest::Method;
use serde_json::{Value, json};

const CATEGORIES: &str = "/api/tickets/categories";

async fn create(app: &TestApp, who: Who, name: &str) -> Value {
    app.post(who, CATEGORIES, json!({"name": name, "description": format!("All about {name}")})).await.expect(201).body
}

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

fn names(reply: &Value) -> Vec<String> {
    reply["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()).collect()
}

async fn list(app: &TestApp, who: Who, query: &str) -> Vec<String> {
    names(&app.get(who, &format!("{CATEGORIES}{query}")).await.expect(200).body)
}

async fn admins_manage_categories(app: TestApp) {
    // The route is not mistaken for a ticket id.
    assert_eq!(app.get(Who::Admin, CATEGORIES).await.expect(200).body, json!({"items": []}));

    let reply =
        app.post(Who::Admin, CATEGORIES, json!({"name": "  Billing ", "description": "Fees"})).await.expect(201);
    let billing = reply.body.clone();
    assert_eq!(billing["name"], "Billing", "trimmed");
    assert_eq!(billing["description"], "Fees");
    assert_eq!(billing["sortOrder"], 0);
    assert_eq!(billing["archived"], false);
    assert!(billing["createdAt"].is_string() && billing["updatedAt"].is_string());
    let location = reply.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(location, format!("{CATEGORIES}/{}", id(&billing)));
    assert_eq!(app.get(Who::Admin, &location).await.expect(200).body, billing);
    let events = create(&app, Who::Admin, "Events").await;
    assert_eq!(events["sortOrder"], 1, "new categories go to the end");

    // Only admins manage.
    for who in [Who::User, Who::Member] {
        app.post(who, CATEGORIES, json!({"name": "Sneaky"})).await.expect(403);
        app.put(who, &format!("{CATEGORIES}/{}", id(&events)), json!({"name": "Sneaky"})).await.expect(403);
        app.call(who, Method::DELETE, &format!("{CATEGORIES}/{}", id(&events)), None).await.expect(403);
    }
    app.post(Who::NoToken, CATEGORIES, json!({"name": "Sneaky"})).await.expect(401);

    // Rename, describe, clear the description; an empty edit is refused.
    let path = format!("{CATEGORIES}/{}", id(&events));
    let renamed = app.put(Who::Admin, &path, json!({"name": "Regattas & Events"})).await.expect(200).body;
    assert_eq!(
        (renamed["name"].as_str(), renamed["description"].as_str()),
        (Some("Regattas & Events"), Some("All about Events"))
    );
    let cleared = app.put(Who::Admin, &path, json!({"description": null})).await.expect(200).body;
    assert_eq!(cleared["description"], Value::Null);
    let empty = app.put(Who::Admin, &path, json!({})).await.expect(422);
    assert!(empty.body["errors"]["body"].is_string(), "{}", empty.text);
    // Renaming to its own name in another case is not a clash with itself.
    app.put(Who::Admin, &path, json!({"name": "REGATTAS & EVENTS"})).await.expect(200);

    // Unknown, malformed and another client's ids are not found.
    app.get(Who::Admin, &format!("{CATEGORIES}/0195f1a2-0000-7000-8000-000000000000")).await.expect(404);
    let garbled = app.put(Who::Admin, &format!("{CATEGORIES}/not-a-uuid"), json!({"name": "x"})).await.expect(404);
    assert_eq!(garbled.body["detail"], "No such category.");
    app.get(Who::OtherClientAdmin, &path).await.expect(404);
    app.put(Who::OtherClientAdmin, &path, json!({"name": "Mine"})).await.expect(404);
    app.call(Who::OtherClientAdmin, Method::DELETE, &path, None).await.expect(404);
    assert_eq!(list(&app, Who::OtherClientAdmin, "?includeArchived=true").await, Vec::<String>::new());
}
both_backends!(admins_create_edit_and_nobody_else_does, admins_manage_categories);

async fn names_are_unique_per_client(app: TestApp) {
    create(&app, Who::Admin, "Billing").await;
    for taken in ["Billing", " billing", "BILLING  "] {
        let reply = app.post(Who::Admin, CATEGORIES, json!({"name": taken})).await.expect(409);
        assert_eq!(reply.body["code"], "duplicate");
        assert!(reply.body["errors"]["name"].as_str().unwrap().contains("already exists"), "{}", reply.text);
        assert!(reply.content_type().starts_with("application/problem+json"));
    }
    // Another client may have its own "Billing".
    create(&app, Who::OtherClientAdmin, "Billing").await;

    // Renaming onto a taken name clashes too.
    let events = create(&app, Who::Admin, "Events").await;
    let path = format!("{CATEGORIES}/{}", id(&events));
    let reply = app.put(Who::Admin, &path, json!({"name": "billing"})).await.expect(409);
    assert!(reply.body["errors"]["name"].is_string());

    // An archived category keeps its name: the message says to unarchive it.
    app.call(Who::Admin, Method::DELETE, &path, None).await.expect(200);
    let reply = app.post(Who::Admin, CATEGORIES, json!({"name": "events"})).await.expect(409);
    assert!(reply.body["errors"]["name"].as_str().unwrap().contains("unarchive"), "{}", reply.text);

    // Empty and over-long names are validation errors on `name`.
    for bad in [json!({"name": ""}), json!({"name": "   "}), json!({}), json!({"name": "x".repeat(81)})] {
        let reply = app.post(Who::Admin, CATEGORIES, bad).await.expect(422);
        assert!(reply.body["errors"]["name"].is_string(), "{}", reply.text);
    }
    create(&app, Who::Admin, &"y".repeat(80)).await;
    let reply = app.put(Who::Admin, &path, json!({"name": ""})).await.expect(422);
    assert!(reply.body["errors"]["name"].is_string());
    let reply =
        app.post(Who::Admin, CATEGORIES, json!({"name": "Ok", "description": "d".repeat(501)})).await.expect(422);
    assert!(reply.body["errors"]["description"].is_string());
}
both_backends!(names_are_unique_per_client_case_insensitively, names_are_unique_per_client);

async fn members_get_active_categories_in_order(app: TestApp) {
    let billing = create(&app, Who::Admin, "Billing").await;
    let events = create(&app, Who::Admin, "Events").await;
    let lms = create(&app, Who::Admin, "LMS").await;
    let directory = create(&app, Who::Admin, "Directory").await;
    let ids = |list: &[&Value]| json!({"ids": list.iter().map(|c| id(c)).collect::<Vec<_>>()});

    let reordered = app
        .put(Who::Admin, &format!("{CATEGORIES}/order"), ids(&[&lms, &billing, &directory, &events]))
        .await
        .expect(200);
    assert_eq!(names(&reordered.body), ["LMS", "Billing", "Directory", "Events"]);
    let orders: Vec<i64> =
        reordered.body["items"].as_array().unwrap().iter().map(|c| c["sortOrder"].as_i64().unwrap()).collect();
    assert_eq!(orders, [0, 1, 2, 3]);

    // Archive one: members no longer see it, even when they ask; staff see it when they ask.
    let archived =
        app.call(Who::Admin, Method::DELETE, &format!("{CATEGORIES}/{}", id(&directory)), None).await.expect(200);
    assert_eq!(archived.body["archived"], true);
    assert_eq!(list(&app, Who::Member, "").await, ["LMS", "Billing", "Events"]);
    assert_eq!(list(&app, Who::Member, "?includeArchived=true").await, ["LMS", "Billing", "Events"]);
    assert_eq!(list(&app, Who::User, "").await, ["LMS", "Billing", "Events"]);
    assert_eq!(list(&app, Who::User, "?includeArchived=true").await, ["LMS", "Billing", "Directory", "Events"]);
    app.get(Who::Member, &format!("{CATEGORIES}/{}", id(&directory))).await.expect(404);
    app.get(Who::User, &format!("{CATEGORIES}/{}", id(&directory))).await.expect(200);
    app.get(Who::Member, &format!("{CATEGORIES}/{}", id(&lms))).await.expect(200);
    app.get(Who::Member, &format!("{CATEGORIES}?includeArchived=perhaps")).await.expect(400);

    // Archiving twice changes nothing; unarchiving brings it back in its place.
    app.call(Who::Admin, Method::DELETE, &format!("{CATEGORIES}/{}", id(&directory)), None).await.expect(200);
    let back =
        app.put(Who::Admin, &format!("{CATEGORIES}/{}", id(&directory)), json!({"archived": false})).await.expect(200);
    assert_eq!(back.body["archived"], false);
    assert_eq!(list(&app, Who::Member, "").await, ["LMS", "Billing", "Directory", "Events"]);

    // The order must name every category (archived ones too) exactly once.
    app.call(Who::Admin, Method::DELETE, &format!("{CATEGORIES}/{}", id(&events)), None).await.expect(200);
    let order = format!("{CATEGORIES}/order");
    let foreign = create(&app, Who::OtherClientAdmin, "Elsewhere").await;
    let cases = [
        ids(&[&lms, &billing, &directory]),
        ids(&[&lms, &billing, &directory, &events, &foreign]),
        ids(&[&lms, &billing, &directory, &events, &lms]),
        json!({"ids": [id(&lms), id(&billing), id(&directory), "not-a-uuid"]}),
        json!({}),
        json!({"ids": "nope"}),
    ];
    for body in cases {
        let reply = app.put(Who::Admin, &order, body.clone()).await.expect(422);
        assert!(reply.body["errors"]["ids"].is_string(), "{body}: {}", reply.text);
    }
    assert_eq!(
        list(&app, Who::Admin, "?includeArchived=true").await,
        ["LMS", "Billing", "Directory", "Events"],
        "unchanged"
    );
    let reply = app.put(Who::Admin, &order, ids(&[&events, &directory, &billing, &lms])).await.expect(200);
    assert_eq!(names(&reply.body), ["Events", "Directory", "Billing", "LMS"]);
    assert_eq!(list(&app, Who::Member, "").await, ["Directory", "Billing", "LMS"]);
    // Another client orders only its own.
    let reply = app.put(Who::OtherClientAdmin, &order, ids(&[&foreign])).await.expect(200);
    assert_eq!(names(&reply.body), ["Elsewhere"]);
    for who in [Who::User, Who::Member] {
        app.put(who, &order, ids(&[&events, &directory, &billing, &lms])).await.expect(403);
    }
    app.put(Who::NoToken, &order, ids(&[&events])).await.expect(401);
}
both_backends!(members_get_the_active_categories_in_order, members_get_active_categories_in_order);

async fn tickets_keep_archived_categories(app: TestApp) {
    let billing = create(&app, Who::Admin, "Billing").await;
    let events = create(&app, Who::Admin, "Events").await;
    let foreign = create(&app, Who::OtherClientAdmin, "Billing").await;

    // Members pick a category for their ticket.
    let ticket = app
        .post(
            Who::Member,
            "/api/tickets",
            json!({"subject": "Double charge", "description": "Charged twice.", "categoryId": id(&billing)}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(ticket["categoryId"], billing["id"]);
    let other = app.staff_ticket("Regatta entry", "medium").await;
    app.put(Who::User, &format!("/api/tickets/{}", id(&other)), json!({"categoryId": id(&events)})).await.expect(200);

    // Archive Billing: the ticket keeps it, and staff still filter and report by it.
    app.call(Who::Admin, Method::DELETE, &format!("{CATEGORIES}/{}", id(&billing)), None).await.expect(200);
    let path = format!("/api/tickets/{}", id(&ticket));
    assert_eq!(app.get(Who::User, &path).await.expect(200).body["categoryId"], billing["id"]);
    assert_eq!(app.get(Who::Member, &path).await.expect(200).body["categoryId"], billing["id"]);
    let filtered = app.get(Who::User, &format!("/api/tickets?categoryId={}", id(&billing))).await.expect(200).body;
    assert_eq!(filtered["total"], 1);
    assert_eq!(filtered["items"][0]["id"], ticket["id"]);
    let mine = app.get(Who::Member, &format!("/api/tickets?categoryId={}", id(&billing))).await.expect(200).body;
    assert_eq!(mine["total"], 1);
    let stats = app.get(Who::Admin, "/api/tickets/queue").await.expect(200).body;
    let by_category = stats["byCategory"].as_array().unwrap();
    assert!(by_category.contains(&json!({"key": billing["id"], "count": 1})), "{stats}");
    assert!(by_category.contains(&json!({"key": events["id"], "count": 1})), "{stats}");
    let stats = app.get(Who::Admin, &format!("/api/tickets/queue?categoryId={}", id(&billing))).await.expect(200).body;
    assert_eq!(stats["total"], 1);

    // The ticket may still be edited without losing its archived category.
    let edited = app
        .put(Who::User, &path, json!({"subject": "Double charge on renewal", "categoryId": id(&billing)}))
        .await
        .expect(200);
    assert_eq!(edited.body["categoryId"], billing["id"]);

    // A new ticket, or a move, may not use an archived or another client's category.
    for category in [&billing, &foreign] {
        let reply = app
            .post(
                Who::Member,
                "/api/tickets",
                json!({"subject": "Again", "description": "Again.", "categoryId": id(category)}),
            )
            .await
            .expect(422);
        assert!(reply.body["errors"]["categoryId"].is_string(), "{}", reply.text);
        let reply = app
            .put(Who::User, &format!("/api/tickets/{}", id(&other)), json!({"categoryId": id(category)}))
            .await
            .expect(422);
        assert!(reply.body["errors"]["categoryId"].is_string(), "{}", reply.text);
    }
    // Unarchived, it is usable again.
    app.put(Who::Admin, &format!("{CATEGORIES}/{}", id(&billing)), json!({"archived": false})).await.expect(200);
    app.post(
        Who::Member,
        "/api/tickets",
        json!({"subject": "Again", "description": "Again.", "categoryId": id(&billing)}),
    )
    .await
    .expect(201);
}
both_backends!(archiving_keeps_tickets_and_their_category, tickets_keep_archived_categories);
