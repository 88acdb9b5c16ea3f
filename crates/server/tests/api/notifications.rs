//! Notifications end to end: the real desk over HTTP, its outbox worker driven pass by pass
//! (`app.outbox.run_once()`, on the test's clock), a real SMTP server process (aiosmtpd) and a
//! real HTTP server standing in for the CRM (wiremock).

use crate::both_backends;
use crate::smtp_sink::{Mail, SmtpSink};
use crate::support::{TestApp, Who};
use memberdesk_store::Backend;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const MAIL_FROM: &str = "Desk <desk@memberdesk.example>";

async fn app_with_smtp(backend: Backend, sink: &SmtpSink) -> TestApp {
    let url = sink.url();
    let app = TestApp::spawn_with(backend, |config| {
        config.notifications.smtp_url = Some(url);
        config.notifications.mail_from = Some(MAIL_FROM.into());
        config.notifications.portal_url = Some("https://members.harbour.example".into());
    })
    .await;
    app.put(Who::Admin, "/api/settings/client", json!({"name": "Harbour City Rowing"})).await.expect(200);
    app
}

/// Runs passes until one claims nothing (rows waiting for a backoff are not claimable).
async fn drain(app: &TestApp) -> usize {
    let mut claimed = 0;
    loop {
        let report = app.outbox.run_once().await.expect("outbox pass");
        if report.claimed() == 0 {
            return claimed;
        }
        claimed += report.claimed();
    }
}

/// The client's outbox rows (newest first), all pages.
async fn outbox(app: &TestApp, query: &str) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/admin/outbox?limit=200{query}");
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={cursor}"));
        }
        let page = app.get(Who::Admin, &path).await.expect(200).body;
        rows.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return rows,
        }
    }
}

/// Outbox row id by topic, for rows of one ticket.
async fn ids_by_topic(app: &TestApp, ticket: &str) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in outbox(app, "").await {
        if row["ticketId"] == ticket {
            map.entry(row["topic"].as_str().unwrap().to_owned())
                .or_default()
                .push(row["id"].as_str().unwrap().to_owned());
        }
    }
    map
}

fn one<'a>(mails: &'a [Mail], message_id: &str) -> &'a Mail {
    let found: Vec<&Mail> = mails.iter().filter(|m| m.message_id == message_id).collect();
    assert_eq!(found.len(), 1, "exactly one message {message_id}; got {mails:#?}");
    found[0]
}

both_backends!(emails_reach_the_right_people_threaded_and_notes_never_mail, |app: TestApp| async move {
    drop(app);
    let sink = SmtpSink::start();
    let app = app_with_smtp(backend(), &sink).await;
    app.introduce_staff().await;
    let id = app.member_ticket("Locker key <lost>").await;
    app.put(Who::Admin, &format!("/api/tickets/{id}/assign"), json!({"assigneeId": "agent-1"})).await.expect(200);
    let reply = "We <b>found</b> it & kept it.\nCome by the boathouse.";
    app.post(Who::User, &format!("/api/tickets/{id}/responses"), json!({"kind": "reply", "body": reply}))
        .await
        .expect(201);
    let note = "Internal: the key was in the coach's drawer";
    app.post(Who::User, &format!("/api/tickets/{id}/responses"), json!({"kind": "note", "body": note}))
        .await
        .expect(201);
    // The member's own reply mails nobody.
    app.post(Who::Member, &format!("/api/tickets/{id}/responses"), json!({"body": "Thanks!"})).await.expect(201);
    app.status(Who::User, &id, "waiting").await.expect(200);
    assert!(drain(&app).await >= 6);

    let ids = ids_by_topic(&app, &id).await;
    let mails = sink.messages();
    assert_eq!(mails.len(), 4, "created, assigned, staff reply, status change: {mails:#?}");
    let root = format!("<{id}@memberdesk>");
    for mail in &mails {
        assert_eq!(mail.in_reply_to, root);
        assert_eq!(mail.references, root);
        assert_eq!(mail.content_type, "multipart/alternative");
        assert_eq!(mail.from, "Harbour City Rowing <desk@memberdesk.example>");
        assert_eq!(mail.auto_submitted, "auto-generated");
        assert!(!mail.text.contains(note) && !mail.html.contains("coach"), "a note leaked: {mail:#?}");
        assert!(mail.subject.starts_with("[#1] "), "{}", mail.subject);
    }

    let created = one(&mails, &format!("<{}@memberdesk>", ids["ticket.created"][0]));
    assert_eq!(created.rcpt_tos, ["mia@members.example"]);
    assert_eq!(created.to, "Mia Member <mia@members.example>");
    assert_eq!(created.subject, "[#1] Locker key <lost>");
    assert!(
        created.text.contains("Hello Mia Member,")
            && created.text.contains("Thank you for contacting Harbour City Rowing")
    );
    assert!(created.text.contains("its number is #1"));
    assert!(created.text.contains("log in to the member portal (https://members.harbour.example)"), "{}", created.text);
    assert!(created.text.contains("do not reply to this email"));
    assert!(created.html.contains("Locker key &lt;lost&gt;") && !created.html.contains("<lost>"), "{}", created.html);

    let assigned = one(&mails, &format!("<{}@memberdesk>", ids["ticket.assignee_changed"][0]));
    assert_eq!(assigned.rcpt_tos, ["uma@harbour.example"]);
    assert_eq!(assigned.subject, "[#1] Assigned to you: Locker key <lost>");
    assert!(assigned.text.contains("Alex Admin assigned ticket #1 to you"), "{}", assigned.text);

    let replied = ids["ticket.replied"].iter().map(|i| format!("<{i}@memberdesk>")).collect::<Vec<_>>();
    let staff_replies: Vec<&Mail> = mails.iter().filter(|m| replied.contains(&m.message_id)).collect();
    assert_eq!(staff_replies.len(), 1, "the staff reply mails, the member's own does not");
    let staff_reply = staff_replies[0];
    assert_eq!(staff_reply.rcpt_tos, ["mia@members.example"]);
    assert!(staff_reply.text.contains("Uma User of Harbour City Rowing replied"));
    assert!(
        staff_reply.text.contains("> We <b>found</b> it & kept it.\n> Come by the boathouse."),
        "{}",
        staff_reply.text
    );
    assert!(staff_reply.html.contains("We &lt;b&gt;found&lt;/b&gt; it &amp; kept it.<br>"), "{}", staff_reply.html);

    let waiting = one(&mails, &format!("<{}@memberdesk>", ids["ticket.status_changed"][0]));
    assert_eq!(waiting.rcpt_tos, ["mia@members.example"]);
    assert!(waiting.text.contains("is now: waiting for your answer"), "{}", waiting.text);

    // Every row is done; the note's row was never an email's business.
    for row in outbox(&app, "").await {
        assert_eq!(row["status"], "done", "{row}");
    }
});

/// `both_backends!` hands each test an app; these tests build their own (with SMTP), so they
/// need to know which backend they run on.
fn backend() -> Backend {
    let name = std::thread::current().name().unwrap_or_default().to_owned();
    if name.ends_with("sqlite") { Backend::Sqlite } else { Backend::Postgres }
}

both_backends!(an_smtp_outage_loses_and_doubles_nothing, |app: TestApp| async move {
    drop(app);
    let mut sink = SmtpSink::reserve(); // the server is down
    let app = app_with_smtp(backend(), &sink).await;
    let id = app.member_ticket("Boat trailer booking").await;
    for i in 0..50 {
        let to = if i % 2 == 0 { "in_progress" } else { "waiting" };
        let reply = app.status(Who::User, &id, to).await;
        assert_eq!(reply.status.as_u16(), 200, "status change {i} while SMTP is down: {}", reply.text);
    }
    // Every delivery fails and is put back with a backoff.
    assert_eq!(drain(&app).await, 51);
    let pending = outbox(&app, "&status=pending").await;
    assert_eq!(pending.len(), 51);
    assert!(pending.iter().all(|r| r["attempts"] == 1 && r["lastError"].as_str().unwrap().starts_with("email: SMTP")));
    assert!(sink.messages().is_empty());

    sink.up();
    // Past every backoff (at most 2 h), a pass at a time, until nothing is left.
    for _ in 0..5 {
        app.clock.advance(chrono::Duration::hours(3));
        drain(&app).await;
    }
    let mails = sink.messages();
    let expected: BTreeSet<String> =
        outbox(&app, "").await.iter().map(|r| format!("<{}@memberdesk>", r["id"].as_str().unwrap())).collect();
    let received: Vec<String> = mails.iter().map(|m| m.message_id.clone()).collect();
    let unique: BTreeSet<String> = received.iter().cloned().collect();
    assert_eq!(received.len(), 51, "one message per event, none doubled");
    assert_eq!(unique, expected, "every notification arrived, by Message-ID");
    assert!(outbox(&app, "").await.iter().all(|r| r["status"] == "done"));
});

both_backends!(without_smtp_notifications_are_skipped_and_an_admin_can_retry_them, |app: TestApp| async move {
    let id = app.member_ticket("No mail server yet").await;
    drain(&app).await;
    let skipped = outbox(&app, "&status=skipped").await;
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["ticketId"], id.as_str());
    assert!(skipped[0]["lastError"].as_str().unwrap().contains("MEMBERDESK_SMTP_URL"), "{}", skipped[0]);
    let row_id = skipped[0]["id"].as_str().unwrap().to_owned();

    let retried = app.post(Who::Admin, &format!("/api/admin/outbox/{row_id}/retry"), json!({})).await.expect(200);
    assert_eq!(retried.body["status"], "pending");
    assert_eq!(retried.body["attempts"], 0);
    // A pending (or done) message is not retried.
    let again = app.post(Who::Admin, &format!("/api/admin/outbox/{row_id}/retry"), json!({})).await.expect(409);
    assert_eq!(again.body["code"], "not_retryable");
    // The status filter is validated.
    let bad = app.get(Who::Admin, "/api/admin/outbox?status=lost").await.expect(422);
    assert!(bad.body["errors"]["status"].is_string());
    app.get(Who::Admin, "/api/admin/outbox?limit=0").await.expect(422);
});

both_backends!(only_the_clients_admins_manage_notifications, |app: TestApp| async move {
    app.member_ticket("Anything").await;
    drain(&app).await;
    let row = outbox(&app, "").await.remove(0);
    let retry = format!("/api/admin/outbox/{}/retry", row["id"].as_str().unwrap());
    for (who, status) in [
        (Who::Admin, 200),
        (Who::User, 403),
        (Who::Member, 403),
        (Who::OtherClientAdmin, 200),
        (Who::NoToken, 401),
        (Who::ExpiredToken, 401),
    ] {
        let reply = app.get(who, "/api/admin/outbox").await.expect(status);
        if who == Who::OtherClientAdmin {
            assert_eq!(reply.body["items"], json!([]), "another client's outbox is empty to them");
        }
        app.get(who, "/api/settings/crm").await.expect(status);
        app.put(who, "/api/settings/crm", json!({"provider": "none"})).await.expect(status);
    }
    for (who, status) in
        [(Who::User, 403), (Who::Member, 403), (Who::OtherClientAdmin, 404), (Who::NoToken, 401), (Who::Admin, 200)]
    {
        app.post(who, &retry, json!({})).await.expect(status);
    }
    app.post(Who::Admin, "/api/admin/outbox/not-a-uuid/retry", json!({})).await.expect(404);
    app.post(Who::Member, "/api/admin/outbox/not-a-uuid/retry", json!({})).await.expect(403);
});

both_backends!(crm_settings_never_return_secrets_and_keep_them_when_left_out, |app: TestApp| async move {
    assert_eq!(app.get(Who::Admin, "/api/settings/crm").await.expect(200).body["provider"], "none");
    let put = app
        .put(
            Who::Admin,
            "/api/settings/crm",
            json!({"provider": "webhook", "url": "https://crm.example.org/hooks", "secret": "whsec-0123456789abcdef"}),
        )
        .await
        .expect(200);
    assert_eq!(put.body["secretSet"], true);
    let got = app.get(Who::Admin, "/api/settings/crm").await.expect(200);
    assert_eq!(got.body["url"], "https://crm.example.org/hooks");
    assert!(!got.text.contains("whsec"), "{}", got.text);
    // The secret may be left out: the stored one stays.
    app.put(Who::Admin, "/api/settings/crm", json!({"provider": "webhook", "url": "https://crm.example.org/v2"}))
        .await
        .expect(200);
    let hubspot = app.put(Who::Admin, "/api/settings/crm", json!({"provider": "hubspot"})).await.expect(422);
    assert!(hubspot.body["errors"]["apiKey"].is_string());
    let got = app
        .put(Who::Admin, "/api/settings/crm", json!({"provider": "hubspot", "apiKey": "pat-na1-secret"}))
        .await
        .expect(200);
    assert_eq!(
        got.body,
        json!({"provider": "hubspot", "baseUrl": "https://api.hubapi.com", "apiKeySet": true, "updatedAt": got.body["updatedAt"]})
    );
});

both_backends!(crm_webhooks_are_signed_retried_and_never_block_the_ticket, |app: TestApp| async move {
    let crm = MockServer::start().await;
    // Down for the first delivery, then up.
    Mock::given(method("POST"))
        .and(path("/hooks"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&crm)
        .await;
    Mock::given(method("POST")).and(path("/hooks")).respond_with(ResponseTemplate::new(200)).mount(&crm).await;
    let secret = "whsec-0123456789abcdef";
    app.put(
        Who::Admin,
        "/api/settings/crm",
        json!({"provider": "webhook", "url": format!("{}/hooks", crm.uri()), "secret": secret}),
    )
    .await
    .expect(200);
    let id = app.member_ticket("Membership renewal").await;
    app.status(Who::User, &id, "resolved").await.expect(200);
    drain(&app).await;
    let retrying = outbox(&app, "&status=pending").await;
    assert_eq!(retrying.len(), 1, "the first webhook got a 503 and waits for its retry");
    assert!(retrying[0]["lastError"].as_str().unwrap().contains("503"));
    app.clock.advance(chrono::Duration::hours(3));
    drain(&app).await;
    assert!(outbox(&app, "").await.iter().all(|r| r["status"] != "pending"));

    let requests = crm.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3, "created (503, then 200) and resolved");
    let mut types = Vec::new();
    for request in &requests[1..] {
        let header = |name: &str| request.headers.get(name).unwrap().to_str().unwrap().to_owned();
        let timestamp: i64 = header("x-memberdesk-timestamp").parse().unwrap();
        assert_eq!(header("x-memberdesk-signature"), memberdesk_crm::sign(secret, timestamp, &request.body));
        let body: Value = request.body_json().unwrap();
        assert_eq!(body["ticket"]["reference"], "#1");
        assert_eq!(body["ticket"]["subject"], "Membership renewal");
        assert_eq!(header("x-memberdesk-event-id"), body["id"].as_str().unwrap());
        types.push(body["type"].as_str().unwrap().to_owned());
    }
    types.sort();
    assert_eq!(types, ["ticket.created", "ticket.status_changed"]);
});

both_backends!(hubspot_notes_are_created_once_and_updated_on_resolution, |app: TestApp| async move {
    let crm = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/crm/v3/objects/contacts/search"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"results": [{"id": "501"}]})))
        .mount(&crm)
        .await;
    Mock::given(method("POST"))
        .and(path("/crm/v3/objects/notes"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "9001"})))
        .expect(1)
        .mount(&crm)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/crm/v3/objects/notes/9001"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "9001"})))
        .expect(2)
        .mount(&crm)
        .await;
    app.put(
        Who::Admin,
        "/api/settings/crm",
        json!({"provider": "hubspot", "baseUrl": crm.uri(), "apiKey": "pat-test"}),
    )
    .await
    .expect(200);
    let id = app.member_ticket("Locker key").await;
    drain(&app).await;
    app.status(Who::User, &id, "in_progress").await.expect(200); // not logged to HubSpot
    app.status(Who::User, &id, "resolved").await.expect(200);
    app.status(Who::Member, &id, "closed").await.expect(200);
    drain(&app).await;
    let patches: Vec<Value> = crm
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.method.as_str() == "PATCH")
        .map(|r| r.body_json().unwrap())
        .collect();
    assert_eq!(patches.len(), 2);
    assert!(patches[1]["properties"]["hs_note_body"].as_str().unwrap().contains("Status: closed"));
    crm.verify().await;
});
