//! The store contract: one suite, run against PostgreSQL and SQLite. Every test gets a fresh
//! database of its own (see `memberdesk-testkit`), so the tests run in parallel.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use memberdesk_domain::access::Role;
use memberdesk_domain::ports::{Commit, IdempotencyRecord, TicketStore, UserDirectory};
use memberdesk_domain::query::{AssigneeFilter, Cursor, Sort, SortDirection, SortField, TicketFilter};
use memberdesk_domain::response::Author;
use memberdesk_domain::{
    CategoryId, Change, ClientId, Description, DirectoryUser, EventId, MemberRef, OutboxMessage, Priority, Response,
    ResponseId, ResponseKind, Status, StoreError, Subject, Ticket, TicketEvent, TicketId, UserId,
};
use memberdesk_store::{Backend, Store, StoreSetupError};
use memberdesk_testkit::{TestDatabase, fresh_store};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Runs each named test (an `async fn(Backend)`) once per backend.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(memberdesk_store::Backend::Postgres).await;
                }
            )*
        }
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(memberdesk_store::Backend::Sqlite).await;
                }
            )*
        }
    };
}

contract!(
    numbers_count_up_per_client,
    a_ticket_round_trips_every_field,
    times_keep_microseconds,
    a_stale_version_writes_nothing,
    concurrent_updates_let_exactly_one_win,
    a_reused_idempotency_key_writes_nothing,
    a_failing_event_rolls_back_the_whole_commit,
    idempotency_records_round_trip,
    every_filter_selects_what_it_says,
    every_sort_pages_through_every_ticket_once,
    text_search_takes_wildcards_literally,
    clients_never_see_each_other,
    notes_and_internal_events_are_left_out_when_asked,
    queue_stats_on_a_known_data_set,
    users_upsert_and_staff_list,
    categories_are_usable_when_active_and_own,
    concurrent_inserts_get_distinct_gapless_numbers,
    ping_answers,
);

/// Attachment metadata rows (in their own file; the same fixtures and `contract!`).
#[path = "contract/attachments.rs"]
mod attachments;

/// Categories, canned responses and client profiles (in their own file; the same fixtures and
/// `contract!`).
#[path = "contract/catalog.rs"]
mod catalog;

/// The knowledge base: articles and full-text search (in their own file; the same fixtures
/// and `contract!`).
#[path = "contract/kb.rs"]
mod kb;

/// Capped queue totals (in their own file; the same fixtures and `contract!`).
#[path = "contract/totals.rs"]
mod totals;

/// SLA settings, columns, claims, snapshot writes, filters, sort and reporting (in their own
/// file; the same fixtures and `contract!`).
#[path = "contract/sla.rs"]
mod sla;

/// Automatic summary regeneration's "refresh due at" records (in their own file; the same
/// fixtures and `contract!`).
#[path = "contract/refresh.rs"]
mod refresh;

// ---------------------------------------------------------------------------------------------
// Fixtures

fn base() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
}

/// `base()` plus seconds and a microsecond fraction (to prove precision survives).
fn at(seconds: i64) -> DateTime<Utc> {
    base() + Duration::seconds(seconds) + Duration::microseconds(123_456)
}

fn client(name: &str) -> ClientId {
    ClientId::new(name)
}

fn member(id: &str) -> MemberRef {
    MemberRef { id: UserId::new(id), name: format!("Member {id}"), email: format!("{id}@example.org") }
}

fn ticket(client_id: &ClientId, subject: &str, created_at: DateTime<Utc>) -> Ticket {
    Ticket {
        id: TicketId::new(),
        client_id: client_id.clone(),
        number: 0,
        subject: Subject::new(subject).unwrap(),
        description: Description::new(&format!("Description of {subject}")).unwrap(),
        status: Status::Open,
        priority: Priority::Medium,
        category_id: None,
        member: member("m-1"),
        assignee_id: None,
        created_at,
        updated_at: created_at,
        first_responded_at: None,
        resolved_at: None,
        closed_at: None,
        version: 1,
        sla: Default::default(),
    }
}

fn event(ticket: &Ticket, change: Change, at: DateTime<Utc>) -> TicketEvent {
    TicketEvent {
        id: EventId::new(),
        ticket_id: ticket.id,
        client_id: ticket.client_id.clone(),
        actor_id: UserId::new("agent-1"),
        actor_name: "Agent One".into(),
        at,
        change,
    }
}

/// What the domain commits with a new ticket: the `created` event and its outbox message.
fn created(ticket: &Ticket) -> Commit {
    let event = event(
        ticket,
        Change::Created {
            subject: ticket.subject.as_str().into(),
            status: ticket.status,
            priority: ticket.priority,
            category_id: ticket.category_id,
        },
        ticket.created_at,
    );
    Commit { outbox: vec![OutboxMessage::for_event(&event)], events: vec![event], ..Commit::default() }
}

fn response(ticket: &Ticket, kind: ResponseKind, body: &str, created_at: DateTime<Utc>) -> Response {
    Response {
        id: ResponseId::new(),
        ticket_id: ticket.id,
        kind,
        author: Author { id: UserId::new("agent-1"), name: "Agent One".into(), role: Role::ClientUser },
        body: body.into(),
        created_at,
        attachments: Vec::new(),
    }
}

/// A commit adding a response: the response, its event, the event's outbox message.
fn responded(ticket: &Ticket, response: &Response) -> Commit {
    let event = event(ticket, Change::for_response(response.kind, response.id), response.created_at);
    Commit {
        responses: vec![response.clone()],
        outbox: vec![OutboxMessage::for_event(&event)],
        events: vec![event],
        idempotency: None,
    }
}

fn idempotency(ticket: &Ticket, key: &str, response_id: Option<ResponseId>) -> IdempotencyRecord {
    IdempotencyRecord {
        client_id: ticket.client_id.clone(),
        user_id: UserId::new("agent-1"),
        key: key.into(),
        fingerprint: format!("fp-{key}"),
        ticket_id: ticket.id,
        response_id,
        created_at: at(0),
    }
}

async fn insert(store: &Store, ticket: Ticket) -> Ticket {
    let commit = created(&ticket);
    store.insert_ticket(ticket, commit).await.unwrap()
}

/// The next version of a ticket, as the domain would hand it to `update_ticket`.
fn next(ticket: &Ticket, change: impl FnOnce(&mut Ticket)) -> Ticket {
    let mut next = ticket.clone();
    change(&mut next);
    next.version = ticket.version + 1;
    next
}

/// Rows of the outbox for a ticket, read directly (there is no port for it yet).
async fn outbox_rows(db: &TestDatabase, ticket: &Ticket) -> i64 {
    db.count_rows("outbox", &format!("ticket_id = '{}'", ticket.id)).await
}

async fn all_tickets(store: &Store, client_id: &ClientId, filter: &TicketFilter) -> Vec<Ticket> {
    store.list_tickets(client_id, filter, Sort::default(), None, 1000).await.unwrap().items
}

// ---------------------------------------------------------------------------------------------
// Writing

async fn numbers_count_up_per_client(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let (a, b) = (client("a"), client("b"));
    let mut numbers = Vec::new();
    for (i, c) in [&a, &b, &a, &a, &b].into_iter().enumerate() {
        let stored = insert(&store, ticket(c, &format!("T{i}"), at(i as i64))).await;
        numbers.push((c.as_str().to_owned(), stored.number));
    }
    let expected = [("a", 1), ("b", 1), ("a", 2), ("a", 3), ("b", 2)].map(|(c, n)| (c.to_owned(), n));
    assert_eq!(numbers, expected);
}

async fn a_ticket_round_trips_every_field(backend: Backend) {
    let (store, db) = fresh_store(backend).await;
    let acme = client("acme");
    let billing = db.insert_category(&acme, "Billing", false).await;
    let events = db.insert_category(&acme, "Events", false).await;
    let mut new = ticket(&acme, "Cannot renew membership", at(0));
    new.number = 99; // ignored: the store numbers tickets
    new.status = Status::Waiting;
    new.priority = Priority::High;
    new.category_id = Some(billing);
    new.member = MemberRef { id: UserId::new("m-42"), name: "Zoë O'Brien".into(), email: "zoe@example.org".into() };
    new.assignee_id = Some(UserId::new("agent-7"));
    new.updated_at = at(5);
    new.first_responded_at = Some(at(2));
    new.resolved_at = Some(at(3));
    new.closed_at = Some(at(4));
    new.version = 1;
    let stored = insert(&store, new.clone()).await;
    assert_eq!(stored, Ticket { number: 1, ..new.clone() });
    assert_eq!(store.get_ticket(&acme, new.id).await.unwrap(), Some(stored.clone()));

    // Every mutable field changes, optional ones back to none.
    let changed = next(&stored, |t| {
        t.subject = Subject::new("Renewal fails with 500 — ünïcödé").unwrap();
        t.description = Description::new("Line one\nLine two").unwrap();
        t.status = Status::InProgress;
        t.priority = Priority::Low;
        t.category_id = Some(events);
        t.assignee_id = None;
        t.updated_at = at(60);
        t.first_responded_at = None;
        t.resolved_at = None;
        t.closed_at = None;
    });
    store.update_ticket(&changed, stored.version, Commit::default()).await.unwrap();
    assert_eq!(store.get_ticket(&acme, new.id).await.unwrap(), Some(changed.clone()));

    let cleared = next(&changed, |t| t.category_id = None);
    store.update_ticket(&cleared, changed.version, Commit::default()).await.unwrap();
    assert_eq!(store.get_ticket(&acme, new.id).await.unwrap(), Some(cleared));
    assert_eq!(store.get_ticket(&acme, TicketId::new()).await.unwrap(), None);
}

async fn times_keep_microseconds(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let with_nanos = base() + Duration::nanoseconds(123_456_789);
    let stored = insert(&store, ticket(&acme, "Precise", with_nanos)).await;
    let micros = base() + Duration::microseconds(123_456);
    assert_eq!(stored.created_at, micros, "stored times are truncated to microseconds");
    let read = store.get_ticket(&acme, stored.id).await.unwrap().unwrap();
    assert_eq!(read.created_at, micros);
    assert_eq!(read.updated_at, micros);
}

async fn a_stale_version_writes_nothing(backend: Backend) {
    let (store, db) = fresh_store(backend).await;
    let acme = client("acme");
    let stored = insert(&store, ticket(&acme, "Versioned", at(0))).await;
    let first = next(&stored, |t| t.status = Status::InProgress);
    store.update_ticket(&first, stored.version, Commit::default()).await.unwrap();

    // A writer still holding version 1 loses, and nothing of its commit lands.
    let stale = next(&stored, |t| t.priority = Priority::High);
    let reply = response(&stale, ResponseKind::Reply, "Hello", at(10));
    let mut commit = responded(&stale, &reply);
    commit.idempotency = Some(idempotency(&stale, "stale-key", Some(reply.id)));
    let result = store.update_ticket(&stale, stored.version, commit).await;
    assert_eq!(result, Err(StoreError::VersionConflict));

    assert_eq!(store.get_ticket(&acme, stored.id).await.unwrap(), Some(first));
    assert!(store.list_responses(&acme, stored.id, true).await.unwrap().is_empty());
    assert_eq!(store.list_events(&acme, stored.id, true).await.unwrap().len(), 1, "only `created`");
    assert_eq!(outbox_rows(&db, &stored).await, 1, "only `created`");
    assert_eq!(store.find_idempotency(&acme, &UserId::new("agent-1"), "stale-key").await.unwrap(), None);

    // Another client's ticket with the same id cannot be updated either.
    let foreign = next(&stored, |t| t.client_id = client("other"));
    let result = store.update_ticket(&foreign, stored.version + 1, Commit::default()).await;
    assert_eq!(result, Err(StoreError::VersionConflict));
}

async fn concurrent_updates_let_exactly_one_win(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let stored = insert(&store, ticket(&acme, "Contended", at(0))).await;
    let store = Arc::new(store);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..10 {
        let store = store.clone();
        let stored = stored.clone();
        tasks.spawn(async move {
            let changed = next(&stored, |t| t.updated_at = at(100 + i));
            let reply = response(&changed, ResponseKind::Reply, &format!("reply {i}"), at(100 + i));
            store.update_ticket(&changed, stored.version, responded(&changed, &reply)).await
        });
    }
    let results = tasks.join_all().await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    assert!(results.iter().all(|r| r.is_ok() || *r == Err(StoreError::VersionConflict)), "{results:?}");
    assert_eq!(store.list_responses(&acme, stored.id, true).await.unwrap().len(), 1);
    assert_eq!(store.get_ticket(&acme, stored.id).await.unwrap().unwrap().version, 2);
}

async fn a_reused_idempotency_key_writes_nothing(backend: Backend) {
    let (store, db) = fresh_store(backend).await;
    let acme = client("acme");
    let agent = UserId::new("agent-1");

    // insert_ticket: the second ticket with the same key is refused whole, number included.
    let first = ticket(&acme, "First", at(0));
    let mut commit = created(&first);
    commit.idempotency = Some(idempotency(&first, "key-1", None));
    let first = store.insert_ticket(first, commit).await.unwrap();
    let second = ticket(&acme, "Second", at(1));
    let mut commit = created(&second);
    commit.idempotency = Some(idempotency(&second, "key-1", None));
    let result = store.insert_ticket(second.clone(), commit).await;
    assert_eq!(result, Err(StoreError::Duplicate("idempotency_key".into())));
    assert_eq!(store.get_ticket(&acme, second.id).await.unwrap(), None);
    assert_eq!(db.count_rows("ticket_events", &format!("ticket_id = '{}'", second.id)).await, 0);
    assert_eq!(outbox_rows(&db, &second).await, 0);
    assert_eq!(insert(&store, ticket(&acme, "Third", at(2))).await.number, 2, "no number was used up");

    // update_ticket: a reply whose key was used leaves ticket, responses, events, outbox as they were.
    let changed = next(&first, |t| t.first_responded_at = Some(at(30)));
    let reply = response(&changed, ResponseKind::Reply, "Replayed", at(30));
    let mut commit = responded(&changed, &reply);
    commit.idempotency = Some(idempotency(&changed, "key-1", Some(reply.id)));
    let result = store.update_ticket(&changed, first.version, commit).await;
    assert_eq!(result, Err(StoreError::Duplicate("idempotency_key".into())));
    assert_eq!(store.get_ticket(&acme, first.id).await.unwrap(), Some(first.clone()));
    assert!(store.list_responses(&acme, first.id, true).await.unwrap().is_empty());
    assert_eq!(store.get_response(&acme, reply.id).await.unwrap(), None);
    assert_eq!(store.list_events(&acme, first.id, true).await.unwrap().len(), 1);
    assert_eq!(outbox_rows(&db, &first).await, 1);
    let record = store.find_idempotency(&acme, &agent, "key-1").await.unwrap().unwrap();
    assert_eq!(record.ticket_id, first.id);
}

async fn a_failing_event_rolls_back_the_whole_commit(backend: Backend) {
    let (store, db) = fresh_store(backend).await;
    let acme = client("acme");
    let stored = insert(&store, ticket(&acme, "Atomic", at(0))).await;
    let changed = next(&stored, |t| t.status = Status::InProgress);
    let reply = response(&changed, ResponseKind::Reply, "Half-written?", at(10));
    let mut commit = responded(&changed, &reply);
    // The second event reuses the first one's id: the ticket row, the response and the first
    // event are written before it fails.
    let mut duplicate = commit.events[0].clone();
    duplicate.change = Change::StatusChanged { from: Status::Open, to: Status::InProgress };
    commit.events.push(duplicate);
    commit.idempotency = Some(idempotency(&changed, "atomic", Some(reply.id)));
    let result = store.update_ticket(&changed, stored.version, commit).await;
    assert!(matches!(result, Err(StoreError::Duplicate(ref rule)) if rule == "ticket_event"), "{result:?}");

    assert_eq!(store.get_ticket(&acme, stored.id).await.unwrap(), Some(stored.clone()));
    assert!(store.list_responses(&acme, stored.id, true).await.unwrap().is_empty());
    assert_eq!(store.list_events(&acme, stored.id, true).await.unwrap().len(), 1);
    assert_eq!(outbox_rows(&db, &stored).await, 1);
    assert_eq!(store.find_idempotency(&acme, &UserId::new("agent-1"), "atomic").await.unwrap(), None);

    // An event pointing at a ticket that does not exist breaks a foreign key: nothing lands.
    let orphan = ticket(&acme, "Orphan", at(1));
    let mut commit = created(&orphan);
    let mut stray = commit.events[0].clone();
    stray.id = EventId::new();
    stray.ticket_id = TicketId::new();
    commit.events.push(stray);
    let result = store.insert_ticket(orphan.clone(), commit).await;
    assert!(matches!(result, Err(StoreError::Other(_))), "{result:?}");
    assert_eq!(store.get_ticket(&acme, orphan.id).await.unwrap(), None);
    assert_eq!(outbox_rows(&db, &orphan).await, 0);
    assert_eq!(insert(&store, ticket(&acme, "Next", at(2))).await.number, 2);
}

async fn idempotency_records_round_trip(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let stored = insert(&store, ticket(&acme, "Keyed", at(0))).await;
    let changed = next(&stored, |t| t.updated_at = at(5));
    let reply = response(&changed, ResponseKind::Reply, "Once", at(5));
    let mut commit = responded(&changed, &reply);
    let record = idempotency(&changed, "reply-key", Some(reply.id));
    commit.idempotency = Some(record.clone());
    store.update_ticket(&changed, stored.version, commit).await.unwrap();
    let agent = UserId::new("agent-1");
    assert_eq!(store.find_idempotency(&acme, &agent, "reply-key").await.unwrap(), Some(record));
    assert_eq!(store.find_idempotency(&acme, &UserId::new("agent-2"), "reply-key").await.unwrap(), None);
    assert_eq!(store.find_idempotency(&acme, &agent, "other-key").await.unwrap(), None);
    assert_eq!(store.get_response(&acme, reply.id).await.unwrap(), Some(reply));
}

// ---------------------------------------------------------------------------------------------
// The queue

/// A dozen tickets spread over every filter dimension, with ties in creation time and
/// priority so that the id tie-break matters.
async fn queue_fixture(store: &Store, db: &TestDatabase, acme: &ClientId) -> (Vec<Ticket>, [CategoryId; 2]) {
    let categories =
        [db.insert_category(acme, "Billing", false).await, db.insert_category(acme, "Events", false).await];
    let topics = ["login trouble", "billing question", "event booking"];
    let mut tickets = Vec::new();
    for i in 0..12_i64 {
        let idx = i as usize;
        // Pairs share their creation time (ties broken by id), except where the fraction of a
        // second differs: none, milliseconds, microseconds (text-stored times must still sort).
        let fraction = match i {
            2 | 6 => Duration::zero(),
            3 => Duration::milliseconds(500),
            7 => Duration::microseconds(999_999),
            _ => Duration::microseconds(123_456),
        };
        let created = base() + Duration::hours(i / 2) + fraction;
        let mut t = ticket(acme, &format!("Ticket {i} about {}", topics[idx % 3]), created);
        t.description = Description::new(match i {
            5 => "It is 100% broken",
            6 => "It is 1000 times broken",
            7 => "Field under_score rejected",
            8 => "Field underscore rejected",
            _ => "Plain description",
        })
        .unwrap();
        t.status = Status::ALL[idx % 5];
        t.priority = Priority::ALL[idx % 3];
        t.category_id = [Some(categories[0]), Some(categories[1]), None][(idx / 2) % 3];
        t.assignee_id = [None, Some(UserId::new("agent-1")), Some(UserId::new("agent-2")), None][idx % 4].clone();
        t.member = member(if i % 2 == 0 { "m-1" } else { "m-2" });
        t.updated_at = at(86_400 - i * 60);
        tickets.push(insert(store, t).await);
    }
    // Another client's tickets must never show up.
    for i in 0..3 {
        insert(store, ticket(&client("other"), &format!("Other {i} about login trouble"), at(i))).await;
    }
    (tickets, categories)
}

/// What a filter means, said in Rust.
fn matches(filter: &TicketFilter, t: &Ticket) -> bool {
    (filter.statuses.is_empty() || filter.statuses.contains(&t.status))
        && (filter.priorities.is_empty() || filter.priorities.contains(&t.priority))
        && filter.category_id.is_none_or(|c| t.category_id == Some(c))
        && match &filter.assignee {
            None => true,
            Some(AssigneeFilter::Unassigned) => t.assignee_id.is_none(),
            Some(AssigneeFilter::Agent(agent)) => t.assignee_id.as_ref() == Some(agent),
        }
        && filter.created_from.is_none_or(|from| t.created_at >= from)
        && filter.created_to.is_none_or(|to| t.created_at < to)
        && filter.text.as_ref().is_none_or(|q| {
            format!("{} {}", t.subject.as_str(), t.description.as_str()).to_lowercase().contains(q.as_str())
        })
        && filter.member_id.as_ref().is_none_or(|m| &t.member.id == m)
}

fn ids(tickets: &[Ticket]) -> BTreeSet<TicketId> {
    tickets.iter().map(|t| t.id).collect()
}

async fn every_filter_selects_what_it_says(backend: Backend) {
    let (store, db) = fresh_store(backend).await;
    let acme = client("acme");
    let (tickets, [billing, _]) = queue_fixture(&store, &db, &acme).await;
    let none = TicketFilter::default();
    let filters = [
        none.clone(),
        TicketFilter { statuses: vec![Status::Open], ..none.clone() },
        TicketFilter { statuses: vec![Status::Open, Status::Waiting], ..none.clone() },
        TicketFilter { priorities: vec![Priority::High], ..none.clone() },
        TicketFilter { priorities: vec![Priority::Low, Priority::High], ..none.clone() },
        TicketFilter { category_id: Some(billing), ..none.clone() },
        TicketFilter { category_id: Some(CategoryId::new()), ..none.clone() },
        TicketFilter { assignee: Some(AssigneeFilter::Unassigned), ..none.clone() },
        TicketFilter { assignee: Some(AssigneeFilter::Agent(UserId::new("agent-1"))), ..none.clone() },
        TicketFilter { created_from: Some(at(2 * 3600)), ..none.clone() },
        TicketFilter { created_to: Some(at(2 * 3600)), ..none.clone() },
        TicketFilter { created_from: Some(at(3600)), created_to: Some(at(4 * 3600)), ..none.clone() },
        TicketFilter { created_from: Some(base() + Duration::hours(1)), ..none.clone() },
        TicketFilter { created_from: Some(base() + Duration::hours(1) + Duration::milliseconds(500)), ..none.clone() },
        TicketFilter {
            created_to: Some(base() + Duration::hours(3) + Duration::microseconds(999_999)),
            ..none.clone()
        },
        TicketFilter { text: Some("billing".into()), ..none.clone() },
        TicketFilter { member_id: Some(UserId::new("m-2")), ..none.clone() },
        TicketFilter {
            statuses: vec![Status::Open, Status::InProgress, Status::Resolved],
            priorities: vec![Priority::Medium, Priority::Low],
            member_id: Some(UserId::new("m-2")),
            ..none.clone()
        },
    ];
    for filter in &filters {
        let expected: Vec<Ticket> = tickets.iter().filter(|t| matches(filter, t)).cloned().collect();
        let page = store.list_tickets(&acme, filter, Sort::default(), None, 100).await.unwrap();
        assert_eq!(ids(&page.items), ids(&expected), "{filter:?}");
        assert_eq!(page.total, expected.len() as i64, "{filter:?}");
        assert_eq!(page.next_cursor, None);
        let stats = store.queue_stats(&acme, filter).await.unwrap();
        assert_eq!(stats.total, expected.len() as i64, "{filter:?}");
        // Rows come back whole.
        for item in &page.items {
            assert_eq!(Some(item), tickets.iter().find(|t| t.id == item.id));
        }
    }
    assert!(filters.iter().any(|f| tickets.iter().filter(|t| matches(f, t)).count() == 0));
    // A limit caps the page; the total does not care.
    let page = store.list_tickets(&acme, &none, Sort::default(), None, 5).await.unwrap();
    assert_eq!((page.items.len(), page.total), (5, 12));
}

async fn every_sort_pages_through_every_ticket_once(backend: Backend) {
    let (store, db) = fresh_store(backend).await;
    let acme = client("acme");
    let (tickets, _) = queue_fixture(&store, &db, &acme).await;
    let filters = [
        TicketFilter::default(),
        TicketFilter { statuses: vec![Status::Open, Status::InProgress, Status::Closed], ..TicketFilter::default() },
    ];
    for field in [SortField::CreatedAt, SortField::UpdatedAt, SortField::Priority] {
        for direction in [SortDirection::Asc, SortDirection::Desc] {
            let sort = Sort { field, direction };
            for filter in &filters {
                let mut expected: Vec<&Ticket> = tickets.iter().filter(|t| matches(filter, t)).collect();
                expected.sort_by_key(|t| (sort.key_of(t), t.id));
                if direction == SortDirection::Desc {
                    expected.reverse();
                }
                let expected: Vec<TicketId> = expected.into_iter().map(|t| t.id).collect();
                for limit in [1_u32, 5, 100] {
                    let mut seen = Vec::new();
                    let mut cursor: Option<Cursor> = None;
                    loop {
                        let page = store.list_tickets(&acme, filter, sort, cursor.as_ref(), limit).await.unwrap();
                        assert_eq!(page.total, expected.len() as i64);
                        seen.extend(page.items.iter().map(|t| t.id));
                        match page.items.last() {
                            Some(last) if page.items.len() == limit as usize => {
                                cursor = Some(Cursor::after(sort, last));
                            }
                            _ => break,
                        }
                        assert!(seen.len() <= expected.len(), "paging does not end for {sort:?}");
                    }
                    assert_eq!(seen, expected, "{sort:?} limit {limit} {filter:?}");
                }
            }
        }
    }
}

async fn text_search_takes_wildcards_literally(backend: Backend) {
    let (store, db) = fresh_store(backend).await;
    let acme = client("acme");
    let (tickets, _) = queue_fixture(&store, &db, &acme).await;
    let search = |q: &str| TicketFilter { text: Some(q.to_lowercase()), ..TicketFilter::default() };
    let find = async |q: &str| {
        let mut numbers: Vec<i64> = all_tickets(&store, &acme, &search(q)).await.iter().map(|t| t.number).collect();
        numbers.sort();
        numbers
    };
    let number = |i: usize| tickets[i].number;
    assert_eq!(find("100%").await, vec![number(5)]);
    assert_eq!(find("%").await, vec![number(5)]);
    assert_eq!(find("under_score").await, vec![number(7)]);
    assert_eq!(find("_").await, vec![number(7)]);
    assert_eq!(find("BILLING QUESTION").await, vec![number(1), number(4), number(7), number(10)]);
    assert_eq!(find("ticket 1 ").await, vec![number(1)]);
    assert_eq!(find("description").await.len(), 8, "the description is searched too");
    assert!(find("nothing like this").await.is_empty());
    // The text is kept in step with edits.
    let edited = next(&tickets[0], |t| t.subject = Subject::new("Renamed to Zebra").unwrap());
    store.update_ticket(&edited, tickets[0].version, Commit::default()).await.unwrap();
    assert_eq!(find("zebra").await, vec![number(0)]);
    assert!(!find("ticket 0 ").await.contains(&number(0)));
}

async fn clients_never_see_each_other(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let (a, b) = (client("client-a"), client("client-b"));
    let stored = insert(&store, ticket(&a, "A's secret", at(0))).await;
    let changed = next(&stored, |t| t.updated_at = at(1));
    let reply = response(&changed, ResponseKind::Reply, "For A only", at(1));
    let mut commit = responded(&changed, &reply);
    commit.idempotency = Some(idempotency(&changed, "a-key", Some(reply.id)));
    store.update_ticket(&changed, stored.version, commit).await.unwrap();
    let agent = DirectoryUser {
        id: UserId::new("agent-1"),
        client_id: a.clone(),
        name: "Agent One".into(),
        email: "one@example.org".into(),
        roles: vec![Role::ClientAdmin],
        last_seen_at: at(0),
    };
    store.upsert_user(&agent).await.unwrap();

    let everything = TicketFilter::default();
    assert_eq!(store.get_ticket(&b, stored.id).await.unwrap(), None);
    let page = store.list_tickets(&b, &everything, Sort::default(), None, 100).await.unwrap();
    assert!(page.items.is_empty());
    assert_eq!(page.total, 0);
    let stats = store.queue_stats(&b, &everything).await.unwrap();
    assert_eq!((stats.total, stats.unassigned, stats.first_response.count), (0, 0, 0));
    assert!(stats.by_category.is_empty() && stats.by_assignee.is_empty());
    assert!(store.list_responses(&b, stored.id, true).await.unwrap().is_empty());
    assert_eq!(store.get_response(&b, reply.id).await.unwrap(), None);
    assert!(store.list_events(&b, stored.id, true).await.unwrap().is_empty());
    assert_eq!(store.find_idempotency(&b, &agent.id, "a-key").await.unwrap(), None);
    assert_eq!(store.get_user(&b, &agent.id).await.unwrap(), None);
    assert!(store.list_staff(&b).await.unwrap().is_empty());
    // …while A sees all of it.
    assert!(store.get_ticket(&a, stored.id).await.unwrap().is_some());
    assert_eq!(store.list_responses(&a, stored.id, true).await.unwrap(), vec![reply.clone()]);
    assert_eq!(store.get_response(&a, reply.id).await.unwrap(), Some(reply));
    assert_eq!(store.list_staff(&a).await.unwrap(), vec![agent]);
    // B's numbering is its own.
    assert_eq!(insert(&store, ticket(&b, "B's first", at(2))).await.number, 1);
}

async fn notes_and_internal_events_are_left_out_when_asked(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let stored = insert(&store, ticket(&acme, "Notes", at(0))).await;
    let mut current = stored.clone();
    let mut written = Vec::new();
    for (i, kind) in
        [ResponseKind::Note, ResponseKind::Reply, ResponseKind::Note, ResponseKind::Reply].into_iter().enumerate()
    {
        let changed = next(&current, |t| t.updated_at = at(10 + i as i64));
        let r = response(&changed, kind, &format!("{} {i}", kind.as_str()), at(10 + i as i64));
        store.update_ticket(&changed, current.version, responded(&changed, &r)).await.unwrap();
        written.push(r);
        current = changed;
    }
    assert_eq!(store.list_responses(&acme, stored.id, true).await.unwrap(), written);
    let replies: Vec<Response> = written.iter().filter(|r| r.kind == ResponseKind::Reply).cloned().collect();
    assert_eq!(store.list_responses(&acme, stored.id, false).await.unwrap(), replies);

    let all = store.list_events(&acme, stored.id, true).await.unwrap();
    let names: Vec<&str> = all.iter().map(|e| e.change.name()).collect();
    assert_eq!(names, ["created", "note_added", "replied", "note_added", "replied"]);
    let public = store.list_events(&acme, stored.id, false).await.unwrap();
    let names: Vec<&str> = public.iter().map(|e| e.change.name()).collect();
    assert_eq!(names, ["created", "replied", "replied"]);
    assert_eq!(public[1].change, Change::Replied { response_id: written[1].id });
    assert_eq!(public[1].actor_name, "Agent One");
    assert_eq!(public[1].at, at(11));
}

async fn queue_stats_on_a_known_data_set(backend: Backend) {
    let (store, db) = fresh_store(backend).await;
    let acme = client("acme");
    let c1 = db.insert_category(&acme, "Billing", false).await;
    let c2 = db.insert_category(&acme, "Events", false).await;
    let (a1, a2) = (UserId::new("agent-1"), UserId::new("agent-2"));
    // (status, priority, category, assignee, first response after s, resolved after s)
    let rows = [
        (Status::Open, Priority::High, Some(c1), None, Some(60), None),
        (Status::Open, Priority::Low, None, Some(a1.clone()), None, None),
        (Status::InProgress, Priority::Medium, Some(c1), None, Some(120), None),
        (Status::Waiting, Priority::Medium, Some(c2), Some(a1.clone()), Some(180), None),
        (Status::Resolved, Priority::High, Some(c2), Some(a2.clone()), Some(240), Some(1000)),
        (Status::Closed, Priority::Low, None, Some(a2.clone()), Some(300), Some(2000)),
        (Status::Closed, Priority::Low, None, None, None, Some(3500)),
    ];
    for (i, (status, priority, category, assignee, responded_after, resolved_after)) in rows.into_iter().enumerate() {
        let created = at(10 * i as i64);
        let mut t = ticket(&acme, &format!("Stats {i}"), created);
        t.status = status;
        t.priority = priority;
        t.category_id = category;
        t.assignee_id = assignee;
        t.first_responded_at = responded_after.map(|s| created + Duration::seconds(s));
        t.resolved_at = resolved_after.map(|s| created + Duration::seconds(s));
        insert(&store, t).await;
    }
    insert(&store, ticket(&client("other"), "Not counted", at(-100))).await;

    let stats = store.queue_stats(&acme, &TicketFilter::default()).await.unwrap();
    assert_eq!(stats.total, 7);
    let by_status: Vec<(Status, i64)> = stats.by_status.clone().into_iter().collect();
    assert_eq!(
        by_status,
        [(Status::Open, 2), (Status::InProgress, 1), (Status::Waiting, 1), (Status::Resolved, 1), (Status::Closed, 2)]
    );
    let by_priority: Vec<(Priority, i64)> = stats.by_priority.clone().into_iter().collect();
    assert_eq!(by_priority, [(Priority::Low, 3), (Priority::Medium, 2), (Priority::High, 2)]);
    let by_category: BTreeMap<Option<CategoryId>, i64> = stats.by_category.iter().map(|g| (g.key, g.count)).collect();
    assert_eq!(by_category, BTreeMap::from([(None, 3), (Some(c1), 2), (Some(c2), 2)]));
    assert_eq!(stats.by_category[0].key, None, "largest group first");
    let by_assignee: BTreeMap<Option<UserId>, i64> =
        stats.by_assignee.iter().map(|g| (g.key.clone(), g.count)).collect();
    assert_eq!(by_assignee, BTreeMap::from([(None, 3), (Some(a1), 2), (Some(a2), 2)]));
    assert_eq!(stats.unassigned, 2, "open #1 and in-progress #3; the closed one is not active");
    assert_eq!(stats.oldest_open_created_at, Some(at(0)));
    assert_eq!(stats.oldest_open_age_seconds, None, "left for the use case");
    assert_eq!(stats.first_response.count, 5);
    assert_close(stats.first_response.mean_seconds, 180.0);
    assert_close(stats.first_response.median_seconds, 180.0);
    assert_eq!(stats.resolution.count, 3);
    assert_close(stats.resolution.mean_seconds, 6500.0 / 3.0);
    assert_close(stats.resolution.median_seconds, 2000.0);

    // The same numbers over a filtered subset.
    let filter = TicketFilter { priorities: vec![Priority::High, Priority::Medium], ..TicketFilter::default() };
    let stats = store.queue_stats(&acme, &filter).await.unwrap();
    assert_eq!(stats.total, 4);
    assert_eq!(stats.by_status.get(&Status::Closed), Some(&0));
    assert_eq!(stats.by_priority.get(&Priority::Low), Some(&0));
    assert_eq!(stats.first_response.count, 4);
    assert_close(stats.first_response.median_seconds, 150.0);
    assert_eq!(stats.resolution.count, 1);
    assert_close(stats.resolution.mean_seconds, 1000.0);

    // No ticket matches: zeros everywhere, no timings.
    let filter = TicketFilter { text: Some("no such ticket".into()), ..TicketFilter::default() };
    let stats = store.queue_stats(&acme, &filter).await.unwrap();
    assert_eq!(stats.total, 0);
    assert_eq!(stats.by_status.len(), 5);
    assert_eq!(stats.by_priority.len(), 3);
    assert_eq!(stats.oldest_open_created_at, None);
    assert_eq!((stats.first_response.count, stats.first_response.mean_seconds), (0, None));
    assert_eq!(stats.resolution.median_seconds, None);
}

fn assert_close(actual: Option<f64>, expected: f64) {
    let actual = actual.unwrap_or(f64::NAN);
    assert!((actual - expected).abs() < 1e-6, "expected {expected}, got {actual}");
}

// ---------------------------------------------------------------------------------------------
// Users, categories, health

async fn users_upsert_and_staff_list(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let user = |id: &str, name: &str, roles: Vec<Role>| DirectoryUser {
        id: UserId::new(id),
        client_id: acme.clone(),
        name: name.into(),
        email: format!("{id}@example.org"),
        roles,
        last_seen_at: at(0),
    };
    let zed = user("u-1", "Zed", vec![Role::ClientUser]);
    let amy = user("u-2", "Amy", vec![Role::ClientAdmin, Role::ClientUser]);
    let member = user("u-3", "Bob", vec![Role::Member]);
    for u in [&zed, &amy, &member] {
        store.upsert_user(u).await.unwrap();
    }
    assert_eq!(store.get_user(&acme, &member.id).await.unwrap(), Some(member.clone()));
    assert_eq!(store.list_staff(&acme).await.unwrap(), vec![amy.clone(), zed.clone()]);

    // A second sighting updates name, roles and last seen; a member promoted becomes staff.
    let promoted =
        DirectoryUser { name: "Bob Builder".into(), roles: vec![Role::ClientUser], last_seen_at: at(99), ..member };
    store.upsert_user(&promoted).await.unwrap();
    let demoted = DirectoryUser { roles: vec![Role::Member], ..zed };
    store.upsert_user(&demoted).await.unwrap();
    assert_eq!(store.get_user(&acme, &promoted.id).await.unwrap(), Some(promoted.clone()));
    assert_eq!(store.list_staff(&acme).await.unwrap(), vec![amy, promoted]);
    assert_eq!(store.get_user(&acme, &UserId::new("nobody")).await.unwrap(), None);
}

async fn categories_are_usable_when_active_and_own(backend: Backend) {
    let (store, db) = fresh_store(backend).await;
    let (acme, other) = (client("acme"), client("other"));
    let active = db.insert_category(&acme, "Billing", false).await;
    let archived = db.insert_category(&acme, "Old stuff", true).await;
    let foreign = db.insert_category(&other, "Billing", false).await;
    assert!(store.category_usable(&acme, active).await.unwrap());
    assert!(!store.category_usable(&acme, archived).await.unwrap());
    assert!(!store.category_usable(&acme, foreign).await.unwrap());
    assert!(!store.category_usable(&acme, CategoryId::new()).await.unwrap());

    // A ticket cannot point at another client's category.
    let mut t = ticket(&acme, "Wrong category", at(0));
    t.category_id = Some(foreign);
    let commit = created(&t);
    assert!(matches!(store.insert_ticket(t, commit).await, Err(StoreError::Other(_))));
}

async fn concurrent_inserts_get_distinct_gapless_numbers(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let store = Arc::new(store);
    let acme = client("acme");
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..50 {
        let store = store.clone();
        let acme = acme.clone();
        tasks.spawn(async move {
            let t = ticket(&acme, &format!("Concurrent {i}"), at(i));
            let commit = created(&t);
            store.insert_ticket(t, commit).await
        });
    }
    let mut numbers = Vec::new();
    for result in tasks.join_all().await {
        match result {
            Ok(t) => numbers.push(t.number),
            Err(e) => panic!("a concurrent insert failed: {e}"),
        }
    }
    numbers.sort();
    assert_eq!(numbers, (1..=50).collect::<Vec<i64>>());
    let page = store.list_tickets(&acme, &TicketFilter::default(), Sort::default(), None, 100).await.unwrap();
    assert_eq!(page.total, 50);
}

async fn ping_answers(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    assert_eq!(store.backend(), backend);
    store.ping().await.unwrap();
}

// ---------------------------------------------------------------------------------------------
// Multi-threaded runtime, and setup

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_inserts_on_a_multi_threaded_runtime() {
    for backend in [Backend::Postgres, Backend::Sqlite] {
        concurrent_inserts_get_distinct_gapless_numbers(backend).await;
        concurrent_updates_let_exactly_one_win(backend).await;
    }
}

/// Two pools on one SQLite file stand for two processes: the in-process write queue cannot
/// help, `BEGIN IMMEDIATE` and the busy timeout must.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_writers_in_separate_pools_queue_instead_of_failing() {
    let db = memberdesk_testkit::fresh_sqlite().await;
    let stores = [Store::connect(db.url()).await.unwrap(), Store::connect(db.url()).await.unwrap()];
    let acme = client("acme");
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..40 {
        let store = stores[i % 2].clone();
        let acme = acme.clone();
        tasks.spawn(async move {
            let t = ticket(&acme, &format!("Writer {i}"), at(i as i64));
            let commit = created(&t);
            let stored = store.insert_ticket(t, commit).await?;
            let user = DirectoryUser {
                id: UserId::new(format!("u-{}", i % 5)),
                client_id: acme.clone(),
                name: format!("User {i}"),
                email: "u@example.org".into(),
                roles: vec![Role::ClientUser],
                last_seen_at: at(i as i64),
            };
            store.upsert_user(&user).await?;
            Ok::<i64, StoreError>(stored.number)
        });
    }
    let mut numbers: Vec<i64> = tasks.join_all().await.into_iter().map(|r| r.unwrap()).collect();
    numbers.sort();
    assert_eq!(numbers, (1..=40).collect::<Vec<i64>>());
    assert_eq!(stores[0].list_staff(&acme).await.unwrap().len(), 5);
}

/// A database that goes away mid-life is reported as unavailable, not as a failure.
#[tokio::test]
async fn a_vanished_postgres_database_is_unavailable() {
    let (store, db) = fresh_store(Backend::Postgres).await;
    store.ping().await.unwrap();
    drop(db);
    let result = store.get_ticket(&client("acme"), TicketId::new()).await;
    assert!(matches!(result, Err(StoreError::Unavailable(_))), "{result:?}");
    assert!(matches!(store.ping().await, Err(StoreError::Unavailable(_))));
}

#[tokio::test]
async fn migrating_twice_is_harmless() {
    for backend in [Backend::Postgres, Backend::Sqlite] {
        let (store, _db) = fresh_store(backend).await;
        store.migrate().await.unwrap();
        store.migrate().await.unwrap();
        store.ping().await.unwrap();
    }
}

fn setup_error(result: Result<Store, StoreSetupError>) -> String {
    match result {
        Ok(store) => panic!("expected a setup error, got {store:?}"),
        Err(e) => e.to_string(),
    }
}

#[tokio::test]
async fn setup_errors_are_one_clear_line() {
    let unknown = setup_error(Store::connect("mysql://root:hunter2@localhost/desk").await);
    assert!(unknown.contains("`mysql`") && unknown.contains("postgres://") && unknown.contains(".db"), "{unknown}");

    let unreachable = setup_error(Store::connect("postgres://app:hunter2@127.0.0.1:1/desk").await);
    assert!(unreachable.contains("PostgreSQL") && unreachable.contains("127.0.0.1:1"), "{unreachable}");

    let file = std::env::temp_dir().join(format!("memberdesk-not-a-dir-{}", uuid::Uuid::now_v7().simple()));
    std::fs::write(&file, b"a file, not a directory").unwrap();
    let unwritable = setup_error(Store::connect(&format!("sqlite://{}/desk.db", file.display())).await);
    std::fs::remove_file(&file).unwrap();
    assert!(unwritable.contains("SQLite") && unwritable.contains("desk.db"), "{unwritable}");

    let memory = setup_error(Store::connect("sqlite::memory:").await);
    assert!(memory.contains("in-memory"), "{memory}");

    for message in [unknown, unreachable, unwritable, memory] {
        assert!(!message.contains('\n') && !message.contains("hunter2"), "{message}");
    }
}

#[tokio::test]
async fn sqlite_urls_create_the_file() {
    let dir = std::env::temp_dir().join(format!("memberdesk-url-{}", uuid::Uuid::now_v7().simple()));
    let path = dir.join("nested").join("desk.db");
    for url in
        [format!("sqlite://{}", path.display()), format!("sqlite:{}", path.display()), path.display().to_string()]
    {
        let store = Store::connect(&url).await.unwrap();
        assert_eq!(store.backend(), Backend::Sqlite);
        store.migrate().await.unwrap();
        store.ping().await.unwrap();
        assert!(path.exists());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Both migrations create the same tables, columns (with the same nullability), primary keys
/// and indexes; PostgreSQL adds only its trigram index and the knowledge base's search column
/// and GIN index, SQLite only the knowledge base's FTS5 table (with its shadow tables) and the
/// triggers that keep it in step.
#[tokio::test]
async fn schemas_are_equivalent() {
    use diesel::QueryableByName;
    use diesel::sql_types::{BigInt, Text};
    use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

    #[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
    struct Column {
        #[diesel(sql_type = Text)]
        table_name: String,
        #[diesel(sql_type = Text)]
        column_name: String,
        #[diesel(sql_type = BigInt)]
        not_null: i64,
        #[diesel(sql_type = BigInt)]
        primary_key: i64,
    }
    #[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
    struct IndexColumn {
        #[diesel(sql_type = Text)]
        index_name: String,
        #[diesel(sql_type = Text)]
        table_name: String,
        #[diesel(sql_type = BigInt)]
        position: i64,
        #[diesel(sql_type = Text)]
        column_name: String,
    }

    let pg_db = memberdesk_testkit::fresh_postgres().await;
    let sqlite_db = memberdesk_testkit::fresh_sqlite().await;
    let mut pg = AsyncPgConnection::establish(pg_db.url()).await.unwrap();
    let sqlite_path = sqlite_db.url().trim_start_matches("sqlite://").to_owned();
    let mut sqlite =
        diesel_async::sync_connection_wrapper::SyncConnectionWrapper::<diesel::SqliteConnection>::establish(
            &sqlite_path,
        )
        .await
        .unwrap();

    let pg_columns: Vec<Column> = diesel::sql_query(
        "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, \
                (c.is_nullable = 'NO')::int::int8 AS not_null, \
                (EXISTS (SELECT 1 FROM information_schema.table_constraints tc \
                         JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name) \
                         WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = c.table_schema \
                           AND tc.table_name = c.table_name AND k.column_name = c.column_name))::int::int8 AS primary_key \
         FROM information_schema.columns c \
         WHERE c.table_schema = 'public' AND c.table_name NOT LIKE '\\_\\_%' \
           AND NOT (c.table_name = 'kb_articles' AND c.column_name = 'search_vector') \
         ORDER BY 1, 2",
    )
    .load(&mut pg)
    .await
    .unwrap();
    let sqlite_columns: Vec<Column> = diesel::sql_query(
        "SELECT m.name AS table_name, p.name AS column_name, p.\"notnull\" AS not_null, (p.pk > 0) AS primary_key \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND m.name NOT LIKE '\\_\\_%' ESCAPE '\\' \
           AND m.name NOT LIKE 'kb\\_articles\\_fts%' ESCAPE '\\' \
         ORDER BY 1, 2",
    )
    .load(&mut sqlite)
    .await
    .unwrap();
    assert!(pg_columns.len() > 60, "{pg_columns:?}");
    assert_eq!(pg_columns, sqlite_columns);

    let pg_indexes: Vec<IndexColumn> = diesel::sql_query(
        "SELECT i.relname::text AS index_name, t.relname::text AS table_name, k.ord AS position, a.attname::text AS column_name \
         FROM pg_index x \
         JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_class t ON t.oid = x.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) ON true \
         JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum \
         WHERE n.nspname = 'public' AND i.relname LIKE 'idx\\_%' \
         ORDER BY 1, 3",
    )
    .load(&mut pg)
    .await
    .unwrap();
    let sqlite_indexes: Vec<IndexColumn> = diesel::sql_query(
        "SELECT m.name AS index_name, m.tbl_name AS table_name, p.seqno + 1 AS position, p.name AS column_name \
         FROM sqlite_master m JOIN pragma_index_info(m.name) p \
         WHERE m.type = 'index' AND m.name LIKE 'idx\\_%' ESCAPE '\\' \
         ORDER BY 1, 3",
    )
    .load(&mut sqlite)
    .await
    .unwrap();
    assert!(pg_indexes.len() >= 20, "{pg_indexes:?}");
    assert_eq!(pg_indexes, sqlite_indexes);

    // Unique constraints and foreign keys, by name.
    #[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
    struct Named {
        #[diesel(sql_type = Text)]
        name: String,
    }
    let pg_trgm: Vec<Named> =
        diesel::sql_query("SELECT indexname::text AS name FROM pg_indexes WHERE indexname = 'tickets_search_trgm'")
            .load(&mut pg)
            .await
            .unwrap();
    assert_eq!(pg_trgm.len(), 1, "the trigram index exists on PostgreSQL");

    // The knowledge base's search index, each backend's own.
    let pg_search: Vec<Named> = diesel::sql_query(
        "SELECT a.attname::text AS name FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid \
         WHERE t.relname = 'kb_articles' AND a.attname = 'search_vector' AND a.attgenerated = 's' \
         UNION ALL SELECT indexname::text FROM pg_indexes \
         WHERE indexname = 'kb_articles_search' AND indexdef LIKE '%USING gin (search_vector)%'",
    )
    .load(&mut pg)
    .await
    .unwrap();
    assert_eq!(pg_search.len(), 2, "a stored generated tsvector with a GIN index: {pg_search:?}");
    let mut sqlite_search: Vec<Named> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE (type = 'table' AND name = 'kb_articles_fts' AND sql LIKE '%fts5%') \
            OR (type = 'trigger' AND tbl_name = 'kb_articles')",
    )
    .load(&mut sqlite)
    .await
    .unwrap();
    sqlite_search.sort();
    let names: Vec<&str> = sqlite_search.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(
        names,
        ["kb_articles_fts", "kb_articles_fts_delete", "kb_articles_fts_insert", "kb_articles_fts_update"]
    );
}

/// Assignment: agent settings and loads, rules, cursors, the guarded commit, the backlog (in
/// their own file; the same fixtures and `contract!`).
#[path = "contract/assignment.rs"]
mod assignment;

/// The AI settings and the draft usage log (in their own file; the same fixtures and
/// `contract!`).
#[path = "contract/ai_drafts.rs"]
mod ai_drafts;
