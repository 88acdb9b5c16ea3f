//! The admin settings pages of the web UI (canned responses, SLA, assignment, AI, CRM) over real
//! HTTP: who may open them, CSRF, and that a save through a page is what the API then answers
//! (and a refused one stores nothing and says why beside the field).

mod ai;
mod assignment;
mod canned;
mod crm;
mod sla;

use crate::both_backends;
use crate::support::{TestApp, Who};
use crate::web::{Browser, Page, between};

/// The text of the page's `<p class="field-error" id="{id}">…</p>`.
#[track_caller]
pub fn field_error(page: &Page, id: &str) -> String {
    let start = format!("<p class=\"field-error\" id=\"{id}\">");
    between(&page.html, &start, "</p>").unwrap_or_else(|| panic!("no {id} on the page: {}", page.html))
}

/// Opens the page at `path` (200): the page and its CSRF token.
pub async fn open(browser: &mut Browser<'_>, path: &str) -> (Page, String) {
    let page = browser.get(path).await.expect(200);
    let csrf = page.csrf();
    assert!(!csrf.is_empty(), "no CSRF token on {path}");
    (page, csrf)
}

/// The settings pages and one field each saves (for the CSRF check).
const PAGES: [(&str, &str); 5] = [
    ("/ui/admin/canned-responses", "/ui/admin/canned-responses"),
    ("/ui/admin/sla", "/ui/admin/sla"),
    ("/ui/admin/assignment", "/ui/admin/assignment/rules"),
    ("/ui/admin/ai", "/ui/admin/ai"),
    ("/ui/admin/crm", "/ui/admin/crm"),
];

async fn only_admins_open_the_settings_pages(app: TestApp) {
    let mut anonymous = Browser::new(&app);
    let mut admin = Browser::signed_in(&app, Who::Admin).await;
    let mut user = Browser::signed_in(&app, Who::User).await;
    let mut member = Browser::signed_in(&app, Who::Member).await;
    for (page, form) in PAGES {
        anonymous.get(page).await.redirects_to("/ui/login");
        anonymous.post(form, &[("_csrf", "x")]).await.redirects_to("/ui/login");
        let shown = admin.get(page).await.expect(200);
        // Every form carries the token; the admin navigation marks the page.
        assert_eq!(shown.html.matches("<form").count(), shown.html.matches("name=\"_csrf\"").count(), "{page}");
        assert!(shown.has(&format!("href=\"{page}\" aria-current=\"page\"")), "{page}");
        user.get(page).await.expect(403);
        member.get(page).await.expect(403);
        // A user with a valid token is still refused.
        let csrf = user.csrf_from("/ui/").await;
        user.post(form, &[("_csrf", &csrf)]).await.expect(403);
    }
}
both_backends!(only_admins_open_the_settings_pages, only_admins_open_the_settings_pages);

async fn a_post_without_the_token_changes_nothing(app: TestApp) {
    let mut admin = Browser::signed_in(&app, Who::Admin).await;
    let before = [
        app.get(Who::Admin, "/api/tickets/canned-responses").await.expect(200).body,
        app.get(Who::Admin, "/api/settings/sla").await.body,
        app.get(Who::Admin, "/api/settings/assignment-rules").await.expect(200).body,
        app.get(Who::Admin, "/api/settings/crm").await.body,
        app.get(Who::Admin, "/api/settings/client").await.expect(200).body,
        app.get(Who::Admin, "/api/settings/support-ai").await.expect(200).body,
    ];
    let saves: [(&str, &[(&str, &str)]); 6] = [
        ("/ui/admin/canned-responses", &[("title", "T"), ("body", "B"), ("visibility", "shared")]),
        ("/ui/admin/sla", &[("low-first", "10"), ("timeZone", "UTC"), ("hours-monday", "09:00-17:00")]),
        ("/ui/admin/assignment/rules", &[("rule-0-name", "All"), ("rule-0-agents", "admin-1")]),
        (
            "/ui/admin/crm",
            &[("provider", "webhook"), ("url", "https://crm.example"), ("secret", "s".repeat(20).leak())],
        ),
        ("/ui/admin/client", &[("clientName", "Renamed")]),
        ("/ui/admin/ai", &[("defaultTone", "formal")]),
    ];
    for (path, fields) in saves {
        admin.post(path, fields).await.expect(403);
        let mut wrong = fields.to_vec();
        wrong.push(("_csrf", "not-the-token"));
        let refused = admin.post(path, &wrong).await.expect(403);
        assert!(refused.has("nothing was saved"), "{path}: {}", refused.html);
    }
    let after = [
        app.get(Who::Admin, "/api/tickets/canned-responses").await.expect(200).body,
        app.get(Who::Admin, "/api/settings/sla").await.body,
        app.get(Who::Admin, "/api/settings/assignment-rules").await.expect(200).body,
        app.get(Who::Admin, "/api/settings/crm").await.body,
        app.get(Who::Admin, "/api/settings/client").await.expect(200).body,
        app.get(Who::Admin, "/api/settings/support-ai").await.expect(200).body,
    ];
    assert_eq!(before, after);
}
both_backends!(a_post_without_the_token_changes_nothing, a_post_without_the_token_changes_nothing);
