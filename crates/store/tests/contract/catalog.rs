//! The catalogue's part of the store contract: categories, canned responses, client profiles.
//! Included by `contract.rs`, whose `contract!` runs each test on both backends.

use super::{at, client};
use memberdesk_domain::ports::{CannedResponseStore, CategoryStore, ClientStore};
use memberdesk_domain::{
    CannedBody, CannedFilter, CannedResponse, CannedResponseId, CannedTitle, Category, CategoryId, CategoryName,
    ClientId, ClientName, StoreError, UserId,
};
use memberdesk_store::Backend;
use memberdesk_testkit::fresh_store;

contract!(
    categories_append_update_and_reorder,
    category_names_are_unique_per_client,
    canned_responses_shared_personal_and_filtered,
    client_profiles_are_named_per_client,
);

fn category(client_id: &ClientId, name: &str, seconds: i64) -> Category {
    Category {
        id: CategoryId::new(),
        client_id: client_id.clone(),
        name: CategoryName::new(name).unwrap(),
        description: Some(format!("About {name}")),
        sort_order: 99,
        archived: false,
        created_at: at(seconds),
        updated_at: at(seconds),
    }
}

fn canned(
    client_id: &ClientId,
    owner: Option<&str>,
    title: &str,
    body: &str,
    category: Option<CategoryId>,
) -> CannedResponse {
    CannedResponse {
        id: CannedResponseId::new(),
        client_id: client_id.clone(),
        owner_id: owner.map(UserId::new),
        title: CannedTitle::new(title).unwrap(),
        body: CannedBody::new(body).unwrap(),
        category_id: category,
        created_at: at(0),
        updated_at: at(0),
    }
}

fn names(categories: &[Category]) -> Vec<&str> {
    categories.iter().map(|c| c.name.as_str()).collect()
}

async fn categories_append_update_and_reorder(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let (acme, other) = (client("acme"), client("other"));
    let billing = store.insert_category(category(&acme, "Billing", 0)).await.unwrap();
    let events = store.insert_category(category(&acme, "Events", 1)).await.unwrap();
    let lms = store.insert_category(category(&acme, "LMS", 2)).await.unwrap();
    store.insert_category(category(&other, "Elsewhere", 3)).await.unwrap();
    assert_eq!([billing.sort_order, events.sort_order, lms.sort_order], [0, 1, 2], "appended at the end");
    assert_eq!(billing.created_at, at(0), "microseconds survive");

    let listed = store.list_categories(&acme, false).await.unwrap();
    assert_eq!(listed, vec![billing.clone(), events.clone(), lms.clone()], "every field round-trips");
    assert_eq!(store.get_category(&acme, events.id).await.unwrap(), Some(events.clone()));
    assert_eq!(store.get_category(&other, events.id).await.unwrap(), None, "another client's is not found");

    // Rename, clear the description, archive.
    let mut renamed = events.clone();
    renamed.name = CategoryName::new("Regattas & Events").unwrap();
    renamed.description = None;
    renamed.archived = true;
    renamed.updated_at = at(10);
    assert!(store.update_category(&renamed).await.unwrap());
    assert_eq!(store.get_category(&acme, events.id).await.unwrap(), Some(renamed.clone()));
    assert_eq!(names(&store.list_categories(&acme, false).await.unwrap()), ["Billing", "LMS"]);
    assert_eq!(names(&store.list_categories(&acme, true).await.unwrap()), ["Billing", "Regattas & Events", "LMS"]);
    let mut foreign = renamed.clone();
    foreign.client_id = other.clone();
    assert!(!store.update_category(&foreign).await.unwrap(), "an update never reaches another client's row");

    // A new order for all of them; another client's order is untouched.
    store.reorder_categories(&acme, &[lms.id, renamed.id, billing.id], at(20)).await.unwrap();
    let reordered = store.list_categories(&acme, true).await.unwrap();
    assert_eq!(names(&reordered), ["LMS", "Regattas & Events", "Billing"]);
    assert_eq!(reordered.iter().map(|c| c.sort_order).collect::<Vec<_>>(), [0, 1, 2]);
    assert!(reordered.iter().all(|c| c.updated_at == at(20)));
    store.reorder_categories(&other, &[lms.id], at(30)).await.unwrap();
    assert_eq!(store.get_category(&acme, lms.id).await.unwrap().map(|c| c.updated_at), Some(at(20)));
    let next = store.insert_category(category(&acme, "Directory", 40)).await.unwrap();
    assert_eq!(next.sort_order, 3);
    assert_eq!(names(&store.list_categories(&other, true).await.unwrap()), ["Elsewhere"]);
}

async fn category_names_are_unique_per_client(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let (acme, other) = (client("acme"), client("other"));
    store.insert_category(category(&acme, "Billing", 0)).await.unwrap();
    for taken in ["Billing", " billing ", "BILLING"] {
        let result = store.insert_category(category(&acme, taken, 1)).await;
        assert_eq!(result.err(), Some(StoreError::Duplicate("category".into())), "{taken}");
    }
    assert_eq!(store.list_categories(&acme, true).await.unwrap().len(), 1, "nothing written");
    // Another client may have its own "Billing".
    store.insert_category(category(&other, "Billing", 2)).await.unwrap();

    // Renaming onto a taken name is refused too; an archived name still counts.
    let events = store.insert_category(category(&acme, "Events", 3)).await.unwrap();
    let mut clash = events.clone();
    clash.name = CategoryName::new("billing").unwrap();
    assert_eq!(store.update_category(&clash).await.err(), Some(StoreError::Duplicate("category".into())));
    let mut archived = events.clone();
    archived.archived = true;
    assert!(store.update_category(&archived).await.unwrap());
    let result = store.insert_category(category(&acme, "EVENTS", 4)).await;
    assert_eq!(result.err(), Some(StoreError::Duplicate("category".into())));
}

async fn canned_responses_shared_personal_and_filtered(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let (acme, other) = (client("acme"), client("other"));
    let billing = store.insert_category(category(&acme, "Billing", 0)).await.unwrap();
    let foreign_category = store.insert_category(category(&other, "Billing", 0)).await.unwrap();

    let welcome = canned(&acme, None, "Welcome", "Hi {{member.firstName}}, welcome aboard!", None);
    let refund = canned(&acme, None, "refund issued", "Your 100% refund is on its way.", Some(billing.id));
    let mine = canned(&acme, Some("agent-1"), "My sign-off", "Cheers, {{agent.firstName}}", None);
    let theirs = canned(&acme, Some("agent-2"), "Their note", "Welcome back", Some(billing.id));
    let elsewhere = canned(&other, None, "Welcome", "Hello", None);
    for c in [&welcome, &refund, &mine, &theirs, &elsewhere] {
        store.insert_canned_response(c).await.unwrap();
    }
    let list = async |viewer: &str, filter: CannedFilter| {
        let found = store.list_canned_responses(&acme, &UserId::new(viewer), &filter).await.unwrap();
        found.iter().map(|c| c.title.as_str().to_owned()).collect::<Vec<_>>()
    };
    // Shared ones and the viewer's own, by title whatever its case.
    assert_eq!(list("agent-1", CannedFilter::default()).await, ["My sign-off", "refund issued", "Welcome"]);
    assert_eq!(list("agent-2", CannedFilter::default()).await, ["refund issued", "Their note", "Welcome"]);
    let by_category = CannedFilter { category_id: Some(billing.id), ..CannedFilter::default() };
    assert_eq!(list("agent-1", by_category).await, ["refund issued"]);
    let text = |t: &str| CannedFilter { text: Some(t.into()), ..CannedFilter::default() };
    assert_eq!(list("agent-2", text("welcome")).await, ["Their note", "Welcome"], "title or body");
    assert_eq!(list("agent-1", text("100%")).await, ["refund issued"]);
    assert_eq!(list("agent-1", text("1%")).await, Vec::<String>::new(), "wildcards are literal");
    assert_eq!(list("agent-1", text("firstname")).await, ["My sign-off", "Welcome"], "case-insensitive");

    // Every field round-trips; another client's is not found.
    assert_eq!(store.get_canned_response(&acme, refund.id).await.unwrap(), Some(refund.clone()));
    assert_eq!(store.get_canned_response(&acme, theirs.id).await.unwrap(), Some(theirs.clone()));
    assert_eq!(store.get_canned_response(&other, refund.id).await.unwrap(), None);

    // Edit: title, body (and so the search text), category cleared.
    let mut edited = refund.clone();
    edited.title = CannedTitle::new("Refund sent").unwrap();
    edited.body = CannedBody::new("Refunded to {{member.email}}.").unwrap();
    edited.category_id = None;
    edited.updated_at = at(50);
    assert!(store.update_canned_response(&edited).await.unwrap());
    assert_eq!(store.get_canned_response(&acme, refund.id).await.unwrap(), Some(edited.clone()));
    assert_eq!(list("agent-1", text("100%")).await, Vec::<String>::new());
    assert_eq!(list("agent-1", text("refunded")).await, ["Refund sent"]);
    let mut foreign = edited.clone();
    foreign.client_id = other.clone();
    assert!(!store.update_canned_response(&foreign).await.unwrap());

    // A canned response cannot point at another client's category.
    let bad = canned(&acme, None, "Bad", "Body", Some(foreign_category.id));
    assert!(matches!(store.insert_canned_response(&bad).await, Err(StoreError::Other(_))));

    // Delete: never another client's.
    assert!(!store.delete_canned_response(&other, welcome.id).await.unwrap());
    assert!(store.delete_canned_response(&acme, welcome.id).await.unwrap());
    assert!(!store.delete_canned_response(&acme, welcome.id).await.unwrap());
    assert_eq!(store.get_canned_response(&acme, welcome.id).await.unwrap(), None);
    assert_eq!(
        store.list_canned_responses(&other, &UserId::new("x"), &CannedFilter::default()).await.unwrap(),
        vec![elsewhere]
    );
}

async fn client_profiles_are_named_per_client(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let (acme, other) = (client("acme"), client("other"));
    let unnamed = store.get_client_profile(&acme).await.unwrap();
    assert_eq!((unnamed.client_id.as_str(), unnamed.name, unnamed.updated_at), ("acme", None, None));

    store.set_client_name(&acme, &ClientName::new("Acme Rowing").unwrap(), at(0)).await.unwrap();
    store.set_client_name(&acme, &ClientName::new("Acme Rowing Club").unwrap(), at(5)).await.unwrap();
    let named = store.get_client_profile(&acme).await.unwrap();
    assert_eq!(named.name.as_ref().map(ClientName::as_str), Some("Acme Rowing Club"));
    assert_eq!(named.updated_at, Some(at(5)));
    assert_eq!(named.display_name(), "Acme Rowing Club");
    assert_eq!(store.get_client_profile(&other).await.unwrap().display_name(), "other");
}
