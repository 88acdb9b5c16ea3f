//! Notifications as admins manage them: the client's outbox (list, retry) and its CRM
//! settings. Admins only; another client's rows are not found.

use super::Desk;
use crate::access::{self, Action, Actor};
use crate::error::DeskError;
use crate::notify::{CrmSettings, CrmSettingsInput, OutboxFilter, OutboxPage, OutboxRecord, OutboxStatus};
use crate::validation::FieldErrors;
use uuid::Uuid;

/// The most rows one page of the outbox holds.
pub const MAX_OUTBOX_PAGE: u32 = 200;
/// Rows per page when the caller does not say.
pub const DEFAULT_OUTBOX_PAGE: u32 = 50;

/// `GET /api/admin/outbox`'s query, as sent (validated by [`Desk::list_outbox`], after the
/// role check, so that a member learns nothing from a malformed query).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxQuery {
    pub status: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

impl Desk {
    /// The client's outbox, newest first: `limit` rows (1–200, default 50) after the `cursor`
    /// (the last id of the previous page), of one `status` if given.
    pub async fn list_outbox(&self, actor: &Actor, query: &OutboxQuery) -> Result<OutboxPage, DeskError> {
        access::authorize(actor, Action::ManageNotifications)?;
        let mut errors = FieldErrors::new();
        let status = match query.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(value) => errors.check("status", OutboxStatus::parse(value)),
            None => None,
        };
        let after = match query.cursor.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(value) => errors
                .check("cursor", value.parse::<Uuid>().map_err(|_| "must be a cursor this API returned".to_owned())),
            None => None,
        };
        let limit = match query.limit.as_deref().map(str::trim) {
            Some(value) => errors
                .check(
                    "limit",
                    value
                        .parse::<u32>()
                        .ok()
                        .filter(|n| (1..=MAX_OUTBOX_PAGE).contains(n))
                        .ok_or_else(|| format!("must be a whole number from 1 to {MAX_OUTBOX_PAGE}")),
                )
                .unwrap_or(DEFAULT_OUTBOX_PAGE),
            None => DEFAULT_OUTBOX_PAGE,
        };
        errors.into_result()?;
        let filter = OutboxFilter { status };
        Ok(self.outbox.list_outbox(&actor.client_id, &filter, after, limit).await?)
    }

    /// Queues a failed or skipped message of the client again, attempts reset. Consumers that
    /// delivered it before are not run again (no duplicate email).
    pub async fn retry_outbox(&self, actor: &Actor, id: Uuid) -> Result<OutboxRecord, DeskError> {
        access::authorize(actor, Action::ManageNotifications)?;
        let record =
            self.outbox.get_outbox(&actor.client_id, id).await?.ok_or(DeskError::NotFound("outbox message"))?;
        if !record.status.is_retryable() {
            return Err(DeskError::NotRetryable { status: record.status });
        }
        if !self.outbox.requeue_outbox(&actor.client_id, id, self.clock.now()).await? {
            // A worker or another admin changed it in between: say what it is now.
            let now =
                self.outbox.get_outbox(&actor.client_id, id).await?.ok_or(DeskError::NotFound("outbox message"))?;
            if !now.status.is_retryable() {
                return Err(DeskError::NotRetryable { status: now.status });
            }
        }
        self.outbox.get_outbox(&actor.client_id, id).await?.ok_or(DeskError::NotFound("outbox message"))
    }

    /// The client's CRM settings (admins); `None` when it never set any.
    pub async fn crm_settings(&self, actor: &Actor) -> Result<Option<CrmSettings>, DeskError> {
        access::authorize(actor, Action::ManageNotifications)?;
        Ok(self.crm.get_crm_settings(&actor.client_id).await?)
    }

    /// Sets the client's CRM (admins). A secret left out keeps the stored one.
    pub async fn set_crm_settings(&self, actor: &Actor, input: CrmSettingsInput) -> Result<CrmSettings, DeskError> {
        access::authorize(actor, Action::ManageNotifications)?;
        let current = self.crm.get_crm_settings(&actor.client_id).await?.and_then(|s| s.config);
        let config = input.validate(current.as_ref())?;
        let settings = CrmSettings { client_id: actor.client_id.clone(), config, updated_at: self.clock.now() };
        self.crm.put_crm_settings(&settings).await?;
        Ok(settings)
    }
}

#[cfg(all(test, feature = "mocks"))]
mod tests {
    use super::*;
    use crate::access::Role;
    use crate::ids::{ClientId, UserId};
    use crate::notify::ports::MockOutboxStore;
    use crate::usecases::{DeskPorts, mock_ports};
    use chrono::Utc;
    use std::sync::Arc;

    fn actor(role: Role) -> Actor {
        Actor::new(UserId::new("u"), ClientId::new("c"), "N".into(), "n@example.org".into(), vec![role])
            .unwrap_or_else(|| unreachable!())
    }

    fn record(status: OutboxStatus) -> OutboxRecord {
        let now = Utc::now();
        OutboxRecord {
            id: Uuid::now_v7(),
            client_id: ClientId::new("c"),
            ticket_id: None,
            topic: "ticket.created".into(),
            status,
            attempts: 10,
            created_at: now,
            available_at: now,
            locked_until: None,
            last_error: Some("email: connection refused".into()),
            delivered_at: None,
            completed_by: vec![],
        }
    }

    #[test]
    fn only_admins_manage_notifications() {
        let desk = Desk::new(mock_ports());
        for role in [Role::ClientUser, Role::Member] {
            let result = futures::executor::block_on(desk.retry_outbox(&actor(role), Uuid::now_v7()));
            assert!(matches!(result, Err(DeskError::Forbidden(_))), "{role:?}");
            let result = futures::executor::block_on(desk.crm_settings(&actor(role)));
            assert!(matches!(result, Err(DeskError::Forbidden(_))), "{role:?}");
        }
    }

    #[test]
    fn a_delivered_or_pending_message_is_not_retried() {
        for status in [OutboxStatus::Done, OutboxStatus::Pending] {
            let mut store = MockOutboxStore::new();
            let row = record(status);
            store.expect_get_outbox().returning(move |_, _| Ok(Some(row.clone())));
            store.expect_requeue_outbox().never();
            let desk = Desk::new(DeskPorts { outbox: Arc::new(store), ..mock_ports() });
            let result = futures::executor::block_on(desk.retry_outbox(&actor(Role::ClientAdmin), Uuid::now_v7()));
            assert!(matches!(result, Err(DeskError::NotRetryable { .. })), "{status:?}: {result:?}");
        }
    }

    #[test]
    fn another_clients_message_is_not_found() {
        let mut store = MockOutboxStore::new();
        store.expect_get_outbox().withf(|client, _| client.as_str() == "c").returning(|_, _| Ok(None));
        let desk = Desk::new(DeskPorts { outbox: Arc::new(store), ..mock_ports() });
        let result = futures::executor::block_on(desk.retry_outbox(&actor(Role::ClientAdmin), Uuid::now_v7()));
        assert!(matches!(result, Err(DeskError::NotFound(_))));
    }
}
