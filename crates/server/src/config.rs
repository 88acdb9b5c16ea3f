//! Configuration, from flags or `MEMBERDESK_*` environment variables (clap reads both).

use std::net::SocketAddr;

/// The embedded default: a SQLite file next to where the desk is started.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://memberdesk.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
/// Secrets shorter than this are refused: HS256 keys should carry at least 128 bits.
pub const MIN_SECRET_BYTES: usize = 16;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: SocketAddr,
    pub jwt_secret: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "MEMBERDESK_JWT_SECRET is not set: give a secret of at least {MIN_SECRET_BYTES} bytes (e.g. `export MEMBERDESK_JWT_SECRET=$(openssl rand -hex 32)`)"
    )]
    MissingSecret,
    #[error("MEMBERDESK_JWT_SECRET is too short: use at least {MIN_SECRET_BYTES} bytes")]
    ShortSecret,
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
