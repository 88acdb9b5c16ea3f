//! Signing in from a platform token, signing out, and the CSRF check on every form.

use crate::support::Browser;
use memberdesk_demo::demo_desk;
use serde_json::json;

#[tokio::test]
async fn a_platform_token_signs_in_to_the_right_place_and_sign_out_ends_the_session() {
    let desk = demo_desk();
    let browser = Browser::start().await;
    for (who, landing) in [(&desk.members[0], "/ui/portal"), (&desk.staff[1], "/ui/")] {
        let token = browser.server.token(who);
        browser.open(&format!("/ui/sso?token={token}")).await;
        browser.wait_until(&format!("location.pathname === {}", json!(landing)), landing).await;
        browser.wait_for_text("header", &who.name).await;

        // A form posted with another token (as a forged cross-site form would) is refused, and
        // nothing happens.
        let status = browser
            .run_async(
                "fetch('/ui/logout', { method: 'POST', body: new URLSearchParams({ _csrf: 'forged' }) })
                     .then(r => done(r.status))",
                vec![],
            )
            .await;
        assert_eq!(status, json!(403), "a POST with a wrong CSRF token");
        browser.open(landing).await;
        browser.find("form#logout").await;

        browser.click("form#logout [type=submit]").await;
        browser.wait_until("location.pathname === '/ui/login'", "the sign-in page after signing out").await;
        browser.open(landing).await;
        browser.wait_until("!document.querySelector('form#logout')", "no session any more").await;
    }

    // A token that does not verify signs nobody in.
    browser.open("/ui/sso?token=not.a.token").await;
    browser.find(".flash.error").await;
    assert!(!browser.is_present("form#logout").await);
    browser.close().await;
}
