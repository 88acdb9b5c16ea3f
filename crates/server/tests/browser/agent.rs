//! An agent (ROLE_CLIENT_USER) works a ticket from the queue: filters, opens it, inserts a
//! canned response, replies, adds an internal note and changes the status, and is never
//! offered the admin's assignment and priority controls.

use crate::support::Browser;
use memberdesk_demo::demo_desk;
use serde_json::json;

#[tokio::test]
async fn an_agent_filters_the_queue_and_works_a_ticket_without_admin_controls() {
    let desk = demo_desk();
    let (agent, member) = (&desk.staff[0], &desk.members[4]);
    // Only this test's ticket mentions the Harriet (one of the club's boats).
    let word = "Harriet";
    let browser = Browser::start().await;
    let id = browser
        .server
        .raise_ticket(member, "Gate snapped on the Harriet's bow oar", "The gate on oar 4 snapped during the outing.")
        .await;

    browser.sign_in(agent).await;
    browser.wait_until("location.pathname === '/ui/'", "the staff queue").await;
    browser.find("tr[data-ticket-id]").await;
    // The picture shows the tickets in progress: only the demo's, whatever other tests raise.
    browser.open("/ui/?status=in_progress").await;
    browser.find("tr[data-ticket-id]").await;
    browser.screenshot("queue").await;
    browser.open("/ui/").await;
    browser.find("#queue-stats").await;

    // Text search and a status filter narrow the queue down to the new ticket.
    browser.fill("form#queue-filters input[name=q]", word).await;
    browser.choose("form#queue-filters select[name=status]", "open").await;
    browser.click("form#queue-filters [type=submit]").await;
    browser
        .wait_until(
            &format!(
                "location.search.includes({q}) && document.querySelectorAll('tr[data-ticket-id]').length === 1
                 && document.querySelector('tr[data-ticket-id]').dataset.ticketId === {id}",
                q = json!(format!("q={word}")),
                id = json!(id)
            ),
            "the queue filtered down to the new ticket",
        )
        .await;
    browser.click(&format!("tr[data-ticket-id=\"{id}\"] a.ticket-link")).await;
    browser
        .wait_until(&format!("location.pathname === {}", json!(format!("/ui/tickets/{id}"))), "the ticket page")
        .await;
    browser.wait_for_text("#ticket-status", "Open").await;
    browser.find("#sla").await;
    assert!(!browser.is_present("form#assign-form").await, "an agent is not offered assignment");
    assert!(!browser.is_present("form#priority-form").await, "an agent is not offered priorities");

    // A canned response, rendered for this ticket, goes into the editor and out as a reply.
    browser.choose("select#canned-select", "Acknowledgement").await;
    browser.click("button#canned-insert").await;
    browser
        .wait_until(
            "document.querySelector('textarea#reply-body').value.includes('Thanks for getting in touch with Harbour City Rowing Association')",
            "the canned response in the editor",
        )
        .await;
    let inserted = browser.value("textarea#reply-body").await;
    assert!(inserted.contains(member.first_name()), "rendered for the member: {inserted}");
    assert!(!inserted.contains("{{"), "placeholders filled in: {inserted}");
    browser.click("button#send-reply").await;
    browser.wait_for_text("#conversation article.message.reply", "Thanks for getting in touch").await;

    // An internal note, visibly different from the replies.
    let note = "Checked the rack: gate 4 needs a new pin. Ordering two from the supplier.";
    browser.fill("textarea#reply-body", note).await;
    browser.click("button#add-note").await;
    browser.wait_for_text("#conversation article.message.note", note).await;
    let looks = browser
        .run(
            "const style = s => { const c = getComputedStyle(document.querySelector(s));
                 return [c.backgroundColor, c.borderLeftColor, c.borderLeftStyle].join(' '); };
             return [style('#conversation article.message.reply'), style('#conversation article.message.note')];",
            vec![],
        )
        .await;
    assert_ne!(looks[0], looks[1], "notes look different from replies");

    // The status changes to waiting on the member.
    browser.choose("form#status-form select[name=status]", "waiting").await;
    browser.click("form#status-form [type=submit]").await;
    browser.wait_for_text("#ticket-status", "Waiting").await;
    browser.wait_for_text("#history", &agent.name).await;
    browser.screenshot("staff-ticket").await;
    browser.close().await;
}
