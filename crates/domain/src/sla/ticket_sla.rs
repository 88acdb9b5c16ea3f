//! What a ticket carries for its SLA: the periods its clocks were paused or stopped, what the
//! desk last computed and recorded, and the escalated flag (see `docs/sla.md`).
//!
//! The periods make the clock computable from the ticket alone, so a page of the queue shows
//! every ticket's `sla` block without reading any history. The snapshot (states, next due time,
//! next check time, counted times) is written with every commit and by the escalation worker;
//! the store indexes it for the queue's `slaState` filter, its `slaDueAt` sort and the worker's
//! claim.

use super::policy::SlaPolicy;
use super::settings::SlaPolicyId;
use super::tracker::{Period, SlaState, SlaStatus, SlaTimeline, TargetStatus, evaluate};
use crate::ticket::{Status, Ticket};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One of a ticket's two SLA targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaTarget {
    FirstResponse,
    Resolution,
}

impl SlaTarget {
    pub const ALL: [SlaTarget; 2] = [SlaTarget::FirstResponse, SlaTarget::Resolution];

    pub fn as_str(self) -> &'static str {
        match self {
            SlaTarget::FirstResponse => "first_response",
            SlaTarget::Resolution => "resolution",
        }
    }

    /// This target's part of a status.
    pub fn of(self, status: &SlaStatus) -> &TargetStatus {
        match self {
            SlaTarget::FirstResponse => &status.first_response,
            SlaTarget::Resolution => &status.resolution,
        }
    }
}

impl fmt::Display for SlaTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The stretches of a ticket's life that its SLA clocks do not count, kept by
/// [`crate::workflow::transition`] as the ticket moves (the same rules as
/// [`SlaTimeline::record_move`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlaPeriods {
    /// While waiting on the member: both clocks paused.
    #[serde(default)]
    pub waiting: Vec<Period>,
    /// From each move to resolved or closed to the reopen that followed: resolution stopped.
    #[serde(default)]
    pub resolved: Vec<Period>,
}

impl SlaPeriods {
    /// Records one status move at `at`.
    pub fn record_move(&mut self, from: Status, to: Status, at: DateTime<Utc>) {
        let mut timeline = SlaTimeline {
            waiting: std::mem::take(&mut self.waiting),
            resolved: std::mem::take(&mut self.resolved),
            ..SlaTimeline::new(at, crate::ticket::Priority::Medium)
        };
        timeline.record_move(from, to, at);
        self.waiting = timeline.waiting;
        self.resolved = timeline.resolved;
    }
}

/// Which SLA events the desk has recorded for a ticket. Each is recorded at most once, ever:
/// the worker records an event only while its flag is clear, and sets the flag in the same
/// version-guarded commit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedSla {
    pub first_response_warned: bool,
    pub first_response_breached: bool,
    pub resolution_warned: bool,
    pub resolution_breached: bool,
}

impl RecordedSla {
    pub fn warned(&self, target: SlaTarget) -> bool {
        match target {
            SlaTarget::FirstResponse => self.first_response_warned,
            SlaTarget::Resolution => self.resolution_warned,
        }
    }
    pub fn breached(&self, target: SlaTarget) -> bool {
        match target {
            SlaTarget::FirstResponse => self.first_response_breached,
            SlaTarget::Resolution => self.resolution_breached,
        }
    }
    pub fn set_warned(&mut self, target: SlaTarget) {
        match target {
            SlaTarget::FirstResponse => self.first_response_warned = true,
            SlaTarget::Resolution => self.resolution_warned = true,
        }
    }
    pub fn set_breached(&mut self, target: SlaTarget) {
        match target {
            SlaTarget::FirstResponse => self.first_response_breached = true,
            SlaTarget::Resolution => self.resolution_breached = true,
        }
    }

    /// As the store keeps it: bit 0 first response warned, 1 breached, 2 resolution warned,
    /// 3 breached.
    pub fn bits(self) -> i16 {
        i16::from(self.first_response_warned)
            | i16::from(self.first_response_breached) << 1
            | i16::from(self.resolution_warned) << 2
            | i16::from(self.resolution_breached) << 3
    }
    pub fn from_bits(bits: i16) -> RecordedSla {
        RecordedSla {
            first_response_warned: bits & 1 != 0,
            first_response_breached: bits & 2 != 0,
            resolution_warned: bits & 4 != 0,
            resolution_breached: bits & 8 != 0,
        }
    }
}

/// An SLA event the worker owes a ticket: its state reached at-risk or breached and the event
/// is not recorded yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueSlaEvent {
    Warning(SlaTarget),
    Breach(SlaTarget),
}

/// A ticket's SLA as stored with it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketSla {
    /// The version of the client's SLA settings the ticket is measured under (the one in force
    /// when it was raised); `None` when the client had no policy then: no SLA.
    pub policy_id: Option<SlaPolicyId>,
    /// When the clocks were paused (waiting) and stopped (resolved), since creation.
    pub periods: SlaPeriods,
    /// The first-response state as of the last evaluation; `None` when the ticket has no SLA
    /// (its client had no policy when it was created).
    pub first_response: Option<SlaState>,
    /// The resolution state as of the last evaluation; `None` when the ticket has no SLA.
    pub resolution: Option<SlaState>,
    /// The earliest due time of a target still running (not completed), for sorting.
    pub due_at: Option<DateTime<Utc>>,
    /// When the worker should look at the ticket next: the next state change, or the time of
    /// the last evaluation when an event is owed. `None` when nothing can change by itself.
    pub next_check_at: Option<DateTime<Utc>>,
    /// The SLA events recorded so far.
    pub recorded: RecordedSla,
    /// Flagged by an escalation (see `EscalationActions::flag_escalated`).
    pub escalated: bool,
    /// Counted seconds to the first response, once it is complete.
    pub first_response_seconds: Option<i64>,
    /// Counted seconds to the resolution in force, while the ticket is resolved or closed.
    pub resolution_seconds: Option<i64>,
    /// Both targets at the desk's clock, computed when the ticket is read or written (never
    /// stored). `None` for a ticket without SLA, and for readers who may not see it (members).
    #[serde(skip)]
    pub status: Option<SlaStatus>,
}

impl TicketSla {
    /// Does the ticket have an SLA?
    pub fn is_tracked(&self) -> bool {
        self.policy_id.is_some()
    }

    /// What a member may see: nothing of the SLA.
    pub fn hidden(&self) -> TicketSla {
        TicketSla { periods: self.periods.clone(), ..TicketSla::default() }
    }
}

/// The clock's input for a ticket, from the ticket alone.
pub fn timeline_of(ticket: &Ticket) -> SlaTimeline {
    SlaTimeline {
        created_at: ticket.created_at,
        priority: ticket.priority,
        first_responded_at: ticket.first_responded_at,
        waiting: ticket.sla.periods.waiting.clone(),
        resolved: ticket.sla.periods.resolved.clone(),
    }
}

/// Both targets of the ticket at `now` under `policy`.
pub fn status_of(policy: &SlaPolicy, ticket: &Ticket, now: DateTime<Utc>) -> SlaStatus {
    evaluate(policy, &timeline_of(ticket), now)
}

/// The events owed for `status`, given what is recorded. A target that breached without a
/// recorded warning gets only the breach.
pub fn due_events(status: &SlaStatus, recorded: RecordedSla) -> Vec<DueSlaEvent> {
    let mut due = Vec::new();
    for target in SlaTarget::ALL {
        match target.of(status).state {
            SlaState::Breached if !recorded.breached(target) => due.push(DueSlaEvent::Breach(target)),
            SlaState::AtRisk if !recorded.warned(target) => due.push(DueSlaEvent::Warning(target)),
            _ => {}
        }
    }
    due
}

/// When the worker must look at a ticket next: now if an event is owed, else the next state
/// change with no new event — the at-risk instant of a pending target, and for a target at risk
/// the first microsecond after its due time (the stores' precision), when it breaches. `None`
/// while every target is paused or settled.
pub fn next_check(status: &SlaStatus, recorded: RecordedSla, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if !due_events(status, recorded).is_empty() {
        return Some(now);
    }
    SlaTarget::ALL
        .into_iter()
        .filter_map(|target| {
            let t = target.of(status);
            let at = t.next_change_at()?;
            Some(if t.state == SlaState::AtRisk { at + chrono::Duration::microseconds(1) } else { at })
        })
        .min()
}

/// Evaluates the ticket's SLA at `now` and writes the snapshot into `ticket.sla` (states, due
/// time, next check, counted times, `status`). The ticket becomes tracked.
pub fn refresh(policy: &SlaPolicy, ticket: &mut Ticket, now: DateTime<Utc>) -> SlaStatus {
    let status = status_of(policy, ticket, now);
    let sla = &mut ticket.sla;
    sla.first_response = Some(status.first_response.state);
    sla.resolution = Some(status.resolution.state);
    sla.due_at = [&status.first_response, &status.resolution]
        .into_iter()
        .filter(|t| t.completed_at.is_none())
        .map(|t| t.due_at)
        .min();
    sla.next_check_at = next_check(&status, sla.recorded, now);
    let seconds = |t: &TargetStatus| t.completed_at.map(|_| t.elapsed.num_seconds());
    sla.first_response_seconds = seconds(&status.first_response);
    sla.resolution_seconds = seconds(&status.resolution);
    sla.status = Some(status);
    status
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ClientId, TicketId, UserId};
    use crate::sla::policy::{AtRiskShare, PriorityTargets, SlaTargets, TargetMinutes};
    use crate::ticket::{Description, MemberRef, Priority, Subject};
    use chrono::{Duration, TimeZone};

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 5, h, m, 0).single().unwrap_or_else(|| unreachable!())
    }

    fn policy() -> SlaPolicy {
        let t = |fr, res| SlaTargets {
            first_response: TargetMinutes::new(fr).unwrap_or_else(|e| panic!("{e}")),
            resolution: TargetMinutes::new(res).unwrap_or_else(|e| panic!("{e}")),
        };
        SlaPolicy::around_the_clock(
            PriorityTargets { low: t(480, 2400), medium: t(240, 960), high: t(60, 480) },
            AtRiskShare::DEFAULT,
        )
    }

    fn ticket() -> Ticket {
        Ticket {
            id: TicketId::new(),
            client_id: ClientId::new("c"),
            number: 1,
            subject: Subject::new("s").unwrap_or_else(|_| unreachable!()),
            description: Description::new("d").unwrap_or_else(|_| unreachable!()),
            status: Status::Open,
            priority: Priority::High,
            category_id: None,
            member: MemberRef { id: UserId::new("m"), name: "M".into(), email: "m@example.org".into() },
            assignee_id: None,
            created_at: at(8, 0),
            updated_at: at(8, 0),
            first_responded_at: None,
            resolved_at: None,
            closed_at: None,
            version: 1,
            sla: TicketSla::default(),
        }
    }

    #[test]
    fn refresh_writes_the_snapshot_and_owes_events_only_once() {
        let mut t = ticket();
        refresh(&policy(), &mut t, at(8, 0));
        assert_eq!((t.sla.first_response, t.sla.resolution), (Some(SlaState::Pending), Some(SlaState::Pending)));
        // High: 60 min first response, at risk after 48.
        assert_eq!(t.sla.due_at, Some(at(9, 0)));
        assert_eq!(t.sla.next_check_at, Some(at(8, 48)));

        let status = refresh(&policy(), &mut t, at(8, 50));
        assert_eq!(due_events(&status, t.sla.recorded), vec![DueSlaEvent::Warning(SlaTarget::FirstResponse)]);
        assert_eq!(t.sla.next_check_at, Some(at(8, 50)), "an owed event is due now");
        t.sla.recorded.set_warned(SlaTarget::FirstResponse);
        refresh(&policy(), &mut t, at(8, 50));
        assert_eq!(t.sla.next_check_at, Some(at(9, 0) + Duration::microseconds(1)), "then just after the due time");

        let status = refresh(&policy(), &mut t, at(9, 1));
        assert_eq!(due_events(&status, t.sla.recorded), vec![DueSlaEvent::Breach(SlaTarget::FirstResponse)]);
        t.sla.recorded.set_breached(SlaTarget::FirstResponse);
        refresh(&policy(), &mut t, at(9, 1));
        // The first response breached; the resolution (8 h, at risk after 6 h 24) is next.
        assert_eq!(t.sla.next_check_at, Some(at(14, 24)));
        assert_eq!(t.sla.due_at, Some(at(9, 0)), "an overdue running target sorts first");
    }

    #[test]
    fn completion_stops_checks_and_records_counted_time() {
        let mut t = ticket();
        t.first_responded_at = Some(at(8, 30));
        t.sla.periods.record_move(Status::Open, Status::Resolved, at(9, 0));
        t.status = Status::Resolved;
        let status = refresh(&policy(), &mut t, at(10, 0));
        assert_eq!(status.first_response.state, SlaState::Met);
        assert_eq!(status.resolution.state, SlaState::Met);
        assert_eq!(t.sla.next_check_at, None);
        assert_eq!(t.sla.due_at, None);
        assert_eq!(t.sla.first_response_seconds, Some(30 * 60));
        assert_eq!(t.sla.resolution_seconds, Some(60 * 60));
    }

    #[test]
    fn waiting_pauses_both_clocks() {
        let mut t = ticket();
        t.sla.periods.record_move(Status::Open, Status::Waiting, at(8, 30));
        let status = refresh(&policy(), &mut t, at(12, 0));
        assert!(status.first_response.paused);
        assert_eq!(t.sla.next_check_at, None, "a paused clock changes nothing by itself");
        assert_eq!(status.first_response.remaining, Duration::minutes(30));
        t.sla.periods.record_move(Status::Waiting, Status::InProgress, at(12, 0));
        refresh(&policy(), &mut t, at(12, 0));
        assert_eq!(t.sla.due_at, Some(at(12, 30)), "the due time moved by the wait");
    }

    #[test]
    fn recorded_bits_round_trip() {
        for bits in 0..16 {
            assert_eq!(RecordedSla::from_bits(bits).bits(), bits);
        }
    }
}
