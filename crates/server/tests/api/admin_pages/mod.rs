//! The admin settings pages of the web UI (canned responses, SLA, assignment, CRM) over real
//! HTTP: who may open them, CSRF, and that a save through a page is what the API then answers
//! (and a refused one stores nothing and says why beside the field).

mod assignment;
mod canned;
mod crm;
mod sla;

use crate::both_backends;
use crate::support::{TestApp, Who};
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

/// One response as a browser that follows no redirects sees it.
pub struct Page {
    pub status: u16,
    pub location: String,
    pub html: String,
}

impl Page {
    #[track_caller]
    pub fn expect(self, status: u16) -> Page {
        assert_eq!(self.status, status, "location {:?}; page: {}", self.location, self.html);
        self
    }

    #[track_caller]
    pub fn redirects_to(self, to: &str) -> Page {
        assert_eq!((self.status, self.location.as_str()), (303, to), "page: {}", self.html);
        self
    }

    pub fn has(&self, needle: &str) -> bool {
        self.html.contains(needle)
    }

    /// The text of `<p class="field-error" id="{id}">…</p>`.
    #[track_caller]
    pub fn field_error(&self, id: &str) -> String {
        let start = format!("<p class=\"field-error\" id=\"{id}\">");
        let from = self.html.find(&start).unwrap_or_else(|| panic!("no {id} on the page: {}", self.html));
        let rest = &self.html[from + start.len()..];
        rest[..rest.find("</p>").unwrap()].to_owned()
    }

    pub fn csrf(&self) -> String {
        let marker = "<meta name=\"csrf-token\" content=\"";
        let from = self.html.find(marker).map(|i| i + marker.len()).unwrap_or_default();
        self.html[from..].split('"').next().unwrap_or_default().to_owned()
    }
}

/// Keeps the session cookie; follows no redirects.
pub struct Browser<'a> {
    app: &'a TestApp,
    http: reqwest::Client,
    cookie: Option<String>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Browser<'a> {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { app, http, cookie: None }
    }

    /// Signed in through `GET /ui/sso` as `who`.
    pub async fn signed_in(app: &'a TestApp, who: Who) -> Browser<'a> {
        let mut browser = Browser::new(app);
        let path = format!("/ui/sso?token={}", app.token(who).unwrap());
        browser.get(&path).await.expect(303);
        assert!(browser.cookie.is_some(), "no session after sign-in");
        browser
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let request = match &self.cookie {
            Some(cookie) => request.header(COOKIE, format!("memberdesk_session={cookie}")),
            None => request,
        };
        let response = request.send().await.unwrap();
        for header in response.headers().get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()) {
            if let Some(value) = header.strip_prefix("memberdesk_session=").and_then(|v| v.split(';').next()) {
                self.cookie = Some(value.to_owned()).filter(|v| !v.is_empty());
            }
        }
        let status = response.status().as_u16();
        let location = response.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        Page { status, location, html: response.text().await.unwrap_or_default() }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let request = self.http.get(format!("{}{path}", self.app.base));
        self.send(request).await
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let request = self.http.post(format!("{}{path}", self.app.base)).form(fields);
        self.send(request).await
    }

    /// The page at `path` (200) and its CSRF token.
    pub async fn open(&mut self, path: &str) -> (Page, String) {
        let page = self.get(path).await.expect(200);
        let csrf = page.csrf();
        assert!(!csrf.is_empty(), "no CSRF token on {path}");
        (page, csrf)
    }
}

/// The settings pages and one field each saves (for the CSRF check).
const PAGES: [(&str, &str); 4] = [
    ("/ui/admin/canned-responses", "/ui/admin/canned-responses"),
    ("/ui/admin/sla", "/ui/admin/sla"),
    ("/ui/admin/assignment", "/ui/admin/assignment/rules"),
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
        let (_, csrf) = user.open("/ui/").await;
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
    ];
    let saves: [(&str, &[(&str, &str)]); 5] = [
        ("/ui/admin/canned-responses", &[("title", "T"), ("body", "B"), ("visibility", "shared")]),
        ("/ui/admin/sla", &[("low-first", "10"), ("timeZone", "UTC"), ("hours-monday", "09:00-17:00")]),
        ("/ui/admin/assignment/rules", &[("rule-0-name", "All"), ("rule-0-agents", "admin-1")]),
        (
            "/ui/admin/crm",
            &[("provider", "webhook"), ("url", "https://crm.example"), ("secret", "s".repeat(20).leak())],
        ),
        ("/ui/admin/client", &[("clientName", "Renamed")]),
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
    ];
    assert_eq!(before, after);
}
both_backends!(a_post_without_the_token_changes_nothing, a_post_without_the_token_changes_nothing);
