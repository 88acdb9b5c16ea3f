//! The rows of notifications: outbox rows as workers and admins read them, CRM settings, and
//! their translation to and from the domain. Reading a row back never panics: a value the
//! domain would refuse is a `StoreError::Other` naming the table and the row.

use crate::notify_schema::crm_settings;
use crate::rows::{db_time, utc};
use crate::schema::outbox;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use memberdesk_domain::notify::{ClaimedMessage, CrmConfig, CrmSettings, OutboxRecord, OutboxStatus};
use memberdesk_domain::{ClientId, OutboxMessage, StoreError, TicketId};
use std::collections::BTreeMap;
use uuid::Uuid;

fn corrupt(table: &str, id: &str, what: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("corrupt {table} row {id}: {what}"))
}

/// An outbox row, all columns.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct OutboxRow {
    pub id: String,
    pub client_id: String,
    pub ticket_id: Option<String>,
    pub topic: String,
    pub payload: String,
    pub created_at: NaiveDateTime,
    pub status: String,
    pub attempts: i32,
    pub available_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub delivered_at: Option<NaiveDateTime>,
}

/// The consumers recorded per outbox id, from `(outbox_id, consumer)` pairs.
pub(crate) fn completed_by(pairs: Vec<(String, String)>) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (id, consumer) in pairs {
        map.entry(id).or_default().push(consumer);
    }
    map
}

impl OutboxRow {
    fn uuid(&self) -> Result<Uuid, StoreError> {
        self.id.parse().map_err(|_| corrupt("outbox", &self.id, "id is not a UUID"))
    }

    fn ticket(&self) -> Result<Option<TicketId>, StoreError> {
        self.ticket_id
            .as_deref()
            .map(|t| t.parse().map_err(|_| corrupt("outbox", &self.id, format_args!("ticket_id `{t}` is not a UUID"))))
            .transpose()
    }

    pub(crate) fn into_claimed(self, completed: Vec<String>) -> Result<ClaimedMessage, StoreError> {
        let payload = serde_json::from_str(&self.payload).map_err(|e| corrupt("outbox", &self.id, e))?;
        let lease_until =
            self.locked_until.map(utc).ok_or_else(|| corrupt("outbox", &self.id, "claimed without a lease"))?;
        Ok(ClaimedMessage {
            message: OutboxMessage {
                id: self.uuid()?,
                client_id: ClientId::new(self.client_id.clone()),
                ticket_id: self.ticket()?,
                topic: self.topic.clone(),
                payload,
                created_at: utc(self.created_at),
            },
            attempts: self.attempts,
            lease_until,
            completed,
        })
    }

    pub(crate) fn into_record(self, completed_by: Vec<String>) -> Result<OutboxRecord, StoreError> {
        let status = OutboxStatus::parse(&self.status).map_err(|e| corrupt("outbox", &self.id, e))?;
        Ok(OutboxRecord {
            id: self.uuid()?,
            ticket_id: self.ticket()?,
            client_id: ClientId::new(self.client_id),
            topic: self.topic,
            status,
            attempts: self.attempts,
            created_at: utc(self.created_at),
            available_at: utc(self.available_at),
            locked_until: self.locked_until.map(utc),
            last_error: self.last_error,
            delivered_at: self.delivered_at.map(utc),
            completed_by,
        })
    }
}

/// A client's CRM settings row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = crm_settings)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct CrmSettingsRow {
    pub client_id: String,
    pub provider: String,
    pub endpoint: String,
    pub secret: String,
    pub updated_at: NaiveDateTime,
}

impl CrmSettingsRow {
    pub(crate) fn from_domain(settings: &CrmSettings) -> CrmSettingsRow {
        let (provider, endpoint, secret) = match &settings.config {
            None => ("none", String::new(), String::new()),
            Some(CrmConfig::HubSpot { base_url, api_key }) => ("hubspot", base_url.clone(), api_key.clone()),
            Some(CrmConfig::Webhook { url, secret }) => ("webhook", url.clone(), secret.clone()),
        };
        CrmSettingsRow {
            client_id: settings.client_id.0.clone(),
            provider: provider.to_owned(),
            endpoint,
            secret,
            updated_at: db_time(settings.updated_at),
        }
    }

    pub(crate) fn into_domain(self) -> Result<CrmSettings, StoreError> {
        let config = match self.provider.as_str() {
            "none" => None,
            "hubspot" => Some(CrmConfig::HubSpot { base_url: self.endpoint, api_key: self.secret }),
            "webhook" => Some(CrmConfig::Webhook { url: self.endpoint, secret: self.secret }),
            other => return Err(corrupt("crm_settings", &self.client_id, format_args!("provider `{other}`"))),
        };
        Ok(CrmSettings { client_id: ClientId::new(self.client_id), config, updated_at: utc(self.updated_at) })
    }
}
