//! The escalation worker's check with mocked ports: what one breach commits (events,
//! escalation, recipients on the outbox row), and what a check that lost the race to another
//! worker writes (nothing but the snapshot).

use crate::Desk;
use crate::access::Role;
use crate::clock::FixedClock;
use crate::error::StoreError;
use crate::event::Change;
use crate::ids::{ClientId, TicketId, UserId};
use crate::ports::{Commit, MockSlaStore, MockTicketStore, MockUserDirectory};
use crate::sla::ticket_sla::refresh;
use crate::sla::{
    AtRiskShare, EscalationActions, PriorityTargets, SlaPolicy, SlaPolicyId, SlaSettings, SlaState, SlaTarget,
    SlaTargets, TargetMinutes,
};
use crate::ticket::{Description, MemberRef, Priority, Status, Subject, Ticket};
use crate::usecases::{DeskPorts, mock_ports};
use crate::user::DirectoryUser;
use chrono::{DateTime, TimeZone, Utc};
use std::sync::{Arc, Mutex};

/// Monday 2026-01-05 at `h:m` UTC.
fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, h, m, 0).single().unwrap_or_else(|| unreachable!())
}

fn settings() -> SlaSettings {
    let t = |fr, res| SlaTargets {
        first_response: TargetMinutes::new(fr).unwrap_or_else(|e| panic!("{e}")),
        resolution: TargetMinutes::new(res).unwrap_or_else(|e| panic!("{e}")),
    };
    SlaSettings {
        id: SlaPolicyId::new(),
        client_id: ClientId::new("c"),
        // Around the clock: medium 4 h / 16 h, high 1 h / 8 h.
        policy: SlaPolicy::around_the_clock(
            PriorityTargets { low: t(480, 2400), medium: t(240, 960), high: t(60, 480) },
            AtRiskShare::DEFAULT,
        ),
        escalation: EscalationActions {
            flag_escalated: true,
            raise_priority: true,
            reassign_to: Some(UserId::new("lead-1")),
            notify: true,
        },
        created_at: at(7, 0),
        created_by: UserId::new("admin-1"),
    }
}

/// A medium ticket raised at 08:00 under `settings`, assigned to agent-2.
fn ticket(settings: &SlaSettings) -> Ticket {
    let mut t = Ticket {
        id: TicketId::new(),
        client_id: ClientId::new("c"),
        number: 1,
        subject: Subject::new("s").unwrap_or_else(|_| unreachable!()),
        description: Description::new("d").unwrap_or_else(|_| unreachable!()),
        status: Status::Open,
        priority: Priority::Medium,
        category_id: None,
        member: MemberRef { id: UserId::new("m"), name: "M".into(), email: "m@example.org".into() },
        assignee_id: Some(UserId::new("agent-2")),
        created_at: at(8, 0),
        updated_at: at(8, 0),
        first_responded_at: None,
        resolved_at: None,
        closed_at: None,
        version: 1,
        sla: Default::default(),
    };
    t.sla.policy_id = Some(settings.id);
    refresh(&settings.policy, &mut t, at(8, 0));
    t.sla.status = None;
    t
}

fn user(id: &str, role: Role) -> DirectoryUser {
    DirectoryUser {
        id: UserId::new(id),
        client_id: ClientId::new("c"),
        name: id.into(),
        email: format!("{id}@example.org"),
        roles: vec![role],
        last_seen_at: at(7, 0),
    }
}

fn sla_store(settings: &SlaSettings) -> MockSlaStore {
    let mut sla = MockSlaStore::new();
    let (pinned, current) = (settings.clone(), settings.clone());
    sla.expect_sla_settings_versions().returning(move |_, _| Ok(vec![pinned.clone()]));
    sla.expect_current_sla_settings().returning(move |_| Ok(Some(current.clone())));
    sla
}

fn users() -> MockUserDirectory {
    let mut users = MockUserDirectory::new();
    users.expect_get_user().returning(|_, id| Ok(Some(user(id.as_str(), Role::ClientUser))));
    users.expect_list_staff().returning(|_| {
        Ok(vec![
            user("admin-1", Role::ClientAdmin),
            user("agent-2", Role::ClientUser),
            user("lead-1", Role::ClientUser),
        ])
    });
    users
}

fn desk(tickets: MockTicketStore, sla: MockSlaStore, now: DateTime<Utc>) -> Desk {
    Desk::new(DeskPorts {
        tickets: Arc::new(tickets),
        users: Arc::new(users()),
        clock: Arc::new(FixedClock::new(now)),
        sla: Arc::new(sla),
        ..mock_ports()
    })
}

#[test]
fn a_breach_commits_its_events_escalation_and_recipients_once() {
    let settings = settings();
    let stored = ticket(&settings);
    let mut tickets = MockTicketStore::new();
    let read = stored.clone();
    tickets.expect_get_ticket().returning(move |_, _| Ok(Some(read.clone())));
    let committed: Arc<Mutex<Vec<(Ticket, i64, Commit)>>> = Arc::default();
    let sink = committed.clone();
    tickets.expect_update_ticket().times(1).returning(move |t, expected, commit| {
        sink.lock().unwrap_or_else(|e| e.into_inner()).push((t.clone(), expected, commit));
        Ok(())
    });
    let desk = desk(tickets, sla_store(&settings), at(12, 1));

    let check = futures::executor::block_on(desk.check_sla(&stored.client_id, stored.id)).unwrap_or_default();
    let names: Vec<&str> = check.changes.iter().map(Change::name).collect();
    assert_eq!(
        names,
        ["sla_breached", "escalated", "priority_changed", "assignee_changed"],
        "no warning after the fact"
    );

    let committed = committed.lock().unwrap_or_else(|e| e.into_inner());
    let (ticket, expected, commit) = &committed[0];
    assert_eq!((*expected, ticket.version), (1, 2), "guarded by the version read");
    assert_eq!(ticket.priority, Priority::High);
    assert_eq!(ticket.assignee_id, Some(UserId::new("lead-1")));
    assert!(ticket.sla.escalated);
    assert!(
        ticket.sla.recorded.breached(SlaTarget::FirstResponse) && ticket.sla.recorded.warned(SlaTarget::FirstResponse)
    );
    assert_eq!(ticket.sla.first_response, Some(SlaState::Breached));
    // Now high: resolution 8 h from 08:00, at risk after 6 h 24.
    assert_eq!(ticket.sla.next_check_at, Some(at(14, 24)));
    assert!(commit.events.iter().all(|e| e.actor_id.as_str() == "system"), "the desk acts, nobody else");
    assert_eq!(commit.outbox.len(), 4);
    let breach = commit.outbox.iter().find(|m| m.topic == "ticket.sla_breached").unwrap_or_else(|| unreachable!());
    assert_eq!(breach.payload["recipients"], serde_json::json!(["admin-1", "agent-2", "lead-1"]));
    assert_eq!(breach.payload["change"]["target"], "first_response");
}

#[test]
fn a_check_that_lost_the_race_records_nothing() {
    let settings = settings();
    let stored = ticket(&settings);
    // Another worker committed the breach first: the re-read ticket has it recorded.
    let mut theirs = stored.clone();
    theirs.version = 2;
    theirs.sla.recorded.set_warned(SlaTarget::FirstResponse);
    theirs.sla.recorded.set_breached(SlaTarget::FirstResponse);

    let mut tickets = MockTicketStore::new();
    let mut reads = mockall::Sequence::new();
    let first = stored.clone();
    tickets.expect_get_ticket().times(1).in_sequence(&mut reads).returning(move |_, _| Ok(Some(first.clone())));
    let second = theirs.clone();
    tickets.expect_get_ticket().times(1).in_sequence(&mut reads).returning(move |_, _| Ok(Some(second.clone())));
    tickets.expect_update_ticket().times(1).returning(|_, _, _| Err(StoreError::VersionConflict));
    let mut sla = sla_store(&settings);
    sla.expect_write_sla_snapshot().times(1).returning(|t| {
        assert_eq!(t.version, 2, "the snapshot of the ticket as it now is");
        Ok(true)
    });
    let desk = desk(tickets, sla, at(12, 1));

    let check = futures::executor::block_on(desk.check_sla(&stored.client_id, stored.id)).unwrap_or_default();
    assert!(check.changes.is_empty(), "{:?}", check.changes);
}
