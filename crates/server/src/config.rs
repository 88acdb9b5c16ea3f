//! Configuration, from flags or `MEMBERDESK_*` environment variables (clap reads both).

use memberdesk_attachments::StorageLocation;
use memberdesk_domain::AttachmentLimits;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The embedded default: a SQLite file next to where the desk is started.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://memberdesk.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
/// Secrets shorter than this are refused: HS256 keys should carry at least 128 bits.
pub const MIN_SECRET_BYTES: usize = 16;
/// Where attachments go by default: this directory, next to the SQLite database (or in the
/// working directory when the database is PostgreSQL).
pub const DEFAULT_ATTACHMENTS_DIR_NAME: &str = "memberdesk-attachments";

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: SocketAddr,
    pub jwt_secret: String,
    /// Where attachments' bytes are kept.
    pub attachments: StorageLocation,
    /// Largest file and most files per response.
    pub attachment_limits: AttachmentLimits,
    /// How often the SLA escalation worker looks for tickets whose next check has come;
    /// `None` runs no worker (another instance runs it, or a test drives it).
    pub sla_check_interval: Option<std::time::Duration>,
    /// Email and CRM notifications: SMTP, sender, the outbox worker.
    pub notifications: crate::notifications::NotificationConfig,
    /// An OpenAI-compatible service for summaries; `None`: the built-in summariser answers.
    pub ai: Option<memberdesk_ai::AiConfig>,
    /// The web UI's session-cookie key (`MEMBERDESK_SESSION_KEY`); `None`: derived from the
    /// JWT secret.
    pub session_key: Option<String>,
    /// The demo sign-in page's identities (`memberdesk demo` only).
    pub demo_sign_in: Option<memberdesk_web::DemoSignIn>,
}

/// The SLA worker's default interval: escalations are at most this late.
pub const DEFAULT_SLA_CHECK_INTERVAL: &str = "30s";

impl Config {
    /// A configuration with the default attachment settings for this database (files in
    /// `memberdesk-attachments` next to it, 10 MiB, 10 files).
    pub fn new(database_url: impl Into<String>, bind: SocketAddr, jwt_secret: impl Into<String>) -> Config {
        let database_url = database_url.into();
        let attachments = StorageLocation::Directory(default_attachments_dir(&database_url));
        Config {
            database_url,
            bind,
            jwt_secret: jwt_secret.into(),
            attachments,
            attachment_limits: AttachmentLimits::default(),
            sla_check_interval: Some(std::time::Duration::from_secs(30)),
            notifications: crate::notifications::NotificationConfig::default(),
            ai: None,
            session_key: None,
            demo_sign_in: None,
        }
    }
}

/// `memberdesk-attachments` in the SQLite database's directory, or in the working directory
/// for PostgreSQL.
pub fn default_attachments_dir(database_url: &str) -> PathBuf {
    let sqlite_file = if let Some(path) = database_url.strip_prefix("sqlite://") {
        Some(path)
    } else if let Some(path) = database_url.strip_prefix("sqlite:") {
        Some(path)
    } else if database_url.contains("://") {
        None
    } else {
        Some(database_url)
    };
    let dir = sqlite_file.and_then(|file| Path::new(file).parent()).filter(|p| !p.as_os_str().is_empty());
    dir.unwrap_or(Path::new(".")).join(DEFAULT_ATTACHMENTS_DIR_NAME)
}

/// Where attachments go: an explicit URL (`s3://bucket/prefix`, `file:///dir`) wins over a
/// directory, which wins over the default next to the database.
pub fn attachments_location(
    url: Option<&str>,
    dir: Option<&Path>,
    database_url: &str,
) -> Result<StorageLocation, ConfigError> {
    match (url.filter(|u| !u.trim().is_empty()), dir) {
        (Some(url), _) => StorageLocation::parse(url.trim()).map_err(|e| ConfigError::Attachments(e.to_string())),
        (None, Some(dir)) => Ok(StorageLocation::Directory(dir.to_owned())),
        (None, None) => Ok(StorageLocation::Directory(default_attachments_dir(database_url))),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "MEMBERDESK_JWT_SECRET is not set: give a secret of at least {MIN_SECRET_BYTES} bytes (e.g. `export MEMBERDESK_JWT_SECRET=$(openssl rand -hex 32)`)"
    )]
    MissingSecret,
    #[error("MEMBERDESK_JWT_SECRET is too short: use at least {MIN_SECRET_BYTES} bytes")]
    ShortSecret,
    #[error("MEMBERDESK_ATTACHMENTS_URL: {0}")]
    Attachments(String),
}

/// Checks the signing secret every command that signs or verifies tokens needs.
pub fn require_secret(secret: Option<String>) -> Result<String, ConfigError> {
    match secret {
        None => Err(ConfigError::MissingSecret),
        Some(s) if s.trim().is_empty() => Err(ConfigError::MissingSecret),
        Some(s) if s.len() < MIN_SECRET_BYTES => Err(ConfigError::ShortSecret),
        Some(s) => Ok(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachments_default_to_a_directory_beside_the_sqlite_database() {
        assert_eq!(default_attachments_dir("sqlite://memberdesk.db"), Path::new("./memberdesk-attachments"));
        assert_eq!(
            default_attachments_dir("sqlite:///var/lib/desk/desk.db"),
            Path::new("/var/lib/desk/memberdesk-attachments")
        );
        assert_eq!(default_attachments_dir("sqlite:data/desk.db"), Path::new("data/memberdesk-attachments"));
        assert_eq!(default_attachments_dir("data/desk.db"), Path::new("data/memberdesk-attachments"));
        assert_eq!(default_attachments_dir("postgres://u@h/db"), Path::new("./memberdesk-attachments"));
    }

    #[test]
    fn a_url_wins_over_a_directory() {
        let dir = Path::new("/srv/files");
        assert_eq!(
            attachments_location(Some("s3://bucket/desk"), Some(dir), "sqlite://x.db").ok(),
            Some(StorageLocation::S3 { bucket: "bucket".into(), prefix: "desk".into() })
        );
        assert_eq!(
            attachments_location(None, Some(dir), "sqlite://x.db").ok(),
            Some(StorageLocation::Directory(dir.to_owned()))
        );
        assert_eq!(
            attachments_location(Some(" "), None, "sqlite://a/x.db").ok(),
            Some(StorageLocation::Directory("a/memberdesk-attachments".into()))
        );
        assert!(matches!(attachments_location(Some("ftp://x"), None, "x.db"), Err(ConfigError::Attachments(_))));
    }
}
