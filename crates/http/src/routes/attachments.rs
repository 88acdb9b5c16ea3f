//! Attachments: replies and notes with files (`multipart/form-data` to
//! `POST /api/tickets/{id}/responses`), and `GET /api/attachments/{id}`.
//!
//! The multipart upload is its own resource, guarded on the request's media type and
//! registered before the tickets' routes, so a JSON reply still reaches `tickets::add_response`
//! (whose OpenAPI entry documents both bodies).

use crate::AppState;
use crate::auth::AuthenticatedActor;
use crate::dto::ResponseDto;
use crate::error::ApiError;
use crate::preconditions::{IDEMPOTENT_REPLAYED, IdempotencyKeyHeader};
use crate::upload;
use actix_multipart::Multipart;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, guard, web};
use memberdesk_domain::usecases::AttachmentDownload;
use memberdesk_domain::{AttachmentId, DeskError, TicketId};
use uuid::Uuid;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api/tickets/{id}/responses")
            .guard(guard::fn_guard(|ctx| upload::is_multipart(ctx.head().headers())))
            .route(web::post().to(add_response_upload)),
    )
    .service(web::resource("/api/attachments/{id}").route(web::get().to(download_attachment)));
}

/// A reply or note with files, from a multipart body (documented on `tickets::add_response`).
pub(crate) async fn add_response_upload(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
    key: IdempotencyKeyHeader,
    payload: Multipart,
) -> Result<HttpResponse, ApiError> {
    let limits = state.desk.attachment_limits();
    let upload = upload::read_upload(&req, payload, limits, crate::DEFAULT_MAX_JSON_BYTES).await?;
    let key = key.for_request(&req, &upload.canonical);
    let created = state
        .desk
        .add_response_with_attachments(&actor, TicketId(id.into_inner()), upload.input, upload.files, key)
        .await?;
    let mut response = HttpResponse::Created();
    if created.replayed {
        response.insert_header((IDEMPOTENT_REPLAYED, "true"));
    }
    Ok(response.json(ResponseDto::from(&created.value)))
}

const NOSNIFF: HeaderName = HeaderName::from_static("x-content-type-options");

/// Downloads an attached file: staff of the client; the member who raised the ticket, for files
/// on replies. Always as a download (`Content-Disposition: attachment`), with the type sniffed
/// at upload, `X-Content-Type-Options: nosniff`, and the SHA-256 as a strong `ETag`
/// (`If-None-Match` with it answers 304).
#[utoipa::path(
    get,
    path = "/api/attachments/{id}",
    tag = "tickets",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "The attachment's id"),
        ("If-None-Match" = Option<String>, Header, description = "An ETag seen before: 304 if the file is the same")
    ),
    responses(
        (status = 200, description = "The file's bytes", content_type = "application/octet-stream",
            headers(
                ("Content-Disposition" = String, description = "attachment; filename=\"…\"; filename*=UTF-8''…"),
                ("Content-Type" = String, description = "Sniffed from the bytes at upload"),
                ("Content-Length" = u64, description = "The file's size"),
                ("ETag" = String, description = "\"<sha256>\""),
                ("X-Content-Type-Options" = String, description = "nosniff")
            )),
        (status = 304, description = "Not modified (If-None-Match matched)"),
        (status = 404, description = "No such attachment — or another client's, another member's, or (for a member) a note's", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn download_attachment(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id: AttachmentId = id.parse().map_err(|_| ApiError::Desk(DeskError::NotFound("attachment")))?;
    let download = state.desk.download_attachment(&actor, id).await?;
    Ok(download_response(&req, download))
}

/// The response carrying an attachment's bytes (the API's download, and the web UI's).
pub fn download_response(req: &HttpRequest, download: AttachmentDownload) -> HttpResponse {
    let attachment = &download.attachment;
    let etag = format!("\"{}\"", attachment.sha256);
    let content_type =
        HeaderValue::from_str(&attachment.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&content_disposition(&attachment.filename))
        .unwrap_or(HeaderValue::from_static("attachment"));

    let not_modified = if_none_match(req, &etag);
    let mut response = if not_modified { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    response
        .insert_header((header::ETAG, etag))
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header((NOSNIFF, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        // Should a browser render it anyway: no scripts, no requests, no same-origin access.
        .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox"));
    if not_modified {
        return response.finish();
    }
    response.insert_header((header::CONTENT_TYPE, content_type)).body(download.bytes)
}

/// Does `If-None-Match` name this ETag (or `*`)? Weak comparison, as RFC 9110 asks for it.
fn if_none_match(req: &HttpRequest, etag: &str) -> bool {
    req.headers().get_all(header::IF_NONE_MATCH).filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|tag| {
        let tag = tag.trim();
        tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag
    })
}

/// `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266 and
/// RFC 8187): browsers use `filename*`, older clients the fallback, in which anything that is not
/// plain printable ASCII (and `"`, `\`, `%`) is `_`.
pub(crate) fn content_disposition(filename: &str) -> String {
    let fallback: String = filename
        .chars()
        .map(|c| if (c.is_ascii_graphic() || c == ' ') && !matches!(c, '"' | '\\' | '%') { c } else { '_' })
        .collect();
    let mut encoded = String::with_capacity(filename.len() * 3);
    for byte in filename.bytes() {
        // RFC 8187 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispositions_encode_every_name_safely() {
        assert_eq!(
            content_disposition("report.pdf"),
            "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf"
        );
        assert_eq!(
            content_disposition("Übersicht März 2026.pdf"),
            "attachment; filename=\"_bersicht M_rz 2026.pdf\"; filename*=UTF-8''%C3%9Cbersicht%20M%C3%A4rz%202026.pdf"
        );
        assert_eq!(
            content_disposition("a\"b\\c;d%e.txt"),
            "attachment; filename=\"a_b_c;d_e.txt\"; filename*=UTF-8''a%22b%5Cc%3Bd%25e.txt"
        );
        assert!(HeaderValue::from_str(&content_disposition("日本語.txt")).is_ok());
    }
}
