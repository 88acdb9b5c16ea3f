//! The outbox on both backends: claims under a lease, several workers at once (PostgreSQL:
//! `FOR UPDATE SKIP LOCKED`), a killed worker's rows taken again after the lease, graceful
//! release, backoff and failure, the admin's list and requeue.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use async_trait::async_trait;
use chrono::{Duration, Utc};
use memberdesk_domain::notify::{
    Delivery, DeliveryError, OutboxConsumer, OutboxFilter, OutboxStatus, OutboxStore, OutboxWorker, RetryPolicy,
    RowOutcome,
};
use memberdesk_domain::ports::{Commit, TicketStore};
use memberdesk_domain::{ClientId, Clock, FixedClock, OutboxMessage, Ticket, TicketId};
use memberdesk_store::Store;
use memberdesk_testkit::{Backend, fresh_store};
use serde_json::json;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// Records every delivery; fails while `failing` is set.
#[derive(Default)]
struct Recorder {
    seen: Mutex<Vec<Uuid>>,
    failing: Mutex<Option<DeliveryError>>,
}

#[async_trait]
impl OutboxConsumer for Recorder {
    fn name(&self) -> &'static str {
        "recorder"
    }
    fn wants(&self, _topic: &str) -> bool {
        true
    }
    async fn deliver(&self, message: &OutboxMessage) -> Result<Delivery, DeliveryError> {
        // Give the other worker a chance to run in between.
        tokio::task::yield_now().await;
        if let Some(error) = self.failing.lock().unwrap().clone() {
            return Err(error);
        }
        self.seen.lock().unwrap().push(message.id);
        Ok(Delivery::Sent)
    }
}

fn ticket(client: &str) -> Ticket {
    let now = Utc::now();
    serde_json::from_value(json!({
        "id": TicketId::new(), "client_id": client, "number": 0, "subject": "Outbox", "description": "Rows.",
        "status": "open", "priority": "medium", "category_id": null,
        "member": {"id": "member-1", "name": "Mia", "email": "mia@members.example"},
        "assignee_id": null, "created_at": now, "updated_at": now, "first_responded_at": null,
        "resolved_at": null, "closed_at": null, "version": 1
    }))
    .unwrap()
}

/// A ticket of `client` with `n` outbox rows, created `at`.
async fn rows(store: &Store, client: &str, n: usize, at: chrono::DateTime<Utc>) -> Vec<Uuid> {
    let ticket = ticket(client);
    let outbox: Vec<OutboxMessage> = (0..n)
        .map(|_| OutboxMessage {
            id: Uuid::now_v7(),
            client_id: ClientId::new(client),
            ticket_id: Some(ticket.id),
            topic: "ticket.status_changed".into(),
            payload: json!({}),
            created_at: at,
        })
        .collect();
    let ids = outbox.iter().map(|m| m.id).collect();
    store.insert_ticket(ticket, Commit { outbox, ..Commit::default() }).await.unwrap();
    ids
}

fn worker(store: Store, recorder: Arc<Recorder>, clock: Arc<FixedClock>, batch: u32) -> OutboxWorker {
    let policy = RetryPolicy { batch_size: batch, ..RetryPolicy::default() };
    OutboxWorker::new(Arc::new(store), vec![recorder], clock, policy)
}

async fn drain(worker: &OutboxWorker) -> usize {
    let mut claimed = 0;
    loop {
        let report = worker.run_once().await.unwrap();
        if report.claimed() == 0 {
            return claimed;
        }
        claimed += report.claimed();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_on_one_postgresql_never_deliver_a_row_twice() {
    let (store, db) = fresh_store(Backend::Postgres).await;
    let clock = Arc::new(FixedClock::new(Utc::now()));
    let ids = rows(&store, "harbour", 100, clock.now()).await;
    // Two instances: two pools on the same database.
    let (a, b) = (Store::connect(db.url()).await.unwrap(), Store::connect(db.url()).await.unwrap());
    let recorder = Arc::new(Recorder::default());
    let (wa, wb) = (worker(a, recorder.clone(), clock.clone(), 7), worker(b, recorder.clone(), clock.clone(), 7));
    let (ca, cb) =
        tokio::join!(tokio::spawn(async move { drain(&wa).await }), tokio::spawn(async move { drain(&wb).await }));
    let (ca, cb) = (ca.unwrap(), cb.unwrap());
    assert_eq!(ca + cb, 100, "each row claimed once: {ca} + {cb}");
    assert!(ca > 0 && cb > 0, "both workers took part: {ca} + {cb}");
    let mut seen = recorder.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 100, "no row delivered twice");
    seen.sort();
    let mut expected = ids;
    expected.sort();
    assert_eq!(seen, expected);
    let done = store
        .list_outbox(&ClientId::new("harbour"), &OutboxFilter { status: Some(OutboxStatus::Done) }, None, 200)
        .await;
    assert_eq!(done.unwrap().items.len(), 100);
}

async fn a_killed_workers_rows_are_taken_again_after_the_lease(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let clock = Arc::new(FixedClock::new(Utc::now()));
    rows(&store, "harbour", 3, clock.now()).await;
    let recorder = Arc::new(Recorder::default());
    let dead = worker(store.clone(), recorder.clone(), clock.clone(), 10);
    let live = worker(store.clone(), recorder.clone(), clock.clone(), 10);

    // The first worker claims, then "dies" (never delivers).
    let claimed = dead.claim().await.unwrap();
    assert_eq!(claimed.len(), 3);
    assert_eq!(drain(&live).await, 0, "held by a live lease");
    clock.advance(RetryPolicy::default().lease + Duration::seconds(1));
    assert_eq!(drain(&live).await, 3, "taken again once the lease passed");
    assert_eq!(recorder.seen.lock().unwrap().len(), 3);
    // The first worker wakes up: it delivers nothing and writes nothing.
    for row in &claimed {
        assert_eq!(dead.deliver(row).await.unwrap(), RowOutcome::LeaseLost);
    }
    assert_eq!(recorder.seen.lock().unwrap().len(), 3);
    let record = store.get_outbox(&ClientId::new("harbour"), claimed[0].message.id).await.unwrap().unwrap();
    assert_eq!((record.status, record.attempts), (OutboxStatus::Done, 2));
    assert_eq!(record.completed_by, ["recorder"]);
}

async fn graceful_shutdown_releases_rows_unstarted(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let clock = Arc::new(FixedClock::new(Utc::now()));
    rows(&store, "harbour", 2, clock.now()).await;
    let recorder = Arc::new(Recorder::default());
    let w = worker(store.clone(), recorder.clone(), clock.clone(), 10);
    for row in w.claim().await.unwrap() {
        assert_eq!(w.release(&row).await.unwrap(), RowOutcome::Released);
    }
    // Claimable again at once, the aborted claim not counted.
    assert_eq!(drain(&w).await, 2);
    let page = store.list_outbox(&ClientId::new("harbour"), &OutboxFilter::default(), None, 10).await.unwrap();
    assert!(page.items.iter().all(|r| r.status == OutboxStatus::Done && r.attempts == 1), "{page:?}");
}

async fn failures_back_off_then_fail_and_an_admin_requeues(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let clock = Arc::new(FixedClock::new(Utc::now()));
    let client = ClientId::new("harbour");
    let id = rows(&store, "harbour", 1, clock.now()).await[0];
    rows(&store, "riverside", 1, clock.now()).await;
    let recorder = Arc::new(Recorder::default());
    *recorder.failing.lock().unwrap() = Some(DeliveryError::Transient("connection refused".into()));
    let policy = RetryPolicy { max_attempts: 3, ..RetryPolicy::default() };
    let w = OutboxWorker::new(Arc::new(store.clone()), vec![recorder.clone()], clock.clone(), policy);

    assert_eq!(drain(&w).await, 2);
    let record = store.get_outbox(&client, id).await.unwrap().unwrap();
    assert_eq!((record.status, record.attempts), (OutboxStatus::Pending, 1));
    assert!(record.available_at > clock.now(), "backed off");
    assert_eq!(record.last_error.as_deref(), Some("recorder: connection refused"));
    assert_eq!(drain(&w).await, 0, "not before its backoff");
    for _ in 0..2 {
        clock.advance(Duration::hours(3));
        assert_eq!(drain(&w).await, 2);
    }
    let record = store.get_outbox(&client, id).await.unwrap().unwrap();
    assert_eq!((record.status, record.attempts), (OutboxStatus::Failed, 3));
    let failed =
        store.list_outbox(&client, &OutboxFilter { status: Some(OutboxStatus::Failed) }, None, 10).await.unwrap();
    assert_eq!(failed.items.len(), 1, "only the client's own rows");

    // Another client's row is not theirs to requeue; their own is.
    assert!(!store.requeue_outbox(&ClientId::new("riverside"), id, clock.now()).await.unwrap());
    assert!(store.requeue_outbox(&client, id, clock.now()).await.unwrap());
    assert!(!store.requeue_outbox(&client, id, clock.now()).await.unwrap(), "pending now: not again");
    *recorder.failing.lock().unwrap() = None;
    drain(&w).await;
    let record = store.get_outbox(&client, id).await.unwrap().unwrap();
    assert_eq!((record.status, record.attempts), (OutboxStatus::Done, 1));
}

async fn the_outbox_list_pages_newest_first(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let at = Utc::now();
    let mut ids = rows(&store, "harbour", 5, at).await;
    ids.reverse();
    let client = ClientId::new("harbour");
    let first = store.list_outbox(&client, &OutboxFilter::default(), None, 3).await.unwrap();
    assert_eq!(first.items.iter().map(|r| r.id).collect::<Vec<_>>(), ids[..3]);
    let second = store.list_outbox(&client, &OutboxFilter::default(), first.next_cursor, 3).await.unwrap();
    assert_eq!(second.items.iter().map(|r| r.id).collect::<Vec<_>>(), ids[3..]);
    assert_eq!(second.next_cursor, None);
}

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name(memberdesk_testkit::Backend::Postgres).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(memberdesk_testkit::Backend::Sqlite).await;
                }
            }
        )*
    };
}

on_both_backends!(
    a_killed_workers_rows_are_taken_again_after_the_lease,
    graceful_shutdown_releases_rows_unstarted,
    failures_back_off_then_fail_and_an_admin_requeues,
    the_outbox_list_pages_newest_first,
);
