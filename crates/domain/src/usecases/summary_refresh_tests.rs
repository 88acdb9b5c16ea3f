//! Automatic regeneration over in-memory stand-ins of the ticket, summary and schedule stores:
//! what schedules a record, the debounce of a burst, and retries after a failing service.

use super::*;
use crate::ai::{Redacted, TicketContext};
use crate::ai_ports::{AiFailure, MockSummarizer, SummaryStore};
use crate::clock::{Clock, FixedClock};
use crate::event::Change;
use crate::ids::{EventId, ResponseId, UserId};
use crate::ports::MockTicketStore;
use crate::query::Page;
use crate::ticket::{Priority, Status};
use crate::usecases::{DeskPorts, mock_ports};
use chrono::TimeZone;
use futures::executor::block_on;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).single().unwrap_or_else(|| unreachable!())
}

/// One record: client, due at, requests, attempts, locked until.
type Record = (ClientId, DateTime<Utc>, i64, i32, Option<DateTime<Utc>>);

/// The schedule records, as the stores keep them.
#[derive(Default)]
struct Schedule {
    records: Mutex<BTreeMap<TicketId, Record>>,
    scheduled: AtomicUsize,
}

impl Schedule {
    fn due(&self, id: TicketId) -> Option<DateTime<Utc>> {
        self.records.lock().ok()?.get(&id).map(|r| r.1)
    }
    fn attempts(&self, id: TicketId) -> Option<i32> {
        self.records.lock().ok()?.get(&id).map(|r| r.3)
    }
}

#[async_trait]
impl SummaryRefreshStore for Schedule {
    async fn schedule_refresh(&self, client: &ClientId, id: TicketId, due: DateTime<Utc>) -> Result<(), StoreError> {
        self.scheduled.fetch_add(1, Ordering::SeqCst);
        let mut records = self.records.lock().map_err(|_| StoreError::Other("poisoned".into()))?;
        let record = records.entry(id).or_insert((client.clone(), due, 0, 0, None));
        record.1 = due;
        record.2 += 1;
        Ok(())
    }
    async fn claim_refreshes(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<ClaimedRefresh>, StoreError> {
        let mut records = self.records.lock().map_err(|_| StoreError::Other("poisoned".into()))?;
        let mut claimed = Vec::new();
        for (id, record) in records.iter_mut() {
            if record.1 <= now && record.4.is_none_or(|l| l <= now) && claimed.len() < limit as usize {
                record.4 = Some(lease_until);
                claimed.push(ClaimedRefresh {
                    client_id: record.0.clone(),
                    ticket_id: *id,
                    requests: record.2,
                    attempts: record.3,
                    lease_until,
                });
            }
        }
        Ok(claimed)
    }
    async fn finish_refresh(&self, claim: &ClaimedRefresh) -> Result<(), StoreError> {
        let mut records = self.records.lock().map_err(|_| StoreError::Other("poisoned".into()))?;
        if records.get(&claim.ticket_id).is_some_and(|r| r.2 == claim.requests) {
            records.remove(&claim.ticket_id);
        } else if let Some(record) = records.get_mut(&claim.ticket_id) {
            record.4 = None;
        }
        Ok(())
    }
    async fn retry_refresh(&self, claim: &ClaimedRefresh, retry: RefreshRetry) -> Result<(), StoreError> {
        let mut records = self.records.lock().map_err(|_| StoreError::Other("poisoned".into()))?;
        if let Some(record) = records.get_mut(&claim.ticket_id) {
            let until = match retry {
                RefreshRetry::Wait { until } => until,
                RefreshRetry::Failed { until, .. } => {
                    record.3 += 1;
                    until
                }
            };
            record.1 = record.1.max(until);
            record.4 = None;
        }
        Ok(())
    }
}

/// Stored summaries, in memory.
#[derive(Default)]
struct Summaries(Mutex<Vec<StoredSummary>>);

#[async_trait]
impl SummaryStore for Summaries {
    async fn latest_summary(
        &self,
        _client: &ClientId,
        ticket: TicketId,
        kind: SummaryKind,
    ) -> Result<Option<StoredSummary>, StoreError> {
        Ok(self.summary_history(&ClientId::new("c"), ticket, kind).await?.into_iter().next())
    }
    async fn append_summary(&self, _client: &ClientId, summary: StoredSummary) -> Result<StoredSummary, StoreError> {
        let mut all = self.0.lock().map_err(|_| StoreError::Other("poisoned".into()))?;
        let version = all.iter().filter(|s| s.kind() == summary.kind()).count() as i64 + 1;
        let stored = StoredSummary { version, ..summary };
        all.push(stored.clone());
        Ok(stored)
    }
    async fn summary_history(
        &self,
        _client: &ClientId,
        ticket: TicketId,
        kind: SummaryKind,
    ) -> Result<Vec<StoredSummary>, StoreError> {
        let all = self.0.lock().map_err(|_| StoreError::Other("poisoned".into()))?;
        let mut versions: Vec<StoredSummary> =
            all.iter().filter(|s| s.ticket_id == ticket && s.kind() == kind).cloned().collect();
        versions.sort_by_key(|s| std::cmp::Reverse(s.version));
        Ok(versions)
    }
}

/// A scripted model call: counted, and failing while `failing` says so.
fn model_call<T>(calls: &AtomicUsize, failing: &Mutex<bool>, answer: impl FnOnce() -> T) -> Result<T, AiFailure> {
    calls.fetch_add(1, Ordering::SeqCst);
    if failing.lock().map(|f| *f).unwrap_or(false) {
        return Err(AiFailure::Unavailable("503".into()));
    }
    Ok(answer())
}

/// A ticket and its history, changed by the test as the desk would.
struct World {
    ticket: Arc<Mutex<Ticket>>,
    events: Arc<Mutex<Vec<TicketEvent>>>,
    clock: Arc<FixedClock>,
    schedule: Arc<Schedule>,
    summaries: Arc<Summaries>,
    /// Model calls, and whether the next ones fail.
    calls: Arc<AtomicUsize>,
    failing: Arc<Mutex<bool>>,
    refresher: SummaryRefresher,
}

impl World {
    fn new() -> World {
        let mut ticket = crate::test_fixtures::ticket("c", "m");
        ticket.created_at = t0();
        let ticket = Arc::new(Mutex::new(ticket));
        let events: Arc<Mutex<Vec<TicketEvent>>> = Arc::new(Mutex::new(Vec::new()));
        let clock = Arc::new(FixedClock::new(t0()));
        let mut tickets = MockTicketStore::new();
        let shared = ticket.clone();
        tickets.expect_get_ticket().returning(move |_, _| Ok(shared.lock().ok().map(|t| t.clone())));
        let shared = events.clone();
        tickets.expect_list_events().returning(move |_, _, _| Ok(shared.lock().map(|e| e.clone()).unwrap_or_default()));
        tickets.expect_list_responses().returning(|_, _, _| Ok(Vec::new()));
        tickets
            .expect_list_tickets()
            .returning(|_, _, _, _, _| Ok(Page { items: Vec::new(), next_cursor: None, total: 0, total_exact: true }));
        let calls = Arc::new(AtomicUsize::new(0));
        let failing = Arc::new(Mutex::new(false));
        let mut summarizer = MockSummarizer::new();
        let (count, fail) = (calls.clone(), failing.clone());
        summarizer.expect_ticket_summary().returning(move |ctx: &Redacted<TicketContext>, now| {
            model_call(&count, &fail, || crate::ai::builtin_ticket_summary(ctx, now))
        });
        let (count, fail) = (calls.clone(), failing.clone());
        summarizer.expect_conversation_summary().returning(move |ctx: &Redacted<TicketContext>, now| {
            model_call(&count, &fail, || crate::ai::builtin_conversation_summary(ctx, now))
        });
        let summaries = Arc::new(Summaries::default());
        let desk = Desk::new(DeskPorts {
            tickets: Arc::new(tickets),
            clock: clock.clone(),
            summaries: summaries.clone(),
            ..mock_ports()
        })
        .with_ai(Arc::new(summarizer), Arc::new(crate::ai_ports::BuiltinDrafter));
        let schedule = Arc::new(Schedule::default());
        let refresher = SummaryRefresher::new(desk, schedule.clone(), RefreshPolicy::default());
        World { ticket, events, clock, schedule, summaries, calls, failing, refresher }
    }

    fn id(&self) -> TicketId {
        self.ticket.lock().map(|t| t.id).unwrap_or_default()
    }

    /// The desk commits `change` now; the outbox then hands its message to the consumer.
    fn change(&self, change: Change) -> Delivery {
        let now = self.clock.now();
        let event = {
            let Ok(mut ticket) = self.ticket.lock() else { unreachable!() };
            ticket.version += 1;
            ticket.updated_at = now;
            TicketEvent {
                id: EventId::new(),
                ticket_id: ticket.id,
                client_id: ticket.client_id.clone(),
                actor_id: UserId::new("m"),
                actor_name: "M".into(),
                at: now,
                change,
            }
        };
        if let Ok(mut events) = self.events.lock() {
            events.push(event.clone());
        }
        let message = OutboxMessage::for_event(&event);
        if !self.refresher.wants(&message.topic) {
            return Delivery::NotNeeded;
        }
        block_on(self.refresher.deliver(&message)).unwrap_or_else(|e| panic!("{e}"))
    }

    fn reply(&self) -> Delivery {
        self.change(Change::Replied { response_id: ResponseId::new() })
    }

    fn pass(&self) -> RefreshPassReport {
        block_on(self.refresher.run_pass(10)).unwrap_or_else(|e| panic!("{e}"))
    }

    fn versions(&self, kind: SummaryKind) -> usize {
        block_on(self.summaries.summary_history(&ClientId::new("c"), self.id(), kind)).map(|v| v.len()).unwrap_or(0)
    }

    fn advance(&self, seconds: i64) {
        self.clock.advance(Duration::seconds(seconds));
    }
}

fn created() -> Change {
    Change::Created { subject: "s".into(), status: Status::Open, priority: Priority::Medium, category_id: None }
}

#[test]
fn a_new_ticket_gets_its_first_summaries_after_the_quiet_window() {
    let w = World::new();
    assert_eq!(w.change(created()), Delivery::Sent);
    assert_eq!(w.schedule.due(w.id()), Some(t0() + Duration::seconds(30)));
    assert_eq!(w.pass().claimed, 0, "not due yet");
    w.advance(30);
    let report = w.pass();
    assert_eq!((report.claimed, report.versions), (1, 2), "{report:?}");
    assert_eq!(w.calls.load(Ordering::SeqCst), 2, "one call per summary kind");
    assert_eq!(w.schedule.due(w.id()), None, "the record is done");
}

#[test]
fn a_burst_of_five_replies_makes_one_generation() {
    let w = World::new();
    w.change(created());
    w.advance(30);
    w.pass();
    let calls = w.calls.load(Ordering::SeqCst);
    for _ in 0..5 {
        w.advance(10);
        assert_eq!(w.reply(), Delivery::Sent);
        // A pass in the middle of the burst generates nothing: nothing is due yet.
        assert_eq!(w.pass().versions, 0);
    }
    let last_reply = w.clock.now();
    assert_eq!(w.schedule.due(w.id()), Some(last_reply + Duration::seconds(30)), "pushed by each reply");
    assert_eq!(w.schedule.scheduled.load(Ordering::SeqCst), 6);
    w.advance(30);
    let report = w.pass();
    assert_eq!(report.versions, 2, "{report:?}");
    assert_eq!(w.calls.load(Ordering::SeqCst) - calls, 2, "one generation: one call per summary kind");
    w.advance(600);
    assert_eq!(w.pass().claimed, 0, "nothing left");
    assert_eq!((w.versions(SummaryKind::Ticket), w.versions(SummaryKind::Conversation)), (2, 2));
}

#[test]
fn trivial_changes_schedule_nothing() {
    let w = World::new();
    w.change(created());
    w.advance(30);
    w.pass();
    let (scheduled, calls) = (w.schedule.scheduled.load(Ordering::SeqCst), w.calls.load(Ordering::SeqCst));
    w.advance(120);
    for change in [
        Change::PriorityChanged { from: Priority::Medium, to: Priority::High },
        Change::CategoryChanged { from: None, to: None },
        Change::AssigneeChanged { from: None, to: Some(UserId::new("agent")), assigned_by: None },
        Change::NoteAdded { response_id: ResponseId::new() },
        Change::SubjectChanged { from: "cant login".into(), to: "Can't login!".into() },
    ] {
        assert_eq!(w.change(change), Delivery::NotNeeded);
    }
    assert_eq!(w.schedule.scheduled.load(Ordering::SeqCst), scheduled);
    w.advance(600);
    assert_eq!(w.pass().claimed, 0);
    assert_eq!(w.calls.load(Ordering::SeqCst), calls, "no model call");
    // A status change is significant.
    assert_eq!(w.change(Change::StatusChanged { from: Status::Open, to: Status::Waiting }), Delivery::Sent);
}

#[test]
fn a_failing_service_keeps_the_record_and_retries_with_a_backoff() {
    let w = World::new();
    w.change(created());
    w.advance(30);
    if let Ok(mut f) = w.failing.lock() {
        *f = true;
    }
    let report = w.pass();
    assert_eq!(report.failed.len(), 1, "{report:?}");
    assert_eq!(report.versions, 0);
    let retry_at = w.schedule.due(w.id()).unwrap_or_else(|| panic!("the record is kept"));
    assert!(retry_at >= w.clock.now() + Duration::seconds(30), "the service's hint at least");
    assert_eq!(w.schedule.attempts(w.id()), Some(1));
    // Failing again doubles the wait (with jitter), and the record is still kept.
    w.clock.set(retry_at);
    assert_eq!(w.pass().failed.len(), 1);
    assert_eq!(w.schedule.attempts(w.id()), Some(2));
    let retry_at = w.schedule.due(w.id()).unwrap_or_else(|| panic!("the record is kept"));

    if let Ok(mut f) = w.failing.lock() {
        *f = false;
    }
    w.clock.set(retry_at);
    let report = w.pass();
    assert_eq!((report.versions, report.failed.len()), (2, 0), "{report:?}");
    assert_eq!(w.schedule.due(w.id()), None);
}
