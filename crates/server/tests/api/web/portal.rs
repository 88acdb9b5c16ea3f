//! The member portal: raising a ticket, replying with a file, closing.

use super::Browser;
use crate::attachments::Form;
use crate::on_sqlite;
use crate::support::{TestApp, Who};
use serde_json::json;

async fn a_member_raises_a_ticket_replies_and_closes_it(app: TestApp) {
    app.post(Who::Admin, "/api/tickets/categories", json!({"name": "Boats"})).await.expect(201);
    let fees = app.post(Who::Admin, "/api/tickets/categories", json!({"name": "Fees"})).await.expect(201).body;
    let old = app.post(Who::Admin, "/api/tickets/categories", json!({"name": "Old"})).await.expect(201).body;
    let old_id = old["id"].as_str().unwrap();
    app.call(Who::Admin, reqwest::Method::DELETE, &format!("/api/tickets/categories/{old_id}"), None).await.expect(200);

    let mut member = Browser::signed_in(&app, Who::Member).await;
    let empty = member.get("/ui/portal").await.expect(200);
    assert!(empty.ticket_rows().is_empty());
    let form = member.get("/ui/portal/new").await.expect(200);
    assert!(form.has("<form id=\"new-ticket\""));
    // The active categories, in order; archived ones are not offered.
    let boats_at = form.html.find(">Boats</option>").unwrap();
    let fees_at = form.html.find(">Fees</option>").unwrap();
    assert!(boats_at < fees_at);
    assert!(!form.has(">Old</option>"));
    let csrf = form.csrf();
    let submission = super::between(&form.html, "name=\"submission\" value=\"", "\"").unwrap();

    // Missing fields come back beside the inputs, with what was typed.
    let refused = member
        .post(
            "/ui/portal/tickets",
            &[("_csrf", &csrf), ("subject", ""), ("description", "My oar is cracked"), ("submission", &submission)],
        )
        .await
        .expect(422);
    assert!(refused.has("<p class=\"field-error\" id=\"subject-error\">"), "{}", refused.html);
    assert!(refused.has("aria-describedby=\"subject-error\""));
    assert!(refused.has("My oar is cracked</textarea>"));

    let fees_id = fees["id"].as_str().unwrap();
    let fields = [
        ("_csrf", csrf.as_str()),
        ("subject", "Cracked oar"),
        ("description", "My oar is cracked"),
        ("category", fees_id),
        ("submission", submission.as_str()),
    ];
    let created = member.post("/ui/portal/tickets", &fields).await.expect(303);
    let ticket_page = created.location.clone();
    assert!(ticket_page.starts_with("/ui/portal/tickets/"));
    // The same form sent twice (a double click) raises one ticket.
    member.post("/ui/portal/tickets", &fields).await.redirects_to(&ticket_page);
    let list = member.get("/ui/portal").await.expect(200);
    assert!(list.has("class=\"flash success\""));
    assert_eq!(list.ticket_rows().len(), 1);
    assert!(list.has("Cracked oar") && list.has("Fees"));
    let id = ticket_page.trim_start_matches("/ui/portal/tickets/").to_owned();

    let view = member.get(&ticket_page).await.expect(200);
    assert!(
        view.has("<form id=\"reply-form\"") && view.has("id=\"send-reply\"") && view.has("<form id=\"close-ticket\"")
    );
    let form = Form::new().text("_csrf", &csrf).text("body", "Here is a photo.").file_part(
        "attachments",
        "oar.txt",
        "text/plain",
        b"a cracked oar",
    );
    member
        .post_multipart(&format!("/ui/tickets/{id}/responses"), form)
        .await
        .redirects_to(&format!("{ticket_page}#conversation"));
    let view = member.get(&ticket_page).await.expect(200);
    assert_eq!(view.count("<article class=\"message reply from-member\">"), 1);
    assert!(view.has("oar.txt"));

    member
        .post(&format!("/ui/tickets/{id}/status"), &[("_csrf", &csrf), ("status", "closed")])
        .await
        .redirects_to(&ticket_page);
    let closed = member.get(&ticket_page).await.expect(200);
    assert!(closed.text_of("ticket-status").contains("Closed"));
    assert!(!closed.has("<form id=\"reply-form\""));
    let stored = app.get(Who::Admin, &format!("/api/tickets/{id}")).await.expect(200).body;
    assert_eq!(stored["status"], "closed");
    assert_eq!(stored["categoryId"], fees["id"]);
    // A reply to a closed ticket is refused with the reason on the page.
    let form = Form::new().text("_csrf", &csrf).text("body", "One more thing");
    let refused = member.post_multipart(&format!("/ui/tickets/{id}/responses"), form).await.expect(409);
    assert!(refused.has("class=\"flash error\" role=\"alert\">This ticket is closed"), "{}", refused.html);
    // A member may only close.
    member.post(&format!("/ui/tickets/{id}/status"), &[("_csrf", &csrf), ("status", "open")]).await.expect(403);
}
on_sqlite!(member_portal_flow, a_member_raises_a_ticket_replies_and_closes_it);
