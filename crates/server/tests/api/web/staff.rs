//! The staff console: the queue's filters, the ticket page's forms, admin-only controls.

use super::{Browser, created_id};
use crate::attachments::Form;
use crate::support::{TestApp, Who};
use crate::{both_backends, on_sqlite};
use serde_json::json;

async fn ticket_json(app: &TestApp, id: &str) -> serde_json::Value {
    app.get(Who::Admin, &format!("/api/tickets/{id}")).await.expect(200).body
}

async fn the_queue_filters_narrow_the_list(app: TestApp) {
    let billing = created_id(&app, Who::Admin, "/api/tickets/categories", json!({"name": "Billing"})).await;
    let high = app.staff_ticket("Boat trailer is broken", "high").await["id"].as_str().unwrap().to_owned();
    let low = app.staff_ticket("Locker key lost", "low").await["id"].as_str().unwrap().to_owned();
    let invoice = json!({"subject": "Invoice twice", "description": "Charged twice", "categoryId": billing});
    let invoice = created_id(&app, Who::Member, "/api/tickets", invoice).await;
    app.status(Who::Admin, &low, "resolved").await.expect(200);

    let mut browser = Browser::signed_in(&app, Who::User).await;
    let all = browser.get("/ui/").await.expect(200);
    for field in [
        "<form id=\"queue-filters\"",
        "name=\"status\"",
        "name=\"priority\"",
        "name=\"category\"",
        "name=\"assignee\"",
        "name=\"slaState\"",
        "name=\"q\"",
        "name=\"createdFrom\"",
        "name=\"createdTo\"",
        "name=\"sort\"",
        "id=\"queue-stats\"",
    ] {
        assert!(all.has(field), "{field} missing");
    }
    assert_eq!(all.ticket_rows().len(), 3);
    assert!(all.has(&format!("<a class=\"ticket-link\" href=\"/ui/tickets/{high}\">")));

    assert_eq!(browser.get("/ui/?priority=high").await.expect(200).ticket_rows(), vec![high.clone()]);
    assert_eq!(browser.get("/ui/?status=resolved").await.expect(200).ticket_rows(), vec![low.clone()]);
    assert_eq!(browser.get(&format!("/ui/?category={billing}")).await.expect(200).ticket_rows(), vec![invoice.clone()]);
    assert_eq!(browser.get("/ui/?q=trailer").await.expect(200).ticket_rows(), vec![high.clone()]);
    let active = browser.get("/ui/?status=open%2Cin_progress%2Cwaiting").await.expect(200).ticket_rows();
    assert_eq!(active.len(), 2);
    assert!(browser.get("/ui/?createdFrom=2000-01-01&createdTo=2000-01-02").await.expect(200).ticket_rows().is_empty());
    assert_eq!(browser.get("/ui/?assignee=unassigned").await.expect(200).ticket_rows().len(), 3);
    let by_priority = browser.get("/ui/?sort=priority%3Adesc").await.expect(200).ticket_rows();
    assert_eq!(by_priority.first(), Some(&high));
    assert_eq!(by_priority.last(), Some(&low));
    // The counts follow the filters.
    let filtered = browser.get("/ui/?priority=high").await.expect(200);
    assert!(filtered.has("<span class=\"stat__value\">1</span><span class=\"stat__label\">Matching</span>"));
    // Filters that cannot be used are a message on the page, not JSON.
    let wrong = browser.get("/ui/?createdFrom=2026-02-01&createdTo=2026-01-01").await.expect(422);
    assert!(wrong.has("class=\"flash error\""), "{}", wrong.html);
    assert!(wrong.has("createdTo"));
}
on_sqlite!(queue_filters_narrow_the_list, the_queue_filters_narrow_the_list);

async fn queue_pages_forward_and_back(app: TestApp) {
    for n in 0..27 {
        app.staff_ticket(&format!("Ticket number {n}"), "medium").await;
    }
    let mut browser = Browser::signed_in(&app, Who::User).await;
    let first = browser.get("/ui/").await.expect(200);
    assert_eq!(first.ticket_rows().len(), 25);
    assert!(!first.has("id=\"prev-page\""));
    let next =
        super::between(&first.html, "id=\"next-page\" class=\"button\" href=\"", "\"").unwrap().replace("&amp;", "&");
    let second = browser.get(&next).await.expect(200);
    assert_eq!(second.ticket_rows().len(), 2);
    assert!(!second.has("id=\"next-page\""));
    let prev =
        super::between(&second.html, "id=\"prev-page\" class=\"button\" href=\"", "\"").unwrap().replace("&amp;", "&");
    assert_eq!(browser.get(&prev).await.expect(200).ticket_rows(), first.ticket_rows());
}
on_sqlite!(queue_pagination, queue_pages_forward_and_back);

async fn staff_reply_add_notes_change_status_and_admins_assign(app: TestApp) {
    app.introduce_staff().await;
    let id = app.member_ticket("Cannot book a boat").await;
    let page = format!("/ui/tickets/{id}");

    let mut agent = Browser::signed_in(&app, Who::User).await;
    let view = agent.get(&page).await.expect(200);
    for part in [
        "id=\"ticket-status\"",
        "id=\"ticket-priority\"",
        "id=\"ticket-assignee\"",
        "id=\"conversation\"",
        "<form id=\"reply-form\"",
        "<textarea id=\"reply-body\" name=\"body\"",
        "type=\"file\" name=\"attachments\"",
        "id=\"send-reply\"",
        "id=\"add-note\"",
        "<form id=\"status-form\"",
        "id=\"sla\"",
        "id=\"history\"",
    ] {
        assert!(view.has(part), "{part} missing");
    }
    // A ROLE_CLIENT_USER gets no assignment or priority controls, and the server refuses them.
    assert!(!view.has("id=\"assign-form\""));
    assert!(!view.has("id=\"priority-form\""));
    let csrf = view.csrf();
    agent.post(&format!("{page}/assign"), &[("_csrf", &csrf), ("assignee", "agent-1")]).await.expect(403);
    agent.post(&format!("{page}/priority"), &[("_csrf", &csrf), ("priority", "high")]).await.expect(403);
    let stored = ticket_json(&app, &id).await;
    assert_eq!(stored["priority"], "medium");
    assert!(stored["assigneeId"].is_null());

    // A reply with a file, then an internal note.
    let form = Form::new()
        .text("_csrf", &csrf)
        .text("body", "We are looking into it.")
        .text("kind", "reply")
        .file_part("attachments", "steps.txt", "text/plain", b"1. open the app");
    agent.post_multipart(&format!("{page}/responses"), form).await.redirects_to(&format!("{page}#conversation"));
    let form = Form::new().text("_csrf", &csrf).text("body", "Checked the booking log.").text("kind", "note");
    agent.post_multipart(&format!("{page}/responses"), form).await.expect(303);
    let view = agent.get(&page).await.expect(200);
    assert!(view.has("class=\"flash success\""));
    assert_eq!(view.count("<article class=\"message reply from-staff\">"), 1);
    assert_eq!(view.count("<article class=\"message note from-staff\">"), 1);
    assert!(view.has("steps.txt"));
    let attachment = super::between(&view.html, "href=\"/ui/attachments/", "\"").unwrap();
    let download = agent.get(&format!("/ui/attachments/{attachment}")).await.expect(200);
    assert_eq!(download.html, "1. open the app");

    // An empty reply comes back with the message beside the editor; nothing is stored.
    let form = Form::new().text("_csrf", &csrf).text("body", "   ").text("kind", "reply");
    let refused = agent.post_multipart(&format!("{page}/responses"), form).await.expect(422);
    assert!(refused.has("class=\"field-error\" id=\"body-error\""), "{}", refused.html);
    assert_eq!(ticket_json(&app, &id).await["responses"].as_array().unwrap().len(), 2);

    // Status: only allowed moves are offered; the form changes it.
    let view = agent.get(&page).await.expect(200);
    let version = super::between(&view.html, "name=\"version\" value=\"", "\"").unwrap();
    agent
        .post(&format!("{page}/status"), &[("_csrf", &csrf), ("status", "waiting"), ("version", &version)])
        .await
        .redirects_to(&page);
    assert_eq!(ticket_json(&app, &id).await["status"], "waiting");
    // An old version changes nothing and says why.
    agent
        .post(&format!("{page}/status"), &[("_csrf", &csrf), ("status", "resolved"), ("version", "1")])
        .await
        .expect(303);
    assert!(agent.get(&page).await.has("class=\"flash error\""));
    assert_eq!(ticket_json(&app, &id).await["status"], "waiting");
    // A move the workflow forbids is a message, not an error page.
    agent.post(&format!("{page}/status"), &[("_csrf", &csrf), ("status", "open")]).await.redirects_to(&page);
    assert!(agent.get(&page).await.text_of("ticket-status").contains("Waiting"));

    // The admin has both controls, and they work.
    let mut admin = Browser::signed_in(&app, Who::Admin).await;
    let view = admin.get(&page).await.expect(200);
    assert!(view.has("<form id=\"assign-form\"") && view.has("<form id=\"priority-form\""));
    let csrf = view.csrf();
    admin.post(&format!("{page}/assign"), &[("_csrf", &csrf), ("assignee", "agent-1")]).await.redirects_to(&page);
    admin.post(&format!("{page}/priority"), &[("_csrf", &csrf), ("priority", "high")]).await.redirects_to(&page);
    let view = admin.get(&page).await.expect(200);
    assert!(view.text_of("ticket-assignee").contains("Uma User"), "{}", view.text_of("ticket-assignee"));
    assert!(view.text_of("ticket-priority").contains("High"));
    assert!(view.has("assigned the ticket to Uma User"));
    // Unknown ticket ids are a 404 page.
    admin.get("/ui/tickets/not-a-ticket").await.expect(404);
    admin.get(&format!("/ui/tickets/{}", uuid::Uuid::nil())).await.expect(404);
}
both_backends!(staff_ticket_page, staff_reply_add_notes_change_status_and_admins_assign);

async fn canned_responses_are_inserted_for_the_ticket(app: TestApp) {
    let id = app.member_ticket("Where is my invoice").await;
    let canned = created_id(
        &app,
        Who::Admin,
        "/api/tickets/canned-responses",
        json!({"title": "Greeting", "body": "Hi {{ member.firstName }}, about {{ticket.subject}}:", "shared": true}),
    )
    .await;
    let mut agent = Browser::signed_in(&app, Who::User).await;
    let page = format!("/ui/tickets/{id}");
    let view = agent.get(&page).await.expect(200);
    assert!(view.has("id=\"canned-select\"") && view.has("id=\"canned-insert\""));
    assert!(view.has(&format!("<option value=\"{canned}\">Greeting</option>")));
    // What the script fetches.
    let text = agent.get(&format!("{page}/canned/{canned}")).await.expect(200);
    assert_eq!(text.html, "Hi Mia, about Where is my invoice:");
    // The fallback without script: the page again, the text added to what was typed.
    let form = Form::new().text("_csrf", &view.csrf()).text("canned", &canned).text("body", "Hello");
    let again = agent.post_multipart(&format!("{page}/canned"), form).await.expect(200);
    assert!(again.has("Hello\n\nHi Mia, about Where is my invoice:</textarea>"), "{}", again.html);
    assert!(ticket_json(&app, &id).await["responses"].as_array().unwrap().is_empty(), "nothing is sent");
    // Members have no canned responses.
    let mut member = Browser::signed_in(&app, Who::Member).await;
    member.get(&format!("{page}/canned/{canned}")).await.expect(404);
}
on_sqlite!(canned_insertion, canned_responses_are_inserted_for_the_ticket);

async fn subjects_and_bodies_are_escaped(app: TestApp) {
    let id = created_id(
        &app,
        Who::Member,
        "/api/tickets",
        json!({"subject": "<script>alert(1)</script>", "description": "<img src=x onerror=alert(2)>"}),
    )
    .await;
    let mut agent = Browser::signed_in(&app, Who::User).await;
    for page in ["/ui/".to_owned(), format!("/ui/tickets/{id}")] {
        let view = agent.get(&page).await.expect(200);
        assert!(!view.has("<script>alert(1)</script>"), "{page}");
        assert!(!view.has("<img src=x"), "{page}");
        assert!(
            view.has("&#60;script&#62;alert(1)&#60;/script&#62;") || view.has("&lt;script&gt;alert(1)&lt;/script&gt;")
        );
    }
    let mut member = Browser::signed_in(&app, Who::Member).await;
    let view = member.get(&format!("/ui/portal/tickets/{id}")).await.expect(200);
    assert!(!view.has("<script>alert(1)</script>") && !view.has("<img src=x"));
}
on_sqlite!(output_is_escaped, subjects_and_bodies_are_escaped);

async fn the_summary_panel_refreshes_and_keeps_its_history(app: TestApp) {
    let id = app.member_ticket("Rowing machine booking fails").await;
    let page = format!("/ui/tickets/{id}");
    let mut agent = Browser::signed_in(&app, Who::User).await;
    let view = agent.get(&page).await.expect(200);
    assert!(view.has("<section id=\"summary-panel\""));
    assert!(view.has("id=\"summary-refresh\""));
    assert!(!view.has("id=\"summary-updated\""), "showing the page makes no summary");
    let csrf = view.csrf();
    agent.post(&format!("{page}/summary/refresh"), &[]).await.expect(403);
    agent
        .post(&format!("{page}/summary/refresh"), &[("_csrf", &csrf)])
        .await
        .redirects_to(&format!("{page}#summary-panel"));
    let view = agent.get(&page).await.expect(200);
    assert!(view.text_of("summary-updated").starts_with("Version 1"), "{}", view.text_of("summary-updated"));
    assert!(view.has("<details open class=\"summary-section\">"));
    assert!(view.has("id=\"summary-copy\""));
    assert!(view.has("<details id=\"summary-history\""));
    // From the script: only the panel comes back.
    let response = app
        .http
        .post(format!("{}{page}/summary/refresh", app.base))
        .header("x-requested-with", "memberdesk")
        .header("cookie", agent.cookie_header())
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let fragment = response.text().await.unwrap();
    assert!(fragment.starts_with("<section id=\"summary-panel\""), "{fragment}");
    assert!(fragment.contains("Version 2"));
    assert!(fragment.contains("Version history (2)"));
    // Members never see a summary, nor can they make one.
    let mut member = Browser::signed_in(&app, Who::Member).await;
    let csrf = member.csrf_from("/ui/portal").await;
    member.post(&format!("{page}/summary/refresh"), &[("_csrf", &csrf)]).await.expect(404);
    assert!(!member.get(&format!("/ui/portal/tickets/{id}")).await.has("summary"));
}
on_sqlite!(summary_panel, the_summary_panel_refreshes_and_keeps_its_history);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_summary_panel_offers_retry_when_the_service_is_down() {
    let app = TestApp::spawn_with(memberdesk_store::Backend::Sqlite, |config| {
        // Nothing listens on port 9 of this machine: every request to the service fails.
        config.ai = Some(memberdesk_ai::AiConfig {
            base_url: "http://127.0.0.1:9/v1".into(),
            api_key: String::new(),
            model: "test".into(),
            timeout: std::time::Duration::from_secs(2),
        });
    })
    .await;
    let id = app.member_ticket("Cannot renew").await;
    let page = format!("/ui/tickets/{id}");
    let mut agent = Browser::signed_in(&app, Who::User).await;
    let csrf = agent.csrf_from(&page).await;
    let view = agent.post(&format!("{page}/summary/refresh"), &[("_csrf", &csrf)]).await.expect(200);
    assert!(view.has("<div id=\"summary-unavailable\""), "{}", view.html);
    assert!(view.has("id=\"summary-retry\""));
    assert!(view.has("Summary unavailable"));
}
