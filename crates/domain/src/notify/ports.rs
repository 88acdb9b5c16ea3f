//! The ports of delivery. Held as `Arc<dyn …>`, hence `async_trait`; with the `mocks` feature
//! mockall implements each (`MockOutboxStore`, `MockOutboxConsumer`, `MockMailer`, …).

use super::crm::{CrmActivity, CrmConfig, CrmRecorded, CrmSettings};
use super::delivery::{ClaimedMessage, Delivery, DeliveryError, OutboxFilter, OutboxPage, OutboxRecord, OutboxUpdate};
use super::email::EmailMessage;
use crate::error::StoreError;
use crate::ids::{ClientId, TicketId};
use crate::outbox::OutboxMessage;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The outbox, as workers and admins use it.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Claims up to `limit` rows of any client that are pending, available (`available_at <=
    /// now`) and not held by a live lease (`locked_until` empty or `<= now`), oldest first:
    /// sets `locked_until = lease_until` and counts the attempt. Several workers may claim at
    /// once: on PostgreSQL rows another claim holds are skipped (`FOR UPDATE SKIP LOCKED`),
    /// never waited for or taken twice; SQLite serialises writers (`BEGIN IMMEDIATE`).
    async fn claim_outbox(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<ClaimedMessage>, StoreError>;

    /// Records that `consumer` finished with the row (delivered, or had nothing to deliver), so
    /// that a retry of the row does not deliver through it again. Recording twice is a no-op.
    async fn record_consumer(&self, id: Uuid, consumer: &str, at: DateTime<Utc>) -> Result<(), StoreError>;

    /// Leaves a claimed row as `update` says, if it is still this claim's (`attempts` unchanged,
    /// still pending). `Ok(false)` when it is not: the lease expired and another worker took it.
    async fn update_outbox(&self, id: Uuid, attempts: i32, update: OutboxUpdate) -> Result<bool, StoreError>;

    /// The client's rows, newest first, after the `after` cursor (an id of the previous page).
    async fn list_outbox(
        &self,
        client: &ClientId,
        filter: &OutboxFilter,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<OutboxPage, StoreError>;

    /// One of the client's rows.
    async fn get_outbox(&self, client: &ClientId, id: Uuid) -> Result<Option<OutboxRecord>, StoreError>;

    /// Puts the client's row back in the queue (pending, available at `now`, attempts reset,
    /// lease cleared) if it is `failed` or `skipped`; `Ok(false)` when it is not (or is not
    /// the client's). Consumers that already delivered it stay recorded and are not run again.
    async fn requeue_outbox(&self, client: &ClientId, id: Uuid, now: DateTime<Utc>) -> Result<bool, StoreError>;
}

/// Something that acts on outbox messages: the email notifier, the CRM notifier.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait OutboxConsumer: Send + Sync {
    /// A stable name, recorded per row once the consumer is done with it (`email`, `crm`).
    fn name(&self) -> &'static str;
    /// Does it care for this topic (e.g. `ticket.status_changed`)?
    fn wants(&self, topic: &str) -> bool;
    /// Acts on the message. Must be safe to call again for the same message (at least once).
    async fn deliver(&self, message: &OutboxMessage) -> Result<Delivery, DeliveryError>;
}

/// Sends an email. The adapter adds the sender address from its configuration.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, message: &EmailMessage) -> Result<(), DeliveryError>;
}

/// One CRM, as one client configured it.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait CrmAdapter: Send + Sync {
    /// Records the activity: creates the ticket's note (`note_id` is `None`) or updates it. A
    /// webhook posts the event whatever the note.
    async fn record(&self, activity: &CrmActivity, note_id: Option<String>) -> Result<CrmRecorded, DeliveryError>;
}

/// Builds the adapter for a client's CRM settings (HubSpot-compatible or a webhook).
#[cfg_attr(feature = "mocks", mockall::automock)]
pub trait CrmAdapters: Send + Sync {
    fn adapter(&self, config: &CrmConfig) -> Result<Box<dyn CrmAdapter>, DeliveryError>;
}

/// The clients' CRM settings and the notes their tickets have there.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait CrmStore: Send + Sync {
    /// The client's settings; `None` when it never set any.
    async fn get_crm_settings(&self, client: &ClientId) -> Result<Option<CrmSettings>, StoreError>;
    /// Inserts or replaces the client's settings.
    async fn put_crm_settings(&self, settings: &CrmSettings) -> Result<(), StoreError>;
    /// The id of the ticket's note in the client's CRM, if one was created.
    async fn get_crm_note(&self, client: &ClientId, ticket: TicketId) -> Result<Option<String>, StoreError>;
    /// Remembers (or replaces) the id of the ticket's note.
    async fn put_crm_note(
        &self,
        client: &ClientId,
        ticket: TicketId,
        note_id: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
}

/// No outbox and no CRM: nothing to claim, list or find; writes are accepted and dropped.
/// For embedders and tests that do not deliver notifications.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoNotifications;

#[async_trait]
impl OutboxStore for NoNotifications {
    async fn claim_outbox(
        &self,
        _: DateTime<Utc>,
        _: DateTime<Utc>,
        _: u32,
    ) -> Result<Vec<ClaimedMessage>, StoreError> {
        Ok(Vec::new())
    }
    async fn record_consumer(&self, _: Uuid, _: &str, _: DateTime<Utc>) -> Result<(), StoreError> {
        Ok(())
    }
    async fn update_outbox(&self, _: Uuid, _: i32, _: OutboxUpdate) -> Result<bool, StoreError> {
        Ok(false)
    }
    async fn list_outbox(
        &self,
        _: &ClientId,
        _: &OutboxFilter,
        _: Option<Uuid>,
        _: u32,
    ) -> Result<OutboxPage, StoreError> {
        Ok(OutboxPage { items: Vec::new(), next_cursor: None })
    }
    async fn get_outbox(&self, _: &ClientId, _: Uuid) -> Result<Option<OutboxRecord>, StoreError> {
        Ok(None)
    }
    async fn requeue_outbox(&self, _: &ClientId, _: Uuid, _: DateTime<Utc>) -> Result<bool, StoreError> {
        Ok(false)
    }
}

#[async_trait]
impl CrmStore for NoNotifications {
    async fn get_crm_settings(&self, _: &ClientId) -> Result<Option<CrmSettings>, StoreError> {
        Ok(None)
    }
    async fn put_crm_settings(&self, _: &CrmSettings) -> Result<(), StoreError> {
        Ok(())
    }
    async fn get_crm_note(&self, _: &ClientId, _: TicketId) -> Result<Option<String>, StoreError> {
        Ok(None)
    }
    async fn put_crm_note(&self, _: &ClientId, _: TicketId, _: &str, _: DateTime<Utc>) -> Result<(), StoreError> {
        Ok(())
    }
}
