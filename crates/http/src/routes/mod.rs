//! The routes, one module per resource, each wired by its `config(cfg)`.
//!
//! Handlers stay thin: extract (the actor, the path, the body), call one use case on the
//! [`memberdesk_domain::Desk`], map the result to a response; errors go through
//! [`crate::error::ApiError`].

pub mod agents;
pub mod health;
pub mod tickets;

use actix_web::web::ServiceConfig;

/// Every route of the API. `/metrics` is answered by the metrics middleware itself.
pub fn config(cfg: &mut ServiceConfig) {
    cfg.configure(health::config)
        .configure(crate::openapi::config)
        .configure(tickets::config)
        .configure(agents::config);
}
