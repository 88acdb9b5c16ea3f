//! The ticket workflow: Open → In Progress → Waiting (on member) → Resolved → Closed.
//!
//! This is the only place that decides which status may follow which, and which timestamps a
//! move sets or clears.

use crate::ticket::{Status, Ticket};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The statuses a ticket in `from` may move to. Closed is final.
pub fn allowed_next(from: Status) -> &'static [Status] {
    use Status::*;
    match from {
        Open => &[InProgress, Waiting, Resolved, Closed],
        InProgress => &[Open, Waiting, Resolved, Closed],
        Waiting => &[InProgress, Resolved, Closed],
        Resolved => &[InProgress, Closed],
        Closed => &[],
    }
}

pub fn can_move(from: Status, to: Status) -> bool {
    allowed_next(from).contains(&to)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("a ticket cannot move from {from} to {to}")]
pub struct TransitionError {
    pub from: Status,
    pub to: Status,
    pub allowed: Vec<Status>,
}

/// Moves `ticket` to `to`, keeping the resolution clock honest: resolving stamps `resolved_at`,
/// closing stamps `closed_at` (and `resolved_at` if the ticket was never resolved), reopening
/// clears `resolved_at`. The SLA clocks' pauses (waiting) and stops (resolved, closed) are
/// recorded in `ticket.sla.periods`. Returns the previous status.
pub fn transition(ticket: &mut Ticket, to: Status, now: DateTime<Utc>) -> Result<Status, TransitionError> {
    let from = ticket.status;
    if !can_move(from, to) {
        return Err(TransitionError { from, to, allowed: allowed_next(from).to_vec() });
    }
    ticket.status = to;
    ticket.sla.periods.record_move(from, to, now);
    match to {
        Status::Resolved => ticket.resolved_at = Some(now),
        Status::Closed => {
            ticket.closed_at = Some(now);
            ticket.resolved_at.get_or_insert(now);
        }
        Status::Open | Status::InProgress | Status::Waiting => ticket.resolved_at = None,
    }
    Ok(from)
}

/// The status a member's public reply moves a ticket to: a ticket waiting on the member, or one
/// the member answers after it was resolved, goes back to the staff's side of the desk.
pub fn after_member_reply(current: Status) -> Option<Status> {
    match current {
        Status::Waiting | Status::Resolved => Some(Status::InProgress),
        Status::Open | Status::InProgress | Status::Closed => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ClientId, TicketId, UserId};
    use crate::ticket::{Description, MemberRef, Priority, Subject};
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn ticket(status: Status) -> Ticket {
        let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).single().unwrap_or_default();
        Ticket {
            id: TicketId::new(),
            client_id: ClientId::new("c1"),
            number: 1,
            subject: Subject::new("Subject").unwrap_or_else(|_| unreachable!()),
            description: Description::new("Body").unwrap_or_else(|_| unreachable!()),
            status,
            priority: Priority::Medium,
            category_id: None,
            member: MemberRef { id: UserId::new("m1"), name: "Ann".into(), email: "ann@example.org".into() },
            assignee_id: None,
            created_at: at,
            updated_at: at,
            first_responded_at: None,
            resolved_at: None,
            closed_at: None,
            version: 1,
            sla: Default::default(),
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 6, 12, 0, 0).single().unwrap_or_default()
    }

    #[test]
    fn the_specified_moves_are_exactly_the_allowed_ones() {
        use Status::*;
        let expected: &[(Status, &[Status])] = &[
            (Open, &[InProgress, Waiting, Resolved, Closed]),
            (InProgress, &[Open, Waiting, Resolved, Closed]),
            (Waiting, &[InProgress, Resolved, Closed]),
            (Resolved, &[InProgress, Closed]),
            (Closed, &[]),
        ];
        for (from, allowed) in expected {
            for to in Status::ALL {
                assert_eq!(can_move(*from, to), allowed.contains(&to), "{from} -> {to}");
            }
        }
    }

    #[test]
    fn closed_is_final() {
        let mut t = ticket(Status::Closed);
        let err = transition(&mut t, Status::Open, now()).err();
        assert_eq!(err.map(|e| e.allowed), Some(vec![]));
        assert_eq!(t.status, Status::Closed);
    }

    #[test]
    fn waiting_cannot_go_back_to_open() {
        let mut t = ticket(Status::Waiting);
        let err = transition(&mut t, Status::Open, now()).err();
        assert_eq!(
            err,
            Some(TransitionError {
                from: Status::Waiting,
                to: Status::Open,
                allowed: vec![Status::InProgress, Status::Resolved, Status::Closed]
            })
        );
    }

    #[test]
    fn resolving_and_reopening_track_resolution_time() {
        let mut t = ticket(Status::InProgress);
        assert_eq!(transition(&mut t, Status::Resolved, now()), Ok(Status::InProgress));
        assert_eq!(t.resolved_at, Some(now()));
        transition(&mut t, Status::InProgress, now()).unwrap_or_else(|_| unreachable!());
        assert_eq!(t.resolved_at, None, "a reopen clears resolvedAt");
        transition(&mut t, Status::Closed, now()).unwrap_or_else(|_| unreachable!());
        assert_eq!(t.closed_at, Some(now()));
        assert_eq!(t.resolved_at, Some(now()), "closing an unresolved ticket resolves it");
    }

    #[test]
    fn member_reply_reactivates_waiting_and_resolved() {
        assert_eq!(after_member_reply(Status::Waiting), Some(Status::InProgress));
        assert_eq!(after_member_reply(Status::Resolved), Some(Status::InProgress));
        assert_eq!(after_member_reply(Status::Open), None);
        assert_eq!(after_member_reply(Status::InProgress), None);
        for from in Status::ALL {
            if let Some(to) = after_member_reply(from) {
                assert!(can_move(from, to), "member reply must follow the workflow");
            }
        }
    }

    fn any_status() -> impl Strategy<Value = Status> {
        prop::sample::select(Status::ALL.to_vec())
    }

    proptest! {
        /// Whatever sequence of moves is attempted, the ticket only ever takes allowed steps,
        /// refused moves change nothing, and the timestamps agree with the status.
        #[test]
        fn any_walk_keeps_the_invariants(moves in prop::collection::vec(any_status(), 0..40)) {
            let mut t = ticket(Status::Open);
            for to in moves {
                let before = t.clone();
                match transition(&mut t, to, now()) {
                    Ok(from) => {
                        prop_assert!(can_move(from, to));
                        prop_assert_eq!(t.status, to);
                    }
                    Err(e) => {
                        prop_assert_eq!(&t, &before);
                        prop_assert_eq!(e.allowed, allowed_next(before.status).to_vec());
                    }
                }
                match t.status {
                    Status::Resolved | Status::Closed => prop_assert!(t.resolved_at.is_some()),
                    _ => prop_assert!(t.resolved_at.is_none()),
                }
                prop_assert_eq!(t.closed_at.is_some(), t.status == Status::Closed);
            }
        }
    }
}
