//! AI on the staff ticket page: the summary panel (collapse, refresh, copy) and the draft
//! button (a loading indicator while waiting, the draft in the editor, never sent by itself),
//! and what both show when the AI service is down.

use crate::support::{Browser, server_with_ai_down};
use memberdesk_demo::demo_desk;
use serde_json::json;

/// The draft and the summary requests of the page answer at once from the built-in services;
/// holding each request back a moment lets the test see what the page shows while it waits.
const SLOW_FETCH: &str = "if (!window.__slowFetch) { const fetch = window.fetch.bind(window);
    window.__slowFetch = true;
    window.fetch = (...args) => new Promise(resolve => setTimeout(resolve, 700)).then(() => fetch(...args)); }";

async fn fresh_ticket_for_staff(browser: &Browser, member: usize, staff: usize, subject: &str) -> String {
    let desk = demo_desk();
    let id = browser
        .server
        .raise_ticket(
            &desk.members[member],
            subject,
            "Two of us booked erg 3 for Saturday 8am and the booking page shows both. Who keeps it?",
        )
        .await;
    browser.sign_in(&desk.staff[staff]).await;
    browser.open(&format!("/ui/tickets/{id}")).await;
    id
}

#[tokio::test]
async fn the_draft_button_fills_the_editor_showing_a_loading_indicator_meanwhile() {
    let browser = Browser::start().await;
    fresh_ticket_for_staff(&browser, 7, 1, "Erg booking clash on Saturday").await;
    let button = browser.find("button#draft-button").await;
    let label = button.text().await.unwrap();
    let shortcut = button.attr("aria-keyshortcuts").await.unwrap().unwrap_or_default();
    assert!(!shortcut.is_empty(), "the button announces its shortcut");
    assert!(label.contains("Alt+D") || label.contains(&shortcut), "the shortcut is on the button: {label:?}");
    let messages = "document.querySelectorAll('#conversation article.message').length";
    let before = browser.run(&format!("return {messages}"), vec![]).await;

    browser.run(SLOW_FETCH, vec![]).await;
    browser.click("button#draft-button").await;
    browser.wait_until(VISIBLE_LOADING, "the loading indicator while the draft is on its way").await;
    browser
        .wait_until(
            &format!("document.querySelector('textarea#reply-body').value.trim().length > 0 && !({VISIBLE_LOADING})"),
            "the draft in the editor",
        )
        .await;
    let draft = browser.value("textarea#reply-body").await;
    assert_eq!(browser.run(&format!("return {messages}"), vec![]).await, before, "a draft is never sent by itself");
    browser.find("#draft-info").await;
    browser.screenshot_of("section.composer", "draft-in-editor").await;

    // Another tone regenerates it.
    browser.choose("select#draft-tone", "formal").await;
    browser.click("button#draft-button").await;
    browser
        .wait_until(
            &format!(
                "document.querySelector('textarea#reply-body').value !== {} && !({VISIBLE_LOADING})",
                json!(draft)
            ),
            "a formal draft",
        )
        .await;

    // The keyboard shortcut does the same from the editor.
    browser.fill("textarea#reply-body", "").await;
    browser.find("textarea#reply-body").await.send_keys(&format!("{}d", fantoccini::key::Key::Alt)).await.unwrap();
    browser
        .wait_until(
            &format!("document.querySelector('textarea#reply-body').value.trim().length > 0 && !({VISIBLE_LOADING})"),
            "a draft from Alt+D",
        )
        .await;
    browser.close().await;
}

const VISIBLE_LOADING: &str = "(() => { const l = document.querySelector('#draft-loading');
    return !!l && !l.hidden && getComputedStyle(l).display !== 'none' && getComputedStyle(l).visibility !== 'hidden'; })()";

#[tokio::test]
async fn the_summary_panel_collapses_refreshes_and_copies() {
    let browser = Browser::start().await;
    fresh_ticket_for_staff(&browser, 8, 0, "Two bookings for erg 3").await;
    browser.find("section#summary-panel").await;
    // A ticket just raised may have no summary yet: "Refresh" makes the first.
    if !browser.is_present("#summary-content").await {
        browser.click("button#summary-refresh").await;
    }
    browser.find("#summary-content details").await;
    browser.find("#summary-updated").await;

    // A section collapses and opens again from its heading.
    let open = "document.querySelector('#summary-content details').open";
    let was_open = browser.run(&format!("return {open}"), vec![]).await == json!(true);
    browser.click("#summary-content details > summary").await;
    browser.wait_until(&format!("{open} === {}", !was_open), "the section toggled").await;
    browser.click("#summary-content details > summary").await;
    browser.wait_until(&format!("{open} === {was_open}"), "the section toggled back").await;

    // Refresh adds a version to the history.
    let versions = "document.querySelector('#summary-history').innerText";
    let before = browser.run(&format!("return {versions}"), vec![]).await;
    browser.click("button#summary-refresh").await;
    browser.wait_until(&format!("{versions} !== {before}"), "a new version in the summary history").await;
    browser.click("#summary-history > summary").await;
    browser.screenshot_of("section#summary-panel", "summary-panel").await;

    // Copy puts the summary text on the clipboard (the clipboard is observed, not read, so
    // the test needs no permission prompt).
    browser
        .run(
            "window.__copied = null;
             Object.defineProperty(navigator.clipboard, 'writeText', { configurable: true,
                 value: text => { window.__copied = text; return Promise.resolve(); } });",
            vec![],
        )
        .await;
    browser.click("button#summary-copy").await;
    browser
        .wait_until("typeof window.__copied === 'string' && window.__copied.trim().length > 0", "the copied summary")
        .await;
    let copied = browser.run("return window.__copied", vec![]).await;
    let shown = browser.run("return document.querySelector('section#summary-panel').innerText", vec![]).await;
    let first_line = copied.as_str().unwrap().lines().find(|l| !l.trim().is_empty()).unwrap_or_default().trim();
    assert!(shown.as_str().unwrap().contains(first_line), "copied what the panel shows: {copied}");
    browser.close().await;
}

#[tokio::test]
async fn with_the_ai_service_down_the_summary_panel_offers_retry() {
    let browser = Browser::start_on(server_with_ai_down()).await;
    fresh_ticket_for_staff(&browser, 9, 0, "Spare oars for the novice crew").await;

    // The page may not ask the service until someone wants a summary.
    if !browser.is_present("#summary-unavailable").await {
        browser.click("button#summary-refresh").await;
    }
    let unavailable = browser.find("#summary-unavailable").await;
    assert!(unavailable.is_displayed().await.unwrap(), "the panel says the summary is unavailable");
    assert!(unavailable.text().await.unwrap().contains("Summary unavailable"));
    browser.click("button#summary-retry").await;
    // The script disables the panel's buttons while it waits and swaps in the answer's panel.
    browser
        .wait_until(
            "(() => { const b = document.querySelector('#summary-unavailable button#summary-retry'); return !!b && !b.disabled; })()",
            "the retry answered, still unavailable, and offered again",
        )
        .await;
    browser.close().await;
}

#[tokio::test]
async fn with_the_ai_service_down_the_draft_button_offers_the_canned_responses() {
    let browser = Browser::start_on(server_with_ai_down()).await;
    fresh_ticket_for_staff(&browser, 10, 1, "Can I bring a guest to the open day?").await;
    browser.click("button#draft-button").await;
    browser
        .wait_until(
            "(() => { const e = document.querySelector('#draft-error');
                return !!e && e.getClientRects().length > 0 && !e.hidden
                    && (e.innerText.toLowerCase().includes('canned') || !!e.querySelector('a, button, select')); })()",
            "the draft error offering the canned responses",
        )
        .await;
    assert_eq!(browser.value("textarea#reply-body").await, "", "nothing made up in the editor");
    browser.close().await;
}
