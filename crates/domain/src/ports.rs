//! The ports: what the domain needs from the outside world. Adapters implement them; the
//! composition root hands them to [`crate::Desk`]. Held as `Arc<dyn …>`, hence `async_trait`.

use crate::attachment::{Attachment, StorageError};
use crate::error::StoreError;
use crate::event::TicketEvent;
use crate::ids::{AttachmentId, CategoryId, ClientId, ResponseId, TicketId, UserId};
use crate::outbox::OutboxMessage;
use crate::query::{Cursor, Page, QueueStats, Sort, TicketFilter};
use crate::response::Response;
use crate::ticket::Ticket;
use crate::user::DirectoryUser;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

pub use crate::catalog_ports::{CannedResponseStore, CategoryStore, ClientStore};
#[cfg(feature = "mocks")]
pub use crate::catalog_ports::{MockCannedResponseStore, MockCategoryStore, MockClientStore};
#[cfg(feature = "mocks")]
pub use crate::sla_ports::MockSlaStore;
pub use crate::sla_ports::{ClaimedCheck, SlaStore};

/// A retry-safe request: the caller's `Idempotency-Key` and a fingerprint of its request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    pub key: String,
    pub fingerprint: String,
}

/// What a first request with an idempotency key produced, stored with it in the same
/// transaction so that a retry can answer with the same result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRecord {
    pub client_id: ClientId,
    pub user_id: UserId,
    pub key: String,
    pub fingerprint: String,
    pub ticket_id: TicketId,
    /// Set when the request created a response.
    pub response_id: Option<ResponseId>,
    pub created_at: DateTime<Utc>,
}

/// Everything that must be written together with a ticket's new state, in one transaction.
/// The responses' attachments (their metadata rows) are part of it: a response and its
/// attachments are stored together or not at all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Commit {
    pub responses: Vec<Response>,
    pub events: Vec<TicketEvent>,
    pub outbox: Vec<OutboxMessage>,
    pub idempotency: Option<IdempotencyRecord>,
}

/// Tickets and what hangs off them: responses, history, outbox, idempotency records.
///
/// Every write is one transaction: the ticket row, its responses, its events, its outbox rows
/// and its idempotency record commit together or not at all.
///
/// With the `mocks` feature, [`MockTicketStore`] implements it (see its note on `list_tickets`).
#[async_trait]
pub trait TicketStore: Send + Sync {
    /// Inserts a new ticket, giving it the client's next human number (the `number` passed in
    /// is ignored). Returns the ticket as stored. A reused idempotency key is
    /// `StoreError::Duplicate("idempotency_key")` and writes nothing.
    async fn insert_ticket(&self, ticket: Ticket, commit: Commit) -> Result<Ticket, StoreError>;

    /// Writes `ticket` (whose `version` is already `expected_version + 1`) only if the stored
    /// version is still `expected_version`; otherwise `StoreError::VersionConflict` and nothing
    /// is written.
    async fn update_ticket(&self, ticket: &Ticket, expected_version: i64, commit: Commit) -> Result<(), StoreError>;

    async fn get_ticket(&self, client: &ClientId, id: TicketId) -> Result<Option<Ticket>, StoreError>;

    /// Oldest first, each with its attachments. Notes only when `include_notes`.
    async fn list_responses(
        &self,
        client: &ClientId,
        ticket: TicketId,
        include_notes: bool,
    ) -> Result<Vec<Response>, StoreError>;

    /// With its attachments.
    async fn get_response(&self, client: &ClientId, id: ResponseId) -> Result<Option<Response>, StoreError>;

    /// One attachment's metadata, if it is the client's.
    async fn get_attachment(&self, client: &ClientId, id: AttachmentId) -> Result<Option<Attachment>, StoreError>;

    /// Oldest first. Internal events only when `include_internal`.
    async fn list_events(
        &self,
        client: &ClientId,
        ticket: TicketId,
        include_internal: bool,
    ) -> Result<Vec<TicketEvent>, StoreError>;

    /// One page of the queue, keyset-paginated on (sort key, id), with the total that matches.
    async fn list_tickets(
        &self,
        client: &ClientId,
        filter: &TicketFilter,
        sort: Sort,
        after: Option<&Cursor>,
        limit: u32,
    ) -> Result<Page<Ticket>, StoreError>;

    /// Statistics over the tickets the filter selects (`oldest_open_age_seconds` is left for
    /// the use case to fill from its clock).
    async fn queue_stats(&self, client: &ClientId, filter: &TicketFilter) -> Result<QueueStats, StoreError>;

    /// Is this a category of the client that new tickets may use (exists, not archived)?
    async fn category_usable(&self, client: &ClientId, id: CategoryId) -> Result<bool, StoreError>;

    async fn find_idempotency(
        &self,
        client: &ClientId,
        user: &UserId,
        key: &str,
    ) -> Result<Option<IdempotencyRecord>, StoreError>;

    /// Is the database reachable? (`/readyz`)
    async fn ping(&self) -> Result<(), StoreError>;
}

/// Where attachments' bytes are kept (a local directory, an S3 bucket, …), by key. Keys are
/// made by the server ([`crate::attachment::new_storage_key`]); an adapter refuses any other
/// (`StorageError::InvalidKey`), so nothing an upload says can choose where bytes are written.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait AttachmentStorage: Send + Sync {
    /// Stores the bytes under the key, replacing whatever was there; all or nothing.
    async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), StorageError>;
    /// The bytes under the key; `StorageError::NotFound` when there are none.
    async fn get(&self, key: &str) -> Result<Vec<u8>, StorageError>;
    /// Removes the bytes under the key; removing what is not there succeeds.
    async fn delete(&self, key: &str) -> Result<(), StorageError>;
}

/// The directory of the client's users, brought up to date from token claims.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait UserDirectory: Send + Sync {
    /// Inserts or updates the user (name, email, roles, last seen).
    async fn upsert_user(&self, user: &DirectoryUser) -> Result<(), StoreError>;
    async fn get_user(&self, client: &ClientId, id: &UserId) -> Result<Option<DirectoryUser>, StoreError>;
    /// The client's staff (admins and users), by name.
    async fn list_staff(&self, client: &ClientId) -> Result<Vec<DirectoryUser>, StoreError>;
}

#[cfg(feature = "mocks")]
pub use mock_ticket_store::MockTicketStore;

/// `#[automock]` cannot mock `list_tickets` (a reference inside `Option<&Cursor>` needs a named
/// lifetime, and naming it would change the signature every store must write). So the mock is
/// declared with `mock!` as plain methods of the same names — expectations read as they would
/// with `automock`, except that `list_tickets` sees the cursor as `&Option<Cursor>` — and the
/// port is implemented by delegating to them.
#[cfg(feature = "mocks")]
mod mock_ticket_store {
    use super::*;

    mockall::mock! {
        pub TicketStore {
            pub fn insert_ticket(&self, ticket: Ticket, commit: Commit) -> Result<Ticket, StoreError>;
            pub fn update_ticket(&self, ticket: &Ticket, expected_version: i64, commit: Commit) -> Result<(), StoreError>;
            pub fn get_ticket(&self, client: &ClientId, id: TicketId) -> Result<Option<Ticket>, StoreError>;
            pub fn list_responses(&self, client: &ClientId, ticket: TicketId, include_notes: bool) -> Result<Vec<Response>, StoreError>;
            pub fn get_response(&self, client: &ClientId, id: ResponseId) -> Result<Option<Response>, StoreError>;
            pub fn get_attachment(&self, client: &ClientId, id: AttachmentId) -> Result<Option<Attachment>, StoreError>;
            pub fn list_events(&self, client: &ClientId, ticket: TicketId, include_internal: bool) -> Result<Vec<TicketEvent>, StoreError>;
            pub fn list_tickets(&self, client: &ClientId, filter: &TicketFilter, sort: Sort, after: Option<Cursor>, limit: u32) -> Result<Page<Ticket>, StoreError>;
            pub fn queue_stats(&self, client: &ClientId, filter: &TicketFilter) -> Result<QueueStats, StoreError>;
            pub fn category_usable(&self, client: &ClientId, id: CategoryId) -> Result<bool, StoreError>;
            pub fn find_idempotency(&self, client: &ClientId, user: &UserId, key: &str) -> Result<Option<IdempotencyRecord>, StoreError>;
            pub fn ping(&self) -> Result<(), StoreError>;
        }
    }

    #[async_trait]
    impl TicketStore for MockTicketStore {
        async fn insert_ticket(&self, ticket: Ticket, commit: Commit) -> Result<Ticket, StoreError> {
            MockTicketStore::insert_ticket(self, ticket, commit)
        }
        async fn update_ticket(
            &self,
            ticket: &Ticket,
            expected_version: i64,
            commit: Commit,
        ) -> Result<(), StoreError> {
            MockTicketStore::update_ticket(self, ticket, expected_version, commit)
        }
        async fn get_ticket(&self, client: &ClientId, id: TicketId) -> Result<Option<Ticket>, StoreError> {
            MockTicketStore::get_ticket(self, client, id)
        }
        async fn list_responses(
            &self,
            client: &ClientId,
            ticket: TicketId,
            include_notes: bool,
        ) -> Result<Vec<Response>, StoreError> {
            MockTicketStore::list_responses(self, client, ticket, include_notes)
        }
        async fn get_response(&self, client: &ClientId, id: ResponseId) -> Result<Option<Response>, StoreError> {
            MockTicketStore::get_response(self, client, id)
        }
        async fn get_attachment(&self, client: &ClientId, id: AttachmentId) -> Result<Option<Attachment>, StoreError> {
            MockTicketStore::get_attachment(self, client, id)
        }
        async fn list_events(
            &self,
            client: &ClientId,
            ticket: TicketId,
            include_internal: bool,
        ) -> Result<Vec<TicketEvent>, StoreError> {
            MockTicketStore::list_events(self, client, ticket, include_internal)
        }
        async fn list_tickets(
            &self,
            client: &ClientId,
            filter: &TicketFilter,
            sort: Sort,
            after: Option<&Cursor>,
            limit: u32,
        ) -> Result<Page<Ticket>, StoreError> {
            MockTicketStore::list_tickets(self, client, filter, sort, after.cloned(), limit)
        }
        async fn queue_stats(&self, client: &ClientId, filter: &TicketFilter) -> Result<QueueStats, StoreError> {
            MockTicketStore::queue_stats(self, client, filter)
        }
        async fn category_usable(&self, client: &ClientId, id: CategoryId) -> Result<bool, StoreError> {
            MockTicketStore::category_usable(self, client, id)
        }
        async fn find_idempotency(
            &self,
            client: &ClientId,
            user: &UserId,
            key: &str,
        ) -> Result<Option<IdempotencyRecord>, StoreError> {
            MockTicketStore::find_idempotency(self, client, user, key)
        }
        async fn ping(&self) -> Result<(), StoreError> {
            MockTicketStore::ping(self)
        }
    }
}
