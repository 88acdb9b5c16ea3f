//! Files attached to replies and internal notes: what is recorded about them, the name a person
//! sees, the limits, and what can go wrong keeping their bytes.
//!
//! The bytes live behind the [`crate::ports::AttachmentStorage`] port under a key the server
//! makes up ([`new_storage_key`]), never under the name the client sent, so no upload can
//! choose where it is written. The metadata ([`Attachment`]) is written by the ticket store in
//! the same transaction as the response it belongs to.
//!
//! Who may read an attachment is who may read its response: staff of the client; the member
//! who raised the ticket, for replies only (a note's attachment does not exist for a member).

use crate::access::Actor;
use crate::error::DeskError;
use crate::ids::{AttachmentId, ClientId, ResponseId, TicketId};
use crate::response::ResponseKind;
use crate::ticket::Ticket;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The default largest file: 10 MiB.
pub const DEFAULT_MAX_ATTACHMENT_BYTES: u64 = 10 * 1024 * 1024;
/// The default most files on one response.
pub const DEFAULT_MAX_ATTACHMENTS: usize = 10;
/// The longest display name kept, in characters (the extension survives the cut).
pub const MAX_FILENAME_CHARS: usize = 200;
/// What a file is called when nothing usable is left of the name it came with.
pub const FALLBACK_FILENAME: &str = "attachment";

/// A file attached to a response, as recorded (its bytes are in attachment storage).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: AttachmentId,
    pub ticket_id: TicketId,
    pub response_id: ResponseId,
    pub client_id: ClientId,
    /// The display name: see [`sanitize_filename`]. Never used as a path.
    pub filename: String,
    /// Sniffed from the bytes by the adapter that received them, not taken from the request.
    pub content_type: String,
    /// In bytes; at least 1.
    pub size: u64,
    /// SHA-256 of the bytes, lower-case hex.
    pub sha256: String,
    /// Where the bytes are in attachment storage (server-generated; see [`new_storage_key`]).
    pub storage_key: String,
    pub created_at: DateTime<Utc>,
}

/// A file as an upload brings it, before it is accepted. The adapter that read it sniffed the
/// content type and computed the SHA-256.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct NewAttachment {
    /// The name the client gave, as it gave it (sanitised by the use case).
    pub filename: String,
    pub content_type: String,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for NewAttachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAttachment")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("sha256", &self.sha256)
            .field("size", &self.bytes.len())
            .finish()
    }
}

/// How much may be attached to one response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttachmentLimits {
    /// Larger files are refused (413).
    pub max_bytes: u64,
    /// More files on one response are refused (422).
    pub max_files: usize,
}

impl Default for AttachmentLimits {
    fn default() -> Self {
        AttachmentLimits { max_bytes: DEFAULT_MAX_ATTACHMENT_BYTES, max_files: DEFAULT_MAX_ATTACHMENTS }
    }
}

/// A fresh storage key: a UUID in simple form (32 hex digits). Keys never carry anything the
/// client sent.
pub fn new_storage_key() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

/// Is this something [`new_storage_key`] could have made? (1–128 ASCII letters, digits, `-`, `_`:
/// no separators, no dots, nothing a storage adapter could read as a path.)
pub fn is_valid_storage_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= 128 && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Characters that are invisible but change how a name reads: zero-width and bidirectional
/// controls (`invoice\u{202E}fdp.exe` shows as `invoiceexe.pdf`), and the byte-order mark.
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// The display name of an uploaded file.
///
/// - only the last path component is kept (`/` and `\` both separate: `../../etc/passwd` is
///   `passwd`, `C:\Users\me\cv.pdf` is `cv.pdf`);
/// - control characters (NUL included) and invisible formatting characters are dropped;
/// - surrounding white space is trimmed, and trailing dots (Windows drops them);
/// - at most [`MAX_FILENAME_CHARS`] characters, cutting the stem and keeping a short extension;
/// - nothing usable left (``, `.`, `..`) gives [`FALLBACK_FILENAME`].
///
/// The result is a name to show and to offer in `Content-Disposition`, never a path.
pub fn sanitize_filename(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last.chars().filter(|c| !c.is_control() && !is_invisible_format(*c)).collect();
    let trimmed = trim_name(&cleaned);
    if trimmed.is_empty() || trimmed == "." || trimmed == ".." {
        return FALLBACK_FILENAME.to_owned();
    }
    let count = trimmed.chars().count();
    if count <= MAX_FILENAME_CHARS {
        return trimmed.to_owned();
    }
    // Keep an extension of up to 16 characters (`.pdf`, `.tar.gz` keeps `.gz`).
    let extension = trimmed
        .rfind('.')
        .filter(|&dot| dot > 0)
        .map(|dot| &trimmed[dot..])
        .filter(|ext| ext.chars().count() <= 16)
        .unwrap_or("");
    let keep = MAX_FILENAME_CHARS - extension.chars().count();
    let stem: String = trimmed.chars().take(keep).collect();
    match trim_name(&format!("{stem}{extension}")) {
        "" => FALLBACK_FILENAME.to_owned(),
        name => name.to_owned(),
    }
}

/// Without surrounding white space, and without trailing dots (Windows drops them).
fn trim_name(name: &str) -> &str {
    name.trim_end_matches(|c: char| c == '.' || c.is_whitespace()).trim_start()
}

/// Does a SHA-256 given by an adapter look like one (64 lower-case hex digits)?
pub fn is_sha256_hex(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// May the actor read an attachment of a response of this kind on this ticket? Another client's
/// ticket, another member's ticket, and for a member any note, are all simply not found.
pub fn authorize_read(actor: &Actor, ticket: &Ticket, kind: ResponseKind) -> Result<(), DeskError> {
    let visible = crate::access::can_see(actor, ticket) && (kind.is_public() || actor.is_staff());
    if visible { Ok(()) } else { Err(DeskError::NotFound("attachment")) }
}

/// Why attachment storage failed, as its adapter reports it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// Nothing is stored under the key.
    #[error("no stored object under key {0}")]
    NotFound(String),
    /// The key is not one the server makes (see [`is_valid_storage_key`]).
    #[error("invalid storage key {0:?}")]
    InvalidKey(String),
    /// The storage could not be reached or timed out; a retry later may work.
    #[error("attachment storage unavailable: {0}")]
    Unavailable(String),
    /// Anything else; the message is for logs only.
    #[error("attachment storage failure: {0}")]
    Other(String),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;
    use crate::test_fixtures::{actor, ticket};
    use proptest::prelude::*;

    #[test]
    fn only_the_last_path_component_is_kept() {
        assert_eq!(sanitize_filename("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_filename("..\\..\\windows\\win.ini"), "win.ini");
        assert_eq!(sanitize_filename("C:\\Users\\me\\cv.pdf"), "cv.pdf");
        assert_eq!(sanitize_filename("/abs/path/report.txt"), "report.txt");
        assert_eq!(sanitize_filename("plain name.png"), "plain name.png");
    }

    #[test]
    fn nothing_usable_becomes_the_fallback() {
        for raw in ["", " ", ".", "..", "../", "a/..", "dir/", "\u{0}\u{1}", "...", " . "] {
            assert_eq!(sanitize_filename(raw), FALLBACK_FILENAME, "{raw:?}");
        }
    }

    #[test]
    fn control_and_invisible_characters_are_dropped() {
        assert_eq!(sanitize_filename("in\u{0}voi\nce\r.pdf"), "invoice.pdf");
        assert_eq!(sanitize_filename("invoice\u{202E}fdp.exe"), "invoicefdp.exe");
        assert_eq!(sanitize_filename("\u{FEFF}zero\u{200B}width.txt"), "zerowidth.txt");
        assert_eq!(sanitize_filename("  spaced.txt  "), "spaced.txt");
        assert_eq!(sanitize_filename("trailing.dots..."), "trailing.dots");
        assert_eq!(sanitize_filename("Übersicht – März.pdf"), "Übersicht – März.pdf");
    }

    #[test]
    fn long_names_are_cut_keeping_the_extension() {
        let long = format!("{}.pdf", "a".repeat(500));
        let cut = sanitize_filename(&long);
        assert_eq!(cut.chars().count(), MAX_FILENAME_CHARS);
        assert!(cut.ends_with(".pdf"));
        let no_ext = "é".repeat(300);
        assert_eq!(sanitize_filename(&no_ext).chars().count(), MAX_FILENAME_CHARS);
        let long_ext = format!("x.{}", "y".repeat(300));
        assert_eq!(sanitize_filename(&long_ext).chars().count(), MAX_FILENAME_CHARS);
        let dots = format!("{}.{}", ".".repeat(250), "y".repeat(20));
        assert_eq!(sanitize_filename(&dots), FALLBACK_FILENAME);
    }

    proptest! {
        /// Whatever comes in, what goes out is a short, non-empty single name with no
        /// separators or control characters, and is not `.` or `..`.
        #[test]
        fn sanitized_names_are_always_safe(raw in ".{0,400}") {
            let name = sanitize_filename(&raw);
            prop_assert!(!name.is_empty());
            prop_assert!(name.chars().count() <= MAX_FILENAME_CHARS);
            prop_assert!(!name.contains('/') && !name.contains('\\'));
            prop_assert!(!name.chars().any(|c| c.is_control()));
            prop_assert!(name != "." && name != "..");
            prop_assert_eq!(sanitize_filename(&name), name.clone(), "sanitising is idempotent");
        }
    }

    #[test]
    fn storage_keys_are_plain_and_fresh() {
        let a = new_storage_key();
        let b = new_storage_key();
        assert_ne!(a, b);
        assert!(is_valid_storage_key(&a), "{a}");
        for bad in ["", "../x", "a/b", "a\\b", ".", "..", "a.b", "a b", &"k".repeat(129)] {
            assert!(!is_valid_storage_key(bad), "{bad:?}");
        }
    }

    #[test]
    fn sha256_must_be_lower_hex() {
        assert!(is_sha256_hex(&"0123456789abcdef".repeat(4)));
        assert!(!is_sha256_hex(&"0123456789ABCDEF".repeat(4)));
        assert!(!is_sha256_hex("abc"));
    }

    #[test]
    fn reading_follows_the_response() {
        let own = ticket("c", "m");
        let someone_elses = ticket("c", "other");
        let foreign = ticket("other-client", "m");
        let member = actor("c", "m", Role::Member);
        let staff = [actor("c", "a", Role::ClientAdmin), actor("c", "u", Role::ClientUser)];

        assert!(authorize_read(&member, &own, ResponseKind::Reply).is_ok());
        for (ticket, kind) in [
            (&own, ResponseKind::Note),
            (&someone_elses, ResponseKind::Reply),
            (&someone_elses, ResponseKind::Note),
            (&foreign, ResponseKind::Reply),
        ] {
            let result = authorize_read(&member, ticket, kind);
            assert!(matches!(result, Err(DeskError::NotFound("attachment"))), "{kind:?}: {result:?}");
        }
        for staff in &staff {
            for kind in ResponseKind::ALL {
                assert!(authorize_read(staff, &own, kind).is_ok());
                assert!(authorize_read(staff, &someone_elses, kind).is_ok());
                assert!(matches!(authorize_read(staff, &foreign, kind), Err(DeskError::NotFound(_))));
            }
        }
    }
}
