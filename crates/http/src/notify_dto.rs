//! The JSON shapes (camelCase) of notifications: the admin's view of the outbox and the
//! client's CRM settings (which never carry a secret back). Re-exported from [`crate::dto`].

use chrono::{DateTime, Utc};
use memberdesk_domain::notify::{CrmConfig, CrmSettings, CrmSettingsInput, OutboxPage, OutboxRecord};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// One outbox message: a side effect of a ticket event (emails, CRM notes) and how its
/// delivery went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OutboxMessageDto {
    /// The event's id (also the email's Message-ID, `<id@memberdesk>`).
    pub id: Uuid,
    #[schema(example = "ticket.status_changed")]
    pub topic: String,
    pub ticket_id: Option<Uuid>,
    /// `pending`, `done`, `skipped` (a channel is not configured) or `failed` (gave up).
    #[schema(example = "failed")]
    pub status: String,
    /// Delivery attempts so far.
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    /// When a worker may (next) take it.
    pub available_at: DateTime<Utc>,
    /// While in the future, a worker holds it.
    pub locked_until: Option<DateTime<Utc>>,
    /// Why the last attempt failed, or why it was skipped.
    pub last_error: Option<String>,
    /// When it was done or skipped.
    pub delivered_at: Option<DateTime<Utc>>,
    /// The consumers that delivered it (`email`, `crm`); a retry does not run them again.
    pub completed_by: Vec<String>,
}

impl From<&OutboxRecord> for OutboxMessageDto {
    fn from(r: &OutboxRecord) -> Self {
        OutboxMessageDto {
            id: r.id,
            topic: r.topic.clone(),
            ticket_id: r.ticket_id.map(|t| t.0),
            status: r.status.as_str().to_owned(),
            attempts: r.attempts,
            created_at: r.created_at,
            available_at: r.available_at,
            locked_until: r.locked_until,
            last_error: r.last_error.clone(),
            delivered_at: r.delivered_at,
            completed_by: r.completed_by.clone(),
        }
    }
}

/// A page of the outbox, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OutboxPageDto {
    pub items: Vec<OutboxMessageDto>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl From<&OutboxPage> for OutboxPageDto {
    fn from(page: &OutboxPage) -> Self {
        OutboxPageDto {
            items: page.items.iter().map(OutboxMessageDto::from).collect(),
            next_cursor: page.next_cursor.map(|id| id.to_string()),
        }
    }
}

/// `GET /api/admin/outbox`'s query.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxListParams {
    /// `pending`, `done`, `skipped` or `failed`; all when left out.
    pub status: Option<String>,
    /// The `nextCursor` of the previous page.
    pub cursor: Option<String>,
    /// 1–200, default 50.
    pub limit: Option<String>,
}

/// The client's CRM settings. Secrets are never returned: `apiKeySet` / `secretSet` say
/// whether one is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CrmSettingsDto {
    /// `hubspot`, `webhook` or `none`.
    #[schema(example = "hubspot")]
    pub provider: String,
    /// HubSpot: the API's base URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// HubSpot: whether an access token is stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key_set: Option<bool>,
    /// Webhook: where events are POSTed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Webhook: whether a signing secret is stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_set: Option<bool>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl CrmSettingsDto {
    pub fn of(settings: Option<&CrmSettings>) -> CrmSettingsDto {
        let none = CrmSettingsDto {
            provider: "none".into(),
            base_url: None,
            api_key_set: None,
            url: None,
            secret_set: None,
            updated_at: settings.map(|s| s.updated_at),
        };
        match settings.and_then(|s| s.config.as_ref()) {
            None => none,
            Some(CrmConfig::HubSpot { base_url, api_key }) => CrmSettingsDto {
                provider: "hubspot".into(),
                base_url: Some(base_url.clone()),
                api_key_set: Some(!api_key.is_empty()),
                ..none
            },
            Some(CrmConfig::Webhook { url, secret }) => CrmSettingsDto {
                provider: "webhook".into(),
                url: Some(url.clone()),
                secret_set: Some(!secret.is_empty()),
                ..none
            },
        }
    }
}

/// Sets the client's CRM. Leave `apiKey` / `secret` out to keep the stored one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"provider": "webhook", "url": "https://crm.example.org/hooks/memberdesk", "secret": "a-long-random-signing-secret"}))]
pub struct UpdateCrmSettingsRequest {
    /// `hubspot`, `webhook` or `none`.
    pub provider: String,
    /// HubSpot: the API's base URL (default `https://api.hubapi.com`).
    #[serde(default)]
    pub base_url: Option<String>,
    /// HubSpot: a private-app access token (sent as `Authorization: Bearer`).
    #[serde(default)]
    pub api_key: Option<String>,
    /// Webhook: an `http(s)://` URL.
    #[serde(default)]
    pub url: Option<String>,
    /// Webhook: the HMAC-SHA256 signing secret, at least 16 characters.
    #[serde(default)]
    pub secret: Option<String>,
}

impl From<UpdateCrmSettingsRequest> for CrmSettingsInput {
    fn from(r: UpdateCrmSettingsRequest) -> Self {
        CrmSettingsInput {
            provider: r.provider,
            base_url: r.base_url,
            api_key: r.api_key,
            url: r.url,
            secret: r.secret,
        }
    }
}
