//! The harness itself: Chromium reaches the real server, and a page's own script runs.

use crate::support::Browser;

#[tokio::test]
async fn chromium_reaches_the_real_server() {
    let browser = Browser::start().await;
    browser.open("/healthz").await;
    browser.wait_until("document.body.innerText.length > 0", "the health answer").await;
    let answer = browser.run("return document.body.innerText", vec![]).await;
    assert!(answer.as_str().unwrap().to_lowercase().contains("ok"), "{answer}");
    browser.close().await;
}
