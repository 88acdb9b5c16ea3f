//! The SLA's port on [`Store`]: settings versions, the worker's claims and snapshot writes, and
//! SLA reporting. Declared after the `read!`/`write!` macros of the crate root, which it uses.

use crate::{Inner, Store, bounded, detached, pg, sqlite};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use memberdesk_domain::ports::{ClaimedCheck, SlaStore};
use memberdesk_domain::query::TicketFilter;
use memberdesk_domain::sla::{SlaPolicyId, SlaReport, SlaSettings};
use memberdesk_domain::{ClientId, StoreError, Ticket};

#[async_trait]
impl SlaStore for Store {
    async fn current_sla_settings(&self, client: &ClientId) -> Result<Option<SlaSettings>, StoreError> {
        read!(self, sla::current_sla_settings(client))
    }

    async fn sla_settings_versions(
        &self,
        client: &ClientId,
        ids: &[SlaPolicyId],
    ) -> Result<Vec<SlaSettings>, StoreError> {
        read!(self, sla::sla_settings_versions(client, ids))
    }

    async fn insert_sla_settings(&self, settings: &SlaSettings) -> Result<(), StoreError> {
        let settings = settings.clone();
        write!(self, sla::insert_sla_settings(settings))
    }

    async fn claim_sla_checks(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<ClaimedCheck>, StoreError> {
        write!(self, sla::claim_sla_checks(now, lease_until, limit))
    }

    async fn write_sla_snapshot(&self, ticket: &Ticket) -> Result<bool, StoreError> {
        let ticket = ticket.clone();
        write!(self, sla::write_sla_snapshot(ticket))
    }

    async fn sla_report(&self, client: &ClientId, filter: &TicketFilter) -> Result<SlaReport, StoreError> {
        read!(self, sla::sla_report(client, filter))
    }
}
