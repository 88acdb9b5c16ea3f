//! The routes, one module per resource, each wired by its `config(cfg)`.
//!
//! Handlers stay thin: extract (the actor, the path, the body), call one use case on the
//! [`memberdesk_domain::Desk`], map the result to a response; errors go through
//! [`crate::error::ApiError`].

pub mod agents;
pub mod assignment;
pub mod attachments;
pub mod canned_responses;
pub mod categories;
pub mod drafts;
pub mod health;
pub mod knowledge_base;
pub mod notifications;
pub mod settings;
pub mod sla_settings;
pub mod summaries;
pub mod support_ai;
pub mod tickets;

use actix_web::web::ServiceConfig;

/// Every route of the API. `/metrics` is answered by the metrics middleware itself.
pub fn config(cfg: &mut ServiceConfig) {
    cfg.configure(health::config)
        .configure(crate::openapi::config)
        // Before `tickets`: its `/api/tickets/{id}` would take "categories" for a ticket id.
        .configure(categories::config)
        .configure(canned_responses::config)
        .configure(settings::config)
        .configure(notifications::config)
        .configure(sla_settings::config)
        // Before `tickets`: it takes multipart replies off `/api/tickets/{id}/responses`.
        .configure(attachments::config)
        .configure(summaries::config)
        .configure(drafts::config)
        .configure(support_ai::config)
        .configure(tickets::config)
        .configure(knowledge_base::config)
        .configure(agents::config)
        .configure(assignment::config);
}
