//! Optimistic concurrency (ETag / If-Match) and idempotent retries (Idempotency-Key).

use crate::both_backends;
use crate::support::{TestApp, Who};
use reqwest::Method;
use serde_json::json;

async fn if_match(app: TestApp) {
    let id = app.member_ticket("Family membership upgrade").await;
    let path = format!("/api/tickets/{id}");
    let first = app.get(Who::Admin, &path).await.expect(200);
    let etag = first.etag();
    assert!(!etag.is_empty(), "GET returns an ETag");

    // A change with the current ETag works and returns the next one.
    let changed = app
        .call_with(
            Who::Admin,
            Method::PUT,
            &path,
            Some(json!({"subject": "Family membership"})),
            &[("if-match", &etag)],
        )
        .await
        .expect(200);
    let next = changed.etag();
    assert_ne!(next, etag);

    // The old ETag is stale now, on every guarded endpoint, and nothing is written.
    let stale = app
        .call_with(Who::Admin, Method::PUT, &path, Some(json!({"subject": "Overwritten"})), &[("if-match", &etag)])
        .await
        .expect(412);
    assert_eq!(stale.body["code"], "stale_version");
    app.call_with(
        Who::Admin,
        Method::PUT,
        &format!("{path}/status"),
        Some(json!({"status": "waiting"})),
        &[("if-match", &etag)],
    )
    .await
    .expect(412);
    app.call_with(
        Who::Admin,
        Method::PUT,
        &format!("{path}/assign"),
        Some(json!({"assigneeId": null})),
        &[("if-match", &etag)],
    )
    .await
    .expect(412);
    let now = app.get(Who::Admin, &path).await.expect(200);
    assert_eq!(now.body["subject"], "Family membership");
    assert_eq!(now.etag(), next);
    // The current one still works; `*` always does.
    app.call_with(
        Who::Admin,
        Method::PUT,
        &format!("{path}/status"),
        Some(json!({"status": "waiting"})),
        &[("if-match", &next)],
    )
    .await
    .expect(200);
    app.call_with(
        Who::Admin,
        Method::PUT,
        &format!("{path}/status"),
        Some(json!({"status": "in_progress"})),
        &[("if-match", "*")],
    )
    .await
    .expect(200);
}

both_backends!(stale_if_match_is_412, if_match);

async fn idempotent_retries(app: TestApp) {
    let body = json!({"subject": "Boat booking app crashes", "description": "Every time I book the single scull."});
    let headers = [("idempotency-key", "create-7f3a")];
    let first =
        app.call_with(Who::Member, Method::POST, "/api/tickets", Some(body.clone()), &headers).await.expect(201);
    let second =
        app.call_with(Who::Member, Method::POST, "/api/tickets", Some(body.clone()), &headers).await.expect(201);
    assert_eq!(first.body["id"], second.body["id"], "a retry returns the first result");
    assert_eq!(second.headers.get("idempotent-replayed").and_then(|v| v.to_str().ok()), Some("true"));
    let list = app.get(Who::Member, "/api/tickets").await.expect(200);
    assert_eq!(list.body["total"], 1, "the retry created nothing");

    // The same key with a different request is refused and creates nothing.
    let other = json!({"subject": "Something else", "description": "Different"});
    app.call_with(Who::Member, Method::POST, "/api/tickets", Some(other), &headers).await.expect(422);
    assert_eq!(app.get(Who::Member, "/api/tickets").await.body["total"], 1);

    // Responses too, also when retried concurrently.
    let id = first.body["id"].as_str().unwrap().to_owned();
    let path = format!("/api/tickets/{id}/responses");
    let reply = json!({"body": "It is the latest app version."});
    let attempts = (0..8).map(|_| {
        app.call_with(Who::Member, Method::POST, &path, Some(reply.clone()), &[("idempotency-key", "reply-1")])
    });
    let results = futures::future::join_all(attempts).await;
    let ids: std::collections::HashSet<String> =
        results.into_iter().map(|r| r.expect(201).body["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 1, "concurrent retries all answer with the one response");
    let detail = app.get(Who::Member, &format!("/api/tickets/{id}")).await.expect(200);
    assert_eq!(detail.body["responses"].as_array().map(Vec::len), Some(1));

    // Keys are per user: another member's identical key is theirs alone.
    let theirs = app.call_with(Who::OtherMember, Method::POST, "/api/tickets", Some(body), &headers).await.expect(201);
    assert_ne!(theirs.body["id"], first.body["id"]);
}

both_backends!(idempotency_key_retries, idempotent_retries);

async fn concurrent_changes(app: TestApp) {
    // Twenty replies at once: none lost, each a history entry, versions strictly counted.
    let id = app.member_ticket("Many replies").await;
    let path = format!("/api/tickets/{id}/responses");
    let sends = (0..20).map(|n| app.post(Who::User, &path, json!({"body": format!("reply {n}")})));
    for reply in futures::future::join_all(sends).await {
        reply.expect(201);
    }
    let detail = app.get(Who::Admin, &format!("/api/tickets/{id}")).await.expect(200);
    assert_eq!(detail.body["responses"].as_array().map(Vec::len), Some(20));
    assert_eq!(detail.body["version"], 21);
    let history = app.get(Who::Admin, &format!("/api/tickets/{id}/history")).await.expect(200);
    assert_eq!(history.body["items"].as_array().map(Vec::len), Some(21));
}

both_backends!(concurrent_replies_are_all_kept, concurrent_changes);
