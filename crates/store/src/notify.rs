//! The notification ports on [`Store`]: the outbox as workers and admins use it, and the
//! clients' CRM settings and notes. Declared after the `read!`/`write!` macros of the crate
//! root, which it uses (`notify::…` names what `outbox_queries!` expands into `pg::notify`
//! and `sqlite::notify`).

use crate::{Inner, Store, bounded, detached, pg, sqlite};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use memberdesk_domain::notify::{
    ClaimedMessage, CrmSettings, CrmStore, OutboxFilter, OutboxPage, OutboxRecord, OutboxStore, OutboxUpdate,
};
use memberdesk_domain::{ClientId, StoreError, TicketId};
use uuid::Uuid;

#[async_trait]
impl OutboxStore for Store {
    async fn claim_outbox(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<ClaimedMessage>, StoreError> {
        write!(self, notify::claim_outbox(now, lease_until, limit))
    }

    async fn record_consumer(&self, id: Uuid, consumer: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        let consumer = consumer.to_owned();
        write!(self, notify::record_consumer(id, consumer, at))
    }

    async fn update_outbox(&self, id: Uuid, attempts: i32, update: OutboxUpdate) -> Result<bool, StoreError> {
        write!(self, notify::update_outbox(id, attempts, update))
    }

    async fn list_outbox(
        &self,
        client: &ClientId,
        filter: &OutboxFilter,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<OutboxPage, StoreError> {
        read!(self, notify::list_outbox(client, filter, after, limit))
    }

    async fn get_outbox(&self, client: &ClientId, id: Uuid) -> Result<Option<OutboxRecord>, StoreError> {
        read!(self, notify::get_outbox(client, id))
    }

    async fn requeue_outbox(&self, client: &ClientId, id: Uuid, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let client = client.clone();
        write!(self, notify::requeue_outbox(client, id, now))
    }
}

#[async_trait]
impl CrmStore for Store {
    async fn get_crm_settings(&self, client: &ClientId) -> Result<Option<CrmSettings>, StoreError> {
        read!(self, notify::get_crm_settings(client))
    }

    async fn put_crm_settings(&self, settings: &CrmSettings) -> Result<(), StoreError> {
        let settings = settings.clone();
        write!(self, notify::put_crm_settings(settings))
    }

    async fn get_crm_note(&self, client: &ClientId, ticket: TicketId) -> Result<Option<String>, StoreError> {
        read!(self, notify::get_crm_note(client, ticket))
    }

    async fn put_crm_note(
        &self,
        client: &ClientId,
        ticket: TicketId,
        note_id: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (client, note_id) = (client.clone(), note_id.to_owned());
        write!(self, notify::put_crm_note(client, ticket, note_id, at))
    }
}
