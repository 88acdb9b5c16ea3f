//! The `memberdesk` command line.

use crate::config::{DEFAULT_BIND, DEFAULT_DATABASE_URL};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;

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
