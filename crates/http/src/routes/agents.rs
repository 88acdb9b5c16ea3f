//! `GET /api/agents`: the client's support staff, for the assignee picker.

use crate::AppState;
use crate::auth::AuthenticatedActor;
use crate::dto::AgentListDto;
use crate::error::ApiError;
use actix_web::{HttpResponse, web};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/api/agents").route(web::get().to(list_agents)));
}

/// The client's staff (admins and users) as last seen in their tokens, by name. Staff only.
#[utoipa::path(
    get,
    path = "/api/agents",
    tag = "agents",
    security(("bearer" = [])),
    responses((status = 200, description = "The client's staff", body = AgentListDto))
)]
pub(crate) async fn list_agents(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let agents = state.desk.list_agents(&actor).await?;
    Ok(HttpResponse::Ok().json(AgentListDto { items: agents.iter().map(Into::into).collect() }))
}
