//! Signing in (SSO link, demo page), the session cookie, and signing out.

use super::{Browser, forged_token};
use crate::support::{TestApp, Who};
use crate::{both_backends, on_sqlite};

async fn sso_lands_staff_on_the_console_and_members_on_their_portal(app: TestApp) {
    for (who, home) in [(Who::Admin, "/ui/"), (Who::User, "/ui/"), (Who::Member, "/ui/portal")] {
        let mut browser = Browser::new(&app);
        let landed = browser.sso(&app.token(who).unwrap()).await.redirects_to(home);
        let cookie = landed.set_cookie.iter().find(|c| c.starts_with("memberdesk_session=")).cloned().unwrap();
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(cookie.contains("Path=/ui"), "{cookie}");
        // Plain http to 127.0.0.1: a local desk must work without TLS.
        assert!(!cookie.contains("Secure"), "{cookie}");
        let page = browser.get(home).await.expect(200);
        assert!(page.has("id=\"logout\""), "signed-in pages carry the sign-out form");
    }
    // A member asking for the console is sent to the portal, and staff the other way round.
    Browser::signed_in(&app, Who::Member).await.get("/ui/").await.redirects_to("/ui/portal");
    Browser::signed_in(&app, Who::User).await.get("/ui/portal").await.redirects_to("/ui/");
}
both_backends!(sso_lands_each_role_at_home, sso_lands_staff_on_the_console_and_members_on_their_portal);

async fn the_cookie_is_secure_unless_plain_http_to_localhost(app: TestApp) {
    let mut browser = Browser::new(&app);
    let path = format!("/ui/sso?token={}", app.token(Who::Admin).unwrap());
    let behind_tls = browser.get_with(&path, &[("x-forwarded-proto", "https")]).await.expect(303);
    assert!(behind_tls.set_cookie.iter().any(|c| c.starts_with("memberdesk_session=") && c.contains("Secure")));
    let other_host = Browser::new(&app).get_with(&path, &[("host", "desk.example.org")]).await.expect(303);
    assert!(other_host.set_cookie.iter().any(|c| c.starts_with("memberdesk_session=") && c.contains("Secure")));
}
on_sqlite!(secure_cookie_except_local_http, the_cookie_is_secure_unless_plain_http_to_localhost);

async fn a_bad_token_shows_the_sign_in_page_with_an_error_and_no_session(app: TestApp) {
    let expired = app.token(Who::ExpiredToken).unwrap();
    for (token, words) in [
        (expired.as_str(), "expired"),
        ("garbage", "not valid"),
        ("", "not valid"),
        (forged_token().as_str(), "not valid"),
    ] {
        let mut browser = Browser::new(&app);
        let page = browser.sso(token).await.expect(401);
        assert!(page.has("class=\"flash error\" role=\"alert\""), "{}", page.html);
        assert!(page.has(words), "{words}: {}", page.html);
        assert!(!browser.has_session(), "no session after a refused token");
        browser.get("/ui/").await.redirects_to("/ui/login");
    }
    // A signed-in person who follows a bad link is signed out, not left half in.
    let mut browser = Browser::signed_in(&app, Who::Admin).await;
    browser.sso("garbage").await.expect(401);
    browser.get("/ui/").await.redirects_to("/ui/login");
}
on_sqlite!(bad_tokens_leave_no_session, a_bad_token_shows_the_sign_in_page_with_an_error_and_no_session);

async fn signing_out_ends_the_session(app: TestApp) {
    let mut browser = Browser::signed_in(&app, Who::User).await;
    let csrf = browser.csrf_from("/ui/").await;
    // Sign-out is a form like any other: without the token, nothing happens.
    browser.post("/ui/logout", &[]).await.expect(403);
    browser.get("/ui/").await.expect(200);
    browser.post("/ui/logout", &[("_csrf", &csrf)]).await.redirects_to("/ui/login");
    assert!(!browser.has_session());
    browser.get("/ui/").await.redirects_to("/ui/login");
}
on_sqlite!(sign_out, signing_out_ends_the_session);

async fn outside_the_demo_the_sign_in_page_points_to_the_platform(app: TestApp) {
    let mut browser = Browser::new(&app);
    let page = browser.get("/ui/login").await.expect(200);
    assert!(page.has("association"), "{}", page.html);
    assert!(!page.has("id=\"demo-login\""));
    browser.post("/ui/login", &[("identity", "admin-1")]).await.expect(403);
    Browser::new(&app).get("/").await.redirects_to("/ui/");
}
on_sqlite!(sign_in_page_outside_the_demo, outside_the_demo_the_sign_in_page_points_to_the_platform);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_sign_in_page_signs_in_as_a_demo_identity() {
    let app = TestApp::spawn_with(memberdesk_store::Backend::Sqlite, |config| {
        config.demo_sign_in = Some(memberdesk_server::commands::demo::demo_sign_in());
    })
    .await;
    let mut browser = Browser::new(&app);
    let page = browser.get("/ui/login").await.expect(200);
    assert!(page.has("<form id=\"demo-login\""));
    assert!(page.has("name=\"identity\" value=\"hcra-admin-helen\""));
    assert!(page.has("name=\"identity\" value=\"hcra-member-01\""));
    let csrf = page.csrf();
    browser.post("/ui/login", &[("_csrf", "wrong"), ("identity", "hcra-admin-helen")]).await.expect(403);
    browser.post("/ui/login", &[("identity", "hcra-admin-helen")]).await.expect(403);
    browser.post("/ui/login", &[("_csrf", &csrf), ("identity", "hcra-admin-helen")]).await.redirects_to("/ui/");
    let console = browser.get("/ui/").await.expect(200);
    assert!(console.has("Helen Fraser"));

    let mut member = Browser::new(&app);
    let csrf = member.csrf_from("/ui/login").await;
    member.post("/ui/login", &[("_csrf", &csrf), ("identity", "hcra-member-02")]).await.redirects_to("/ui/portal");
    assert!(member.get("/ui/portal").await.expect(200).has("Sofia Marquez"));
    // Someone not in the demo is no choice.
    let mut stranger = Browser::new(&app);
    let csrf = stranger.csrf_from("/ui/login").await;
    stranger.post("/ui/login", &[("_csrf", &csrf), ("identity", "nobody")]).await.redirects_to("/ui/login");
    stranger.get("/ui/").await.redirects_to("/ui/login");
}

async fn a_session_ends_with_its_token(app: TestApp) {
    let claims = memberdesk_http::auth::Claims {
        sub: "agent-1".into(),
        client_id: crate::support::CLIENT.into(),
        roles: vec!["ROLE_CLIENT_USER".into()],
        name: "Uma User".into(),
        email: "uma@harbour.example".into(),
        exp: chrono::Utc::now().timestamp() + 2,
    };
    let token = memberdesk_http::auth::issue_token(crate::support::SECRET, &claims).unwrap();
    let mut browser = Browser::new(&app);
    browser.sso(&token).await.redirects_to("/ui/");
    browser.get("/ui/").await.expect(200);
    tokio::time::sleep(std::time::Duration::from_millis(3100)).await;
    // The cookie is still in the browser, but the session it holds has ended.
    assert!(browser.has_session());
    browser.get("/ui/").await.redirects_to("/ui/login");
    assert!(!browser.has_session(), "the ended session's cookie is removed");
}
on_sqlite!(sessions_end_with_the_token, a_session_ends_with_its_token);
