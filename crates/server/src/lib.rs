//! The composition root: the one place that reads configuration, builds the adapters, wires
//! them into the domain's [`Desk`](memberdesk_domain::Desk) and starts the HTTP server.
//! Nothing else in the workspace constructs adapters.

pub mod application;
pub mod cli;
pub mod commands;
pub mod config;
pub mod notifications;
pub mod workers;

pub use application::Application;
pub use config::{Config, ConfigError};
