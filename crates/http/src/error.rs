//! Every error the API answers with, as `application/problem+json` (RFC 9457), mapped in this
//! one place.
//!
//! Policy: the body says what the caller did wrong and what to do about it, with a stable
//! `code`. It never carries the cause of a server-side failure: a storage failure is logged
//! here with its cause and answered with a bare `internal` (500) or `unavailable` (503).
//! Nothing a client sends can produce a 500; only the server's own failures do.

use actix_web::dev::ServiceResponse;
use actix_web::error::{JsonPayloadError, PayloadError};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, ResponseError, web};
use memberdesk_domain::{DeskError, FieldErrors, StorageError, StoreError};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error body (RFC 9457 problem details) with memberdesk's extensions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:memberdesk:problem:invalid_transition",
    "title": "Invalid status transition",
    "status": 409,
    "detail": "A ticket cannot move from waiting to open. Allowed next statuses: in_progress, resolved, closed.",
    "code": "invalid_transition",
    "allowed": ["in_progress", "resolved", "closed"]
}))]
pub struct Problem {
    /// `urn:memberdesk:problem:<code>`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// A short summary of the kind of problem; the same for every occurrence of a `code`.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time, in a sentence a person can act on.
    pub detail: String,
    /// Stable, machine-readable: `not_found`, `validation_failed`, `invalid_transition`, …
    pub code: String,
    /// Field → message: what is invalid (`validation_failed`) or already taken (`duplicate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<BTreeMap<String, String>>,
    /// The statuses the ticket may move to next (`invalid_transition` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
}

impl Problem {
    pub fn new(status: StatusCode, code: &str, title: &str, detail: impl Into<String>) -> Problem {
        Problem {
            problem_type: format!("urn:memberdesk:problem:{code}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            code: code.to_owned(),
            errors: None,
            allowed: None,
        }
    }

    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The response carrying this problem.
    pub fn response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code())
            .insert_header((header::CONTENT_TYPE, PROBLEM_JSON))
            .body(serde_json::to_string(self).unwrap_or_default())
    }
}

/// Why a request carried no usable bearer token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthFailure {
    /// No `Authorization: Bearer …` header at all.
    Missing,
    /// The token has expired.
    Expired,
    /// Garbled, wrongly signed, or missing a required claim.
    Invalid,
}

/// Everything a handler or extractor can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Desk(#[from] DeskError),
    #[error("unauthorized: {0:?}")]
    Unauthorized(AuthFailure),
    /// A valid token whose `roles` name no role this desk knows.
    #[error("the token carries no role this desk knows")]
    NoKnownRole,
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    #[error("the request body must be JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    /// A multipart body that is not `multipart/form-data`.
    #[error("files must be uploaded as multipart/form-data")]
    UnsupportedUpload,
    #[error("the request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// A header or query parameter that cannot be read.
    #[error("bad request ({code}): {detail}")]
    BadRequest { code: &'static str, detail: String },
    /// The server itself is misconfigured; logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// A 422 with field-level errors.
    pub fn validation(errors: FieldErrors) -> ApiError {
        ApiError::Desk(DeskError::Validation(errors))
    }

    /// The problem this error is answered with.
    pub fn problem(&self) -> Problem {
        match self {
            ApiError::Desk(error) => desk_problem(error),
            ApiError::Unauthorized(failure) => {
                let detail = match failure {
                    AuthFailure::Missing => "This endpoint needs a bearer token: send `Authorization: Bearer <token>`.",
                    AuthFailure::Expired => "The bearer token has expired; sign in again to get a new one.",
                    AuthFailure::Invalid => {
                        "The bearer token is not valid (malformed, wrongly signed or missing a claim)."
                    }
                };
                Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", "Authentication required", detail)
            }
            ApiError::NoKnownRole => Problem::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "Forbidden",
                "The token carries none of the roles ROLE_CLIENT_ADMIN, ROLE_CLIENT_USER, ROLE_MEMBER.",
            ),
            ApiError::MalformedJson(detail) => Problem::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                "Malformed JSON",
                format!("The request body is not valid JSON: {detail}."),
            ),
            ApiError::UnsupportedMediaType => Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Unsupported media type",
                "The request body must be JSON, sent with `Content-Type: application/json`.",
            ),
            ApiError::UnsupportedUpload => Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Unsupported media type",
                "Send JSON (`Content-Type: application/json`), or files as `multipart/form-data` with the \
                 parts kind, body and files.",
            ),
            ApiError::PayloadTooLarge { limit } => Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "Payload too large",
                format!("The request body is larger than the limit of {limit} bytes."),
            ),
            ApiError::BadRequest { code, detail } => {
                Problem::new(StatusCode::BAD_REQUEST, code, "Bad request", detail.clone())
            }
            ApiError::Internal(_) => internal(),
        }
    }
}

fn internal() -> Problem {
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "Internal server error",
        "Something went wrong on our side. It has been logged; please try again later.",
    )
}

fn unavailable() -> Problem {
    Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "Service unavailable",
        "The desk's storage is not reachable right now; please try again shortly.",
    )
}

/// The one mapping from domain errors to problems (the web UI words its messages with it too).
pub fn desk_problem(error: &DeskError) -> Problem {
    match error {
        DeskError::NotFound(kind) => {
            Problem::new(StatusCode::NOT_FOUND, "not_found", "Not found", format!("No such {kind}."))
        }
        DeskError::Forbidden(reason) => Problem::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Forbidden",
            format!("{}.", capitalize(reason.trim_end_matches('.'))),
        ),
        DeskError::Validation(errors) => {
            let mut problem = Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "Validation failed",
                format!("The request has invalid fields: {errors}."),
            );
            problem.errors = Some(errors.iter().map(|(k, v)| (k.clone(), v.clone())).collect());
            problem
        }
        DeskError::Conflict(errors) => {
            let mut problem = Problem::new(
                StatusCode::CONFLICT,
                "duplicate",
                "Duplicate",
                format!("The request clashes with what exists: {errors}."),
            );
            problem.errors = Some(errors.iter().map(|(k, v)| (k.clone(), v.clone())).collect());
            problem
        }
        DeskError::InvalidTransition { from, to, allowed } => {
            let names: Vec<String> = allowed.iter().map(|s| s.as_str().to_owned()).collect();
            let next = if names.is_empty() {
                format!("A {from} ticket cannot change status any more.")
            } else {
                format!("Allowed next statuses: {}.", names.join(", "))
            };
            let mut problem = Problem::new(
                StatusCode::CONFLICT,
                "invalid_transition",
                "Invalid status transition",
                format!("A ticket cannot move from {from} to {to}. {next}"),
            );
            problem.allowed = Some(names);
            problem
        }
        DeskError::TicketClosed => Problem::new(
            StatusCode::CONFLICT,
            "ticket_closed",
            "Ticket closed",
            "This ticket is closed and takes no more replies; please open a new ticket.",
        ),
        DeskError::StaleVersion { expected, current } => Problem::new(
            StatusCode::PRECONDITION_FAILED,
            "stale_version",
            "Stale version",
            format!(
                "The ticket has changed since version {expected}; it is now at version {current}. \
                 Fetch it again and retry with If-Match: \"{current}\"."
            ),
        ),
        DeskError::IdempotencyKeyReused => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "Idempotency key reused",
            "This Idempotency-Key was already used for a different request; use a new key for a new request.",
        ),
        DeskError::Contended => Problem::new(
            StatusCode::CONFLICT,
            "contended",
            "Contended",
            "The ticket is being changed by someone else right now; please retry.",
        ),
        DeskError::Store(StoreError::VersionConflict) => Problem::new(
            StatusCode::CONFLICT,
            "contended",
            "Contended",
            "The ticket was changed by someone else at the same time; please retry.",
        ),
        DeskError::Store(StoreError::Duplicate(_)) => Problem::new(
            StatusCode::CONFLICT,
            "duplicate",
            "Duplicate",
            "The same thing was created at the same time by another request; please retry.",
        ),
        DeskError::Store(StoreError::Unavailable(_)) => unavailable(),
        DeskError::Store(StoreError::Other(_)) => internal(),
        DeskError::AttachmentTooLarge { filename, limit } => Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "Payload too large",
            format!("The file \"{filename}\" is larger than the limit of {limit} bytes per file."),
        ),
        DeskError::Attachments(StorageError::Unavailable(_)) => Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "Service unavailable",
            "The desk's file storage is not reachable right now; please try again shortly.",
        ),
        DeskError::Attachments(_) => internal(),
        DeskError::NotRetryable { status } => Problem::new(
            StatusCode::CONFLICT,
            "not_retryable",
            "Not retryable",
            format!("This outbox message is {status}; only failed or skipped messages can be retried."),
        ),
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.problem().status_code()
    }

    fn error_response(&self) -> HttpResponse {
        let problem = self.problem();
        match problem.status {
            500.. if problem.status != 503 => tracing::error!(error = %self, "request failed on the server side"),
            503 => tracing::warn!(error = %self, "a dependency is unavailable"),
            _ => tracing::debug!(code = %problem.code, error = %self, "request refused"),
        }
        let mut response = problem.response();
        let headers = response.headers_mut();
        match self {
            ApiError::Unauthorized(failure) => {
                let challenge = match failure {
                    AuthFailure::Missing => r#"Bearer realm="memberdesk""#,
                    AuthFailure::Expired => {
                        r#"Bearer realm="memberdesk", error="invalid_token", error_description="the token has expired""#
                    }
                    AuthFailure::Invalid => {
                        r#"Bearer realm="memberdesk", error="invalid_token", error_description="the token is not valid""#
                    }
                };
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
            }
            ApiError::Desk(
                DeskError::Contended
                | DeskError::Store(StoreError::Unavailable(_))
                | DeskError::Attachments(StorageError::Unavailable(_)),
            ) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        response
    }
}

/// `web::Json` errors: wrong content type 415, too large 413, not JSON 400, wrong shape 422.
pub(crate) fn from_json_error(error: &JsonPayloadError, limit: usize) -> ApiError {
    match error {
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            ApiError::PayloadTooLarge { limit }
        }
        JsonPayloadError::Payload(PayloadError::Overflow) => ApiError::PayloadTooLarge { limit },
        JsonPayloadError::Deserialize(e) => from_serde_json(e),
        JsonPayloadError::Payload(e) => {
            ApiError::BadRequest { code: "malformed_body", detail: format!("The request body could not be read: {e}.") }
        }
        other => ApiError::BadRequest {
            code: "malformed_body",
            detail: format!("The request body could not be read: {other}."),
        },
    }
}

/// A `serde_json` error while reading a body: syntax is 400, shape is 422.
pub(crate) fn from_serde_json(error: &serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    match error.classify() {
        Category::Data => ApiError::validation(FieldErrors::single("body", error.to_string())),
        Category::Syntax | Category::Eof | Category::Io => ApiError::MalformedJson(error.to_string()),
    }
}

/// Body extraction: limit, content type and error mapping.
pub(crate) fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default().limit(limit).error_handler(move |err, _req| from_json_error(&err, limit).into())
}

/// A path segment that is not an id (all path parameters are ticket ids): 404, like any
/// ticket that does not exist.
pub(crate) fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err, _req| ApiError::Desk(DeskError::NotFound("ticket")).into())
}

/// `web::Query` errors are the caller's: 400.
pub(crate) fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        ApiError::BadRequest { code: "invalid_query", detail: format!("The query string cannot be read: {err}.") }
            .into()
    })
}

/// Turns every error response that is not already a problem (actix's own 404/405, a panic's
/// 500, …) into one, so clients only ever see `application/problem+json` errors. HTML error
/// pages (the web UI's, mounted beside the API) are answers already and pass unchanged.
pub(crate) fn problem_for_bare_errors<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let content_type = res.response().headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let is_answer = content_type.is_some_and(|v| v.starts_with(PROBLEM_JSON) || v.starts_with("text/html"));
    if is_answer {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    if status.is_server_error() {
        let cause = res.response().error().map(|e| e.to_string()).unwrap_or_default();
        tracing::error!(status = status.as_u16(), %cause, "request failed on the server side");
    }
    let problem = bare_problem(status);
    let (req, _) = res.into_parts();
    Ok(ErrorHandlerResponse::Response(ServiceResponse::new(req, problem.response()).map_into_right_body()))
}

fn bare_problem(status: StatusCode) -> Problem {
    match status {
        StatusCode::NOT_FOUND => Problem::new(status, "not_found", "Not found", "There is nothing at this address."),
        StatusCode::METHOD_NOT_ALLOWED => Problem::new(
            status,
            "method_not_allowed",
            "Method not allowed",
            "This address does not support this HTTP method; see /api/openapi.json.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => {
            Problem::new(status, "payload_too_large", "Payload too large", "The request body is too large.")
        }
        StatusCode::SERVICE_UNAVAILABLE => unavailable(),
        s if s.is_server_error() => internal(),
        s => {
            let reason = s.canonical_reason().unwrap_or("Bad request");
            let code = reason.to_lowercase().replace([' ', '-'], "_");
            Problem::new(s, &code, reason, format!("{reason}."))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use memberdesk_domain::Status;

    fn status_and_code(error: DeskError) -> (u16, String) {
        let problem = ApiError::Desk(error).problem();
        (problem.status, problem.code)
    }

    #[test]
    fn every_desk_error_has_its_status_and_code() {
        let cases: Vec<(DeskError, u16, &str)> = vec![
            (DeskError::NotFound("ticket"), 404, "not_found"),
            (DeskError::Forbidden("your role may not assign tickets".into()), 403, "forbidden"),
            (DeskError::Validation(FieldErrors::single("subject", "must not be empty")), 422, "validation_failed"),
            (
                DeskError::Conflict(FieldErrors::single("name", "a category named \"Billing\" already exists")),
                409,
                "duplicate",
            ),
            (
                DeskError::InvalidTransition { from: Status::Waiting, to: Status::Open, allowed: vec![] },
                409,
                "invalid_transition",
            ),
            (DeskError::TicketClosed, 409, "ticket_closed"),
            (DeskError::StaleVersion { expected: 1, current: 2 }, 412, "stale_version"),
            (DeskError::IdempotencyKeyReused, 422, "idempotency_key_reused"),
            (DeskError::Contended, 409, "contended"),
            (DeskError::Store(StoreError::Unavailable("pool timed out".into())), 503, "unavailable"),
            (DeskError::Store(StoreError::Other("syntax error at or near".into())), 500, "internal"),
            (DeskError::Store(StoreError::VersionConflict), 409, "contended"),
            (DeskError::Store(StoreError::Duplicate("ticket_number".into())), 409, "duplicate"),
            (DeskError::AttachmentTooLarge { filename: "a.pdf".into(), limit: 10 }, 413, "payload_too_large"),
            (DeskError::Attachments(StorageError::Unavailable("s3 down".into())), 503, "unavailable"),
            (DeskError::Attachments(StorageError::NotFound("k".into())), 500, "internal"),
            (DeskError::Attachments(StorageError::InvalidKey("../k".into())), 500, "internal"),
        ];
        for (error, status, code) in cases {
            let text = error.to_string();
            assert_eq!(status_and_code(error), (status, code.to_owned()), "{text}");
        }
    }

    #[test]
    fn validation_lists_fields() {
        let mut errors = FieldErrors::new();
        errors.add("subject", "must not be empty");
        errors.add("priority", "unknown value `urgent`; allowed values are: low, medium, high");
        let problem = ApiError::validation(errors).problem();
        let fields = problem.errors.unwrap_or_default();
        assert_eq!(fields.get("subject").map(String::as_str), Some("must not be empty"));
        assert!(fields.get("priority").is_some_and(|m| m.contains("low, medium, high")));
    }

    #[test]
    fn invalid_transition_names_the_allowed_statuses() {
        let problem = ApiError::Desk(DeskError::InvalidTransition {
            from: Status::Waiting,
            to: Status::Open,
            allowed: vec![Status::InProgress, Status::Resolved, Status::Closed],
        })
        .problem();
        assert_eq!(problem.allowed, Some(vec!["in_progress".into(), "resolved".into(), "closed".into()]));
        assert!(problem.detail.contains("in_progress, resolved, closed"), "{}", problem.detail);
    }

    #[test]
    fn closed_ticket_says_to_open_a_new_one() {
        let problem = ApiError::Desk(DeskError::TicketClosed).problem();
        assert!(problem.detail.contains("open a new ticket"));
    }

    #[test]
    fn store_causes_never_reach_the_body() {
        for error in [
            DeskError::Store(StoreError::Other("relation \"tickets\" does not exist".into())),
            DeskError::Store(StoreError::Unavailable("connection refused to 10.0.0.5".into())),
            DeskError::Store(StoreError::Duplicate("tickets_client_number_key".into())),
        ] {
            let body = serde_json::to_string(&ApiError::Desk(error).problem()).unwrap_or_default();
            assert!(!body.contains("tickets\\\"") && !body.contains("10.0.0.5") && !body.contains("_key"), "{body}");
        }
    }

    #[test]
    fn json_errors_are_classified() {
        let syntax = serde_json::from_str::<serde_json::Value>("{\"a\":").err();
        let data = serde_json::from_str::<String>("5").err();
        let (Some(syntax), Some(data)) = (syntax, data) else { panic!("both must fail") };
        assert_eq!(from_serde_json(&syntax).problem().status, 400);
        assert_eq!(from_serde_json(&data).problem().status, 422);
        assert_eq!(from_json_error(&JsonPayloadError::ContentType, 10).problem().status, 415);
        assert_eq!(from_json_error(&JsonPayloadError::Overflow { limit: 10 }, 10).problem().status, 413);
        assert_eq!(
            from_json_error(&JsonPayloadError::OverflowKnownLength { length: 20, limit: 10 }, 10).problem().status,
            413
        );
    }

    #[test]
    fn unauthorized_carries_a_bearer_challenge() {
        for failure in [AuthFailure::Missing, AuthFailure::Expired, AuthFailure::Invalid] {
            let response = ApiError::Unauthorized(failure).error_response();
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
            let challenge = response.headers().get(header::WWW_AUTHENTICATE).and_then(|v| v.to_str().ok());
            assert!(challenge.is_some_and(|c| c.starts_with("Bearer")));
        }
    }
}
