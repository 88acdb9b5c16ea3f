//! `GET /api/agents`: the client's support staff as agents (for the assignee picker and the
//! assignment settings): availability, capacity, categories and current load.

use crate::AppState;
use crate::auth::AuthenticatedActor;
use crate::error::ApiError;
use crate::routes::assignment::{AgentStateDto, AgentStateListDto};
use actix_web::{HttpResponse, web};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/api/agents").route(web::get().to(list_agents)));
}

/// The client's staff (admins and users) as last seen in their tokens, by name, each with their
/// assignment settings and load (active tickets, counted in one query). Staff only.
#[utoipa::path(
    get,
    path = "/api/agents",
    tag = "agents",
    security(("bearer" = [])),
    responses((status = 200, description = "The client's staff as agents", body = AgentStateListDto))
)]
pub(crate) async fn list_agents(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let agents = state.desk.list_agent_records(&actor).await?;
    Ok(HttpResponse::Ok().json(AgentStateListDto { items: agents.iter().map(AgentStateDto::from).collect() }))
}
