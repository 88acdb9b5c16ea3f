//! Admin: the categories page.

use super::Browser;
use crate::on_sqlite;
use crate::support::{TestApp, Who};

async fn names(app: &TestApp) -> Vec<(String, bool)> {
    let list = app.get(Who::Admin, "/api/tickets/categories?includeArchived=true").await.expect(200).body;
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_owned(), c["archived"].as_bool().unwrap()))
        .collect()
}

async fn admins_create_rename_reorder_and_archive_categories(app: TestApp) {
    let mut admin = Browser::signed_in(&app, Who::Admin).await;
    let page = admin.get("/ui/admin/categories").await.expect(200);
    assert!(page.has("<form id=\"category-new\""));
    let csrf = page.csrf();
    for name in ["Billing", "Boats", "Events"] {
        let fields = [("_csrf", csrf.as_str()), ("name", name), ("description", "About it")];
        admin.post("/ui/admin/categories", &fields).await.redirects_to("/ui/admin/categories");
    }
    assert!(admin.get("/ui/admin/categories").await.has("class=\"flash success\""));
    assert_eq!(names(&app).await, [("Billing".into(), false), ("Boats".into(), false), ("Events".into(), false)]);

    // A duplicate name is refused beside the name input, the typed values kept.
    let refused = admin
        .post("/ui/admin/categories", &[("_csrf", &csrf), ("name", " billing "), ("description", "Again")])
        .await
        .expect(409);
    assert!(refused.has("<p class=\"field-error\" id=\"name-error\">"), "{}", refused.html);
    assert!(refused.text_of("name-error").contains("already exists"), "{}", refused.text_of("name-error"));
    assert!(refused.has("aria-describedby=\"name-error\""));
    assert!(refused.has(">Again</textarea>"));
    let empty = admin.post("/ui/admin/categories", &[("_csrf", &csrf), ("name", "")]).await.expect(422);
    assert!(empty.has("id=\"name-error\""));
    assert_eq!(names(&app).await.len(), 3);

    let page = admin.get("/ui/admin/categories").await.expect(200);
    let ids: Vec<String> = page
        .html
        .split("data-category-id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(str::to_owned))
        .collect();
    assert_eq!(ids.len(), 3);
    for part in [
        "form class=\"category-rename\"",
        "move-up",
        "move-down",
        "class=\"button button--small button--danger archive\"",
    ] {
        assert!(page.has(part), "{part}");
    }
    // Rename; a clash with another category is shown beside that category's name.
    let (billing, boats, events) = (&ids[0], &ids[1], &ids[2]);
    admin
        .post(
            &format!("/ui/admin/categories/{billing}"),
            &[("_csrf", &csrf), ("name", "Fees & billing"), ("description", "")],
        )
        .await
        .redirects_to("/ui/admin/categories");
    let clash = admin
        .post(&format!("/ui/admin/categories/{boats}"), &[("_csrf", &csrf), ("name", "Events"), ("description", "")])
        .await
        .expect(409);
    assert!(clash.text_of(&format!("name-{boats}-error")).contains("already exists"));

    // Move Events up twice: to the top; moving the top one up changes nothing.
    for _ in 0..3 {
        admin
            .post(&format!("/ui/admin/categories/{events}/move"), &[("_csrf", &csrf), ("direction", "up")])
            .await
            .redirects_to(&format!("/ui/admin/categories#category-{events}"));
    }
    let order: Vec<String> = names(&app).await.into_iter().map(|(n, _)| n).collect();
    assert_eq!(order, ["Events", "Fees & billing", "Boats"]);

    admin.post(&format!("/ui/admin/categories/{boats}/archive"), &[("_csrf", &csrf)]).await.expect(303);
    assert!(names(&app).await.contains(&("Boats".into(), true)));
    let page = admin.get("/ui/admin/categories").await.expect(200);
    assert!(page.has("class=\"button button--small unarchive\""));
    admin.post(&format!("/ui/admin/categories/{boats}/unarchive"), &[("_csrf", &csrf)]).await.expect(303);
    assert!(names(&app).await.contains(&("Boats".into(), false)));

    // Staff users may look at nothing here and change nothing.
    let mut agent = Browser::signed_in(&app, Who::User).await;
    let token = agent.csrf_from("/ui/").await;
    agent.post("/ui/admin/categories", &[("_csrf", &token), ("name", "Sneaky")]).await.expect(403);
    agent.post(&format!("/ui/admin/categories/{boats}/archive"), &[("_csrf", &token)]).await.expect(403);
    assert_eq!(names(&app).await.len(), 3);
}
on_sqlite!(categories_page, admins_create_rename_reorder_and_archive_categories);
