//! The "refresh due at" records of automatic summary regeneration: scheduling (and moving) a
//! record, claims (due records only, each once, across clients, a live lease excluded; never
//! twice on PostgreSQL under concurrent claimers), finishing (removed unless scheduled again
//! since), retries (the later time wins, failures counted), and a lapsed lease writing nothing.

use super::*;
use memberdesk_domain::refresh_ports::{ClaimedRefresh, RefreshRetry, SummaryRefreshStore};

contract!(
    a_schedule_creates_or_moves_the_record_and_a_claim_takes_due_records_once,
    finishing_removes_the_record_unless_it_was_scheduled_again,
    retries_put_the_record_back_later_and_count_failures,
    a_lapsed_lease_writes_nothing,
    concurrent_refresh_claims_never_take_a_ticket_twice,
);

async fn claim(store: &Store, now: i64, lease: i64) -> Vec<ClaimedRefresh> {
    store.claim_refreshes(at(now), at(lease), 100).await.unwrap()
}

fn ids(claims: &[ClaimedRefresh]) -> BTreeSet<TicketId> {
    claims.iter().map(|c| c.ticket_id).collect()
}

async fn a_schedule_creates_or_moves_the_record_and_a_claim_takes_due_records_once(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let (acme, other) = (client("acme"), client("other"));
    let a = insert(&store, ticket(&acme, "A", at(0))).await;
    let b = insert(&store, ticket(&other, "B", at(0))).await;
    let later = insert(&store, ticket(&acme, "Later", at(0))).await;
    store.schedule_refresh(&acme, a.id, at(30)).await.unwrap();
    store.schedule_refresh(&other, b.id, at(20)).await.unwrap();
    store.schedule_refresh(&acme, later.id, at(10)).await.unwrap();
    // Moved: a second schedule replaces the due time and counts a request.
    store.schedule_refresh(&acme, later.id, at(90)).await.unwrap();

    assert!(claim(&store, 5, 300).await.is_empty(), "nothing due yet");
    let claimed = claim(&store, 30, 300).await;
    assert_eq!(ids(&claimed), BTreeSet::from([a.id, b.id]), "due records of every client");
    assert_eq!(claimed[0].ticket_id, b.id, "earliest first");
    assert_eq!(claimed[0].client_id, other);
    assert_eq!((claimed[1].requests, claimed[1].attempts), (1, 0));
    assert_eq!(claimed[1].lease_until, at(300));
    assert!(claim(&store, 60, 400).await.is_empty(), "a live lease keeps them");
    let moved = claim(&store, 90, 400).await;
    assert_eq!(ids(&moved), BTreeSet::from([later.id]));
    assert_eq!(moved[0].requests, 2);
    // A lease that lapsed (the worker died) lets another worker claim the record again.
    assert_eq!(ids(&claim(&store, 300, 500).await), BTreeSet::from([a.id, b.id]));
}

async fn finishing_removes_the_record_unless_it_was_scheduled_again(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let done = insert(&store, ticket(&acme, "Done", at(0))).await;
    let busy = insert(&store, ticket(&acme, "Busy", at(0))).await;
    store.schedule_refresh(&acme, done.id, at(10)).await.unwrap();
    store.schedule_refresh(&acme, busy.id, at(10)).await.unwrap();
    let claimed = claim(&store, 10, 300).await;
    assert_eq!(claimed.len(), 2);
    // A reply arrives while the summaries of `busy` are being generated.
    store.schedule_refresh(&acme, busy.id, at(70)).await.unwrap();
    for c in &claimed {
        store.finish_refresh(c).await.unwrap();
    }
    assert!(claim(&store, 69, 400).await.is_empty(), "released, due when the new schedule says");
    let again = claim(&store, 70, 400).await;
    assert_eq!(ids(&again), BTreeSet::from([busy.id]), "the finished one is gone, the rescheduled one kept");
    store.finish_refresh(&again[0]).await.unwrap();
    assert!(claim(&store, 10_000, 20_000).await.is_empty());
}

async fn retries_put_the_record_back_later_and_count_failures(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let t = insert(&store, ticket(&acme, "Retry", at(0))).await;
    store.schedule_refresh(&acme, t.id, at(10)).await.unwrap();
    let c = claim(&store, 10, 300).await.remove(0);
    store.retry_refresh(&c, RefreshRetry::Wait { until: at(40) }).await.unwrap();
    assert!(claim(&store, 39, 300).await.is_empty(), "released, due at the wait");
    let c = claim(&store, 40, 300).await.remove(0);
    assert_eq!(c.attempts, 0, "waiting is no failure");
    store
        .retry_refresh(&c, RefreshRetry::Failed { until: at(100), error: "AI service unavailable".into() })
        .await
        .unwrap();
    let c = claim(&store, 100, 300).await.remove(0);
    assert_eq!(c.attempts, 1);
    // Scheduled later meanwhile: the later time wins over the retry's.
    store.schedule_refresh(&acme, t.id, at(500)).await.unwrap();
    store.retry_refresh(&c, RefreshRetry::Failed { until: at(200), error: "again".into() }).await.unwrap();
    assert!(claim(&store, 499, 600).await.is_empty());
    let c = claim(&store, 500, 600).await.remove(0);
    assert_eq!((c.attempts, c.requests), (2, 2));
}

async fn a_lapsed_lease_writes_nothing(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let t = insert(&store, ticket(&acme, "Slow", at(0))).await;
    store.schedule_refresh(&acme, t.id, at(10)).await.unwrap();
    let slow = claim(&store, 10, 100).await.remove(0);
    let fast = claim(&store, 100, 400).await.remove(0);
    // The slow worker wakes up: neither finishing nor retrying touches the other's claim.
    store.finish_refresh(&slow).await.unwrap();
    store.retry_refresh(&slow, RefreshRetry::Wait { until: at(150) }).await.unwrap();
    assert!(claim(&store, 399, 500).await.is_empty(), "still held by the fast worker");
    store.finish_refresh(&fast).await.unwrap();
    assert!(claim(&store, 10_000, 20_000).await.is_empty());
}

async fn concurrent_refresh_claims_never_take_a_ticket_twice(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let mut expected = BTreeSet::new();
    for n in 0..50 {
        let t = insert(&store, ticket(&acme, &format!("Due {n}"), at(0))).await;
        store.schedule_refresh(&acme, t.id, at(n)).await.unwrap();
        expected.insert(t.id);
    }
    let claimers = (0..4).map(|_| {
        let store = store.clone();
        tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let claimed = store.claim_refreshes(at(100), at(400), 7).await.unwrap();
                if claimed.is_empty() {
                    break mine;
                }
                mine.extend(claimed.into_iter().map(|c| c.ticket_id));
            }
        })
    });
    let mut all = Vec::new();
    for claimer in futures::future::join_all(claimers).await {
        all.extend(claimer.unwrap());
    }
    assert_eq!(all.len(), 50, "every ticket claimed exactly once");
    assert_eq!(all.into_iter().collect::<BTreeSet<_>>(), expected);
}
