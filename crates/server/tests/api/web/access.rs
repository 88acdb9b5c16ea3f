//! Who reaches which page, CSRF on every form, and what members never see.

use super::{Browser, created_id};
use crate::attachments::Form;
use crate::support::{TestApp, Who};
use crate::{both_backends, on_sqlite};
use serde_json::json;

async fn every_page_answers_its_role_and_sends_strangers_to_sign_in(app: TestApp) {
    app.introduce_staff().await;
    let id = app.member_ticket("Fees question").await;
    let staff_pages = ["/ui/".to_owned(), format!("/ui/tickets/{id}")];
    let member_pages = ["/ui/portal".to_owned(), "/ui/portal/new".to_owned(), format!("/ui/portal/tickets/{id}")];
    let admin_pages = ["/ui/admin/categories".to_owned()];

    let mut nobody = Browser::new(&app);
    for page in staff_pages.iter().chain(&member_pages).chain(&admin_pages) {
        nobody.get(page).await.redirects_to("/ui/login");
    }
    nobody.get("/ui/login").await.expect(200);
    for (path, kind) in [("/ui/static/app.css", "text/css"), ("/ui/static/app.js", "text/javascript")] {
        let response = app.http.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let headers = response.headers();
        assert!(headers["content-type"].to_str().unwrap().starts_with(kind));
        assert!(headers["cache-control"].to_str().unwrap().contains("max-age"));
    }
    nobody.get("/ui/static/other.js").await.expect(404);
    let unknown = nobody.get("/ui/nothing-here").await.expect(404);
    assert!(unknown.html.starts_with("<!doctype html>"), "an HTML page, not JSON: {}", unknown.html);

    for who in [Who::Admin, Who::User] {
        let mut staff = Browser::signed_in(&app, who).await;
        for page in &staff_pages {
            let view = staff.get(page).await.expect(200);
            assert!(view.html.starts_with("<!doctype html>"));
        }
    }
    let mut admin = Browser::signed_in(&app, Who::Admin).await;
    admin.get("/ui/admin/categories").await.expect(200);
    admin.get("/ui/admin").await.redirects_to("/ui/admin/categories");
    // Staff users are not admins: a 403 page.
    let mut agent = Browser::signed_in(&app, Who::User).await;
    let refused = agent.get("/ui/admin/categories").await.expect(403);
    assert!(refused.html.starts_with("<!doctype html>"));

    let mut member = Browser::signed_in(&app, Who::Member).await;
    for page in &member_pages {
        member.get(page).await.expect(200);
    }
    member.get(&format!("/ui/tickets/{id}")).await.redirects_to(&format!("/ui/portal/tickets/{id}"));

    // Security headers on every page.
    let response = app.http.get(format!("{}/ui/login", app.base)).send().await.unwrap();
    let headers = response.headers();
    assert!(headers["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["cache-control"], "no-store");
}
both_backends!(pages_by_role, every_page_answers_its_role_and_sends_strangers_to_sign_in);

async fn every_post_needs_the_session_csrf_token(app: TestApp) {
    let id = app.member_ticket("Locker").await;
    let category = created_id(&app, Who::Admin, "/api/tickets/categories", json!({"name": "Boats"})).await;
    let mut admin = Browser::signed_in(&app, Who::Admin).await;
    let real = admin.csrf_from("/ui/").await;
    // Another session's token is no good either.
    let other = Browser::signed_in(&app, Who::Admin).await.csrf_from("/ui/").await;
    assert_ne!(real, other);

    let forms: Vec<(String, Vec<(&str, &str)>)> = vec![
        (format!("/ui/tickets/{id}/status"), vec![("status", "in_progress")]),
        (format!("/ui/tickets/{id}/assign"), vec![("assignee", "admin-1")]),
        (format!("/ui/tickets/{id}/priority"), vec![("priority", "high")]),
        ("/ui/admin/categories".to_owned(), vec![("name", "Fees")]),
        (format!("/ui/admin/categories/{category}"), vec![("name", "Renamed")]),
        (format!("/ui/admin/categories/{category}/archive"), vec![]),
        (format!("/ui/admin/categories/{category}/move"), vec![("direction", "down")]),
        ("/ui/logout".to_owned(), vec![]),
    ];
    for (path, fields) in &forms {
        for token in [None, Some("wrong"), Some(other.as_str())] {
            let mut sent = fields.clone();
            if let Some(token) = token {
                sent.push(("_csrf", token));
            }
            let page = admin.post(path, &sent).await.expect(403);
            assert!(page.has("nothing was saved"), "{path}: {}", page.html);
        }
    }
    for token in [None, Some("wrong")] {
        let mut form = Form::new().text("body", "Sneaky reply").text("kind", "reply");
        if let Some(token) = token {
            form = form.text("_csrf", token);
        }
        admin.post_multipart(&format!("/ui/tickets/{id}/responses"), form).await.expect(403);
    }
    // Nothing was stored, and the session still works.
    let ticket = app.get(Who::Admin, &format!("/api/tickets/{id}")).await.expect(200).body;
    assert_eq!(ticket["status"], "open");
    assert_eq!(ticket["priority"], "medium");
    assert!(ticket["assigneeId"].is_null());
    assert!(ticket["responses"].as_array().unwrap().is_empty());
    let categories = app.get(Who::Admin, "/api/tickets/categories?includeArchived=true").await.expect(200).body;
    let names: Vec<&str> = categories["items"].as_array().unwrap().iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(names, ["Boats"]);
    assert_eq!(categories["items"][0]["archived"], false);
    admin.get("/ui/").await.expect(200);

    let mut member = Browser::signed_in(&app, Who::Member).await;
    member.post("/ui/portal/tickets", &[("subject", "Forged"), ("description", "x")]).await.expect(403);
    let mine = app.get(Who::Member, "/api/tickets").await.expect(200).body;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
}
on_sqlite!(posts_need_the_csrf_token, every_post_needs_the_session_csrf_token);

async fn members_see_only_their_tickets_and_never_notes(app: TestApp) {
    let mine = app.member_ticket("My membership card").await;
    let theirs = json!({"subject": "Someone else's question", "description": "x"});
    let theirs = created_id(&app, Who::OtherMember, "/api/tickets", theirs).await;
    let path = format!("/api/tickets/{mine}/responses");
    app.post(Who::User, &path, json!({"kind": "note", "body": "SECRET-NOTE about fees"})).await.expect(201);
    app.post(Who::User, &path, json!({"kind": "reply", "body": "Your card is on its way."})).await.expect(201);
    app.post(Who::User, &format!("/api/tickets/{mine}/summary/refresh"), json!({})).await;

    let mut member = Browser::signed_in(&app, Who::Member).await;
    let list = member.get("/ui/portal").await.expect(200);
    assert_eq!(list.ticket_rows(), vec![mine.clone()]);
    assert!(!list.has("Someone else"));
    let view = member.get(&format!("/ui/portal/tickets/{mine}")).await.expect(200);
    assert!(view.has("Your card is on its way."));
    assert!(!view.has("SECRET-NOTE"));
    assert!(!view.has("message note"));
    assert!(!view.has("summary-panel"));
    assert!(!view.has("id=\"add-note\""));
    // Another member's ticket does not exist for them, whichever way they ask.
    member.get(&format!("/ui/portal/tickets/{theirs}")).await.expect(404);
    let csrf = view.csrf();
    let form = Form::new().text("_csrf", &csrf).text("body", "Hijack").text("kind", "reply");
    member.post_multipart(&format!("/ui/tickets/{theirs}/responses"), form).await.expect(404);
    member.post(&format!("/ui/tickets/{theirs}/status"), &[("_csrf", &csrf), ("status", "closed")]).await.expect(404);
    // A member cannot write a note, even by hand.
    let form = Form::new().text("_csrf", &csrf).text("body", "My note").text("kind", "note");
    member.post_multipart(&format!("/ui/tickets/{mine}/responses"), form).await.expect(403);
    let other = app.get(Who::OtherMember, &format!("/api/tickets/{theirs}")).await.expect(200).body;
    assert_eq!(other["status"], "open");
    assert!(other["responses"].as_array().unwrap().is_empty());
    // Staff see the note, set apart.
    let mut agent = Browser::signed_in(&app, Who::User).await;
    let staff_view = agent.get(&format!("/ui/tickets/{mine}")).await.expect(200);
    assert!(staff_view.has("<article class=\"message note from-staff\">"));
    assert!(staff_view.has("SECRET-NOTE about fees"));
}
both_backends!(member_isolation, members_see_only_their_tickets_and_never_notes);
