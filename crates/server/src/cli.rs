//! The `memberdesk` command line.

use crate::config::{DEFAULT_BIND, DEFAULT_DATABASE_URL};
use clap::{Args, Parser, Subcommand, ValueEnum};
use memberdesk_domain::attachment::{DEFAULT_MAX_ATTACHMENT_BYTES, DEFAULT_MAX_ATTACHMENTS};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "memberdesk", version, about = "memberdesk: the member-support ticket desk")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run migrations, then serve the API until SIGTERM/SIGINT.
    Serve(ServeArgs),
    /// Run the embedded migrations and exit.
    Migrate(DatabaseArgs),
    /// Print a signed token for an identity (for scripts, tests and first use).
    Token(TokenArgs),
    /// Create the demo association with staff, members and ~60 tickets (once), print a ready
    /// token and curl line for each demo identity, then serve.
    Demo(DemoArgs),
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// `postgres://user@host:port/db` for PostgreSQL; `sqlite://PATH` (or a path) for the
    /// embedded SQLite file.
    #[arg(long, env = "MEMBERDESK_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "MEMBERDESK_BIND", default_value = DEFAULT_BIND)]
    pub bind: SocketAddr,
    /// HS256 secret that signs and verifies bearer tokens.
    #[arg(long, env = "MEMBERDESK_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// Secret the web UI's session cookies are encrypted with [default: derived from the JWT
    /// secret]. Set it to sign everyone out of the web UI without changing the JWT secret.
    #[arg(long, env = "MEMBERDESK_SESSION_KEY", hide_env_values = true)]
    pub session_key: Option<String>,
    #[command(flatten)]
    pub attachments: AttachmentArgs,
    #[command(flatten)]
    pub notifications: crate::notifications::NotificationArgs,
    #[command(flatten)]
    pub ai: AiArgs,
    /// How often the SLA escalation worker runs (`0s`: not in this instance).
    #[arg(long, env = "MEMBERDESK_SLA_CHECK_INTERVAL", default_value = crate::config::DEFAULT_SLA_CHECK_INTERVAL)]
    pub sla_check_interval: humantime::Duration,
}

impl ServeArgs {
    /// The SLA worker's interval, `None` for `0s`.
    pub fn sla_check_interval(&self) -> Option<std::time::Duration> {
        Some(*self.sla_check_interval).filter(|d| !d.is_zero())
    }
}

/// The AI service for summaries (issue 8, `docs/ai.md`): any OpenAI-compatible
/// chat-completions API.
#[derive(Debug, Clone, Args)]
pub struct AiArgs {
    /// Base URL of an OpenAI-compatible API, e.g. `https://api.openai.com/v1` or
    /// `http://localhost:11434/v1` (Ollama). Unset or empty: the built-in summariser answers.
    #[arg(long, env = "MEMBERDESK_AI_BASE_URL")]
    pub ai_base_url: Option<String>,
    /// The API key (empty for services without one).
    #[arg(long, env = "MEMBERDESK_AI_API_KEY", hide_env_values = true, default_value = "")]
    pub ai_api_key: String,
    /// The model, e.g. `gpt-4o-mini` or `llama3.1`.
    #[arg(long, env = "MEMBERDESK_AI_MODEL", default_value = "gpt-4o-mini")]
    pub ai_model: String,
    /// How long one request to the AI service may take, answer included.
    #[arg(long, env = "MEMBERDESK_AI_TIMEOUT", default_value = "30s")]
    pub ai_timeout: humantime::Duration,
}

impl AiArgs {
    pub fn config(&self) -> Option<memberdesk_ai::AiConfig> {
        let base_url = self.ai_base_url.as_ref().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())?;
        Some(memberdesk_ai::AiConfig {
            base_url,
            api_key: self.ai_api_key.trim().to_owned(),
            model: self.ai_model.trim().to_owned(),
            timeout: *self.ai_timeout,
        })
    }
}

#[derive(Debug, Clone, Args)]
pub struct AttachmentArgs {
    /// Directory for attached files [default: memberdesk-attachments next to the SQLite
    /// database, or in the working directory for PostgreSQL].
    #[arg(long, env = "MEMBERDESK_ATTACHMENTS_DIR")]
    pub attachments_dir: Option<PathBuf>,
    /// `s3://bucket/prefix` for an S3-compatible store (credentials, region and endpoint from the
    /// AWS_* variables), or `file:///absolute/dir`; overrides the directory.
    #[arg(long, env = "MEMBERDESK_ATTACHMENTS_URL")]
    pub attachments_url: Option<String>,
    /// Largest attached file, in bytes (larger: 413).
    #[arg(long, env = "MEMBERDESK_MAX_ATTACHMENT_BYTES", default_value_t = DEFAULT_MAX_ATTACHMENT_BYTES,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_attachment_bytes: u64,
    /// Most files on one reply or note (more: 422).
    #[arg(long, env = "MEMBERDESK_MAX_ATTACHMENTS", default_value_t = DEFAULT_MAX_ATTACHMENTS as u64,
          value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub max_attachments: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Admin,
    User,
    Member,
}

#[derive(Debug, Clone, Args)]
pub struct TokenArgs {
    /// The client (association) id.
    #[arg(long)]
    pub client: String,
    /// The user's id on the association platform (the `sub` claim).
    #[arg(long)]
    pub user: String,
    #[arg(long, value_enum)]
    pub role: RoleArg,
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub email: String,
    /// How long the token is valid, e.g. `8h`, `30m`, `7days`.
    #[arg(long, default_value = "8h")]
    pub ttl: humantime::Duration,
    #[arg(long, env = "MEMBERDESK_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub serve: ServeArgs,
    /// Seed and print the tokens, but do not serve.
    #[arg(long)]
    pub no_serve: bool,
}

impl AttachmentArgs {
    /// Where attachments go for this database (see [`crate::config::attachments_location`]).
    pub fn location(
        &self,
        database_url: &str,
    ) -> Result<memberdesk_attachments::StorageLocation, crate::config::ConfigError> {
        crate::config::attachments_location(
            self.attachments_url.as_deref(),
            self.attachments_dir.as_deref(),
            database_url,
        )
    }

    pub fn limits(&self) -> memberdesk_domain::AttachmentLimits {
        memberdesk_domain::AttachmentLimits {
            max_bytes: self.max_attachment_bytes,
            max_files: usize::try_from(self.max_attachments).unwrap_or(usize::MAX),
        }
    }
}
