//! Reading what forms send: ids in paths, the reply form (multipart, with files), and the
//! idempotency key that makes a double-clicked submit create one thing, not two.

use crate::error::PageError;
use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::HttpRequest;
use memberdesk_domain::ports::IdempotencyKey;
use memberdesk_domain::{AttachmentLimits, NewAttachment};
use memberdesk_http::upload::{UploadParts, read_upload_with};
use sha2::{Digest, Sha256};

/// An id from the path; anything else is a page that does not exist.
pub(crate) fn parse_id<T: std::str::FromStr>(raw: &str) -> Result<T, PageError> {
    raw.trim().parse().map_err(|_| PageError::NotFound)
}

/// The reply form: `body`, `kind` (the button pressed), files under `attachments`, the canned
/// response chosen (for the no-script "Insert" fallback), the form's submission id.
pub(crate) struct ReplyForm {
    pub(crate) body: String,
    pub(crate) kind: Option<String>,
    pub(crate) canned: Option<String>,
    /// The AI draft the text started from (set by the draft button's script), so the reply
    /// counts as that draft's use in the usage report.
    pub(crate) draft_id: Option<String>,
    pub(crate) files: Vec<NewAttachment>,
    pub(crate) idempotency: Option<IdempotencyKey>,
}

/// The largest text field of a form (the domain allows 50 000 characters in a body).
const MAX_TEXT_BYTES: usize = 256 * 1024;

/// Reads the multipart reply form and checks its CSRF token before anything is done with it.
pub(crate) async fn read_reply_form(
    req: &HttpRequest,
    payload: Multipart,
    session: &Session,
    limits: AttachmentLimits,
) -> Result<ReplyForm, PageError> {
    let parts = UploadParts { files: &["attachments"], extra: &["_csrf", "canned", "submission"] };
    let upload = read_upload_with(req, payload, limits, MAX_TEXT_BYTES, parts).await;
    let upload = match upload {
        Ok(upload) => upload,
        // Refused before the token could be read: still nothing is stored.
        Err(error) => return Err(PageError::Api(error)),
    };
    crate::csrf::check(session, upload.extra.get("_csrf").map(String::as_str))?;
    let idempotency = submission_key(upload.extra.get("submission").map(String::as_str), &upload.canonical);
    Ok(ReplyForm {
        body: upload.input.body,
        kind: upload.input.kind,
        canned: upload.extra.get("canned").cloned().filter(|c| !c.trim().is_empty()),
        draft_id: upload.input.draft_id.filter(|d| !d.trim().is_empty()),
        // A file input left empty still sends a part, with no file name and no bytes: the
        // browser's way of saying "no file chosen", not an empty attachment.
        files: upload.files.into_iter().filter(|f| !(f.filename.is_empty() && f.bytes.is_empty())).collect(),
        idempotency,
    })
}

/// The idempotency key of a form submission: the random id the form was rendered with, and a
/// fingerprint of what it carried (the same id with other content is refused by the desk).
pub(crate) fn submission_key(submission: Option<&str>, content: &str) -> Option<IdempotencyKey> {
    let submission = submission.map(str::trim).filter(|s| !s.is_empty() && s.len() <= 100)?;
    Some(IdempotencyKey {
        key: format!("ui-{submission}"),
        fingerprint: hex::encode(Sha256::digest(content.as_bytes())),
    })
}

/// A fresh submission id for a form being rendered.
pub(crate) fn new_submission() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}
