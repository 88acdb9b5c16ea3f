//! The SLA's port: the clients' SLA settings (versioned), the escalation worker's claim and
//! snapshot writes, and SLA reporting. Re-exported from [`crate::ports`]; held as `Arc<dyn …>`,
//! hence `async_trait`. With the `mocks` feature, mockall implements it (`MockSlaStore`).

use crate::error::StoreError;
use crate::ids::{ClientId, TicketId};
use crate::query::TicketFilter;
use crate::sla::report::SlaReport;
use crate::sla::settings::{SlaPolicyId, SlaSettings};
use crate::ticket::Ticket;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A ticket a worker has claimed for an SLA check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedCheck {
    pub client_id: ClientId,
    pub ticket_id: TicketId,
}

#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait SlaStore: Send + Sync {
    /// The client's settings in force (the latest version), if it ever saved any.
    async fn current_sla_settings(&self, client: &ClientId) -> Result<Option<SlaSettings>, StoreError>;

    /// The listed versions of the client's settings (another client's are never returned), in
    /// any order; ids that do not exist are left out.
    async fn sla_settings_versions(
        &self,
        client: &ClientId,
        ids: &[SlaPolicyId],
    ) -> Result<Vec<SlaSettings>, StoreError>;

    /// Stores a new version; it becomes the client's current settings.
    async fn insert_sla_settings(&self, settings: &SlaSettings) -> Result<(), StoreError>;

    /// Claims up to `limit` tickets, of any client, whose next SLA check is at or before `now`
    /// (earliest first), and moves their next check to `lease_until`, so that no other worker
    /// takes them until then. Several workers may claim at once: on PostgreSQL rows another
    /// claim holds are skipped (`FOR UPDATE SKIP LOCKED`), never waited for or taken twice.
    async fn claim_sla_checks(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<ClaimedCheck>, StoreError>;

    /// Writes the ticket's SLA snapshot (`ticket.sla`: states, due time, next check, counted
    /// times) and nothing else — not even the version — if the stored version is still
    /// `ticket.version`. `Ok(false)` when it is not (someone committed meanwhile).
    async fn write_sla_snapshot(&self, ticket: &Ticket) -> Result<bool, StoreError>;

    /// SLA figures over the client's tickets that the filter selects (tickets with an SLA only).
    async fn sla_report(&self, client: &ClientId, filter: &TicketFilter) -> Result<SlaReport, StoreError>;
}

/// An [`SlaStore`] for desks without SLAs (tests, tools): no client has settings, nothing is
/// ever due, and reports are empty. Saving settings is refused.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoSla;

#[async_trait]
impl SlaStore for NoSla {
    async fn current_sla_settings(&self, _client: &ClientId) -> Result<Option<SlaSettings>, StoreError> {
        Ok(None)
    }
    async fn sla_settings_versions(
        &self,
        _client: &ClientId,
        _ids: &[SlaPolicyId],
    ) -> Result<Vec<SlaSettings>, StoreError> {
        Ok(Vec::new())
    }
    async fn insert_sla_settings(&self, _settings: &SlaSettings) -> Result<(), StoreError> {
        Err(StoreError::Other("this desk keeps no SLA settings".into()))
    }
    async fn claim_sla_checks(
        &self,
        _now: DateTime<Utc>,
        _lease_until: DateTime<Utc>,
        _limit: u32,
    ) -> Result<Vec<ClaimedCheck>, StoreError> {
        Ok(Vec::new())
    }
    async fn write_sla_snapshot(&self, _ticket: &Ticket) -> Result<bool, StoreError> {
        Ok(true)
    }
    async fn sla_report(&self, _client: &ClientId, _filter: &TicketFilter) -> Result<SlaReport, StoreError> {
        Ok(SlaReport::default())
    }
}
