//! Conditional and retry-safe requests: `ETag`/`If-Match` (optimistic locking on the ticket's
//! version) and `Idempotency-Key` (a retried create returns the first result).

use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::{FromRequest, HttpRequest};
use memberdesk_domain::ports::IdempotencyKey;
use sha2::{Digest, Sha256};
use std::future::{Ready, ready};

/// The header a request carries its idempotency key in.
pub(crate) const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// Set to `true` on a response that repeats an earlier request's result.
pub(crate) const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
pub(crate) const MAX_KEY_LEN: usize = 255;

/// The `ETag` of a ticket at `version`: `"<version>"`.
pub(crate) fn etag(version: i64) -> (HeaderName, String) {
    (header::ETAG, format!("\"{version}\""))
}

/// The version an `If-Match` header requires, if any. `*` requires only that the ticket exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct IfMatch(pub(crate) Option<i64>);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(single_header(req, &header::IF_MATCH, "invalid_if_match").and_then(|value| {
            match value {
                None => Ok(IfMatch(None)),
                Some(value) => parse_if_match(&value)
                    .map(IfMatch)
                    .map_err(|detail| ApiError::BadRequest { code: "invalid_if_match", detail }),
            }
        }))
    }
}

/// `"7"`, `W/"7"` → `Some(7)`; `*` → `None`; anything else is malformed. One tag only: the API
/// never hands out more than one version to compare against.
pub(crate) fn parse_if_match(value: &str) -> Result<Option<i64>, String> {
    let malformed =
        || format!("If-Match must be one entity tag as the ETag header gave it (e.g. \"3\"), or *; got `{value}`");
    let value = value.trim();
    if value == "*" {
        return Ok(None);
    }
    let tag = value.strip_prefix("W/").unwrap_or(value);
    let version = tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')).ok_or_else(malformed)?;
    if version.is_empty() || version.len() > 18 || !version.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed());
    }
    version.parse::<i64>().map(Some).map_err(|_| malformed())
}

/// The caller's `Idempotency-Key`, validated: 1–255 printable ASCII characters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct IdempotencyKeyHeader(pub(crate) Option<String>);

impl IdempotencyKeyHeader {
    /// The key with the request's fingerprint, as the use cases take it.
    pub(crate) fn for_request(self, req: &HttpRequest, canonical_body: &str) -> Option<IdempotencyKey> {
        self.0.map(|key| IdempotencyKey {
            key,
            fingerprint: fingerprint(req.method().as_str(), req.path(), canonical_body),
        })
    }
}

impl FromRequest for IdempotencyKeyHeader {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(single_header(req, &IDEMPOTENCY_KEY, "invalid_idempotency_key").and_then(|value| {
            match value {
                None => Ok(IdempotencyKeyHeader(None)),
                Some(value) => parse_idempotency_key(&value)
                    .map(|k| IdempotencyKeyHeader(Some(k)))
                    .map_err(|detail| ApiError::BadRequest { code: "invalid_idempotency_key", detail }),
            }
        }))
    }
}

pub(crate) fn parse_idempotency_key(value: &str) -> Result<String, String> {
    let printable = value.bytes().all(|b| (0x20..=0x7e).contains(&b));
    let key = value.trim();
    if key.is_empty() || key.len() > MAX_KEY_LEN || !printable {
        return Err(format!("Idempotency-Key must be 1–{MAX_KEY_LEN} printable ASCII characters"));
    }
    Ok(key.to_owned())
}

/// What makes two requests "the same request" for an idempotency key: method, path and the
/// canonical body, hashed (SHA-256, hex).
pub(crate) fn fingerprint(method: &str, path: &str, canonical_body: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(method.as_bytes());
    hasher.update(b"\n");
    hasher.update(path.as_bytes());
    hasher.update(b"\n");
    hasher.update(canonical_body.as_bytes());
    hex::encode(hasher.finalize())
}

/// The value of a header that may appear at most once, as text.
fn single_header(req: &HttpRequest, name: &HeaderName, code: &'static str) -> Result<Option<String>, ApiError> {
    let mut values = req.headers().get_all(name);
    let Some(first) = values.next() else { return Ok(None) };
    if values.next().is_some() {
        return Err(ApiError::BadRequest { code, detail: format!("{name} may be sent only once") });
    }
    text(first).map(Some).ok_or_else(|| ApiError::BadRequest { code, detail: format!("{name} must be ASCII text") })
}

fn text(value: &HeaderValue) -> Option<String> {
    value.to_str().ok().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_spellings() {
        assert_eq!(parse_if_match("\"3\""), Ok(Some(3)));
        assert_eq!(parse_if_match(" W/\"12\" "), Ok(Some(12)));
        assert_eq!(parse_if_match("*"), Ok(None));
        for bad in
            ["3", "\"\"", "\"abc\"", "\"+3\"", "\"-1\"", "\"3\", \"4\"", "W/3", "\"3", "\"99999999999999999999\""]
        {
            assert!(parse_if_match(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn idempotency_keys_are_printable_ascii_up_to_255() {
        assert_eq!(parse_idempotency_key("retry-1 abc"), Ok("retry-1 abc".into()));
        assert!(parse_idempotency_key(&"k".repeat(255)).is_ok());
        assert!(parse_idempotency_key(&"k".repeat(256)).is_err());
        assert!(parse_idempotency_key("   ").is_err());
        assert!(parse_idempotency_key("tab\there").is_err());
    }

    #[test]
    fn fingerprints_tell_requests_apart() {
        let base = fingerprint("POST", "/api/tickets", r#"{"subject":"a"}"#);
        assert_eq!(base.len(), 64);
        assert_eq!(base, fingerprint("POST", "/api/tickets", r#"{"subject":"a"}"#));
        assert_ne!(base, fingerprint("POST", "/api/tickets", r#"{"subject":"b"}"#));
        assert_ne!(base, fingerprint("PUT", "/api/tickets", r#"{"subject":"a"}"#));
        assert_ne!(base, fingerprint("POST", "/api/tickets/x/responses", r#"{"subject":"a"}"#));
    }

    #[test]
    fn etag_quotes_the_version() {
        assert_eq!(etag(4).1, "\"4\"");
        assert_eq!(parse_if_match(&etag(4).1), Ok(Some(4)));
    }
}
