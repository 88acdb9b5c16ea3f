//! An admin assigns a ticket and changes its priority, and manages the categories: creates,
//! renames, reorders and archives them, and sees a duplicate name refused beside the field.
//! The test's categories come after the demo's, so members' pickers elsewhere keep their order.

use crate::support::Browser;
use memberdesk_demo::demo_desk;
use serde_json::json;

#[tokio::test]
async fn an_admin_assigns_a_ticket_and_changes_its_priority() {
    let desk = demo_desk();
    let (admin, agent, member) = (&desk.admin, &desk.staff[1], &desk.members[5]);
    let browser = Browser::start().await;
    let id = browser
        .server
        .raise_ticket(member, "Lost the key to locker 12", "I lost the key to locker 12 after training.")
        .await;
    browser.sign_in(admin).await;
    browser.open(&format!("/ui/tickets/{id}")).await;

    browser.choose("form#assign-form select[name=assignee]", &agent.name).await;
    browser.click("form#assign-form [type=submit]").await;
    browser.wait_for_text("#ticket-assignee", &agent.name).await;

    browser.choose("form#priority-form select[name=priority]", "high").await;
    browser.click("form#priority-form [type=submit]").await;
    browser.wait_for_text("#ticket-priority", "High").await;
    browser.wait_for_text("#history", &agent.name).await;
    browser.close().await;
}

#[tokio::test]
async fn an_admin_creates_renames_reorders_and_archives_categories() {
    let desk = demo_desk();
    let browser = Browser::signed_in(&desk.admin).await;
    browser.open("/ui/admin/categories").await;

    let (juniors, masters) = ("Juniors".to_owned(), "Masters".to_owned());
    for name in [&juniors, &masters] {
        browser.fill("form#category-new input[name=name]", name).await;
        browser.fill("form#category-new textarea[name=description]", "Squad questions").await;
        browser.click("form#category-new [type=submit]").await;
        category(&browser, name).await;
    }

    // Rename.
    let renamed = "Junior squad";
    let li = category(&browser, &juniors).await;
    browser.fill(&format!("{li} form.category-rename input[name=name]"), renamed).await;
    browser.click(&format!("{li} form.category-rename [type=submit]")).await;
    assert_eq!(category(&browser, renamed).await, li, "renamed in place");

    // Reorder: Masters moves above the renamed Juniors.
    let masters_li = category(&browser, &masters).await;
    browser.click(&format!("{masters_li} button.move-up")).await;
    browser
        .wait_until(
            &format!(
                "(() => {{ const ids = [...document.querySelectorAll('li[data-category-id]')].map(l => l.dataset.categoryId);
                   return ids.indexOf({m}) >= 0 && ids.indexOf({m}) < ids.indexOf({j}); }})()",
                m = json!(id_of(&masters_li)),
                j = json!(id_of(&li))
            ),
            "Masters above Juniors",
        )
        .await;

    // Archive, and the way back is offered.
    browser.click_and_confirm(&format!("{masters_li} button.archive"), &masters).await;
    browser.find(&format!("{masters_li} button.unarchive")).await;
    browser.screenshot("admin-categories").await;

    // A duplicate name (any case) is refused beside the field, and the input says so.
    browser.fill("form#category-new input[name=name]", "billing").await;
    browser.click("form#category-new [type=submit]").await;
    let error = browser.find("form#category-new .field-error").await;
    assert!(error.is_displayed().await.unwrap(), "the error is visible");
    let message = error.text().await.unwrap();
    assert!(!message.trim().is_empty(), "a message, not an empty box");
    let error_id = error.attr("id").await.unwrap().unwrap_or_default();
    let described_by = browser.find("form#category-new input[name=name]").await.attr("aria-describedby").await.unwrap();
    assert!(
        described_by.unwrap_or_default().split_whitespace().any(|d| d == error_id),
        "the name input points at its error ({error_id})"
    );
    browser.close().await;
}

/// The selector of the category's list item (matched by its shown name or rename field).
async fn category(browser: &Browser, name: &str) -> String {
    let find = format!(
        "[...document.querySelectorAll('li[data-category-id]')].find(li => li.innerText.includes({n})
            || [...li.querySelectorAll('input[name=name]')].some(i => i.value === {n}))",
        n = json!(name)
    );
    browser.wait_until(&find, &format!("the category {name:?} in the list")).await;
    let id = browser.run(&format!("return {find}.dataset.categoryId"), vec![]).await;
    format!("li[data-category-id=\"{}\"]", id.as_str().unwrap())
}

fn id_of(selector: &str) -> &str {
    selector.split('"').nth(1).unwrap()
}
