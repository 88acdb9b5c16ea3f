//! Fixtures shared by the domain's unit tests.

use crate::access::{Actor, Role};
use crate::ids::{ClientId, TicketId, UserId};
use crate::ticket::{Description, MemberRef, Priority, Status, Subject, Ticket};
use chrono::Utc;

/// An actor of `client` with one role.
pub(crate) fn actor(client: &str, user: &str, role: Role) -> Actor {
    Actor::new(UserId::new(user), ClientId::new(client), "N".into(), "n@example.org".into(), vec![role])
        .unwrap_or_else(|| unreachable!())
}

/// An open ticket of `client` raised by `member`.
pub(crate) fn ticket(client: &str, member: &str) -> Ticket {
    Ticket {
        id: TicketId::new(),
        client_id: ClientId::new(client),
        number: 1,
        subject: Subject::new("s").unwrap_or_else(|_| unreachable!()),
        description: Description::new("d").unwrap_or_else(|_| unreachable!()),
        status: Status::Open,
        priority: Priority::Medium,
        category_id: None,
        member: MemberRef { id: UserId::new(member), name: "M".into(), email: "m@example.org".into() },
        assignee_id: None,
        created_at: Utc::now(),
        updated_at: Utc::now(),
        first_responded_at: None,
        resolved_at: None,
        closed_at: None,
        version: 1,
        sla: Default::default(),
    }
}
