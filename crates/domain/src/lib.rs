//! memberdesk's domain: the rules of the member-support desk and nothing else.
//!
//! - [`ticket`], [`workflow`], [`response`], [`event`]: what a ticket is and how it may change.
//! - [`access`]: who may do what (the specification's capability matrix, plus members).
//! - [`query`]: how the queue is filtered, sorted and paged.
//! - [`ports`]: the traits adapters implement (store, clock).
//! - [`usecases`]: the operations the API offers, driving the rules through the ports.
//!
//! This crate must stay free of infrastructure: no tokio, actix, diesel, lettre or HTTP client.

pub mod access;
pub mod ai;
pub mod ai_ports;
pub mod assignment;
pub mod assignment_ports;
pub mod attachment;
pub mod canned;
pub mod catalog_ports;
pub mod category;
pub mod client;
pub mod clock;
pub mod error;
pub mod event;
pub mod ids;
pub mod kb;
pub mod kb_ports;
pub mod notify;
pub mod outbox;
pub mod ports;
pub mod query;
pub mod refresh_ports;
pub mod response;
pub mod sla;
pub mod sla_ports;
pub mod template;
pub mod ticket;
pub mod usecases;
pub mod user;
pub mod validation;
pub mod workflow;

#[cfg(test)]
mod test_fixtures;

pub use access::{Action, Actor, Role};
pub use attachment::{Attachment, AttachmentLimits, NewAttachment, StorageError};
pub use canned::{CannedBody, CannedFilter, CannedResponse, CannedTitle};
pub use category::{Category, CategoryName};
pub use client::{ClientName, ClientProfile};
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{DeskError, StoreError};
pub use event::{Change, TicketEvent};
pub use ids::{
    ArticleId, AttachmentId, CannedResponseId, CategoryId, ClientId, DraftId, EventId, ResponseId, TicketId, UserId,
};
pub use outbox::OutboxMessage;
pub use query::{Cursor, Page, QueueStats, Sort, SortDirection, SortField, TicketFilter};
pub use response::{Response, ResponseKind};
pub use ticket::{Description, MemberRef, Priority, Status, Subject, Ticket};
pub use usecases::{Desk, DeskPorts};
pub use user::DirectoryUser;
pub use validation::FieldErrors;
