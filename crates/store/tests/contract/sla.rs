//! The SLA's store contract: versioned settings per client, the SLA columns of a ticket, the
//! escalation worker's claim (due tickets only, each once, across clients; skipping rows
//! another transaction holds on PostgreSQL), version-guarded snapshot writes, the queue's SLA
//! filters and sort, and SLA reporting.

use super::*;
use memberdesk_domain::ports::SlaStore;
use memberdesk_domain::sla::{
    EscalationActions, Period, PriorityTargets, RecordedSla, SlaPeriods, SlaPolicy, SlaPolicyId, SlaSettings, SlaState,
    SlaTargets, TargetMinutes, TicketSla,
};

contract!(
    sla_settings_are_versioned_per_client,
    sla_columns_round_trip,
    claims_take_due_tickets_of_every_client_once,
    concurrent_claims_never_take_a_ticket_twice,
    a_snapshot_write_is_guarded_by_the_version_and_keeps_it,
    sla_filters_and_the_due_sort_page_through_every_ticket_once,
    sla_report_on_a_known_data_set,
);

fn policy(first_response: i64) -> SlaPolicy {
    let t = |fr: i64, res: i64| SlaTargets {
        first_response: TargetMinutes::new(fr).unwrap(),
        resolution: TargetMinutes::new(res).unwrap(),
    };
    SlaPolicy::around_the_clock(
        PriorityTargets {
            low: t(first_response * 4, 4800),
            medium: t(first_response * 2, 2400),
            high: t(first_response, 480),
        },
        Default::default(),
    )
}

fn settings(client_id: &ClientId, first_response: i64, created_at: DateTime<Utc>) -> SlaSettings {
    SlaSettings {
        id: SlaPolicyId::new(),
        client_id: client_id.clone(),
        policy: policy(first_response),
        escalation: EscalationActions { reassign_to: Some(UserId::new("lead-1")), ..EscalationActions::default() },
        created_at,
        created_by: UserId::new("admin-1"),
    }
}

/// A tracked ticket whose next check is at `next_check` (if any).
fn tracked(client_id: &ClientId, subject: &str, next_check: Option<DateTime<Utc>>) -> Ticket {
    let mut t = ticket(client_id, subject, at(0));
    t.sla = TicketSla {
        policy_id: Some(SlaPolicyId::new()),
        first_response: Some(SlaState::Pending),
        resolution: Some(SlaState::Pending),
        due_at: Some(at(3600)),
        next_check_at: next_check,
        ..TicketSla::default()
    };
    t
}

async fn sla_settings_are_versioned_per_client(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let (acme, other) = (client("acme"), client("other"));
    assert_eq!(store.current_sla_settings(&acme).await.unwrap(), None, "no settings: no SLA");

    let first = settings(&acme, 60, at(0));
    let second = settings(&acme, 30, at(10));
    let foreign = settings(&other, 90, at(20));
    for s in [&first, &second, &foreign] {
        store.insert_sla_settings(s).await.unwrap();
    }
    assert_eq!(store.current_sla_settings(&acme).await.unwrap().as_ref(), Some(&second), "the latest is in force");
    assert_eq!(store.current_sla_settings(&other).await.unwrap().as_ref(), Some(&foreign));

    let mut versions = store.sla_settings_versions(&acme, &[first.id, second.id, foreign.id]).await.unwrap();
    versions.sort_by_key(|s| s.created_at);
    assert_eq!(versions, vec![first.clone(), second], "old versions stay; another client's are never given");
    assert!(store.sla_settings_versions(&acme, &[]).await.unwrap().is_empty());
    assert!(store.sla_settings_versions(&other, &[first.id]).await.unwrap().is_empty());
}

async fn sla_columns_round_trip(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let mut full = ticket(&acme, "Tracked", at(0));
    full.sla = TicketSla {
        policy_id: Some(SlaPolicyId::new()),
        periods: SlaPeriods {
            waiting: vec![Period::closed(at(10), at(20)), Period::open(at(30))],
            resolved: vec![Period::closed(at(40), at(50))],
        },
        first_response: Some(SlaState::Met),
        resolution: Some(SlaState::Breached),
        due_at: Some(at(90)),
        next_check_at: Some(at(100)),
        recorded: RecordedSla::from_bits(0b1011),
        escalated: true,
        first_response_seconds: Some(120),
        resolution_seconds: Some(7200),
        status: None,
    };
    let stored = insert(&store, full.clone()).await;
    full.number = stored.number;
    assert_eq!(store.get_ticket(&acme, full.id).await.unwrap(), Some(full));

    // A ticket without SLA reads back without due time (the sortable stand-in never shows).
    let plain = insert(&store, ticket(&acme, "Plain", at(1))).await;
    let read = store.get_ticket(&acme, plain.id).await.unwrap().unwrap();
    assert_eq!(read.sla, TicketSla::default());
}

async fn claims_take_due_tickets_of_every_client_once(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let (acme, other) = (client("acme"), client("other"));
    let now = at(1000);
    let due_acme = insert(&store, tracked(&acme, "Due", Some(at(500)))).await;
    let due_other = insert(&store, tracked(&other, "Due elsewhere", Some(at(100)))).await;
    let exactly_now = insert(&store, tracked(&acme, "Due now", Some(now))).await;
    insert(&store, tracked(&acme, "Later", Some(at(2000)))).await;
    insert(&store, tracked(&acme, "Paused", None)).await;
    insert(&store, ticket(&acme, "No SLA", at(0))).await;

    let lease = at(1120);
    let claimed = store.claim_sla_checks(now, lease, 2).await.unwrap();
    let ids: Vec<TicketId> = claimed.iter().map(|c| c.ticket_id).collect();
    assert_eq!(ids, vec![due_other.id, due_acme.id], "soonest first, at most the limit");
    assert_eq!(claimed[0].client_id, other, "each claim names its ticket's client");
    let rest = store.claim_sla_checks(now, lease, 10).await.unwrap();
    assert_eq!(rest.iter().map(|c| c.ticket_id).collect::<Vec<_>>(), vec![exactly_now.id], "due at now is due");
    assert!(store.claim_sla_checks(now, lease, 10).await.unwrap().is_empty(), "claimed tickets are leased");

    let read = store.get_ticket(&acme, due_acme.id).await.unwrap().unwrap();
    assert_eq!(read.sla.next_check_at, Some(lease), "the lease is the next check");
    assert_eq!(read.version, due_acme.version, "a claim is no change to the ticket");

    // A lapsed lease (a worker died) makes them due again.
    let again = store.claim_sla_checks(lease, at(1240), 10).await.unwrap();
    assert_eq!(again.len(), 3);
}

async fn concurrent_claims_never_take_a_ticket_twice(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let mut expected = BTreeSet::new();
    for n in 0..50 {
        let t = insert(&store, tracked(&acme, &format!("Due {n}"), Some(at(n)))).await;
        expected.insert(t.id);
    }
    let now = at(100);
    let claimers = (0..4).map(|_| {
        let store = store.clone();
        tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let claimed = store.claim_sla_checks(now, at(400), 7).await.unwrap();
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

async fn a_snapshot_write_is_guarded_by_the_version_and_keeps_it(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let stored = insert(&store, tracked(&acme, "Snap", Some(at(10)))).await;
    let mut snapshot = stored.clone();
    snapshot.sla.first_response = Some(SlaState::AtRisk);
    snapshot.sla.next_check_at = Some(at(60));
    snapshot.sla.due_at = Some(at(61));

    let mut stale = snapshot.clone();
    stale.version -= 1;
    assert!(!store.write_sla_snapshot(&stale).await.unwrap(), "a stale version writes nothing");
    assert_eq!(store.get_ticket(&acme, stored.id).await.unwrap().unwrap().sla, stored.sla);

    assert!(store.write_sla_snapshot(&snapshot).await.unwrap());
    let read = store.get_ticket(&acme, stored.id).await.unwrap().unwrap();
    assert_eq!(read.sla, snapshot.sla);
    assert_eq!(read.version, stored.version, "the version is the ticket's, not the snapshot's");

    // Another client's ticket of the same id is out of reach.
    let mut foreign = snapshot.clone();
    foreign.client_id = client("other");
    assert!(!store.write_sla_snapshot(&foreign).await.unwrap());
}

async fn sla_filters_and_the_due_sort_page_through_every_ticket_once(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let (acme, other) = (client("acme"), client("other"));
    let states = [
        (Some(SlaState::Pending), Some(SlaState::Pending), Some(at(300)), false),
        (Some(SlaState::AtRisk), Some(SlaState::Pending), Some(at(100)), false),
        (Some(SlaState::Met), Some(SlaState::AtRisk), Some(at(200)), false),
        (Some(SlaState::Breached), Some(SlaState::Pending), Some(at(50)), true),
        (Some(SlaState::Met), Some(SlaState::Breached), Some(at(200)), true),
        (Some(SlaState::Met), Some(SlaState::Met), None, false),
        (None, None, None, false),
    ];
    let mut tickets = Vec::new();
    for (n, (fr, res, due, escalated)) in states.into_iter().enumerate() {
        let mut t = ticket(&acme, &format!("T{n}"), at(n as i64));
        if fr.is_some() {
            t.sla.policy_id = Some(SlaPolicyId::new());
        }
        t.sla.first_response = fr;
        t.sla.resolution = res;
        t.sla.due_at = due;
        t.sla.escalated = escalated;
        tickets.push(insert(&store, t).await);
    }
    let mut foreign = ticket(&other, "Foreign", at(0));
    foreign.sla.first_response = Some(SlaState::Breached);
    foreign.sla.escalated = true;
    insert(&store, foreign).await;

    let subjects = |list: Vec<Ticket>| list.into_iter().map(|t| t.subject.as_str().to_owned()).collect::<BTreeSet<_>>();
    let names = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect::<BTreeSet<_>>();
    let by_state = |states: Vec<SlaState>| TicketFilter { sla_states: states, ..TicketFilter::default() };
    assert_eq!(subjects(all_tickets(&store, &acme, &by_state(vec![SlaState::Breached])).await), names(&["T3", "T4"]));
    assert_eq!(subjects(all_tickets(&store, &acme, &by_state(vec![SlaState::AtRisk])).await), names(&["T1", "T2"]));
    assert_eq!(
        subjects(all_tickets(&store, &acme, &by_state(vec![SlaState::AtRisk, SlaState::Breached])).await),
        names(&["T1", "T2", "T3", "T4"])
    );
    let escalated = TicketFilter { escalated: Some(true), ..TicketFilter::default() };
    assert_eq!(subjects(all_tickets(&store, &acme, &escalated).await), names(&["T3", "T4"]), "own client only");
    let calm = TicketFilter { escalated: Some(false), ..TicketFilter::default() };
    assert_eq!(all_tickets(&store, &acme, &calm).await.len(), 5);

    for direction in [SortDirection::Asc, SortDirection::Desc] {
        let sort = Sort { field: SortField::SlaDueAt, direction };
        let mut expected: Vec<&Ticket> = tickets.iter().collect();
        expected.sort_by_key(|t| (sort.key_of(t), t.id));
        if direction == SortDirection::Desc {
            expected.reverse();
        }
        let expected: Vec<TicketId> = expected.into_iter().map(|t| t.id).collect();
        for limit in [1_u32, 3, 100] {
            let mut seen = Vec::new();
            let mut cursor: Option<Cursor> = None;
            loop {
                let page =
                    store.list_tickets(&acme, &TicketFilter::default(), sort, cursor.as_ref(), limit).await.unwrap();
                seen.extend(page.items.iter().map(|t| t.id));
                match page.items.last() {
                    Some(last) if page.items.len() == limit as usize => cursor = Some(Cursor::after(sort, last)),
                    _ => break,
                }
                assert!(seen.len() <= expected.len(), "paging does not end");
            }
            assert_eq!(seen, expected, "{sort:?} limit {limit}");
        }
        if direction == SortDirection::Asc {
            assert_eq!(expected[0], tickets[3].id, "the most overdue first");
            assert!(expected[5..].contains(&tickets[6].id), "no due time last");
        }
    }
}

async fn sla_report_on_a_known_data_set(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let (acme, other) = (client("acme"), client("other"));
    // (priority, assignee, fr state, fr seconds, res state, res seconds)
    let rows = [
        (Priority::High, Some("agent-1"), SlaState::Met, Some(60), SlaState::Met, Some(600)),
        (Priority::High, Some("agent-1"), SlaState::Breached, Some(300), SlaState::Pending, None),
        (Priority::Medium, Some("agent-2"), SlaState::Met, Some(120), SlaState::Breached, Some(9000)),
        (Priority::Medium, None, SlaState::AtRisk, None, SlaState::Pending, None),
        (Priority::Low, None, SlaState::Met, Some(240), SlaState::Met, Some(1200)),
    ];
    for (n, (priority, assignee, fr, fr_s, res, res_s)) in rows.into_iter().enumerate() {
        let mut t = ticket(&acme, &format!("R{n}"), at(n as i64));
        t.priority = priority;
        t.assignee_id = assignee.map(UserId::new);
        t.sla.policy_id = Some(SlaPolicyId::new());
        t.sla.first_response = Some(fr);
        t.sla.resolution = Some(res);
        t.sla.first_response_seconds = fr_s;
        t.sla.resolution_seconds = res_s;
        insert(&store, t).await;
    }
    insert(&store, ticket(&acme, "No SLA", at(9))).await;
    let mut foreign = ticket(&other, "Foreign", at(0));
    foreign.sla.policy_id = Some(SlaPolicyId::new());
    foreign.sla.first_response = Some(SlaState::Breached);
    foreign.sla.resolution = Some(SlaState::Breached);
    insert(&store, foreign).await;

    let report = store.sla_report(&acme, &TicketFilter::default()).await.unwrap();
    let overall = &report.overall;
    assert_eq!(overall.tickets, 5, "tickets with an SLA, own client only");
    assert_eq!(
        (overall.first_response.met, overall.first_response.breached, overall.first_response.at_risk),
        (3, 1, 1)
    );
    assert_eq!((overall.resolution.met, overall.resolution.breached, overall.resolution.pending), (2, 1, 2));
    // First response times 60, 120, 240, 300: mean 180, median 180, p90 = 240 + 0.7 × 60 = 282.
    let time = &overall.first_response.time;
    assert_eq!(time.count, 4);
    assert!((time.mean_seconds.unwrap() - 180.0).abs() < 1e-6, "{time:?}");
    assert!((time.median_seconds.unwrap() - 180.0).abs() < 1e-6, "{time:?}");
    assert!((time.p90_seconds.unwrap() - 282.0).abs() < 1e-6, "{time:?}");
    // Resolution 600, 1200, 9000: p90 = 1200 + 0.8 × 7800 = 7440.
    assert!((overall.resolution.time.p90_seconds.unwrap() - 7440.0).abs() < 1e-6);

    let high = report.by_priority.iter().find(|g| g.key == Priority::High).unwrap();
    assert_eq!((high.report.tickets, high.report.first_response.breached), (2, 1));
    assert_eq!(high.report.first_response.time.count, 2);
    let agent = report.by_agent.iter().find(|g| g.key == Some(UserId::new("agent-1"))).unwrap();
    assert_eq!(agent.report.resolution.time.mean_seconds, Some(600.0));
    let unassigned = report.by_agent.iter().find(|g| g.key.is_none()).unwrap();
    assert_eq!(unassigned.report.tickets, 2);
    assert_eq!(report.by_category.len(), 1);
    assert_eq!(report.by_category[0].report.tickets, 5);

    // The queue's filters apply.
    let only_high = TicketFilter { priorities: vec![Priority::High], ..TicketFilter::default() };
    assert_eq!(store.sla_report(&acme, &only_high).await.unwrap().overall.tickets, 2);
}

/// PostgreSQL: a row another transaction has locked is skipped, not waited for.
#[tokio::test]
async fn postgres_claims_skip_rows_locked_by_another_worker() {
    use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
    let (store, db) = fresh_store(Backend::Postgres).await;
    let acme = client("acme");
    let locked = insert(&store, tracked(&acme, "Being checked", Some(at(1)))).await;
    let free = insert(&store, tracked(&acme, "Free", Some(at(2)))).await;

    let mut other_worker = AsyncPgConnection::establish(db.url()).await.unwrap();
    other_worker
        .batch_execute(&format!("BEGIN; SELECT id FROM tickets WHERE id = '{}' FOR UPDATE;", locked.id))
        .await
        .unwrap();
    let claimed = tokio::time::timeout(std::time::Duration::from_secs(5), store.claim_sla_checks(at(10), at(130), 10))
        .await
        .expect("a claim does not wait for locked rows")
        .unwrap();
    assert_eq!(claimed.iter().map(|c| c.ticket_id).collect::<Vec<_>>(), vec![free.id]);
    other_worker.batch_execute("ROLLBACK").await.unwrap();
    let claimed = store.claim_sla_checks(at(10), at(130), 10).await.unwrap();
    assert_eq!(claimed.iter().map(|c| c.ticket_id).collect::<Vec<_>>(), vec![locked.id], "free again once released");
}
