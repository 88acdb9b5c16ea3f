//! What can go wrong in a use case, and in a store. The HTTP adapter maps [`DeskError`] to
//! problem responses in one place; the variants say what the caller did, never how a driver
//! failed.

use crate::ticket::Status;
use crate::validation::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// Unknown, another client's, or (for a member) another member's. The payload names the kind
    /// of thing ("ticket", "category", "assignee") — never whether it exists elsewhere.
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("validation failed: {0}")]
    Validation(FieldErrors),
    /// The request clashes with what exists (e.g. a category name already taken); the fields
    /// say which (409 with `errors`).
    #[error("conflict: {0}")]
    Conflict(FieldErrors),
    #[error("a ticket cannot move from {from} to {to}")]
    InvalidTransition { from: Status, to: Status, allowed: Vec<Status> },
    #[error("this ticket is closed; please open a new ticket")]
    TicketClosed,
    /// `If-Match` named a version that is no longer current (of a ticket or an article).
    #[error("it has changed since version {expected}; it is now at version {current}")]
    StaleVersion { expected: i64, current: i64 },
    /// The same `Idempotency-Key` came with a different request.
    #[error("this Idempotency-Key was already used for a different request")]
    IdempotencyKeyReused,
    /// Concurrent writers kept winning; the caller may simply retry.
    #[error("the ticket is being changed by someone else; please retry")]
    Contended,
    #[error("storage failure: {0}")]
    Store(#[from] StoreError),
    /// A file is larger than the desk accepts (413).
    #[error("the file {filename:?} is larger than {limit} bytes")]
    AttachmentTooLarge { filename: String, limit: u64 },
    /// Attachment storage failed (see [`crate::attachment::StorageError`]).
    #[error(transparent)]
    Attachments(#[from] crate::attachment::StorageError),
    /// Only failed or skipped outbox messages can be queued again (409).
    #[error("an outbox message that is {status} cannot be retried")]
    NotRetryable { status: crate::notify::OutboxStatus },
}

impl From<FieldErrors> for DeskError {
    fn from(errors: FieldErrors) -> Self {
        DeskError::Validation(errors)
    }
}

impl From<crate::workflow::TransitionError> for DeskError {
    fn from(e: crate::workflow::TransitionError) -> Self {
        DeskError::InvalidTransition { from: e.from, to: e.to, allowed: e.allowed }
    }
}

/// Errors a store adapter reports, already translated from its driver.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The row changed since it was read (optimistic lock lost).
    #[error("version conflict")]
    VersionConflict,
    /// A uniqueness rule refused the write; the payload names the rule.
    #[error("duplicate: {0}")]
    Duplicate(String),
    /// The database could not be reached or timed out.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// Anything else; the message is for logs only.
    #[error("store failure: {0}")]
    Other(String),
}
