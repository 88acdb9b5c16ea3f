//! The web UI end to end: pages and forms over real HTTP against the composition root, with a
//! small cookie-keeping "browser" (no redirects followed, so every 303 is seen).

mod access;
mod admin;
mod drafts;
mod portal;
mod sign_in;
mod staff;

use crate::support::{SECRET, TestApp, Who};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

/// One page or redirect as the browser received it.
pub struct Page {
    pub status: StatusCode,
    pub location: String,
    pub set_cookie: Vec<String>,
    pub html: String,
}

impl Page {
    #[track_caller]
    pub fn expect(self, status: u16) -> Page {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; location {:?}; page: {}",
            self.location,
            self.html
        );
        self
    }

    /// Asserts a 303 to `to`.
    #[track_caller]
    pub fn redirects_to(self, to: &str) -> Page {
        assert_eq!(self.status.as_u16(), 303, "expected a redirect to {to}; page: {}", self.html);
        assert_eq!(self.location, to);
        self
    }

    /// The page's CSRF token (from its meta tag).
    pub fn csrf(&self) -> String {
        between(&self.html, "<meta name=\"csrf-token\" content=\"", "\"").unwrap_or_default()
    }

    pub fn has(&self, needle: &str) -> bool {
        self.html.contains(needle)
    }

    pub fn count(&self, needle: &str) -> usize {
        self.html.matches(needle).count()
    }

    /// The ids of the `tr[data-ticket-id]` rows, in order.
    pub fn ticket_rows(&self) -> Vec<String> {
        self.html
            .split("<tr data-ticket-id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next().map(str::to_owned))
            .collect()
    }

    /// The text of the element with this id (`<… id="x">text<`), tags inside dropped.
    pub fn text_of(&self, id: &str) -> String {
        let marker = format!("id=\"{id}\"");
        let Some(start) = self.html.find(&marker) else { return String::new() };
        let rest = &self.html[start..];
        let body = &rest[rest.find('>').map_or(0, |i| i + 1)..];
        let mut text = String::new();
        let mut depth_tag = false;
        for c in body.chars() {
            match c {
                '<' => depth_tag = true,
                '>' => depth_tag = false,
                _ if !depth_tag => text.push(c),
                _ => {}
            }
            if text.len() > 400 {
                break;
            }
        }
        text.split("\n\n").next().unwrap_or_default().trim().to_owned()
    }
}

pub fn between(text: &str, start: &str, end: &str) -> Option<String> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(text[from..from + len].to_owned())
}

/// A browser: keeps the session cookie, follows no redirects.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    http: reqwest::Client,
    cookie: Option<String>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Browser<'a> {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { app, http, cookie: None }
    }

    /// A browser signed in through SSO as `who`.
    pub async fn signed_in(app: &'a TestApp, who: Who) -> Browser<'a> {
        let mut browser = Browser::new(app);
        let landed = browser.sso(&app.token(who).unwrap()).await;
        assert_eq!(landed.status.as_u16(), 303, "sign-in failed: {}", landed.html);
        browser
    }

    pub fn has_session(&self) -> bool {
        self.cookie.is_some()
    }

    /// The `Cookie` header this browser sends (for requests made by hand, like `app.js`'s).
    pub fn cookie_header(&self) -> String {
        format!("memberdesk_session={}", self.cookie.clone().unwrap_or_default())
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let request = match &self.cookie {
            Some(cookie) => request.header(COOKIE, format!("memberdesk_session={cookie}")),
            None => request,
        };
        let response = request.send().await.unwrap();
        let status = response.status();
        let location = response.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let set_cookie: Vec<String> =
            response.headers().get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect();
        for header in &set_cookie {
            if let Some(value) = header.strip_prefix("memberdesk_session=").and_then(|v| v.split(';').next()) {
                let removed = value.is_empty() || header.contains("Max-Age=0");
                self.cookie = if removed { None } else { Some(value.to_owned()) };
            }
        }
        let html = response.text().await.unwrap_or_default();
        Page { status, location, set_cookie, html }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.app.base)
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let request = self.http.get(self.url(path));
        self.send(request).await
    }

    pub async fn get_with(&mut self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut request = self.http.get(self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request).await
    }

    pub async fn sso(&mut self, token: &str) -> Page {
        let path = format!("/ui/sso?token={token}");
        self.get(&path).await
    }

    /// Posts an urlencoded form.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let request = self.http.post(self.url(path)).form(fields);
        self.send(request).await
    }

    /// Posts a multipart form.
    pub async fn post_multipart(&mut self, path: &str, form: crate::attachments::Form) -> Page {
        let (content_type, body) = form.finish();
        let request = self.http.post(self.url(path)).header("content-type", content_type).body(body);
        self.send(request).await
    }

    /// The CSRF token of the page at `path` (a page that shows the forms).
    pub async fn csrf_from(&mut self, path: &str) -> String {
        let token = self.get(path).await.expect(200).csrf();
        assert!(!token.is_empty(), "no CSRF token on {path}");
        token
    }
}

/// Creates something through the API and returns its id.
pub async fn created_id(app: &TestApp, who: Who, path: &str, body: serde_json::Value) -> String {
    app.post(who, path, body).await.expect(201).body["id"].as_str().unwrap().to_owned()
}

/// A token signed with another secret (or none of ours).
pub fn forged_token() -> String {
    let claims = memberdesk_http::auth::Claims {
        sub: "admin-1".into(),
        client_id: crate::support::CLIENT.into(),
        roles: vec!["ROLE_CLIENT_ADMIN".into()],
        name: "Alex Admin".into(),
        email: "alex@harbour.example".into(),
        exp: chrono::Utc::now().timestamp() + 3600,
    };
    let forged = memberdesk_http::auth::issue_token("not-the-secret-0123456789", &claims).unwrap();
    assert_ne!(forged, memberdesk_http::auth::issue_token(SECRET, &claims).unwrap());
    forged
}

/// Runs an async test body on SQLite only (the PostgreSQL path of the same pages is covered by
/// the smoke tests that use `both_backends!`).
#[macro_export]
macro_rules! on_sqlite {
    ($name:ident, $body:expr) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            let app = $crate::support::TestApp::spawn(memberdesk_store::Backend::Sqlite).await;
            ($body)(app).await;
        }
    };
}
