//! One file per `memberdesk` subcommand.

pub mod demo;
pub mod migrate;
pub mod serve;
pub mod token;

/// What a command failed with, shown to the person as one line.
pub type CommandResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;
