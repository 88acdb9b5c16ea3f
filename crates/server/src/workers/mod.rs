//! Background workers the composition root starts next to the HTTP server.
//!
//! - [`sla`]: the SLA escalation worker.
//! - [`summary_refresh`]: automatic summary regeneration.
//! - [`periodic`]: the interval loop they share.

pub mod periodic;
pub mod sla;
pub mod summary_refresh;
