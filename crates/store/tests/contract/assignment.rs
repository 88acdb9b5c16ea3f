//! Assignment storage (issue 6): agent settings and loads, rules, the guarded commit (client
//! generation, round-robin cursor compare-and-set, ticket versions, capacity re-count), the
//! backlog, and tenant isolation.

use super::*;
use memberdesk_domain::assignment::{
    AgentSettings, AgentSettingsInput, AssignedBy, AssignmentMethod, AssignmentRules, AssignmentRulesInput,
    CursorUpdate, RoundRobinCursor, RuleInput,
};
use memberdesk_domain::assignment_ports::{AssignmentStore, AssignmentWrite, TicketAssignment};

contract!(
    agents_show_settings_and_active_loads,
    rules_round_trip_per_client,
    a_cursor_is_compare_and_set_on_turns,
    a_stale_generation_or_version_writes_nothing,
    capacity_is_rechecked_in_the_commit,
    the_backlog_is_ordered_and_per_client,
);

fn staff(client: &ClientId, id: &str) -> DirectoryUser {
    DirectoryUser {
        id: UserId::new(id),
        client_id: client.clone(),
        name: format!("Agent {id}"),
        email: format!("{id}@example.org"),
        roles: vec![Role::ClientUser],
        last_seen_at: at(0),
    }
}

fn settings(available: bool, capacity: Option<i64>) -> AgentSettings {
    AgentSettings::from_input(&AgentSettingsInput { available: Some(available), capacity, categories: vec![] }).unwrap()
}

fn notice(client: &ClientId) -> OutboxMessage {
    OutboxMessage {
        id: EventId::new().0,
        client_id: client.clone(),
        ticket_id: None,
        topic: "assignment.agent_changed".into(),
        payload: serde_json::json!({}),
        created_at: at(0),
    }
}

/// The ticket given to `agent` by a rule, as the domain hands it to `commit_assignment`.
fn assignment(ticket: &Ticket, agent: &str) -> TicketAssignment {
    let next = next(ticket, |t| t.assignee_id = Some(UserId::new(agent)));
    let event = event(
        ticket,
        Change::AssigneeChanged {
            from: None,
            to: Some(UserId::new(agent)),
            assigned_by: Some(AssignedBy::Rule {
                rule_index: 0,
                rule_name: "Team".into(),
                strategy: AssignmentMethod::RoundRobin,
            }),
        },
        at(5),
    );
    TicketAssignment {
        ticket: next,
        expected_version: ticket.version,
        agent: UserId::new(agent),
        commit: Commit { outbox: vec![OutboxMessage::for_event(&event)], events: vec![event], ..Commit::default() },
    }
}

fn write(client: &ClientId, generation: i64) -> AssignmentWrite {
    AssignmentWrite {
        client_id: client.clone(),
        generation,
        now: at(5),
        assignments: vec![],
        cursors: vec![],
        waiting: vec![],
        leave_backlog: vec![],
    }
}

fn cursor(from: u64, to: u64, agent: &str) -> CursorUpdate {
    CursorUpdate {
        key: "team".into(),
        from: RoundRobinCursor { turns: from, last_agent: None },
        to: RoundRobinCursor { turns: to, last_agent: Some(UserId::new(agent)) },
    }
}

async fn agents_show_settings_and_active_loads(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    for id in ["ann", "bob"] {
        store.upsert_user(&staff(&acme, id)).await.unwrap();
    }
    store
        .put_agent_settings(&acme, &UserId::new("bob"), &settings(false, Some(3)), at(1), notice(&acme))
        .await
        .unwrap();
    // ann: two active tickets and a resolved one; bob: none.
    for (i, status) in [Status::Open, Status::Waiting, Status::Resolved].into_iter().enumerate() {
        let mut t = ticket(&acme, &format!("t{i}"), at(i as i64));
        t.assignee_id = Some(UserId::new("ann"));
        t.status = status;
        insert(&store, t).await;
    }
    let records = store.list_agent_records(&acme).await.unwrap();
    let by_id: BTreeMap<&str, _> = records.iter().map(|r| (r.user.id.as_str(), r)).collect();
    assert_eq!(by_id["ann"].load, 2);
    assert_eq!(by_id["ann"].settings, AgentSettings::default());
    assert_eq!(by_id["bob"].load, 0);
    assert_eq!(by_id["bob"].settings, settings(false, Some(3)));
    // Another client sees neither the agents nor the loads.
    assert!(store.list_agent_records(&client("other")).await.unwrap().is_empty());
}

async fn rules_round_trip_per_client(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    assert_eq!(store.assignment_rules(&acme).await.unwrap(), AssignmentRules::default());
    let rules = AssignmentRules::from_input(&AssignmentRulesInput {
        rules: vec![RuleInput {
            name: "Team".into(),
            keywords: vec!["refund*".into()],
            pool: Some(vec!["ann".into(), "bob".into()]),
            strategy: Some("round_robin".into()),
            ..RuleInput::default()
        }],
    })
    .unwrap();
    store.put_assignment_rules(&acme, &rules, at(1), notice(&acme)).await.unwrap();
    assert_eq!(store.assignment_rules(&acme).await.unwrap(), rules);
    assert_eq!(store.assignment_snapshot(&acme).await.unwrap().rules, rules);
    assert_eq!(store.assignment_rules(&client("other")).await.unwrap(), AssignmentRules::default());
}

async fn a_cursor_is_compare_and_set_on_turns(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    // A missing cursor counts as turns = 0.
    store.commit_assignment(AssignmentWrite { cursors: vec![cursor(0, 1, "ann")], ..write(&acme, 0) }).await.unwrap();
    let snapshot = store.assignment_snapshot(&acme).await.unwrap();
    assert_eq!(snapshot.generation, 1);
    assert_eq!(snapshot.cursors["team"], RoundRobinCursor { turns: 1, last_agent: Some(UserId::new("ann")) });
    // A stale `from` (even with the right generation) is a conflict and writes nothing.
    let stale =
        store.commit_assignment(AssignmentWrite { cursors: vec![cursor(0, 1, "bob")], ..write(&acme, 1) }).await;
    assert_eq!(stale, Err(StoreError::VersionConflict));
    let snapshot = store.assignment_snapshot(&acme).await.unwrap();
    assert_eq!((snapshot.generation, snapshot.cursors["team"].turns), (1, 1));
    // Another client's cursor of the same key is its own.
    let other = client("other");
    store.commit_assignment(AssignmentWrite { cursors: vec![cursor(0, 1, "zed")], ..write(&other, 0) }).await.unwrap();
    assert_eq!(store.assignment_snapshot(&acme).await.unwrap().cursors["team"].last_agent, Some(UserId::new("ann")));

    // Two commits racing from the same snapshot: exactly one wins.
    let (a, b) = tokio::join!(
        store.commit_assignment(AssignmentWrite { cursors: vec![cursor(1, 2, "bob")], ..write(&acme, 1) }),
        store.commit_assignment(AssignmentWrite { cursors: vec![cursor(1, 2, "cat")], ..write(&acme, 1) }),
    );
    assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(), 1, "{a:?} {b:?}");
    assert_eq!(store.assignment_snapshot(&acme).await.unwrap().cursors["team"].turns, 2);
}

async fn a_stale_generation_or_version_writes_nothing(backend: Backend) {
    let (store, db) = fresh_store(backend).await;
    let acme = client("acme");
    store.upsert_user(&staff(&acme, "ann")).await.unwrap();
    let t = insert(&store, ticket(&acme, "one", at(0))).await;
    // Stale generation (the client is at 0).
    let stale =
        store.commit_assignment(AssignmentWrite { assignments: vec![assignment(&t, "ann")], ..write(&acme, 7) });
    assert_eq!(stale.await, Err(StoreError::VersionConflict));
    // Stale ticket version.
    let mut old = t.clone();
    old.version -= 1;
    let stale =
        store.commit_assignment(AssignmentWrite { assignments: vec![assignment(&old, "ann")], ..write(&acme, 0) });
    assert_eq!(stale.await, Err(StoreError::VersionConflict));
    assert_eq!(store.get_ticket(&acme, t.id).await.unwrap().unwrap().assignee_id, None);
    assert_eq!(store.assignment_snapshot(&acme).await.unwrap().generation, 0);
    // The right one: assignee, version, event (with `assignedBy`), outbox row, last assigned.
    store
        .commit_assignment(AssignmentWrite { assignments: vec![assignment(&t, "ann")], ..write(&acme, 0) })
        .await
        .unwrap();
    let stored = store.get_ticket(&acme, t.id).await.unwrap().unwrap();
    assert_eq!((stored.assignee_id, stored.version), (Some(UserId::new("ann")), t.version + 1));
    let events = store.list_events(&acme, t.id, true).await.unwrap();
    assert!(matches!(
        &events.last().unwrap().change,
        Change::AssigneeChanged { assigned_by: Some(AssignedBy::Rule { .. }), .. }
    ));
    assert_eq!(outbox_rows(&db, &t).await, 2);
    let records = store.list_agent_records(&acme).await.unwrap();
    assert_eq!((records[0].load, records[0].last_assigned_at), (1, Some(at(5))));
}

async fn capacity_is_rechecked_in_the_commit(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    store.upsert_user(&staff(&acme, "ann")).await.unwrap();
    store.put_agent_settings(&acme, &UserId::new("ann"), &settings(true, Some(1)), at(0), notice(&acme)).await.unwrap();
    let one = insert(&store, ticket(&acme, "one", at(0))).await;
    let two = insert(&store, ticket(&acme, "two", at(1))).await;
    // Two tickets to an agent with room for one, in one commit: refused whole.
    let both =
        AssignmentWrite { assignments: vec![assignment(&one, "ann"), assignment(&two, "ann")], ..write(&acme, 0) };
    assert_eq!(store.commit_assignment(both).await, Err(StoreError::VersionConflict));
    assert_eq!(store.list_agent_records(&acme).await.unwrap()[0].load, 0);
    store
        .commit_assignment(AssignmentWrite { assignments: vec![assignment(&one, "ann")], ..write(&acme, 0) })
        .await
        .unwrap();
    // A decision made on a stale load (here: generation current, load already 1) is refused.
    let late = AssignmentWrite { assignments: vec![assignment(&two, "ann")], ..write(&acme, 1) };
    assert_eq!(store.commit_assignment(late).await, Err(StoreError::VersionConflict));
}

async fn the_backlog_is_ordered_and_per_client(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let mut low = ticket(&acme, "low", at(0));
    low.priority = Priority::Low;
    let low = insert(&store, low).await;
    let older = insert(&store, ticket(&acme, "older", at(1))).await;
    let newer = insert(&store, ticket(&acme, "newer", at(2))).await;
    let mut high = ticket(&acme, "high", at(3));
    high.priority = Priority::High;
    let high = insert(&store, high).await;
    let other = client("other");
    let theirs = insert(&store, ticket(&other, "theirs", at(0))).await;
    let waiting = |ids: &[&Ticket]| ids.iter().map(|t| (t.id, "Team".to_owned())).collect::<Vec<_>>();
    store
        .commit_assignment(AssignmentWrite { waiting: waiting(&[&newer, &low, &high, &older]), ..write(&acme, 0) })
        .await
        .unwrap();
    store.commit_assignment(AssignmentWrite { waiting: waiting(&[&theirs]), ..write(&other, 0) }).await.unwrap();
    let order: Vec<TicketId> = store.backlog(&acme, 10).await.unwrap().iter().map(|t| t.id).collect();
    assert_eq!(order, vec![high.id, older.id, newer.id, low.id]);
    assert_eq!(store.backlog(&acme, 2).await.unwrap().len(), 2);
    // Leaving the backlog, and a manual assignment, take tickets out.
    store.commit_assignment(AssignmentWrite { leave_backlog: vec![high.id], ..write(&acme, 1) }).await.unwrap();
    store.record_manual_assignment(&acme, older.id, Some(UserId::new("ann")), at(9)).await.unwrap();
    let order: Vec<TicketId> = store.backlog(&acme, 10).await.unwrap().iter().map(|t| t.id).collect();
    assert_eq!(order, vec![newer.id, low.id]);
    // A resolved ticket is no longer waiting.
    let resolved = next(&low, |t| t.status = Status::Resolved);
    store.update_ticket(&resolved, low.version, Commit::default()).await.unwrap();
    let order: Vec<TicketId> = store.backlog(&acme, 10).await.unwrap().iter().map(|t| t.id).collect();
    assert_eq!(order, vec![newer.id]);
    let theirs_order: Vec<TicketId> = store.backlog(&other, 10).await.unwrap().iter().map(|t| t.id).collect();
    assert_eq!(theirs_order, vec![theirs.id]);
}
