//! Background workers the composition root starts next to the HTTP server.
//!
//! - [`sla`]: the SLA escalation worker.

pub mod sla;
