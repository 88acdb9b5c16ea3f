//! The harness: the shared server, one browser per test, and page helpers.

pub mod browser;
pub mod process;
pub mod screenshots;
pub mod server;

pub use browser::Browser;
pub use server::server_with_ai_down;
