//! A member signs in on the demo sign-in page, raises a ticket with a category, replies to it
//! and closes it, in the member portal.

use crate::support::Browser;
use memberdesk_demo::{demo_categories, demo_desk};
use serde_json::json;

#[tokio::test]
async fn a_member_raises_a_ticket_with_a_category_replies_and_closes_it() {
    let desk = demo_desk();
    let member = &desk.members[2];
    let browser = Browser::start().await;

    // The demo sign-in page lists the demo identities; the member lands on their portal.
    browser.open("/ui/login").await;
    browser.find("form#demo-login button[name=identity]").await;
    browser.screenshot("sign-in").await;
    browser.sign_in(member).await;
    browser.wait_until("location.pathname === '/ui/portal'", "the member's portal after signing in").await;

    // The category picker offers the active categories in their order.
    browser.open("/ui/portal/new").await;
    let options = browser
        .run(
            "return [...document.querySelectorAll('form#new-ticket select[name=category] option')]
                 .map(o => o.textContent.trim())",
            vec![],
        )
        .await;
    let demo: Vec<&str> = demo_categories();
    let offered: Vec<String> = serde_json::from_value(options).unwrap();
    let in_order: Vec<&str> = offered.iter().map(String::as_str).filter(|o| demo.contains(o)).collect();
    assert_eq!(in_order, demo, "the demo categories, in order, among {offered:?}");

    let subject = "Junior regatta entry for my daughter";
    browser.fill("form#new-ticket input[name=subject]", subject).await;
    browser
        .fill(
            "form#new-ticket textarea[name=description]",
            "Can my daughter still enter the junior regatta on the 14th? The online form says entries are closed.",
        )
        .await;
    browser.choose("form#new-ticket select[name=category]", "Events").await;
    browser.screenshot("new-ticket").await;
    browser.click("form#new-ticket [type=submit]").await;
    browser
        .wait_until(
            &format!("location.pathname !== '/ui/portal/new' && document.body.innerText.includes({})", json!(subject)),
            "the raised ticket",
        )
        .await;

    // Its page, from the portal's list of the member's own tickets.
    browser.open("/ui/portal").await;
    let row = browser.row_showing(subject).await;
    browser.click(&format!("{row} a")).await;
    browser.wait_until("location.pathname.startsWith('/ui/portal/tickets/')", "the member's ticket page").await;
    let id = row.split('"').nth(1).unwrap();
    let ticket = browser.server.api_get(member, &format!("/api/tickets/{id}")).await;
    let categories = browser.server.api_get(member, "/api/tickets/categories").await;
    let events = categories["items"].as_array().unwrap().iter().find(|c| c["name"] == "Events").unwrap();
    assert_eq!(ticket["categoryId"], events["id"], "raised in the chosen category");

    let reply = "Thanks! She is in the J15 squad and rowed at the spring head.";
    browser.fill("textarea#reply-body", reply).await;
    browser.click("button#send-reply").await;
    browser.wait_for_text("#conversation", reply).await;
    browser.screenshot("member-ticket").await;

    // Markup in a message is shown as text, never run.
    let markup = "<script>window.__xss = 1</script><b>bold?</b>";
    browser.fill("textarea#reply-body", markup).await;
    browser.click("button#send-reply").await;
    browser.wait_for_text("#conversation", markup).await;
    assert_eq!(browser.run("return typeof window.__xss", vec![]).await, json!("undefined"));

    // The list at phone width, then the member closes the ticket.
    browser.open("/ui/portal").await;
    browser.row_showing(subject).await;
    browser.screenshot("portal").await;
    browser.resize(390, 844).await;
    browser.open("/ui/portal").await;
    browser.row_showing(subject).await;
    browser.screenshot("portal-phone").await;
    browser.resize(1280, 900).await;

    browser.click(&format!("{row} a")).await;
    browser.find("form#close-ticket").await;
    browser.click_and_confirm("form#close-ticket [type=submit]", "Close").await;
    browser.wait_for_text("body", "closed").await;
    browser.open("/ui/portal").await;
    browser
        .wait_until(
            &format!("document.querySelector({}).innerText.toLowerCase().includes('closed')", json!(row)),
            "closed",
        )
        .await;
    browser.close().await;
}
