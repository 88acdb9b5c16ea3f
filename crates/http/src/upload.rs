//! Reading a reply or note with attached files from a `multipart/form-data` body, and what
//! the adapter works out about each file: the content type (sniffed from the bytes, never
//! taken from the request) and the SHA-256.
//!
//! The body is read as a stream. A file is kept in memory only up to the per-file limit;
//! past it the rest of that part is read and dropped (so the client gets its 413 rather than
//! a reset connection), and the whole body may never exceed
//! `max_files × max_bytes` plus room for the text fields: beyond that reading stops at once.
//!
//! Parts: `kind` and `body` (text, like the JSON fields), and one or more files under `files`
//! (also accepted: `files[]`, `file`). Other parts are read and ignored, like unknown JSON
//! fields, except the extra text parts a caller asks for (the web UI's `_csrf`).

use crate::error::ApiError;
use crate::extract::canonical_json;
use actix_multipart::{Field, Multipart, MultipartError};
use actix_web::HttpRequest;
use actix_web::http::header;
use futures::StreamExt;
use memberdesk_domain::usecases::NewResponseInput;
use memberdesk_domain::{AttachmentLimits, FieldErrors, NewAttachment};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The part names a file may come under.
const FILE_PARTS: [&str; 3] = ["files", "files[]", "file"];
/// Room for part headers and boundaries on top of the files and text fields.
const OVERHEAD_BYTES: u64 = 64 * 1024;

/// A response and its files, read from a multipart body.
#[derive(Debug)]
pub struct Upload {
    pub input: NewResponseInput,
    pub files: Vec<NewAttachment>,
    /// The request in canonical JSON (text fields, and each file's name, size and SHA-256), for
    /// idempotency fingerprints.
    pub canonical: String,
    /// The extra text parts asked for ([`read_upload_with`]), by name.
    pub extra: BTreeMap<String, String>,
}

/// Is this request's body multipart (of any subtype)?
pub(crate) fn is_multipart(headers: &header::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("multipart/"))
}

/// The largest body an upload may have under these limits.
pub(crate) fn body_limit(limits: AttachmentLimits, max_text_bytes: usize) -> u64 {
    let files = limits.max_bytes.saturating_mul(limits.max_files as u64);
    files.saturating_add(2 * max_text_bytes as u64).saturating_add(OVERHEAD_BYTES)
}

/// The content type of a file, from its bytes: a known signature (`infer`), else
/// `text/plain; charset=utf-8` for valid UTF-8, else `application/octet-stream`.
pub(crate) fn sniff_content_type(bytes: &[u8]) -> String {
    if let Some(kind) = infer::get(bytes) {
        return kind.mime_type().to_owned();
    }
    if std::str::from_utf8(bytes).is_ok() {
        "text/plain; charset=utf-8".to_owned()
    } else {
        "application/octet-stream".to_owned()
    }
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Counts every byte read from the body against the whole-body limit.
struct Budget {
    read: u64,
    limit: u64,
}

impl Budget {
    fn take(&mut self, bytes: usize) -> Result<(), ApiError> {
        self.read = self.read.saturating_add(bytes as u64);
        if self.read > self.limit {
            return Err(too_large(self.limit));
        }
        Ok(())
    }
}

fn too_large(limit: u64) -> ApiError {
    ApiError::PayloadTooLarge { limit: usize::try_from(limit).unwrap_or(usize::MAX) }
}

/// A part's bytes, or the fact that it was longer than wanted (then read to its end and dropped).
enum PartBytes {
    Kept(Vec<u8>),
    TooLong,
}

async fn read_part(field: &mut Field, keep: u64, budget: &mut Budget) -> Result<PartBytes, ApiError> {
    let mut kept = Vec::new();
    let mut too_long = false;
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(multipart_error)?;
        budget.take(chunk.len())?;
        if too_long {
            continue;
        }
        if (kept.len() + chunk.len()) as u64 > keep {
            too_long = true;
            kept = Vec::new();
        } else {
            kept.extend_from_slice(&chunk);
        }
    }
    Ok(if too_long { PartBytes::TooLong } else { PartBytes::Kept(kept) })
}

/// The file name a part carries: `filename*` (RFC 5987, UTF-8) if given, else `filename`.
fn part_filename(field: &Field) -> String {
    let Some(disposition) = field.content_disposition() else {
        return String::new();
    };
    if let Some(extended) = disposition.get_filename_ext() {
        return String::from_utf8_lossy(&extended.value).into_owned();
    }
    disposition.get_filename().unwrap_or_default().to_owned()
}

/// Malformed multipart bodies are the caller's: 400 (or 415 when the media type is wrong).
pub(crate) fn multipart_error(error: MultipartError) -> ApiError {
    match error {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible => ApiError::UnsupportedUpload,
        other => ApiError::BadRequest {
            code: "malformed_multipart",
            detail: format!("The multipart body could not be read: {other}."),
        },
    }
}

/// Reads the parts of a reply or note with files. Refusals: a file over the per-file limit or
/// a body over the whole-body limit 413; more files than allowed, a text field that is not
/// UTF-8, holds NUL or comes twice 422; not `multipart/form-data` 415; a broken body 400.
pub(crate) async fn read_upload(
    req: &HttpRequest,
    multipart: Multipart,
    limits: AttachmentLimits,
    max_text_bytes: usize,
) -> Result<Upload, ApiError> {
    read_upload_with(req, multipart, limits, max_text_bytes, UploadParts { files: &FILE_PARTS, extra: &[] }).await
}

/// The part names a caller of [`read_upload_with`] reads beyond `kind` and `body`.
#[derive(Debug, Clone, Copy)]
pub struct UploadParts<'a> {
    /// The names files come under (the API: `files`, `files[]`, `file`).
    pub files: &'a [&'a str],
    /// Text parts kept in [`Upload::extra`] (same rules as `kind` and `body`).
    pub extra: &'a [&'a str],
}

/// As [`read_upload`], with the part names of another form (the web UI's: files under
/// `attachments`, and its `_csrf`).
pub async fn read_upload_with(
    req: &HttpRequest,
    mut multipart: Multipart,
    limits: AttachmentLimits,
    max_text_bytes: usize,
    parts: UploadParts<'_>,
) -> Result<Upload, ApiError> {
    let form_data = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("multipart/form-data"));
    if !form_data {
        return Err(ApiError::UnsupportedUpload);
    }
    let limit = body_limit(limits, max_text_bytes);
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Err(too_large(limit));
    }

    let mut budget = Budget { read: 0, limit };
    let mut errors = FieldErrors::new();
    let mut oversized: Option<ApiError> = None;
    let (mut kind, mut body): (Option<String>, Option<String>) = (None, None);
    let mut extra: BTreeMap<String, Option<String>> = parts.extra.iter().map(|n| ((*n).to_owned(), None)).collect();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut file_parts = 0usize;

    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(multipart_error)?;
        let name = field.name().unwrap_or_default().to_owned();
        if parts.files.contains(&name.as_str()) {
            file_parts += 1;
            let filename = part_filename(&field);
            // Past the file count, parts are still read (and dropped) so the answer arrives.
            let keep = if file_parts > limits.max_files { 0 } else { limits.max_bytes };
            match read_part(&mut field, keep, &mut budget).await? {
                PartBytes::Kept(bytes) if file_parts <= limits.max_files => files.push((filename, bytes)),
                PartBytes::Kept(_) => {}
                PartBytes::TooLong if file_parts > limits.max_files => {}
                PartBytes::TooLong => {
                    oversized.get_or_insert(ApiError::Desk(memberdesk_domain::DeskError::AttachmentTooLarge {
                        filename: memberdesk_domain::attachment::sanitize_filename(&filename),
                        limit: limits.max_bytes,
                    }));
                }
            }
            continue;
        }
        let slot = match name.as_str() {
            "kind" => &mut kind,
            "body" => &mut body,
            other if extra.contains_key(other) => extra.entry(name.clone()).or_default(),
            _ => {
                read_part(&mut field, 0, &mut budget).await?;
                continue;
            }
        };
        match read_part(&mut field, max_text_bytes as u64, &mut budget).await? {
            PartBytes::TooLong => {
                oversized.get_or_insert(too_large(max_text_bytes as u64));
            }
            PartBytes::Kept(bytes) => match String::from_utf8(bytes) {
                Err(_) => errors.add(&name, "must be UTF-8 text"),
                Ok(text) if text.contains('\0') => errors.add(&name, "must not contain NUL characters"),
                Ok(_) if slot.is_some() => errors.add(&name, "was given more than once"),
                Ok(text) => *slot = Some(text),
            },
        }
    }

    if let Some(refusal) = oversized {
        return Err(refusal);
    }
    if file_parts > limits.max_files {
        errors.add(
            "files",
            format!("at most {} files may be attached to one response; {file_parts} were sent", limits.max_files),
        );
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }

    let files: Vec<NewAttachment> = files
        .into_iter()
        .map(|(filename, bytes)| NewAttachment {
            content_type: sniff_content_type(&bytes),
            sha256: sha256_hex(&bytes),
            filename,
            bytes,
        })
        .collect();
    let canonical = canonical_json(&json!({
        "kind": kind,
        "body": body,
        "files": files.iter().map(|f| json!({
            "filename": f.filename, "size": f.bytes.len(), "sha256": f.sha256
        })).collect::<Vec<_>>(),
    }));
    let extra = extra.into_iter().filter_map(|(name, value)| Some((name, value?))).collect();
    Ok(Upload { input: NewResponseInput { kind, body: body.unwrap_or_default() }, files, canonical, extra })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_come_from_the_bytes() {
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R'];
        assert_eq!(sniff_content_type(&png), "image/png");
        assert_eq!(sniff_content_type(b"%PDF-1.7\n..."), "application/pdf");
        assert_eq!(sniff_content_type("plain text, ünïcödé".as_bytes()), "text/plain; charset=utf-8");
        assert_eq!(sniff_content_type(&[0xff, 0xfe, 0x00, 0x80, 0x81]), "application/octet-stream");
    }

    #[test]
    fn sha256_is_lower_hex() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn the_body_limit_covers_every_file_and_the_text() {
        let limits = AttachmentLimits { max_bytes: 1000, max_files: 3 };
        assert_eq!(body_limit(limits, 100), 3000 + 200 + OVERHEAD_BYTES);
        let huge = AttachmentLimits { max_bytes: u64::MAX, max_files: 10 };
        assert_eq!(body_limit(huge, 100), u64::MAX);
    }

    #[test]
    fn multipart_is_recognised_by_its_media_type() {
        let mut headers = header::HeaderMap::new();
        assert!(!is_multipart(&headers));
        headers.insert(header::CONTENT_TYPE, header::HeaderValue::from_static("Multipart/Form-Data; boundary=x"));
        assert!(is_multipart(&headers));
        headers.insert(header::CONTENT_TYPE, header::HeaderValue::from_static("application/json"));
        assert!(!is_multipart(&headers));
    }
}
