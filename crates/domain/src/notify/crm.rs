//! CRM notes: a client may have the desk log its tickets to the member's CRM contact.
//!
//! Two kinds of CRM, chosen per client (`PUT /api/settings/crm`):
//!
//! - **HubSpot-compatible**: on `ticket.created` the adapter finds the contact by the member's
//!   email and creates a note associated with it (ticket number, subject, status); the note's
//!   id is remembered per ticket, and the note is updated when the ticket is resolved or
//!   closed. A member with no contact there gets no note.
//! - **Webhook**: every `ticket.created` and `ticket.status_changed` is POSTed as JSON, signed
//!   with HMAC-SHA256 over `"<timestamp>.<body>"` (see `docs/notifications.md`).
//!
//! CRM work happens in the outbox worker, never in the ticket's request: a CRM that is down
//! delays the note, it never fails or slows the change.

use super::delivery::{Delivery, DeliveryError};
use super::ports::{CrmAdapters, CrmStore, OutboxConsumer};
use crate::ids::{ClientId, TicketId};
use crate::outbox::OutboxMessage;
use crate::ports::TicketStore;
use crate::ticket::{Priority, Status};
use crate::validation::FieldErrors;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::fmt;
use std::sync::Arc;
use uuid::Uuid;

/// Where HubSpot's API is unless a client says otherwise.
pub const DEFAULT_HUBSPOT_BASE_URL: &str = "https://api.hubapi.com";
/// Webhook secrets shorter than this are refused (HMAC keys should carry 128 bits or more).
pub const MIN_WEBHOOK_SECRET_CHARS: usize = 16;

/// A client's CRM connection. Its `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub enum CrmConfig {
    /// A HubSpot-compatible API at `base_url`, authenticated with a private-app access token.
    HubSpot { base_url: String, api_key: String },
    /// A URL that receives signed JSON events.
    Webhook { url: String, secret: String },
}

impl fmt::Debug for CrmConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CrmConfig::HubSpot { base_url, .. } => {
                f.debug_struct("HubSpot").field("base_url", base_url).field("api_key", &"<redacted>").finish()
            }
            CrmConfig::Webhook { url, .. } => {
                f.debug_struct("Webhook").field("url", url).field("secret", &"<redacted>").finish()
            }
        }
    }
}

impl CrmConfig {
    pub fn provider(&self) -> &'static str {
        match self {
            CrmConfig::HubSpot { .. } => "hubspot",
            CrmConfig::Webhook { .. } => "webhook",
        }
    }

    /// Does this CRM record this activity? HubSpot: the created note, and its update on
    /// resolved/closed. Webhooks: every creation and status change.
    pub fn records(&self, activity: &CrmActivity) -> bool {
        match (self, activity.topic.as_str()) {
            (_, "ticket.created") => true,
            (CrmConfig::HubSpot { .. }, "ticket.status_changed") => {
                matches!(activity.to_status, Some(Status::Resolved | Status::Closed))
            }
            (CrmConfig::Webhook { .. }, "ticket.status_changed") => true,
            _ => false,
        }
    }
}

/// A client's CRM settings; `config: None` is "no CRM".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrmSettings {
    pub client_id: ClientId,
    pub config: Option<CrmConfig>,
    pub updated_at: DateTime<Utc>,
}

/// What an admin sends (`PUT /api/settings/crm`), unvalidated. A secret left out keeps the
/// one stored for the same provider, so the settings form never needs to show it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrmSettingsInput {
    /// `hubspot`, `webhook` or `none`.
    pub provider: String,
    pub base_url: Option<String>,
    pub api_key: Option<String>,
    pub url: Option<String>,
    pub secret: Option<String>,
}

impl CrmSettingsInput {
    /// The configuration to store, given the one stored now.
    pub fn validate(self, current: Option<&CrmConfig>) -> Result<Option<CrmConfig>, FieldErrors> {
        let mut errors = FieldErrors::new();
        let trimmed = |value: Option<String>| value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let config = match self.provider.trim() {
            "none" => None,
            "hubspot" => {
                let base_url = trimmed(self.base_url).unwrap_or_else(|| DEFAULT_HUBSPOT_BASE_URL.to_owned());
                let base_url = errors.check("baseUrl", http_url(&base_url)).unwrap_or_default();
                let kept = match current {
                    Some(CrmConfig::HubSpot { api_key, .. }) => Some(api_key.clone()),
                    _ => None,
                };
                let api_key = trimmed(self.api_key).or(kept);
                match &api_key {
                    Some(key) if key.chars().any(char::is_control) => {
                        errors.add("apiKey", "must not contain control characters");
                    }
                    Some(_) => {}
                    None => errors.add("apiKey", "is required for HubSpot"),
                }
                Some(CrmConfig::HubSpot { base_url, api_key: api_key.unwrap_or_default() })
            }
            "webhook" => {
                let url = match trimmed(self.url) {
                    Some(url) => errors.check("url", http_url(&url)).unwrap_or_default(),
                    None => {
                        errors.add("url", "is required for a webhook");
                        String::new()
                    }
                };
                let kept = match current {
                    Some(CrmConfig::Webhook { secret, .. }) => Some(secret.clone()),
                    _ => None,
                };
                let secret = trimmed(self.secret).or(kept).unwrap_or_default();
                if secret.chars().count() < MIN_WEBHOOK_SECRET_CHARS {
                    errors.add("secret", format!("must be at least {MIN_WEBHOOK_SECRET_CHARS} characters"));
                }
                Some(CrmConfig::Webhook { url, secret })
            }
            other => {
                errors.add("provider", crate::ticket::allowed_values_message(other, ["hubspot", "webhook", "none"]));
                None
            }
        };
        errors.into_result()?;
        Ok(config)
    }
}

/// An absolute `http://` or `https://` URL without spaces, trailing slash removed.
fn http_url(value: &str) -> Result<String, String> {
    let value = value.trim();
    let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') && !value.chars().any(char::is_whitespace) => {
            if value.len() > 2000 {
                Err("must be at most 2000 characters".into())
            } else {
                Ok(value.trim_end_matches('/').to_owned())
            }
        }
        _ => Err("must be an absolute http:// or https:// URL".into()),
    }
}

/// The ticket as a CRM sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CrmTicket {
    pub id: TicketId,
    pub number: i64,
    /// `#1042`.
    pub reference: String,
    pub subject: String,
    pub status: Status,
    pub priority: Priority,
    pub member_id: String,
    pub member_name: String,
    pub member_email: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One thing to log in the CRM: an event of a ticket, with the ticket as it stands now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CrmActivity {
    /// The event's (and outbox row's) id: receivers deduplicate on it.
    pub event_id: Uuid,
    /// `ticket.created`, `ticket.status_changed`.
    pub topic: String,
    pub occurred_at: DateTime<Utc>,
    pub client_id: ClientId,
    pub client_name: String,
    pub ticket: CrmTicket,
    /// For status changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_status: Option<Status>,
}

impl CrmActivity {
    /// The note's text: number, subject and status, as a person reads it.
    pub fn note_body(&self) -> String {
        format!(
            "Support ticket {} ({}): {}\nStatus: {}\nPriority: {}\nOpened: {}",
            self.ticket.reference,
            self.client_name,
            self.ticket.subject,
            self.ticket.status.as_str().replace('_', " "),
            self.ticket.priority,
            self.ticket.created_at.format("%Y-%m-%d %H:%M UTC"),
        )
    }
}

/// What a CRM adapter did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrmRecorded {
    /// Recorded; `note_id` is the note to update later (HubSpot), if any.
    Recorded { note_id: Option<String> },
    /// The CRM has no contact for the member's email: nothing recorded, nothing to retry.
    NoContact,
}

/// The CRM consumer.
pub struct CrmNotifier {
    tickets: Arc<dyn TicketStore>,
    clients: Arc<dyn crate::ports::ClientStore>,
    store: Arc<dyn CrmStore>,
    adapters: Arc<dyn CrmAdapters>,
}

impl CrmNotifier {
    pub fn new(
        tickets: Arc<dyn TicketStore>,
        clients: Arc<dyn crate::ports::ClientStore>,
        store: Arc<dyn CrmStore>,
        adapters: Arc<dyn CrmAdapters>,
    ) -> CrmNotifier {
        CrmNotifier { tickets, clients, store, adapters }
    }

    async fn activity(
        &self,
        message: &OutboxMessage,
        ticket_id: TicketId,
    ) -> Result<Option<CrmActivity>, DeliveryError> {
        let Some(ticket) = self.tickets.get_ticket(&message.client_id, ticket_id).await? else { return Ok(None) };
        let profile = self.clients.get_client_profile(&message.client_id).await?;
        let change = message.payload.get("change");
        let status = |name: &str| change.and_then(|c| c.get(name)).and_then(|v| serde_json::from_value(v.clone()).ok());
        Ok(Some(CrmActivity {
            event_id: message.id,
            topic: message.topic.clone(),
            occurred_at: message.created_at,
            client_id: message.client_id.clone(),
            client_name: profile.display_name().to_owned(),
            from_status: status("from"),
            to_status: status("to"),
            ticket: CrmTicket {
                id: ticket.id,
                number: ticket.number,
                reference: ticket.reference(),
                subject: ticket.subject.as_str().to_owned(),
                status: ticket.status,
                priority: ticket.priority,
                member_id: ticket.member.id.to_string(),
                member_name: ticket.member.name.clone(),
                member_email: ticket.member.email.clone(),
                created_at: ticket.created_at,
                updated_at: ticket.updated_at,
            },
        }))
    }
}

#[async_trait]
impl OutboxConsumer for CrmNotifier {
    fn name(&self) -> &'static str {
        "crm"
    }

    fn wants(&self, topic: &str) -> bool {
        matches!(topic, "ticket.created" | "ticket.status_changed")
    }

    async fn deliver(&self, message: &OutboxMessage) -> Result<Delivery, DeliveryError> {
        let Some(ticket_id) = message.ticket_id else { return Ok(Delivery::NotNeeded) };
        let Some(config) = self.store.get_crm_settings(&message.client_id).await?.and_then(|s| s.config) else {
            return Ok(Delivery::NotNeeded);
        };
        let Some(activity) = self.activity(message, ticket_id).await? else { return Ok(Delivery::NotNeeded) };
        if !config.records(&activity) {
            return Ok(Delivery::NotNeeded);
        }
        let note_id = match config {
            CrmConfig::HubSpot { .. } => self.store.get_crm_note(&message.client_id, ticket_id).await?,
            CrmConfig::Webhook { .. } => None,
        };
        let adapter = self.adapters.adapter(&config)?;
        match adapter.record(&activity, note_id.clone()).await? {
            CrmRecorded::Recorded { note_id: Some(new_id) } if note_id.as_deref() != Some(new_id.as_str()) => {
                self.store.put_crm_note(&message.client_id, ticket_id, &new_id, message.created_at).await?;
                Ok(Delivery::Sent)
            }
            CrmRecorded::Recorded { .. } => Ok(Delivery::Sent),
            CrmRecorded::NoContact => Ok(Delivery::NotNeeded),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(provider: &str) -> CrmSettingsInput {
        CrmSettingsInput { provider: provider.into(), ..CrmSettingsInput::default() }
    }

    #[test]
    fn hubspot_needs_a_key_and_keeps_the_stored_one_when_left_out() {
        let errors = input("hubspot").validate(None).err().unwrap_or_default();
        assert!(errors.get("apiKey").is_some());
        let current = CrmConfig::HubSpot { base_url: DEFAULT_HUBSPOT_BASE_URL.into(), api_key: "pat-1".into() };
        let kept = CrmSettingsInput { base_url: Some("http://127.0.0.1:9/".into()), ..input("hubspot") }
            .validate(Some(&current));
        assert_eq!(
            kept,
            Ok(Some(CrmConfig::HubSpot { base_url: "http://127.0.0.1:9".into(), api_key: "pat-1".into() }))
        );
    }

    #[test]
    fn webhooks_need_an_http_url_and_a_long_secret() {
        let errors = CrmSettingsInput { url: Some("ftp://x".into()), secret: Some("short".into()), ..input("webhook") }
            .validate(None)
            .err()
            .unwrap_or_default();
        assert!(errors.get("url").is_some() && errors.get("secret").is_some(), "{errors:?}");
        assert!(input("salesforce").validate(None).is_err());
        assert_eq!(input("none").validate(None), Ok(None));
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let config = CrmConfig::Webhook { url: "https://x.example".into(), secret: "very-secret-value-123".into() };
        assert!(!format!("{config:?}").contains("very-secret"));
    }
}
