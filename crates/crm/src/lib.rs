//! memberdesk's CRM adapters: the domain's [`CrmAdapter`] port for a HubSpot-compatible API
//! and for a generic signed webhook, over reqwest.
//!
//! - [`HubSpotAdapter`]: finds the contact by the member's email
//!   (`POST {base}/crm/v3/objects/contacts/search`), creates a note associated with it
//!   (`POST {base}/crm/v3/objects/notes`, association type 202 note → contact), and later
//!   updates it (`PATCH {base}/crm/v3/objects/notes/{id}`; a note deleted there is created
//!   again). Authenticated with the client's private-app access token (`Authorization: Bearer`).
//! - [`WebhookAdapter`]: `POST`s the event as JSON with `X-Memberdesk-Event-Id`,
//!   `X-Memberdesk-Timestamp` (Unix seconds) and `X-Memberdesk-Signature:
//!   sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" keyed with the client's secret>`; see
//!   [`sign`] and `docs/notifications.md` for verifying it.
//!
//! Answers are classified for the outbox: 2xx is done; 408, 429, 5xx, timeouts and connection
//! failures are `DeliveryError::Transient` (retried with backoff); any other 4xx is
//! `DeliveryError::Permanent` (wrong token, wrong URL: retrying cannot help). Messages never
//! carry the token or the secret.

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use memberdesk_domain::Clock;
use memberdesk_domain::notify::crm::{CrmActivity, CrmRecorded};
use memberdesk_domain::notify::{CrmAdapter, CrmAdapters, CrmConfig, DeliveryError};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::Arc;
use std::time::Duration;

/// How long one CRM request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// HubSpot's association type for "note to contact".
pub const NOTE_TO_CONTACT: u32 = 202;

/// Builds the adapter for a client's CRM settings, sharing one HTTP client (and its connection
/// pool) between them.
#[derive(Clone)]
pub struct CrmClients {
    http: reqwest::Client,
    clock: Arc<dyn Clock>,
}

impl CrmClients {
    /// `clock` stamps webhook signatures.
    pub fn new(clock: Arc<dyn Clock>) -> Result<CrmClients, reqwest::Error> {
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("memberdesk/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(CrmClients { http, clock })
    }
}

impl CrmAdapters for CrmClients {
    fn adapter(&self, config: &CrmConfig) -> Result<Box<dyn CrmAdapter>, DeliveryError> {
        Ok(match config {
            CrmConfig::HubSpot { base_url, api_key } => Box::new(HubSpotAdapter {
                http: self.http.clone(),
                base_url: base_url.trim_end_matches('/').to_owned(),
                api_key: api_key.clone(),
            }),
            CrmConfig::Webhook { url, secret } => Box::new(WebhookAdapter {
                http: self.http.clone(),
                url: url.clone(),
                secret: secret.clone(),
                clock: self.clock.clone(),
            }),
        })
    }
}

/// How an answer (or its absence) counts for the outbox.
fn classify(what: &str, result: Result<reqwest::Response, reqwest::Error>) -> Result<reqwest::Response, DeliveryError> {
    match result {
        Ok(response) if response.status().is_success() => Ok(response),
        Ok(response) => {
            let status = response.status();
            let message = format!("{what}: HTTP {status}");
            if status.is_server_error()
                || status == StatusCode::TOO_MANY_REQUESTS
                || status == StatusCode::REQUEST_TIMEOUT
            {
                Err(DeliveryError::Transient(message))
            } else {
                Err(DeliveryError::Permanent(message))
            }
        }
        // reqwest's errors name the URL, never headers: the token and the secret stay out.
        Err(e) => Err(DeliveryError::Transient(format!("{what}: {}", e.without_url()))),
    }
}

/// A HubSpot-compatible CRM: a note per ticket on the member's contact.
pub struct HubSpotAdapter {
    http: reqwest::Client,
    base_url: String,
    api_key: String,
}

impl HubSpotAdapter {
    async fn call(&self, method: Method, path: &str, body: &Value, what: &str) -> Result<Value, DeliveryError> {
        let result = self
            .http
            .request(method, format!("{}{path}", self.base_url))
            .bearer_auth(&self.api_key)
            .json(body)
            .send()
            .await;
        let response = classify(what, result)?;
        response.json::<Value>().await.map_err(|e| DeliveryError::Transient(format!("{what}: unreadable answer: {e}")))
    }

    /// The contact whose email is the member's, if there is one.
    async fn find_contact(&self, email: &str) -> Result<Option<String>, DeliveryError> {
        let body = json!({
            "filterGroups": [{"filters": [{"propertyName": "email", "operator": "EQ", "value": email}]}],
            "properties": ["email"],
            "limit": 1
        });
        let answer =
            self.call(Method::POST, "/crm/v3/objects/contacts/search", &body, "HubSpot contact search").await?;
        Ok(answer["results"].as_array().and_then(|r| r.first()).and_then(|c| id_of(&c["id"])))
    }

    async fn create_note(&self, activity: &CrmActivity) -> Result<CrmRecorded, DeliveryError> {
        let Some(contact) = self.find_contact(&activity.ticket.member_email).await? else {
            tracing::info!(ticket = %activity.ticket.reference, "HubSpot has no contact for the member; no note");
            return Ok(CrmRecorded::NoContact);
        };
        let body = json!({
            "properties": {
                "hs_timestamp": activity.ticket.created_at.to_rfc3339(),
                "hs_note_body": activity.note_body(),
            },
            "associations": [{
                "to": {"id": contact},
                "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": NOTE_TO_CONTACT}]
            }]
        });
        let answer = self.call(Method::POST, "/crm/v3/objects/notes", &body, "HubSpot note creation").await?;
        let note_id = id_of(&answer["id"])
            .ok_or_else(|| DeliveryError::Transient("HubSpot note creation: no id in the answer".into()))?;
        Ok(CrmRecorded::Recorded { note_id: Some(note_id) })
    }
}

/// HubSpot sends ids as strings; accept numbers too.
fn id_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[async_trait]
impl CrmAdapter for HubSpotAdapter {
    async fn record(&self, activity: &CrmActivity, note_id: Option<String>) -> Result<CrmRecorded, DeliveryError> {
        let Some(note_id) = note_id else { return self.create_note(activity).await };
        let body = json!({"properties": {"hs_note_body": activity.note_body()}});
        let path = format!("/crm/v3/objects/notes/{note_id}");
        match self.call(Method::PATCH, &path, &body, "HubSpot note update").await {
            Ok(_) => Ok(CrmRecorded::Recorded { note_id: Some(note_id) }),
            // The note was deleted in the CRM: write a new one.
            Err(DeliveryError::Permanent(message)) if message.contains("404") => self.create_note(activity).await,
            Err(e) => Err(e),
        }
    }
}

/// A URL that receives every ticket event as signed JSON.
pub struct WebhookAdapter {
    http: reqwest::Client,
    url: String,
    secret: String,
    clock: Arc<dyn Clock>,
}

/// The webhook's JSON body for an activity.
pub fn webhook_body(activity: &CrmActivity) -> Value {
    json!({
        "id": activity.event_id,
        "type": activity.topic,
        "occurredAt": activity.occurred_at,
        "client": {"id": activity.client_id, "name": activity.client_name},
        "ticket": activity.ticket,
        "change": match (activity.from_status, activity.to_status) {
            (Some(from), Some(to)) => json!({"from": from, "to": to}),
            _ => Value::Null,
        },
    })
}

/// `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`: the `X-Memberdesk-Signature`
/// value. A receiver recomputes it over the raw body and the `X-Memberdesk-Timestamp` header,
/// compares in constant time, and refuses timestamps older than a few minutes (replays).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[async_trait]
impl CrmAdapter for WebhookAdapter {
    async fn record(&self, activity: &CrmActivity, _note_id: Option<String>) -> Result<CrmRecorded, DeliveryError> {
        let body = serde_json::to_vec(&webhook_body(activity))
            .map_err(|e| DeliveryError::Permanent(format!("cannot serialise the webhook event: {e}")))?;
        let timestamp = self.clock.now().timestamp();
        let result = self
            .http
            .post(&self.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("X-Memberdesk-Event-Id", activity.event_id.to_string())
            .header("X-Memberdesk-Event", activity.topic.as_str())
            .header("X-Memberdesk-Timestamp", timestamp.to_string())
            .header("X-Memberdesk-Signature", sign(&self.secret, timestamp, &body))
            .body(body)
            .send()
            .await;
        classify("CRM webhook", result)?;
        Ok(CrmRecorded::Recorded { note_id: None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_documented_hmac() {
        // Reference value: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'whsec-0123456789abcdef'
        let signature = sign("whsec-0123456789abcdef", 1_700_000_000, br#"{"a":1}"#);
        assert_eq!(signature, "sha256=d77c78ac4da074c56908b55eac30358b2a7bfc573be4c76819af5102e8dcf939");
        assert_ne!(signature, sign("whsec-0123456789abcdeX", 1_700_000_000, br#"{"a":1}"#));
        assert_ne!(signature, sign("whsec-0123456789abcdef", 1_700_000_001, br#"{"a":1}"#));
    }
}
