//! When summaries regenerate: which changes are significant, and a debounce so that a burst of
//! changes makes one call. Pure: the caller gives the events since the last summary and the
//! time.
//!
//! Significant: the ticket's creation, a public reply from either side, a status change, and an
//! edit of the subject or description that changes its words. Not significant: internal notes
//! (they are included whenever the summary next regenerates, or on "Refresh Summary"),
//! priority, category and assignee changes, SLA bookkeeping, and edits that only touch case,
//! spacing or punctuation.
//!
//! Debounce ([`RefreshPolicy`]): regenerate once the ticket has been quiet for `quiet` after
//! the last significant change, but no later than `max_delay` after the first one still
//! pending (a never-ending conversation still gets summaries), and never sooner than
//! `min_interval` after the previous summary.
//!
//! The outbox consumer of automatic regeneration (`usecases/summary_refresh.rs`) asks
//! [`decide`] for each significant event and schedules the ticket's "refresh due at" record
//! for `until` (or now); the refresh worker asks again when the record is due: `Now` →
//! generate; `Wait { until }` → put the record back until then; `UpToDate` → done. Every event
//! of a burst pushes the same record, and once the summary is generated the rest find it up to
//! date.

use crate::event::{Change, TicketEvent};
use chrono::{DateTime, Duration, Utc};

/// Whether a change calls for a new summary.
pub fn is_significant(change: &Change) -> bool {
    match change {
        Change::Created { .. } | Change::Replied { .. } | Change::StatusChanged { .. } => true,
        Change::SubjectChanged { from, to } | Change::DescriptionChanged { from, to } => !trivial_edit(from, to),
        _ => false,
    }
}

/// An edit that leaves the words as they were: only case, spacing or punctuation changed
/// (`"cant  login!"` → `"Can't login."`). Changing, adding or removing a word is not trivial —
/// "is working" → "is not working" means the opposite.
pub fn trivial_edit(from: &str, to: &str) -> bool {
    fn words(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric() && c != '\'')
            .map(|w| w.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>())
            .filter(|w| !w.is_empty())
            .collect()
    }
    words(from) == words(to)
}

/// The debounce windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshPolicy {
    /// How long the ticket must be quiet after a significant change.
    pub quiet: Duration,
    /// The longest a significant change waits for its summary.
    pub max_delay: Duration,
    /// The shortest time between two generated summaries of a ticket.
    pub min_interval: Duration,
}

impl Default for RefreshPolicy {
    /// 30 s quiet, at most 5 min late, at most one summary a minute per ticket.
    fn default() -> Self {
        RefreshPolicy {
            quiet: Duration::seconds(30),
            max_delay: Duration::minutes(5),
            min_interval: Duration::minutes(1),
        }
    }
}

impl RefreshPolicy {
    /// Windows must not be negative, and `quiet` must not exceed `max_delay`.
    pub fn new(quiet: Duration, max_delay: Duration, min_interval: Duration) -> Result<RefreshPolicy, String> {
        if quiet < Duration::zero() || max_delay < Duration::zero() || min_interval < Duration::zero() {
            return Err("debounce windows must not be negative".into());
        }
        if quiet > max_delay {
            return Err("the quiet window must not be longer than the maximum delay".into());
        }
        Ok(RefreshPolicy { quiet, max_delay, min_interval })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshDecision {
    /// Nothing significant since the last summary.
    UpToDate,
    /// Something is pending; ask again at `until`.
    Wait { until: DateTime<Utc> },
    /// Generate now.
    Now,
}

/// Whether to regenerate a ticket's summary now. `last_generated_at` is when the current
/// summary was generated (`None`: there is none); `events` may hold any of the ticket's events
/// — only those after `last_generated_at` and not after `now` count.
pub fn decide(
    policy: &RefreshPolicy,
    last_generated_at: Option<DateTime<Utc>>,
    events: &[TicketEvent],
    now: DateTime<Utc>,
) -> RefreshDecision {
    let pending: Vec<DateTime<Utc>> = events
        .iter()
        .filter(|e| last_generated_at.is_none_or(|g| e.at > g) && e.at <= now)
        .filter(|e| is_significant(&e.change))
        .map(|e| e.at)
        .collect();
    let (Some(first), Some(last)) = (pending.iter().min(), pending.iter().max()) else {
        return RefreshDecision::UpToDate;
    };
    let mut due = (*last + policy.quiet).min(*first + policy.max_delay);
    if let Some(generated) = last_generated_at {
        due = due.max(generated + policy.min_interval);
    }
    if now >= due { RefreshDecision::Now } else { RefreshDecision::Wait { until: due } }
}

/// Whether the ticket changed (in a way that matters) since a summary: for the API's "changed
/// since" flag.
pub fn stale(last_generated_at: DateTime<Utc>, events: &[TicketEvent]) -> bool {
    events.iter().any(|e| e.at > last_generated_at && is_significant(&e.change))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::context::fixtures::{at, event, login_ticket};
    use crate::ids::ResponseId;
    use crate::ticket::{Priority, Status};
    use proptest::prelude::*;

    fn reply(minutes_after_nine: u32) -> TicketEvent {
        let ctx = login_ticket();
        event(&ctx, minutes_after_nine, true, Change::Replied { response_id: ResponseId::new() })
    }

    fn at_secs(e: &mut TicketEvent, seconds: i64) {
        e.at = at(10, 9, 0) + Duration::seconds(seconds);
    }

    #[test]
    fn significance() {
        assert!(is_significant(&Change::Replied { response_id: ResponseId::new() }));
        assert!(is_significant(&Change::StatusChanged { from: Status::Open, to: Status::Waiting }));
        assert!(!is_significant(&Change::NoteAdded { response_id: ResponseId::new() }));
        assert!(!is_significant(&Change::PriorityChanged { from: Priority::Low, to: Priority::High }));
        assert!(!is_significant(&Change::CategoryChanged { from: None, to: None }));
        assert!(!is_significant(&Change::SubjectChanged { from: "cant  login!".into(), to: "Can't login.".into() }));
        assert!(is_significant(&Change::DescriptionChanged {
            from: "It is working".into(),
            to: "It is not working".into()
        }));
    }

    #[test]
    fn a_burst_waits_for_quiet() {
        let p = RefreshPolicy::default();
        let mut a = reply(0);
        let mut b = reply(0);
        at_secs(&mut a, 0);
        at_secs(&mut b, 20);
        let events = [a, b];
        let start = at(10, 9, 0);
        assert_eq!(
            decide(&p, None, &events, start + Duration::seconds(25)),
            RefreshDecision::Wait { until: start + Duration::seconds(50) }
        );
        assert_eq!(decide(&p, None, &events, start + Duration::seconds(50)), RefreshDecision::Now);
        assert_eq!(
            decide(&p, Some(start + Duration::seconds(50)), &events, start + Duration::seconds(60)),
            RefreshDecision::UpToDate
        );
        assert_eq!(decide(&p, None, &[], start), RefreshDecision::UpToDate);
    }

    #[test]
    fn never_sooner_than_the_minimum_interval_and_never_later_than_the_maximum_delay() {
        let p = RefreshPolicy::default();
        let start = at(10, 9, 0);
        let mut e = reply(0);
        at_secs(&mut e, 10);
        assert_eq!(
            decide(&p, Some(start), &[e.clone()], start + Duration::seconds(45)),
            RefreshDecision::Wait { until: start + Duration::seconds(60) }
        );
        // A reply every 20 s for ten minutes: the first summary is due 5 min after the first.
        let chatter: Vec<TicketEvent> = (0..30)
            .map(|i| {
                let mut e = reply(0);
                at_secs(&mut e, i * 20);
                e
            })
            .collect();
        assert_eq!(
            decide(&p, None, &chatter, start + Duration::seconds(299)),
            RefreshDecision::Wait { until: start + Duration::seconds(300) }
        );
        assert_eq!(decide(&p, None, &chatter, start + Duration::seconds(300)), RefreshDecision::Now);
    }

    #[test]
    fn trivial_events_do_not_trigger() {
        let ctx = login_ticket();
        let note = event(&ctx, 1, false, Change::NoteAdded { response_id: ResponseId::new() });
        let priority = event(&ctx, 2, false, Change::PriorityChanged { from: Priority::Low, to: Priority::High });
        let events = [note, priority];
        assert_eq!(
            decide(&RefreshPolicy::default(), Some(at(10, 8, 0)), &events, at(10, 12, 0)),
            RefreshDecision::UpToDate
        );
        assert!(!stale(at(10, 8, 0), &events));
        assert!(stale(at(10, 8, 0), &[reply(5)]));
    }

    #[test]
    fn policies_are_checked() {
        assert!(RefreshPolicy::new(Duration::seconds(-1), Duration::minutes(1), Duration::zero()).is_err());
        assert!(RefreshPolicy::new(Duration::minutes(2), Duration::minutes(1), Duration::zero()).is_err());
        assert!(RefreshPolicy::new(Duration::zero(), Duration::zero(), Duration::zero()).is_ok());
    }

    /// Simulates the outbox worker: a check when each event arrives, another at every `until`.
    /// Returns the times summaries were generated.
    fn simulate(policy: &RefreshPolicy, events: &[TicketEvent]) -> Vec<DateTime<Utc>> {
        let mut checks: Vec<DateTime<Utc>> = events.iter().map(|e| e.at).collect();
        let mut generated: Vec<DateTime<Utc>> = Vec::new();
        let mut guard = 0;
        while let Some(i) = (0..checks.len()).min_by_key(|&i| checks[i]) {
            guard += 1;
            if guard > 10_000 {
                break;
            }
            let now = checks.swap_remove(i);
            match decide(policy, generated.last().copied(), events, now) {
                RefreshDecision::Now => generated.push(now),
                RefreshDecision::Wait { until } => checks.push(until),
                RefreshDecision::UpToDate => {}
            }
        }
        generated
    }

    proptest! {
        /// Every significant event ends up covered by a summary; summaries are at least
        /// `min_interval` apart; none comes later than `max_delay` (or `min_interval` after the
        /// previous one) after an event it covers.
        #[test]
        fn every_event_is_summarised_in_time(offsets in prop::collection::vec(0i64..1_800, 1..25)) {
            let policy = RefreshPolicy::default();
            let events: Vec<TicketEvent> = offsets.iter().map(|&s| { let mut e = reply(0); at_secs(&mut e, s); e }).collect();
            let generated = simulate(&policy, &events);
            prop_assert!(!generated.is_empty());
            for w in generated.windows(2) {
                prop_assert!(w[1] - w[0] >= policy.min_interval);
            }
            for e in &events {
                let covering = generated.iter().find(|g| **g >= e.at);
                prop_assert!(covering.is_some(), "event at {} never summarised", e.at);
                if let Some(g) = covering {
                    let previous = generated.iter().filter(|p| **p < e.at).max().copied();
                    let bound = (e.at + policy.max_delay).max(previous.map_or(e.at, |p| p + policy.min_interval));
                    prop_assert!(*g <= bound, "event at {} summarised at {}", e.at, g);
                }
            }
        }

        /// A burst with gaps shorter than `quiet` and shorter than `max_delay` in all makes one
        /// call.
        #[test]
        fn a_burst_makes_one_call(gaps in prop::collection::vec(0i64..29, 0..9)) {
            let policy = RefreshPolicy::default();
            let mut t = 0;
            let mut events = vec![{ let mut e = reply(0); at_secs(&mut e, 0); e }];
            for g in gaps {
                t += g;
                let mut e = reply(0);
                at_secs(&mut e, t);
                events.push(e);
            }
            prop_assert_eq!(simulate(&policy, &events).len(), 1);
        }
    }
}
