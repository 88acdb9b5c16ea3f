//! Every catalogue endpoint (categories, canned responses, rendering, client settings) × every
//! kind of caller, checked by status code.

use crate::both_backends;
use crate::support::{TestApp, Who};
use reqwest::Method;
use serde_json::{Value, json};

/// What the matrix works on, created by the admin before the calls.
struct Fixture {
    ticket: String,
    category: String,
    /// Archived by the admin's call of its row.
    doomed_category: String,
    all_categories: Vec<String>,
    shared: String,
    /// Deleted by the admin's call of its row.
    doomed_shared: String,
    /// The ROLE_CLIENT_USER's own.
    users_personal: String,
}

async fn fixture(app: &TestApp) -> Fixture {
    let ticket = app.member_ticket("Locker key lost").await;
    let mut all_categories = Vec::new();
    for name in ["Billing", "Events"] {
        let reply = app.post(Who::Admin, "/api/tickets/categories", json!({"name": name})).await.expect(201);
        all_categories.push(reply.body["id"].as_str().unwrap().to_owned());
    }
    let canned = async |who: Who, title: &str, shared: bool| {
        let reply = app
            .post(
                who,
                "/api/tickets/canned-responses",
                json!({"title": title, "body": "Hi {{member.firstName}}", "shared": shared}),
            )
            .await
            .expect(201);
        reply.body["id"].as_str().unwrap().to_owned()
    };
    Fixture {
        ticket,
        category: all_categories[0].clone(),
        doomed_category: all_categories[1].clone(),
        shared: canned(Who::Admin, "Welcome", true).await,
        doomed_shared: canned(Who::Admin, "Old", true).await,
        users_personal: canned(Who::User, "Mine", false).await,
        all_categories,
    }
}

/// One call, and the status each caller gets, in the order of `Who::ALL`: admin, user, member,
/// other member, other client's admin, no token, expired token.
struct Row {
    method: Method,
    path: String,
    body: Option<Value>,
    expected: [u16; 7],
    /// The user's own call destroys what it checks, so it comes after the admin's.
    user_last: bool,
}

fn rows(f: &Fixture) -> Vec<Row> {
    let row = |method: Method, path: String, body: Option<Value>, expected: [u16; 7]| Row {
        user_last: method == Method::DELETE && path.ends_with(&f.users_personal),
        method,
        path,
        body,
        expected,
    };
    let c = "/api/tickets/categories";
    let cr = "/api/tickets/canned-responses";
    vec![
        row(Method::GET, c.into(), None, [200, 200, 200, 200, 200, 401, 401]),
        row(Method::GET, format!("{c}?includeArchived=true"), None, [200, 200, 200, 200, 200, 401, 401]),
        row(Method::GET, format!("{c}/{}", f.category), None, [200, 200, 200, 200, 404, 401, 401]),
        row(
            Method::PUT,
            format!("{c}/{}", f.category),
            Some(json!({"description": "Fees"})),
            [200, 403, 403, 403, 404, 401, 401],
        ),
        row(Method::DELETE, format!("{c}/{}", f.doomed_category), None, [200, 403, 403, 403, 404, 401, 401]),
        // Another client's admin names none of its own categories: 422.
        row(
            Method::PUT,
            format!("{c}/order"),
            Some(json!({"ids": f.all_categories})),
            [200, 403, 403, 403, 422, 401, 401],
        ),
        // After the order (which must name every category); a fresh name per call, so that
        // admins of both clients create one.
        row(Method::POST, c.into(), None, [201, 403, 403, 403, 201, 401, 401]),
        row(Method::GET, cr.into(), None, [200, 200, 403, 403, 200, 401, 401]),
        row(Method::GET, format!("{cr}?q=hi"), None, [200, 200, 403, 403, 200, 401, 401]),
        row(
            Method::POST,
            cr.into(),
            Some(json!({"title": "Shared", "body": "b", "shared": true})),
            [201, 403, 403, 403, 201, 401, 401],
        ),
        row(
            Method::POST,
            cr.into(),
            Some(json!({"title": "Personal", "body": "b"})),
            [201, 201, 403, 403, 201, 401, 401],
        ),
        row(Method::GET, format!("{cr}/{}", f.shared), None, [200, 200, 403, 403, 404, 401, 401]),
        row(
            Method::PUT,
            format!("{cr}/{}", f.shared),
            Some(json!({"title": "Welcome!"})),
            [200, 403, 403, 403, 404, 401, 401],
        ),
        row(Method::DELETE, format!("{cr}/{}", f.doomed_shared), None, [204, 403, 403, 403, 404, 401, 401]),
        row(Method::GET, format!("{cr}/{}", f.users_personal), None, [403, 200, 403, 403, 404, 401, 401]),
        row(
            Method::PUT,
            format!("{cr}/{}", f.users_personal),
            Some(json!({"title": "Still mine"})),
            [403, 200, 403, 403, 404, 401, 401],
        ),
        row(Method::DELETE, format!("{cr}/{}", f.users_personal), None, [403, 204, 403, 403, 404, 401, 401]),
        row(
            Method::POST,
            format!("/api/tickets/{}/canned-responses/{}/render", f.ticket, f.shared),
            None,
            [200, 200, 403, 403, 404, 401, 401],
        ),
        row(Method::GET, "/api/settings/client".into(), None, [200, 200, 403, 403, 200, 401, 401]),
        row(
            Method::PUT,
            "/api/settings/client".into(),
            Some(json!({"name": "Harbour"})),
            [200, 403, 403, 403, 200, 401, 401],
        ),
    ]
}

/// Callers (indexes into `Who::ALL`) in an order that keeps a destructive call last: the admin,
/// who archives and deletes, after everyone else — or the user, when they delete their own.
const ORDER: [usize; 7] = [2, 3, 4, 5, 6, 1, 0];
const USER_LAST: [usize; 7] = [2, 3, 4, 5, 6, 0, 1];

async fn every_catalogue_endpoint_for_every_caller(app: TestApp) {
    let f = fixture(&app).await;
    let mut failures = Vec::new();
    for (n, row) in rows(&f).into_iter().enumerate() {
        for index in if row.user_last { USER_LAST } else { ORDER } {
            let who = Who::ALL[index];
            let body = if row.method == Method::POST && row.path == "/api/tickets/categories" {
                Some(json!({"name": format!("Row {n} {who:?}")}))
            } else {
                row.body.clone()
            };
            let reply = app.call(who, row.method.clone(), &row.path, body).await;
            if reply.status.as_u16() != row.expected[index] {
                failures.push(format!(
                    "{} {} as {who:?}: expected {}, got {} ({})",
                    row.method, row.path, row.expected[index], reply.status, reply.text
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
both_backends!(catalogue_access_matrix, every_catalogue_endpoint_for_every_caller);
