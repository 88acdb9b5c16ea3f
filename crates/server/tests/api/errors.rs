//! Malformed and invalid input: the right status and a problem body, never a 500, and nothing
//! stored changes.

use crate::both_backends;
use crate::support::{TestApp, Who};
use reqwest::Method;
use serde_json::json;

async fn bad_input(app: TestApp) {
    app.introduce_staff().await;
    let id = app.member_ticket("Password reset on the member portal").await;
    let path = format!("/api/tickets/{id}");
    let before = app.get(Who::Admin, &path).await.expect(200);
    let history_before = app.get(Who::Admin, &format!("{path}/history")).await.expect(200);

    let json_ct = "application/json";
    // (method, path, content type, body, expected status, expected code)
    type Case<'a> = (Method, String, &'a str, Vec<u8>, u16, &'a str);
    let cases: Vec<Case> = vec![
        // Syntax errors: 400.
        (Method::POST, "/api/tickets".into(), json_ct, b"{\"subject\": ".to_vec(), 400, "malformed_json"),
        (Method::PUT, path.clone(), json_ct, b"not json".to_vec(), 400, "malformed_json"),
        (Method::PUT, format!("{path}/status"), json_ct, b"{".to_vec(), 400, "malformed_json"),
        (Method::POST, format!("{path}/responses"), json_ct, b"[1,2".to_vec(), 400, "malformed_json"),
        (Method::PUT, format!("{path}/assign"), json_ct, b"\xff\xfe".to_vec(), 400, "malformed_json"),
        // Well-formed JSON of the wrong shape or values: 422.
        (
            Method::PUT,
            format!("{path}/status"),
            json_ct,
            br#"{"status": "pending"}"#.to_vec(),
            422,
            "validation_failed",
        ),
        (Method::PUT, format!("{path}/status"), json_ct, br#"{"status": 7}"#.to_vec(), 422, "validation_failed"),
        (Method::PUT, format!("{path}/status"), json_ct, br#"{}"#.to_vec(), 422, "validation_failed"),
        (Method::PUT, path.clone(), json_ct, br#"{"priority": "urgent"}"#.to_vec(), 422, "validation_failed"),
        (Method::PUT, path.clone(), json_ct, br#"{"subject": ""}"#.to_vec(), 422, "validation_failed"),
        (Method::PUT, path.clone(), json_ct, br#"{"categoryId": "not-a-uuid"}"#.to_vec(), 422, "validation_failed"),
        (Method::PUT, path.clone(), json_ct, br#"[]"#.to_vec(), 422, "validation_failed"),
        (
            Method::POST,
            format!("{path}/responses"),
            json_ct,
            br#"{"kind": "shout", "body": "x"}"#.to_vec(),
            422,
            "validation_failed",
        ),
        (Method::POST, format!("{path}/responses"), json_ct, br#"{"body": "   "}"#.to_vec(), 422, "validation_failed"),
        (Method::PUT, format!("{path}/assign"), json_ct, br#"{}"#.to_vec(), 422, "validation_failed"),
        (Method::PUT, format!("{path}/assign"), json_ct, br#"{"assigneeId": 42}"#.to_vec(), 422, "validation_failed"),
        (Method::POST, "/api/tickets".into(), json_ct, br#"{"subject": "x"}"#.to_vec(), 422, "validation_failed"),
        // Not JSON at all.
        (Method::PUT, format!("{path}/status"), "text/plain", b"closed".to_vec(), 415, ""),
    ];
    for (method, target, content_type, body, status, code) in cases {
        let shown = String::from_utf8_lossy(&body).into_owned();
        let reply = app.raw(Who::Admin, method.clone(), &target, content_type, body).await;
        assert_eq!(reply.status.as_u16(), status, "{method} {target} {shown}: {}", reply.text);
        assert!(
            reply.content_type().starts_with("application/problem+json"),
            "{method} {target}: {}",
            reply.content_type()
        );
        if !code.is_empty() {
            assert_eq!(reply.body["code"], code, "{method} {target} {shown}");
        }
    }

    // A 422 names the field and, for enums, every allowed value.
    let unknown = app.status(Who::Admin, &id, "pending").await.expect(422);
    let message = unknown.body["errors"]["status"].as_str().unwrap_or_default().to_owned();
    for allowed in ["open", "in_progress", "waiting", "resolved", "closed"] {
        assert!(message.contains(allowed), "{message}");
    }
    let invalid = app.post(Who::Admin, "/api/tickets", json!({"subject": "", "description": ""})).await.expect(422);
    for field in ["subject", "description", "member"] {
        assert!(invalid.body["errors"][field].is_string(), "{field}: {}", invalid.text);
    }

    // Oversized bodies are 413.
    let huge = json!({"body": "x".repeat(2 * 1024 * 1024)});
    app.post(Who::Admin, &format!("{path}/responses"), huge).await.expect(413);

    // Ids that are not UUIDs, unknown tickets and unknown routes are 404.
    app.get(Who::Admin, "/api/tickets/not-a-uuid").await.expect(404);
    app.get(Who::Admin, "/api/tickets/0195f1a2-0000-7000-8000-000000000000").await.expect(404);
    let unknown_route = app.get(Who::Admin, "/api/nowhere").await.expect(404);
    assert!(unknown_route.content_type().starts_with("application/problem+json"));

    // Bad query strings are 422 with the field.
    let bad_query =
        app.get(Who::Admin, "/api/tickets?status=pending&limit=1000&createdFrom=yesterday").await.expect(422);
    for field in ["status", "limit", "createdFrom"] {
        assert!(bad_query.body["errors"][field].is_string(), "{field}: {}", bad_query.text);
    }
    app.get(Who::Admin, "/api/tickets?cursor=%%%").await;

    // Garbage tokens are 401, never 500.
    for token in ["", "abc", "a.b.c", "Bearer", "eyJhbGciOiJub25lIn0.e30."] {
        let reply = app
            .http
            .get(format!("{}/api/tickets", app.base))
            .header("authorization", format!("Bearer {token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status().as_u16(), 401, "token {token:?}");
    }

    // Nothing of it changed the ticket or its history.
    let after = app.get(Who::Admin, &path).await.expect(200);
    assert_eq!(after.body, before.body, "bad input changed the ticket");
    let history_after = app.get(Who::Admin, &format!("{path}/history")).await.expect(200);
    assert_eq!(history_after.body, history_before.body, "bad input wrote history");
}

both_backends!(malformed_and_invalid_input, bad_input);

async fn operational_endpoints(app: TestApp) {
    let health = app.http.get(format!("{}/healthz", app.base)).send().await.unwrap();
    assert_eq!(health.status().as_u16(), 200);
    let ready = app.http.get(format!("{}/readyz", app.base)).send().await.unwrap();
    assert_eq!(ready.status().as_u16(), 200);
    let metrics = app.http.get(format!("{}/metrics", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("# TYPE"), "{metrics}");
    let openapi = app.get(Who::NoToken, "/api/openapi.json").await.expect(200);
    assert!(openapi.body["openapi"].as_str().unwrap_or_default().starts_with("3."));
    for path in [
        "/api/tickets",
        "/api/tickets/queue",
        "/api/tickets/{id}",
        "/api/tickets/{id}/responses",
        "/api/tickets/{id}/assign",
        "/api/tickets/{id}/status",
        "/api/tickets/{id}/history",
        "/api/agents",
        "/api/tickets/categories",
        "/api/tickets/categories/order",
        "/api/tickets/categories/{id}",
        "/api/tickets/canned-responses",
        "/api/tickets/canned-responses/{id}",
        "/api/tickets/{id}/canned-responses/{cid}/render",
        "/api/settings/client",
    ] {
        assert!(openapi.body["paths"][path].is_object(), "openapi lacks {path}");
    }
}

both_backends!(health_readiness_metrics_openapi, operational_endpoints);
