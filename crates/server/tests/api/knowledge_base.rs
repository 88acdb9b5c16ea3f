//! The knowledge base end to end: who may do what on every endpoint, validation, `ETag` and
//! `If-Match`, drafts (unpublished) staying out of sight, and search ranking and snippets.

use crate::both_backends;
use crate::support::{TestApp, Who};
use reqwest::Method;
use serde_json::{Value, json};

const ARTICLES: &str = "/api/kb/articles";

async fn create(app: &TestApp, title: &str, tags: &[&str], body: &str, published: bool) -> Value {
    app.post(Who::Admin, ARTICLES, json!({"title": title, "tags": tags, "body": body, "published": published}))
        .await
        .expect(201)
        .body
}

fn path(article: &Value) -> String {
    format!("{ARTICLES}/{}", article["id"].as_str().unwrap())
}

fn titles(reply: &Value) -> Vec<String> {
    reply["items"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap().to_owned()).collect()
}

async fn search(app: &TestApp, who: Who, query: &str) -> Value {
    app.get(who, &format!("/api/kb/search?{query}")).await.expect(200).body
}

async fn who_may_do_what(app: TestApp) {
    let reply = app
        .post(
            Who::Admin,
            ARTICLES,
            json!({"title": " Lockers and keys ", "body": "Keys are kept at the boathouse office.", "tags": [" Lockers", "KEYS", "lockers"], "published": true}),
        )
        .await
        .expect(201);
    let lockers = reply.body.clone();
    assert_eq!(lockers["title"], "Lockers and keys");
    assert_eq!(lockers["tags"], json!(["lockers", "keys"]));
    assert_eq!((lockers["published"].as_bool(), lockers["version"].as_i64()), (Some(true), Some(1)));
    assert_eq!(reply.etag(), "\"1\"");
    let location = reply.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(location, path(&lockers));
    let draft = create(&app, "Locker prices 2027", &[], "Not decided yet.", false).await;
    assert_eq!(draft["published"], false);
    let (lockers_path, draft_path) = (path(&lockers), path(&draft));

    // Admins: everything, drafts included when asked.
    assert_eq!(titles(&app.get(Who::Admin, ARTICLES).await.expect(200).body), ["Lockers and keys"]);
    let all = app.get(Who::Admin, &format!("{ARTICLES}?includeUnpublished=true")).await.expect(200).body;
    assert_eq!(titles(&all), ["Locker prices 2027", "Lockers and keys"]);
    assert!(all["items"][0].get("body").is_none(), "lists leave the body out: {all}");
    let read = app.get(Who::Admin, &draft_path).await.expect(200);
    assert_eq!((read.etag(), &read.body), ("\"1\"".to_owned(), &draft));

    // Staff users: read and search published articles; no drafts, no writing.
    assert_eq!(
        titles(&app.get(Who::User, &format!("{ARTICLES}?includeUnpublished=true")).await.expect(200).body),
        ["Lockers and keys"]
    );
    assert_eq!(app.get(Who::User, &lockers_path).await.expect(200).body, lockers);
    app.get(Who::User, &draft_path).await.expect(404);
    assert_eq!(titles(&search(&app, Who::User, "q=locker").await), ["Lockers and keys"]);
    let reply = app.post(Who::User, ARTICLES, json!({"title": "t", "body": "b"})).await.expect(403);
    assert_eq!(reply.body["code"], "forbidden");
    app.put(Who::User, &lockers_path, json!({"title": "Mine"})).await.expect(403);
    app.call(Who::User, Method::DELETE, &lockers_path, None).await.expect(403);

    // Members: 403 on lists and search, 404 on an article (its existence is not revealed).
    for who in [Who::Member, Who::OtherMember] {
        app.get(who, ARTICLES).await.expect(403);
        app.get(who, "/api/kb/search?q=locker").await.expect(403);
        app.get(who, &lockers_path).await.expect(404);
        app.post(who, ARTICLES, json!({"title": "t", "body": "b"})).await.expect(403);
        app.put(who, &lockers_path, json!({"title": "t"})).await.expect(403);
        app.call(who, Method::DELETE, &lockers_path, None).await.expect(403);
    }

    // Another client's admin sees none of it and can change none of it.
    assert_eq!(titles(&app.get(Who::OtherClientAdmin, ARTICLES).await.expect(200).body), Vec::<String>::new());
    assert_eq!(search(&app, Who::OtherClientAdmin, "q=locker").await["items"], json!([]));
    app.get(Who::OtherClientAdmin, &lockers_path).await.expect(404);
    app.put(Who::OtherClientAdmin, &lockers_path, json!({"title": "Ours"})).await.expect(404);
    app.call(Who::OtherClientAdmin, Method::DELETE, &lockers_path, None).await.expect(404);
    assert_eq!(app.get(Who::Admin, &lockers_path).await.expect(200).body, lockers, "untouched");
    // Their own articles stay theirs, even under the same title.
    let theirs = app
        .post(
            Who::OtherClientAdmin,
            ARTICLES,
            json!({"title": "Lockers and keys", "body": "Riverside lockers.", "published": true}),
        )
        .await
        .expect(201)
        .body;
    app.get(Who::Admin, &path(&theirs)).await.expect(404);
    assert_eq!(titles(&search(&app, Who::OtherClientAdmin, "q=locker").await), ["Lockers and keys"]);
    let ours = search(&app, Who::User, "q=locker").await;
    assert_eq!(ours["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(ours["items"][0]["id"], lockers["id"]);

    // No token: 401 everywhere.
    for (method, uri, body) in [
        (Method::GET, ARTICLES.to_owned(), None),
        (Method::POST, ARTICLES.to_owned(), Some(json!({"title": "t", "body": "b"}))),
        (Method::GET, lockers_path.clone(), None),
        (Method::PUT, lockers_path.clone(), Some(json!({"title": "t"}))),
        (Method::DELETE, lockers_path.clone(), None),
        (Method::GET, "/api/kb/search?q=locker".to_owned(), None),
    ] {
        app.call(Who::NoToken, method.clone(), &uri, body.clone()).await.expect(401);
        app.call(Who::ExpiredToken, method, &uri, body).await.expect(401);
    }

    // Deleting: admins; then it is gone.
    app.call(Who::Admin, Method::DELETE, &draft_path, None).await.expect(204);
    app.get(Who::Admin, &draft_path).await.expect(404);
    app.call(Who::Admin, Method::DELETE, &draft_path, None).await.expect(404);
    app.get(Who::Admin, &format!("{ARTICLES}/not-a-uuid")).await.expect(404);
    app.put(Who::Admin, &format!("{ARTICLES}/not-a-uuid"), json!({"title": "t"})).await.expect(404);
}
both_backends!(admins_write_staff_read_members_see_nothing, who_may_do_what);

async fn edits_are_versioned(app: TestApp) {
    let article = create(&app, "Refunds", &["billing"], "Refunds take a week.", true).await;
    let at = path(&article);

    let reply = app
        .call_with(
            Who::Admin,
            Method::PUT,
            &at,
            Some(json!({"body": "Refunds take 5 working days."})),
            &[("If-Match", "\"1\"")],
        )
        .await
        .expect(200);
    assert_eq!((reply.etag(), reply.body["version"].as_i64()), ("\"2\"".to_owned(), Some(2)));
    assert_eq!(reply.body["body"], "Refunds take 5 working days.");
    assert_eq!((&reply.body["title"], &reply.body["tags"]), (&article["title"], &article["tags"]));
    assert_eq!(reply.body["createdAt"], article["createdAt"]);

    // A stale If-Match changes nothing: 412 naming the current version.
    let reply = app
        .call_with(Who::Admin, Method::PUT, &at, Some(json!({"title": "Lost update"})), &[("If-Match", "\"1\"")])
        .await
        .expect(412);
    assert_eq!(reply.body["code"], "stale_version");
    assert!(reply.body["detail"].as_str().unwrap().contains("version 2"), "{}", reply.text);
    app.call_with(Who::Admin, Method::PUT, &at, Some(json!({"title": "x"})), &[("If-Match", "3")]).await.expect(400);
    assert_eq!(app.get(Who::Admin, &at).await.expect(200).body["title"], "Refunds");

    // Without If-Match (or with *) the change is made; tags are replaced; unpublishing hides it.
    let reply = app
        .call_with(Who::Admin, Method::PUT, &at, Some(json!({"tags": ["Money", "refunds"]})), &[("If-Match", "*")])
        .await
        .expect(200);
    assert_eq!((reply.body["tags"].clone(), reply.body["version"].as_i64()), (json!(["money", "refunds"]), Some(3)));
    // The same values again write nothing.
    let same = app.put(Who::Admin, &at, json!({"tags": ["money", "REFUNDS"]})).await.expect(200);
    assert_eq!(same.body["version"], 3);
    let hidden = app.put(Who::Admin, &at, json!({"published": false})).await.expect(200);
    assert_eq!((hidden.body["published"].as_bool(), hidden.body["version"].as_i64()), (Some(false), Some(4)));
    app.get(Who::User, &at).await.expect(404);
    assert_eq!(search(&app, Who::User, "q=refunds").await["items"], json!([]));
    app.put(Who::Admin, &at, json!({"published": true})).await.expect(200);
    assert_eq!(titles(&search(&app, Who::User, "q=refunds").await), ["Refunds"]);
}
both_backends!(edits_are_versioned_and_guarded_by_if_match, edits_are_versioned);

async fn validation(app: TestApp) {
    // Every problem at once, each under its field.
    let long_tag = "t".repeat(41);
    let reply = app
        .post(Who::Admin, ARTICLES, json!({"title": "two\nlines", "body": "  ", "tags": ["ok", " ", long_tag]}))
        .await
        .expect(422);
    assert_eq!(reply.body["code"], "validation_failed");
    let errors = reply.body["errors"].as_object().unwrap();
    let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
    assert_eq!(fields, ["body", "tags[1]", "tags[2]", "title"], "{}", reply.text);

    let many: Vec<String> = (0..21).map(|i| format!("tag {i}")).collect();
    for (body, field) in [
        (json!({"body": "b"}), "title"),
        (json!({"title": "", "body": "b"}), "title"),
        (json!({"title": "t".repeat(201), "body": "b"}), "title"),
        (json!({"title": "t"}), "body"),
        (json!({"title": "t", "body": "b".repeat(50_001)}), "body"),
        (json!({"title": "t", "body": "b", "tags": many}), "tags"),
        (json!({"title": "t", "body": "b", "tags": "fees"}), "tags"),
        (json!({"title": "t", "body": "b", "tags": [1]}), "tags[0]"),
        (json!({"title": "t", "body": "b", "published": "yes"}), "published"),
    ] {
        let reply = app.post(Who::Admin, ARTICLES, body).await.expect(422);
        assert!(reply.body["errors"][field].is_string(), "{field}: {}", reply.text);
    }
    // The limits themselves are fine.
    let twenty: Vec<String> = (0..20).map(|i| format!("tag {i}")).collect();
    let edge = create(&app, &"t".repeat(200), &[], &"b".repeat(50_000), true).await;
    let reply = app.put(Who::Admin, &path(&edge), json!({"tags": twenty})).await.expect(200);
    assert_eq!(reply.body["tags"].as_array().map(Vec::len), Some(20));

    let reply = app.put(Who::Admin, &path(&edge), json!({})).await.expect(422);
    assert!(reply.body["errors"]["body"].is_string());
    let reply = app.put(Who::Admin, &path(&edge), json!({"title": " ", "tags": [""]})).await.expect(422);
    assert!(reply.body["errors"]["title"].is_string() && reply.body["errors"]["tags[0]"].is_string());
    app.raw(Who::Admin, Method::POST, ARTICLES, "application/json", b"{\"title\":".to_vec()).await.expect(400);
    app.raw(Who::Admin, Method::POST, ARTICLES, "text/plain", b"title".to_vec()).await.expect(415);

    // Search parameters.
    for query in ["", "q=", "q=%20%20", "limit=5"] {
        let reply = app.get(Who::User, &format!("/api/kb/search?{query}")).await.expect(422);
        assert!(reply.body["errors"]["q"].as_str().unwrap().contains("required"), "{}", reply.text);
    }
    let reply = app.get(Who::User, &format!("/api/kb/search?q={}", "a".repeat(201))).await.expect(422);
    assert!(reply.body["errors"]["q"].is_string());
    for limit in ["0", "51", "-1", "ten", "1.5"] {
        let reply = app.get(Who::User, &format!("/api/kb/search?q=fees&limit={limit}")).await.expect(422);
        assert!(reply.body["errors"]["limit"].is_string(), "{limit}: {}", reply.text);
    }
    // Nothing invalid was saved.
    let all = app.get(Who::Admin, &format!("{ARTICLES}?includeUnpublished=true")).await.expect(200).body;
    assert_eq!(all["items"].as_array().map(Vec::len), Some(1));
}
both_backends!(invalid_articles_and_searches_are_422, validation);

async fn ranking_and_snippets(app: TestApp) {
    create(
        &app,
        "Lockers and keys",
        &["lockers"],
        "Lockers are let for the season. A locker is refunded pro rata if you leave the club; \
         refunds go through the office.",
        true,
    )
    .await;
    let refunds = create(
        &app,
        "Refunds and cancellations",
        &["billing"],
        "Cancel a session 24 hours ahead and the fee comes back to your card.",
        true,
    )
    .await;
    create(&app, "Membership renewal", &["fees"], "Renew online before 31 January.", true).await;
    create(&app, "Refund rules (draft)", &[], "Refunds, refunds, refunds.", false).await;

    // A title match beats a body-only match; drafts are never found; scores are 0–1, best first.
    let found = search(&app, Who::User, "q=refund").await;
    assert_eq!(found["query"], "refund");
    assert_eq!(titles(&found), ["Refunds and cancellations", "Lockers and keys"]);
    let items = found["items"].as_array().unwrap();
    let scores: Vec<f64> = items.iter().map(|i| i["score"].as_f64().unwrap()).collect();
    assert!(scores[0] > scores[1] && scores.iter().all(|s| (0.0..=1.0).contains(s)), "{scores:?}");
    assert_eq!(items[0]["id"], refunds["id"]);
    assert_eq!(items[0]["tags"], json!(["billing"]));
    // The snippet is the part of the body that matched.
    let snippet = items[1]["snippet"].as_str().unwrap();
    assert!(snippet.starts_with("A locker is refunded pro rata"), "{snippet}");

    // Stemming, limit, and several words (all must be found).
    assert_eq!(titles(&search(&app, Who::Admin, "q=renewing").await), ["Membership renewal"]);
    assert_eq!(titles(&search(&app, Who::Admin, "q=refund&limit=1").await), ["Refunds and cancellations"]);
    assert_eq!(titles(&search(&app, Who::Admin, "q=locker%20refunds").await), ["Lockers and keys"]);

    // Hostile text is punctuation: never an error, never a 500.
    for q in ["%22", "*", "OR", "-", ")", "(", "%22%22%22", "NEAR(a%20b)", "title%3A", "%5E", "%7B", "'"] {
        let reply = app.get(Who::User, &format!("/api/kb/search?q={q}")).await.expect(200);
        assert_eq!(reply.body["items"], json!([]), "{q}");
    }
    for q in ["%22refund", "refund*", "-refund", "refund%20OR", "(refund)"] {
        assert_eq!(titles(&search(&app, Who::User, &format!("q={q}")).await)[0], "Refunds and cancellations", "{q}");
    }
}
both_backends!(search_ranks_stems_and_cuts_snippets, ranking_and_snippets);
