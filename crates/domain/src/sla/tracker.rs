//! The SLA clock of one ticket: from its timeline and `now`, the due time, state and time left
//! of its first-response and resolution targets.

use super::business_time::{add_business_time, business_duration_between};
use super::calendar::BusinessCalendar;
use super::policy::{AtRiskShare, SlaPolicy};
use crate::event::{Change, TicketEvent};
use crate::ticket::{Priority, Status, Ticket};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A stretch of time `[from, until)`; `until: None` while it is still going on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    pub from: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
}

impl Period {
    pub fn closed(from: DateTime<Utc>, until: DateTime<Utc>) -> Period {
        Period { from, until: Some(until) }
    }
    pub fn open(from: DateTime<Utc>) -> Period {
        Period { from, until: None }
    }
    /// Whether `at` lies inside the period.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.from <= at && self.until.is_none_or(|until| at < until)
    }
}

/// What the SLA clock needs to know about a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlaTimeline {
    /// Both clocks start here.
    pub created_at: DateTime<Utc>,
    /// The current priority; its targets apply from `created_at` (a change recomputes them).
    pub priority: Priority,
    /// The first public reply by staff (internal notes and members' replies do not count).
    pub first_responded_at: Option<DateTime<Utc>>,
    /// While the ticket waited on the member: both clocks paused.
    pub waiting: Vec<Period>,
    /// From each move to resolved or closed to the reopen that followed (if any): the
    /// resolution clock is stopped.
    pub resolved: Vec<Period>,
}

impl SlaTimeline {
    /// A ticket with no waiting and no resolution yet.
    pub fn new(created_at: DateTime<Utc>, priority: Priority) -> SlaTimeline {
        SlaTimeline { created_at, priority, first_responded_at: None, waiting: vec![], resolved: vec![] }
    }

    /// Builds the timeline from a ticket's history.
    ///
    /// Only status moves matter: `Created { status }` and `StatusChanged { to }` (in order of
    /// `at`; equal times keep the slice's order). Entering `waiting` opens a pause and leaving it
    /// closes it; entering `resolved` or `closed` from an active status opens a stop and moving
    /// back to an active status (a reopen) closes it — `resolved → closed` stays one stop.
    /// `Replied` events are not used for the first response, because an event does not say
    /// whether its author was staff: `first_responded_at` (the ticket's field, set by the first
    /// public staff reply) is taken as given. Notes, priority, category and assignee changes are
    /// ignored (the current `priority` is given).
    pub fn from_events(
        created_at: DateTime<Utc>,
        priority: Priority,
        first_responded_at: Option<DateTime<Utc>>,
        events: &[TicketEvent],
    ) -> SlaTimeline {
        let mut timeline = SlaTimeline { first_responded_at, ..SlaTimeline::new(created_at, priority) };
        let mut ordered: Vec<&TicketEvent> = events.iter().collect();
        ordered.sort_by_key(|e| e.at);
        let mut status = Status::Open;
        for event in ordered {
            let to = match &event.change {
                Change::Created { status, .. } => *status,
                Change::StatusChanged { to, .. } => *to,
                _ => continue,
            };
            timeline.record_move(status, to, event.at.max(created_at));
            status = to;
        }
        timeline
    }

    /// [`SlaTimeline::from_events`] with the ticket's own creation time, priority and first
    /// response.
    pub fn for_ticket(ticket: &Ticket, events: &[TicketEvent]) -> SlaTimeline {
        SlaTimeline::from_events(ticket.created_at, ticket.priority, ticket.first_responded_at, events)
    }

    /// Records one status move at `at` (for callers that follow a ticket live).
    pub fn record_move(&mut self, from: Status, to: Status, at: DateTime<Utc>) {
        let stopped = |s: Status| matches!(s, Status::Resolved | Status::Closed);
        if from == Status::Waiting && to != Status::Waiting {
            close_last(&mut self.waiting, at);
        }
        if stopped(from) && !stopped(to) {
            close_last(&mut self.resolved, at);
        }
        if to == Status::Waiting && from != Status::Waiting {
            self.waiting.push(Period::open(at));
        }
        if stopped(to) && !stopped(from) {
            self.resolved.push(Period::open(at));
        }
    }

    /// The moment the current stop began, if the ticket is resolved or closed at `now`.
    fn resolved_since(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.resolved.iter().filter(|p| p.contains(now)).map(|p| p.from).min()
    }

    /// The first moment the ticket was resolved or closed, if it was by `now`.
    fn first_resolved(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.resolved.iter().map(|p| p.from).filter(|from| *from <= now).min()
    }
}

fn close_last(periods: &mut [Period], at: DateTime<Utc>) {
    if let Some(last) = periods.last_mut()
        && last.until.is_none()
    {
        last.until = Some(at.max(last.from));
    }
}

/// Where a target stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaState {
    /// Running (or paused) with less than the at-risk share used.
    Pending,
    /// Running (or paused) with at least the at-risk share used, not yet past due.
    AtRisk,
    /// Completed no later than the due time.
    Met,
    /// Past due without completion, or completed late. Final: a breach is never undone.
    Breached,
}

impl SlaState {
    pub const ALL: [SlaState; 4] = [SlaState::Pending, SlaState::AtRisk, SlaState::Met, SlaState::Breached];

    pub fn as_str(self) -> &'static str {
        match self {
            SlaState::Pending => "pending",
            SlaState::AtRisk => "at_risk",
            SlaState::Met => "met",
            SlaState::Breached => "breached",
        }
    }
    pub fn parse(value: &str) -> Result<SlaState, String> {
        SlaState::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| crate::ticket::allowed_values_message(value, SlaState::ALL.map(SlaState::as_str)))
    }
    /// Met and breached do not change with time alone.
    pub fn is_settled(self) -> bool {
        matches!(self, SlaState::Met | SlaState::Breached)
    }
}

impl fmt::Display for SlaState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One target of one ticket at one moment. Durations are counted time (business time on the
/// policy's calendar, or elapsed time around the clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetStatus {
    pub state: SlaState,
    /// The target for the ticket's current priority.
    pub target: Duration,
    /// The last instant at which completing meets the target. While the clock is paused this is
    /// a projection: the due time if the clock resumed at `now`.
    pub due_at: DateTime<Utc>,
    /// The instant the at-risk share of the target is used up (projected likewise).
    pub warn_at: DateTime<Utc>,
    /// When the target was completed (first response, or the resolution now in force).
    pub completed_at: Option<DateTime<Utc>>,
    /// The clock is not running now because the ticket waits on the member.
    pub paused: bool,
    /// Counted time used, up to completion or `now`.
    pub elapsed: Duration,
    /// Counted time left before the due time (zero once used up).
    pub remaining: Duration,
    /// Counted time past the target (zero when not past it).
    pub overdue: Duration,
}

impl TargetStatus {
    /// The next instant at which this target changes state with no new event: `warn_at` while
    /// pending, `due_at` while at risk, none while paused or settled. A worker keeps this in an
    /// index and looks at the tickets whose instant has passed.
    pub fn next_change_at(&self) -> Option<DateTime<Utc>> {
        match self.state {
            _ if self.paused => None,
            SlaState::Pending => Some(self.warn_at),
            SlaState::AtRisk => Some(self.due_at),
            SlaState::Met | SlaState::Breached => None,
        }
    }
}

/// Both targets of a ticket at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaStatus {
    pub priority: Priority,
    pub first_response: TargetStatus,
    pub resolution: TargetStatus,
}

impl SlaStatus {
    /// The earliest [`TargetStatus::next_change_at`] of the two targets.
    pub fn next_change_at(&self) -> Option<DateTime<Utc>> {
        [self.first_response.next_change_at(), self.resolution.next_change_at()].into_iter().flatten().min()
    }
}

/// Evaluates both targets of `timeline` under `policy` at `now`. Anything in the timeline after
/// `now` is ignored.
pub fn evaluate(policy: &SlaPolicy, timeline: &SlaTimeline, now: DateTime<Utc>) -> SlaStatus {
    let targets = policy.targets_for(timeline.priority);
    let calendar = policy.counting_calendar();
    let share = policy.at_risk_share();

    // First response: paused while waiting; completed by the first public staff reply, or by
    // the first resolution when the ticket was resolved without one.
    let replied = [timeline.first_responded_at, timeline.first_resolved(now)].into_iter().flatten().min();
    let first_response =
        track(calendar, targets.first_response.duration(), share, timeline.created_at, &timeline.waiting, replied, now);

    // Resolution: paused while waiting, stopped while resolved; completed by the resolution in
    // force at `now`.
    let mut excluded = timeline.waiting.clone();
    excluded.extend_from_slice(&timeline.resolved);
    let resolution = track(
        calendar,
        targets.resolution.duration(),
        share,
        timeline.created_at,
        &excluded,
        timeline.resolved_since(now),
        now,
    );

    SlaStatus { priority: timeline.priority, first_response, resolution }
}

impl SlaPolicy {
    /// See [`evaluate`].
    pub fn evaluate(&self, timeline: &SlaTimeline, now: DateTime<Utc>) -> SlaStatus {
        evaluate(self, timeline, now)
    }
}

/// One target: the clock runs from `start` through the parts of `[start, end)` outside
/// `excluded`, where `end` is the completion or `now`, and is assumed to run on after `end`.
fn track(
    calendar: &BusinessCalendar,
    target: Duration,
    share: AtRiskShare,
    start: DateTime<Utc>,
    excluded: &[Period],
    completed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> TargetStatus {
    let completed_at = completed_at.filter(|c| *c <= now).map(|c| c.max(start));
    let end = completed_at.unwrap_or(now).max(start);
    let paused = completed_at.is_none() && now >= start && excluded.iter().any(|p| p.contains(now));
    let warn_after = share.of(target);

    let mut elapsed = Duration::zero();
    let (mut due_at, mut warn_at) = (None, None);
    for (from, to) in running_segments(start, end, excluded) {
        let counted = business_duration_between(calendar, from, to);
        if warn_at.is_none() && elapsed + counted >= warn_after {
            warn_at = Some(add_business_time(calendar, from, warn_after - elapsed));
        }
        if due_at.is_none() && elapsed + counted >= target {
            due_at = Some(add_business_time(calendar, from, target - elapsed));
        }
        elapsed += counted;
    }
    // Not reached yet: the clock runs on from `end` (for a paused clock, as if it resumed now).
    let due_at = due_at.unwrap_or_else(|| add_business_time(calendar, end, target - elapsed));
    let warn_at = warn_at.unwrap_or_else(|| add_business_time(calendar, end, warn_after - elapsed));

    let state = match completed_at {
        Some(done) if done > due_at => SlaState::Breached,
        Some(_) => SlaState::Met,
        None if now > due_at => SlaState::Breached,
        None if now >= warn_at => SlaState::AtRisk,
        None => SlaState::Pending,
    };
    TargetStatus {
        state,
        target,
        due_at,
        warn_at,
        completed_at,
        paused,
        elapsed,
        remaining: (target - elapsed).max(Duration::zero()),
        overdue: (elapsed - target).max(Duration::zero()),
    }
}

/// The parts of `[start, end)` outside every excluded period, in order. An open-ended period
/// runs to `end`.
fn running_segments(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    excluded: &[Period],
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut stops: Vec<(DateTime<Utc>, DateTime<Utc>)> =
        excluded.iter().map(|p| (p.from, p.until.map_or(end, |u| u.min(end)))).filter(|(f, u)| f < u).collect();
    stops.sort();
    let mut segments = Vec::with_capacity(stops.len() + 1);
    let mut cursor = start;
    for (from, until) in stops {
        if cursor >= end {
            break;
        }
        if from > cursor {
            segments.push((cursor, from.min(end)));
        }
        cursor = cursor.max(until);
    }
    if cursor < end {
        segments.push((cursor, end));
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ClientId, EventId, ResponseId, TicketId, UserId};
    use crate::sla::calendar::{CalendarInput, IntervalInput, WeeklyHoursInput};
    use crate::sla::policy::{PriorityTargets, SlaCounting, SlaTargets, TargetMinutes};
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().unwrap_or_else(|| unreachable!())
    }
    /// Monday 2026-01-05 at `h:mi` UTC, plus `days`.
    fn mon(days: i64, h: u32, mi: u32) -> DateTime<Utc> {
        utc(2026, 1, 5, h, mi) + Duration::days(days)
    }

    fn targets(first_response: i64, resolution: i64) -> SlaTargets {
        let m = |v| TargetMinutes::new(v).unwrap_or_else(|e| panic!("{e}"));
        SlaTargets { first_response: m(first_response), resolution: m(resolution) }
    }

    fn weekday_calendar(zone: &str, from: &str, to: &str) -> BusinessCalendar {
        let day = vec![IntervalInput::new(from, to)];
        let input = CalendarInput {
            time_zone: zone.into(),
            hours: WeeklyHoursInput {
                monday: day.clone(),
                tuesday: day.clone(),
                wednesday: day.clone(),
                thursday: day.clone(),
                friday: day,
                ..WeeklyHoursInput::default()
            },
            holidays: vec![],
        };
        BusinessCalendar::from_input(&input).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Low 8h/40h, medium 4h/16h, high 2h/8h, in business hours on `calendar`.
    fn policy_on(calendar: BusinessCalendar) -> SlaPolicy {
        let targets = PriorityTargets { low: targets(480, 2400), medium: targets(240, 960), high: targets(120, 480) };
        SlaPolicy::new(targets, SlaCounting::BusinessHours, Some(calendar), AtRiskShare::DEFAULT)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Weekdays 08:00–18:00 UTC.
    fn policy() -> SlaPolicy {
        policy_on(weekday_calendar("UTC", "08:00", "18:00"))
    }

    fn event(at: DateTime<Utc>, change: Change) -> TicketEvent {
        TicketEvent {
            id: EventId::new(),
            ticket_id: TicketId(uuid::Uuid::nil()),
            client_id: ClientId::new("c1"),
            actor_id: UserId::new("u1"),
            actor_name: "Agent".into(),
            at,
            change,
        }
    }
    fn moved(at: DateTime<Utc>, from: Status, to: Status) -> TicketEvent {
        event(at, Change::StatusChanged { from, to })
    }

    #[test]
    fn the_issue_example_waiting_moves_the_due_time() {
        // Created 08:00 with a 2-hour target, waiting 09:00–10:05: due 11:05.
        let mut timeline = SlaTimeline::new(mon(0, 8, 0), Priority::High);
        timeline.waiting.push(Period::closed(mon(0, 9, 0), mon(0, 10, 5)));
        let status = evaluate(&policy(), &timeline, mon(0, 10, 30));
        assert_eq!(status.first_response.due_at, mon(0, 11, 5));
        assert_eq!(status.first_response.state, SlaState::Pending);
        assert_eq!(status.first_response.elapsed, Duration::minutes(85));
        assert_eq!(status.first_response.remaining, Duration::minutes(35));
        // At risk after 80% of 2h = 96 minutes of counted time: 10:05 + 36 min.
        assert_eq!(status.first_response.warn_at, mon(0, 10, 41));
        // Resolution (8h) moves by the same 65 minutes: 08:00 + 8h + 1h05.
        assert_eq!(status.resolution.due_at, mon(0, 17, 5));
        // The same around the clock.
        let around = SlaPolicy::around_the_clock(*policy().targets(), AtRiskShare::DEFAULT);
        assert_eq!(evaluate(&around, &timeline, mon(0, 10, 30)).first_response.due_at, mon(0, 11, 5));
    }

    #[test]
    fn waiting_overnight_counts_only_business_time_of_the_pause() {
        // Weekdays 09:00–17:00; created Mon 16:00, high: 2h first response.
        let policy = policy_on(weekday_calendar("UTC", "09:00", "17:00"));
        let mut timeline = SlaTimeline::new(mon(0, 16, 0), Priority::High);
        assert_eq!(evaluate(&policy, &timeline, mon(0, 16, 0)).first_response.due_at, mon(1, 10, 0));
        // Waiting Mon 16:30 → Tue 10:00 is 30 + 60 business minutes: due moves from Tue 10:00 to 11:30.
        timeline.waiting.push(Period::closed(mon(0, 16, 30), mon(1, 10, 0)));
        assert_eq!(evaluate(&policy, &timeline, mon(1, 10, 0)).first_response.due_at, mon(1, 11, 30));
    }

    #[test]
    fn while_waiting_the_clock_is_paused_and_due_is_projected_from_now() {
        let mut timeline = SlaTimeline::new(mon(0, 8, 0), Priority::High);
        timeline.waiting.push(Period::open(mon(0, 9, 0)));
        // Hours later, still waiting: 1h used, 1h left, counted from now.
        let status = evaluate(&policy(), &timeline, mon(0, 15, 0));
        let fr = status.first_response;
        assert!(fr.paused);
        assert_eq!((fr.state, fr.elapsed, fr.remaining), (SlaState::Pending, Duration::hours(1), Duration::hours(1)));
        assert_eq!(fr.due_at, mon(0, 16, 0));
        assert_eq!(fr.next_change_at(), None, "a paused clock changes nothing by itself");
        assert_eq!(status.next_change_at(), None);
        // Overnight the projection follows the calendar: Tue 08:00 + 1h.
        assert_eq!(evaluate(&policy(), &timeline, mon(0, 23, 0)).first_response.due_at, mon(1, 9, 0));
    }

    #[test]
    fn states_over_time_with_the_at_risk_threshold() {
        // High: 2h first response; 80% = 96 min. Created Mon 08:00, no pauses.
        let timeline = SlaTimeline::new(mon(0, 8, 0), Priority::High);
        let at = |h, m| evaluate(&policy(), &timeline, mon(0, h, m)).first_response;
        assert_eq!(at(9, 35).state, SlaState::Pending);
        assert_eq!(at(9, 35).next_change_at(), Some(mon(0, 9, 36)));
        assert_eq!(at(9, 36).state, SlaState::AtRisk);
        assert_eq!(at(9, 36).next_change_at(), Some(mon(0, 10, 0)));
        assert_eq!(at(10, 0).state, SlaState::AtRisk, "due_at is the last instant that still meets");
        assert_eq!(at(10, 0).remaining, Duration::zero());
        let late = at(10, 45);
        assert_eq!(
            (late.state, late.overdue, late.remaining),
            (SlaState::Breached, Duration::minutes(45), Duration::zero())
        );
        assert_eq!(late.next_change_at(), None);
    }

    #[test]
    fn first_response_met_stays_met_and_breached_stays_breached() {
        let mut timeline = SlaTimeline::new(mon(0, 8, 0), Priority::High);
        timeline.first_responded_at = Some(mon(0, 9, 50));
        let fr = evaluate(&policy(), &timeline, mon(3, 12, 0)).first_response;
        assert_eq!(
            (fr.state, fr.completed_at, fr.elapsed),
            (SlaState::Met, Some(mon(0, 9, 50)), Duration::minutes(110))
        );
        // Waiting after the reply moves nothing.
        timeline.waiting.push(Period::closed(mon(0, 11, 0), mon(1, 11, 0)));
        assert_eq!(evaluate(&policy(), &timeline, mon(3, 12, 0)).first_response.state, SlaState::Met);

        let mut late = SlaTimeline::new(mon(0, 8, 0), Priority::High);
        assert_eq!(evaluate(&policy(), &late, mon(0, 11, 0)).first_response.state, SlaState::Breached);
        late.first_responded_at = Some(mon(0, 11, 0));
        let fr = evaluate(&policy(), &late, mon(0, 12, 0)).first_response;
        assert_eq!((fr.state, fr.overdue), (SlaState::Breached, Duration::hours(1)));
        // A reply at the due instant meets.
        late.first_responded_at = Some(mon(0, 10, 0));
        assert_eq!(evaluate(&policy(), &late, mon(0, 12, 0)).first_response.state, SlaState::Met);
    }

    #[test]
    fn a_reply_after_the_close_is_late_even_though_no_business_time_passed() {
        // Due Mon 18:00 (the close); replying at 20:00 the same evening is a breach with nothing
        // overdue in business time.
        let mut timeline = SlaTimeline::new(mon(0, 16, 0), Priority::High);
        timeline.first_responded_at = Some(mon(0, 20, 0));
        let fr = evaluate(&policy(), &timeline, mon(0, 21, 0)).first_response;
        assert_eq!((fr.due_at, fr.state, fr.overdue), (mon(0, 18, 0), SlaState::Breached, Duration::zero()));
    }

    #[test]
    fn resolving_without_a_reply_completes_the_first_response() {
        let mut timeline = SlaTimeline::new(mon(0, 8, 0), Priority::High);
        timeline.resolved.push(Period::open(mon(0, 9, 0)));
        let status = evaluate(&policy(), &timeline, mon(2, 9, 0));
        assert_eq!(
            (status.first_response.state, status.first_response.completed_at),
            (SlaState::Met, Some(mon(0, 9, 0)))
        );
        assert_eq!(status.resolution.state, SlaState::Met);
        assert_eq!(status.next_change_at(), None);
    }

    #[test]
    fn a_reopen_resumes_the_resolution_clock_where_it_stopped() {
        // High: 8h resolution. 3h used Monday, resolved at 11:00, reopened Wednesday 10:00.
        let mut timeline = SlaTimeline::new(mon(0, 8, 0), Priority::High);
        timeline.first_responded_at = Some(mon(0, 9, 0));
        timeline.resolved.push(Period::closed(mon(0, 11, 0), mon(2, 10, 0)));
        let status = evaluate(&policy(), &timeline, mon(2, 11, 0)).resolution;
        assert_eq!(
            (status.state, status.elapsed, status.remaining),
            (SlaState::Pending, Duration::hours(4), Duration::hours(4))
        );
        assert_eq!(status.due_at, mon(2, 15, 0));
        assert_eq!(status.completed_at, None, "the reopen undid the resolution");
        // While it was resolved it was met.
        let before = evaluate(&policy(), &timeline, mon(1, 12, 0)).resolution;
        assert_eq!((before.state, before.completed_at), (SlaState::Met, Some(mon(0, 11, 0))));
        // Resolved again at 14:00 Wednesday: 7h used in all, met.
        timeline.resolved.push(Period::open(mon(2, 14, 0)));
        let after = evaluate(&policy(), &timeline, mon(3, 9, 0)).resolution;
        assert_eq!((after.state, after.elapsed), (SlaState::Met, Duration::hours(7)));
        // Or reopened and left until the due passes: breached.
        timeline.resolved.pop();
        assert_eq!(evaluate(&policy(), &timeline, mon(2, 15, 1)).resolution.state, SlaState::Breached);
    }

    #[test]
    fn a_breach_survives_resolution_and_reopening() {
        // High: 8h resolution (weekdays 08:00–18:00). Resolved Tue 09:00 after 11h, reopened
        // 10:00, resolved again 10:30: 11.5h used, due was Mon 16:00.
        let mut timeline = SlaTimeline::new(mon(0, 8, 0), Priority::High);
        timeline.resolved.push(Period::closed(mon(1, 9, 0), mon(1, 10, 0)));
        timeline.resolved.push(Period::open(mon(1, 10, 30)));
        let status = evaluate(&policy(), &timeline, mon(1, 11, 0)).resolution;
        assert_eq!((status.state, status.overdue), (SlaState::Breached, Duration::minutes(210)));
        assert_eq!(status.due_at, mon(0, 16, 0));
    }

    #[test]
    fn a_priority_change_recomputes_from_the_start_keeping_pauses() {
        // Medium: 4h first response. Created 08:00, waiting 09:00–10:00.
        let mut timeline = SlaTimeline::new(mon(0, 8, 0), Priority::Medium);
        timeline.waiting.push(Period::closed(mon(0, 9, 0), mon(0, 10, 0)));
        assert_eq!(evaluate(&policy(), &timeline, mon(0, 10, 30)).first_response.due_at, mon(0, 13, 0));
        // Raised to high (2h) at 10:30: due from the start, pause kept → 11:00; 90 of 120 minutes
        // used, at risk from 96.
        timeline.priority = Priority::High;
        let fr = evaluate(&policy(), &timeline, mon(0, 10, 30)).first_response;
        assert_eq!((fr.due_at, fr.state, fr.target), (mon(0, 11, 0), SlaState::Pending, Duration::hours(2)));
        assert_eq!(fr.warn_at, mon(0, 10, 36));
        // Raised at 11:30 instead: already past the new due time.
        assert_eq!(evaluate(&policy(), &timeline, mon(0, 11, 30)).first_response.state, SlaState::Breached);
        // Lowered to low (8h): 08:00 + 8h + 1h pause = 17:00.
        timeline.priority = Priority::Low;
        assert_eq!(evaluate(&policy(), &timeline, mon(0, 11, 30)).first_response.due_at, mon(0, 17, 0));
    }

    #[test]
    fn business_hours_in_a_zone_across_a_weekend_and_a_clock_change() {
        // New York, weekdays 09:00–17:00. Created Fri 2026-03-06 16:00 EST (21:00Z), high: 2h.
        // 1h Friday, then Monday 2026-03-09 09:00 EDT (13:00Z) + 1h = 14:00Z.
        let policy = policy_on(weekday_calendar("America/New_York", "09:00", "17:00"));
        let timeline = SlaTimeline::new(utc(2026, 3, 6, 21, 0), Priority::High);
        let fr = evaluate(&policy, &timeline, utc(2026, 3, 7, 12, 0)).first_response;
        assert_eq!(fr.due_at, utc(2026, 3, 9, 14, 0));
        assert_eq!(fr.elapsed, Duration::hours(1));
    }

    #[test]
    fn the_timeline_follows_the_history() {
        let created = mon(0, 8, 0);
        let events = vec![
            event(
                created,
                Change::Created {
                    subject: "s".into(),
                    status: Status::Open,
                    priority: Priority::Medium,
                    category_id: None,
                },
            ),
            moved(mon(0, 9, 0), Status::Open, Status::InProgress),
            event(mon(0, 9, 1), Change::NoteAdded { response_id: ResponseId::new() }),
            event(mon(0, 9, 2), Change::Replied { response_id: ResponseId::new() }),
            moved(mon(0, 9, 5), Status::InProgress, Status::Waiting),
            event(mon(0, 9, 6), Change::PriorityChanged { from: Priority::Medium, to: Priority::High }),
            moved(mon(0, 11, 0), Status::Waiting, Status::InProgress),
            moved(mon(0, 12, 0), Status::InProgress, Status::Resolved),
            moved(mon(1, 9, 0), Status::Resolved, Status::InProgress),
            moved(mon(1, 10, 0), Status::InProgress, Status::Waiting),
            moved(mon(1, 10, 30), Status::Waiting, Status::Resolved),
            moved(mon(2, 10, 0), Status::Resolved, Status::Closed),
        ];
        // Out of order on purpose: `at` decides.
        let mut shuffled = events.clone();
        shuffled.reverse();
        let timeline = SlaTimeline::from_events(created, Priority::High, Some(mon(0, 9, 2)), &shuffled);
        assert_eq!(
            timeline.waiting,
            vec![Period::closed(mon(0, 9, 5), mon(0, 11, 0)), Period::closed(mon(1, 10, 0), mon(1, 10, 30))]
        );
        assert_eq!(timeline.resolved, vec![Period::closed(mon(0, 12, 0), mon(1, 9, 0)), Period::open(mon(1, 10, 30))]);
        assert_eq!(timeline.first_responded_at, Some(mon(0, 9, 2)));
        // Resolution: 08:00–09:05 (65) + 11:00–12:00 (60) + Tue 09:00–10:00 (60) = 185 minutes.
        let status = evaluate(&policy(), &timeline, mon(3, 9, 0));
        assert_eq!((status.resolution.state, status.resolution.elapsed), (SlaState::Met, Duration::minutes(185)));
        assert_eq!(status.resolution.completed_at, Some(mon(1, 10, 30)));
        assert_eq!(
            (status.first_response.state, status.first_response.elapsed),
            (SlaState::Met, Duration::minutes(62))
        );
    }

    #[test]
    fn closing_straight_from_waiting_and_reopening_from_closed_never_happen_twice() {
        // waiting → closed closes the pause and starts one stop.
        let events =
            [moved(mon(0, 9, 0), Status::Open, Status::Waiting), moved(mon(0, 10, 0), Status::Waiting, Status::Closed)];
        let timeline = SlaTimeline::from_events(mon(0, 8, 0), Priority::Low, None, &events);
        assert_eq!(timeline.waiting, vec![Period::closed(mon(0, 9, 0), mon(0, 10, 0))]);
        assert_eq!(timeline.resolved, vec![Period::open(mon(0, 10, 0))]);
        let status = evaluate(&policy(), &timeline, mon(0, 11, 0));
        assert_eq!(status.resolution.elapsed, Duration::hours(1));
        assert_eq!(status.first_response.completed_at, Some(mon(0, 10, 0)));
    }

    #[test]
    fn for_ticket_reads_the_ticket_fields() {
        use crate::ticket::{Description, MemberRef, Subject};
        let ticket = Ticket {
            id: TicketId::new(),
            client_id: ClientId::new("c1"),
            number: 1,
            subject: Subject::new("s").unwrap_or_else(|_| unreachable!()),
            description: Description::new("d").unwrap_or_else(|_| unreachable!()),
            status: Status::Open,
            priority: Priority::Low,
            category_id: None,
            member: MemberRef { id: UserId::new("m"), name: "M".into(), email: "m@example.org".into() },
            assignee_id: None,
            created_at: mon(0, 8, 0),
            updated_at: mon(0, 8, 0),
            first_responded_at: Some(mon(0, 9, 0)),
            resolved_at: None,
            closed_at: None,
            version: 1,
            sla: Default::default(),
        };
        let timeline = SlaTimeline::for_ticket(&ticket, &[]);
        assert_eq!(
            timeline,
            SlaTimeline { first_responded_at: Some(mon(0, 9, 0)), ..SlaTimeline::new(mon(0, 8, 0), Priority::Low) }
        );
    }

    #[test]
    fn sla_state_spelling() {
        for state in SlaState::ALL {
            assert_eq!(SlaState::parse(state.as_str()), Ok(state));
            assert_eq!(serde_json::to_string(&state).unwrap_or_default(), format!("\"{state}\""));
        }
        assert!(SlaState::parse("late").is_err());
    }

    // --- Properties ---------------------------------------------------------------------------

    fn policies() -> Vec<SlaPolicy> {
        vec![
            policy(),
            policy_on(weekday_calendar("Europe/London", "09:00", "17:30")),
            policy_on(weekday_calendar("America/New_York", "07:00", "19:00")),
            SlaPolicy::around_the_clock(*policy().targets(), AtRiskShare::DEFAULT),
        ]
    }

    fn any_priority() -> impl Strategy<Value = Priority> {
        prop::sample::select(Priority::ALL.to_vec())
    }

    prop_compose! {
        fn instant()(minutes in 0i64..(2 * 366 * 24 * 60)) -> DateTime<Utc> {
            utc(2025, 6, 1, 0, 0) + Duration::minutes(minutes)
        }
    }

    prop_compose! {
        /// A timeline of alternating running / waiting / resolved stretches.
        fn timeline()(created in instant(), priority in any_priority(),
                      steps in prop::collection::vec((0u8..3, 1i64..(3 * 24 * 60)), 0..8),
                      reply_after in prop::option::of(1i64..(5 * 24 * 60)))
                      -> SlaTimeline {
            let mut timeline = SlaTimeline::new(created, priority);
            timeline.first_responded_at = reply_after.map(|m| created + Duration::minutes(m));
            let mut status = Status::Open;
            let mut at = created;
            for (kind, minutes) in steps {
                at += Duration::minutes(minutes);
                let to = [Status::InProgress, Status::Waiting, Status::Resolved][kind as usize];
                if crate::workflow::can_move(status, to) {
                    timeline.record_move(status, to, at);
                    status = to;
                }
            }
            timeline
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(150))]

        #[test]
        fn due_times_are_never_before_the_start(p in 0usize..4, timeline in timeline(), later in 0i64..(20 * 24 * 60)) {
            let now = timeline.created_at + Duration::minutes(later);
            let status = evaluate(&policies()[p], &timeline, now);
            for t in [status.first_response, status.resolution] {
                prop_assert!(t.due_at > timeline.created_at);
                prop_assert!(t.warn_at > timeline.created_at && t.warn_at <= t.due_at);
                prop_assert_eq!(t.elapsed + t.remaining - t.overdue, t.target);
                match t.state {
                    SlaState::Met => prop_assert!(t.completed_at.is_some_and(|c| c <= t.due_at)),
                    SlaState::Breached => prop_assert!(t.completed_at.unwrap_or(now) > t.due_at),
                    SlaState::AtRisk => prop_assert!(t.completed_at.is_none() && now >= t.warn_at && now <= t.due_at),
                    SlaState::Pending => prop_assert!(t.completed_at.is_none() && now < t.warn_at),
                }
            }
        }

        #[test]
        fn pausing_for_business_time_p_delays_the_due_time_by_exactly_p(
            p in 0usize..4, created in instant(), priority in any_priority(),
            pause_at in 0i64..(3 * 24 * 60), pause_for in 1i64..(4 * 24 * 60),
        ) {
            let policy = &policies()[p];
            let calendar = policy.counting_calendar();
            let unpaused = SlaTimeline::new(created, priority);
            let now = created + Duration::days(60);
            let due = evaluate(policy, &unpaused, now).resolution.due_at;
            let (from, until) = (created + Duration::minutes(pause_at), created + Duration::minutes(pause_at + pause_for));
            prop_assume!(from < due);
            let mut paused = unpaused.clone();
            paused.waiting.push(Period::closed(from, until));
            let moved = evaluate(policy, &paused, now).resolution.due_at;
            let pause = business_duration_between(calendar, from, until);
            prop_assert_eq!(business_duration_between(calendar, due, moved), pause);
            prop_assert_eq!(moved, if pause.is_zero() { due } else { add_business_time(calendar, due, pause) });
        }

        #[test]
        fn settled_states_stay_settled_as_time_passes(p in 0usize..4, timeline in timeline(), a in 0i64..(20 * 24 * 60), b in 0i64..(20 * 24 * 60)) {
            let last = [timeline.first_responded_at]
                .into_iter()
                .flatten()
                .chain(timeline.waiting.iter().chain(&timeline.resolved).flat_map(|p| [Some(p.from), p.until]).flatten())
                .max()
                .unwrap_or(timeline.created_at);
            let (a, b) = (a.min(b), a.max(b));
            let earlier = evaluate(&policies()[p], &timeline, last + Duration::minutes(a));
            let later = evaluate(&policies()[p], &timeline, last + Duration::minutes(b));
            for (e, l) in [(earlier.first_response, later.first_response), (earlier.resolution, later.resolution)] {
                if e.state.is_settled() {
                    prop_assert_eq!(e.state, l.state);
                }
                if e.state == SlaState::AtRisk {
                    prop_assert!(matches!(l.state, SlaState::AtRisk | SlaState::Breached));
                }
                prop_assert!(l.elapsed >= e.elapsed);
            }
        }

        #[test]
        fn a_breached_first_response_stays_breached_after_the_reply(p in 0usize..4, created in instant(), priority in any_priority(), late in 1i64..(3 * 24 * 60)) {
            let policy = &policies()[p];
            let mut timeline = SlaTimeline::new(created, priority);
            let due = evaluate(policy, &timeline, created).first_response.due_at;
            let now = due + Duration::minutes(late);
            prop_assert_eq!(evaluate(policy, &timeline, now).first_response.state, SlaState::Breached);
            timeline.first_responded_at = Some(now);
            prop_assert_eq!(evaluate(policy, &timeline, now + Duration::days(1)).first_response.state, SlaState::Breached);
        }
    }
}
