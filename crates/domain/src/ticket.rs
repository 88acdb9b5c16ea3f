//! What a ticket is: its status, priority, validated text fields and the member who raised it.

use crate::ids::{CategoryId, ClientId, TicketId, UserId};
use crate::sla::TicketSla;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a ticket stands in the workflow (see [`crate::workflow`] for the allowed moves).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    InProgress,
    Waiting,
    Resolved,
    Closed,
}

impl Status {
    pub const ALL: [Status; 5] = [Status::Open, Status::InProgress, Status::Waiting, Status::Resolved, Status::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::InProgress => "in_progress",
            Status::Waiting => "waiting",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
        }
    }

    /// Parses the API spelling; the error names every allowed value.
    pub fn parse(value: &str) -> Result<Status, String> {
        Status::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| allowed_values_message(value, Status::ALL.map(Status::as_str)))
    }

    /// Open, in progress and waiting tickets still need work (they count as load and backlog).
    pub fn is_active(self) -> bool {
        matches!(self, Status::Open | Status::InProgress | Status::Waiting)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    /// New tickets start here.
    #[default]
    Medium,
    High,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Priority::Low, Priority::Medium, Priority::High];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
        }
    }

    pub fn parse(value: &str) -> Result<Priority, String> {
        Priority::ALL
            .into_iter()
            .find(|p| p.as_str() == value)
            .ok_or_else(|| allowed_values_message(value, Priority::ALL.map(Priority::as_str)))
    }

    /// A number that sorts like the priority (low < medium < high); stores keep this so that
    /// "sort by priority" is an index order.
    pub fn rank(self) -> i16 {
        match self {
            Priority::Low => 1,
            Priority::Medium => 2,
            Priority::High => 3,
        }
    }

    pub fn from_rank(rank: i16) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.rank() == rank)
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

pub(crate) fn allowed_values_message<const N: usize>(value: &str, allowed: [&str; N]) -> String {
    format!("unknown value `{value}`; allowed values are: {}", allowed.join(", "))
}

/// A ticket's subject: one line, 1–200 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Subject(String);

impl Subject {
    pub const MAX_CHARS: usize = 200;

    pub fn new(value: &str) -> Result<Subject, String> {
        crate::validation::single_line(value, Self::MAX_CHARS).map(Subject)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Free text of a ticket description or a response body: 1–50 000 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Description(String);

impl Description {
    pub const MAX_CHARS: usize = 50_000;

    pub fn new(value: &str) -> Result<Description, String> {
        crate::validation::text_block(value, Self::MAX_CHARS).map(Description)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The member who raised a ticket, as the platform knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRef {
    pub id: UserId,
    pub name: String,
    pub email: String,
}

impl MemberRef {
    /// Validates a member given by staff when creating a ticket on a member's behalf.
    pub fn new(id: &str, name: &str, email: &str) -> Result<MemberRef, crate::FieldErrors> {
        let mut errors = crate::FieldErrors::new();
        if id.trim().is_empty() || id.len() > 200 {
            errors.add("member.id", "must be 1–200 characters");
        }
        if name.trim().is_empty() || name.chars().count() > 200 {
            errors.add("member.name", "must be 1–200 characters");
        }
        if !looks_like_email(email) {
            errors.add("member.email", "must be an email address");
        }
        errors.into_result()?;
        Ok(MemberRef { id: UserId::new(id.trim()), name: name.trim().into(), email: email.trim().into() })
    }
}

/// A deliberately small check: one `@`, something on both sides, a dot in the domain. Delivery
/// is the real test of an address; this only stops obvious typing mistakes.
pub fn looks_like_email(value: &str) -> bool {
    let value = value.trim();
    if value.len() > 254 || value.chars().any(char::is_whitespace) {
        return false;
    }
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    }
}

/// A support ticket as stored. `version` grows by one with every committed change and guards
/// against lost updates (optimistic locking, `If-Match`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: TicketId,
    pub client_id: ClientId,
    /// Human number, unique per client, shown as `#1042`.
    pub number: i64,
    pub subject: Subject,
    pub description: Description,
    pub status: Status,
    pub priority: Priority,
    pub category_id: Option<CategoryId>,
    pub member: MemberRef,
    pub assignee_id: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub first_responded_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub version: i64,
    /// The SLA: pauses and stops of its clocks, the last evaluation, the escalated flag.
    #[serde(default)]
    pub sla: TicketSla,
}

impl Ticket {
    /// The human reference, e.g. `#1042`.
    pub fn reference(&self) -> String {
        format!("#{}", self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_is_trimmed_and_bounded() {
        assert_eq!(Subject::new("  Login fails ").map(|s| s.0), Ok("Login fails".to_owned()));
        assert!(Subject::new("   ").is_err());
        assert!(Subject::new(&"x".repeat(201)).is_err());
        assert!(Subject::new(&"x".repeat(200)).is_ok());
        assert!(Subject::new("two\nlines").is_err());
    }

    #[test]
    fn unknown_status_names_allowed_values() {
        let message = Status::parse("pending").err().unwrap_or_default();
        for status in Status::ALL {
            assert!(message.contains(status.as_str()), "{message}");
        }
    }

    #[test]
    fn priority_rank_round_trips_and_orders() {
        for p in Priority::ALL {
            assert_eq!(Priority::from_rank(p.rank()), Some(p));
        }
        assert!(Priority::Low.rank() < Priority::Medium.rank());
        assert!(Priority::Medium.rank() < Priority::High.rank());
    }

    #[test]
    fn email_check_stops_obvious_mistakes() {
        assert!(looks_like_email("ann@example.org"));
        assert!(!looks_like_email("ann@example"));
        assert!(!looks_like_email("ann example.org"));
        assert!(!looks_like_email("@example.org"));
        assert!(!looks_like_email("a@b@c.org"));
    }
}
