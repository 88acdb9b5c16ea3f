//! Assignment (issue 6, `docs/assignment.md`): `PUT /api/agents/{id}` (an agent's
//! availability, capacity and categories) and `GET`/`PUT /api/settings/assignment-rules`.
//! `GET /api/agents` (in `agents.rs`) shows the same agent state with each load.

use crate::AppState;
use crate::auth::AuthenticatedActor;
use crate::dto::RoleDto;
use crate::error::{ApiError, Problem};
use crate::extract::JsonBody;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use memberdesk_domain::UserId;
use memberdesk_domain::assignment::{AssignmentRulesInput, ManualAssignment};
use memberdesk_domain::assignment_ports::AgentRecord;
use memberdesk_domain::usecases::AgentUpdate;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/api/agents/{id}").route(web::put().to(update_agent))).service(
        web::resource("/api/settings/assignment-rules")
            .route(web::get().to(get_assignment_rules))
            .route(web::put().to(put_assignment_rules)),
    );
}

/// A staff user as an agent: who they are, their assignment settings and their current load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentStateDto {
    pub id: String,
    pub name: String,
    pub email: String,
    pub roles: Vec<RoleDto>,
    pub last_seen_at: DateTime<Utc>,
    /// Takes automatic assignments.
    pub available: bool,
    /// Maximum active tickets; `null`: no limit.
    pub capacity: Option<u32>,
    /// Categories handled; empty: every category.
    pub categories: Vec<Uuid>,
    /// Active tickets (open, in progress, waiting) assigned now.
    pub load: u32,
    /// `load >= capacity`: automatic assignment passes them by.
    pub at_capacity: bool,
    pub last_assigned_at: Option<DateTime<Utc>>,
}

impl From<&AgentRecord> for AgentStateDto {
    fn from(record: &AgentRecord) -> Self {
        let user = &record.user;
        AgentStateDto {
            id: user.id.as_str().to_owned(),
            name: user.name.clone(),
            email: user.email.clone(),
            roles: user.roles.iter().map(|r| (*r).into()).collect(),
            last_seen_at: user.last_seen_at,
            available: record.settings.available,
            capacity: record.settings.capacity.map(|c| c.get()),
            categories: record.settings.categories.iter().map(|c| c.0).collect(),
            load: record.load,
            at_capacity: !record.profile().has_room(),
            last_assigned_at: record.last_assigned_at,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AgentStateListDto {
    pub items: Vec<AgentStateDto>,
}

/// A change to an agent's settings; fields left out keep their value. A user may send only
/// `available`, for themselves.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateAgentRequest {
    pub available: Option<bool>,
    /// 0–1000, or `null` for no limit.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub capacity: Option<Option<i64>>,
    /// Category ids; empty: every category.
    pub categories: Option<Vec<String>>,
}

/// A field that is present (even as `null`) is `Some`.
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(deserializer).map(Some)
}

/// The rules in their JSON form (`docs/assignment.md`): `{ "rules": [ { "name", "categories",
/// "priorities", "keywords", "agent" | "pool" + "strategy" } ] }`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AssignmentRulesDto {
    #[schema(value_type = Vec<Object>)]
    pub rules: Vec<serde_json::Value>,
}

/// What a manual assignment means for the agent (`PUT /api/tickets/{id}/assign`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ManualAssignmentDto {
    pub load_after: u32,
    pub capacity: Option<u32>,
    pub exceeds_capacity: bool,
    pub agent_unavailable: bool,
    pub outside_categories: bool,
}

impl From<ManualAssignment> for ManualAssignmentDto {
    fn from(report: ManualAssignment) -> Self {
        ManualAssignmentDto {
            load_after: report.load_after,
            capacity: report.capacity.map(|c| c.get()),
            exceeds_capacity: report.exceeds_capacity,
            agent_unavailable: report.agent_unavailable,
            outside_categories: report.outside_categories,
        }
    }
}

/// Changes an agent's availability, capacity or categories. Admins: any field of any agent;
/// users: only their own `available`.
#[utoipa::path(
    put,
    path = "/api/agents/{id}",
    tag = "agents",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The staff user's id")),
    request_body = UpdateAgentRequest,
    responses(
        (status = 200, description = "The agent's state", body = AgentStateDto),
        (status = 403, description = "Not staff; or a user changing someone else, or more than `available`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No staff user of this client has the id", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`capacity` outside 0–1000, `categories[i]` unknown or repeated", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn update_agent(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: JsonBody<UpdateAgentRequest>,
) -> Result<HttpResponse, ApiError> {
    let UpdateAgentRequest { available, capacity, categories } = body.value;
    let update = AgentUpdate { available, capacity, categories };
    let record = state.desk.update_agent(&actor, &UserId::new(id.into_inner()), update).await?;
    Ok(HttpResponse::Ok().json(AgentStateDto::from(&record)))
}

/// The client's assignment rules, in order (staff).
#[utoipa::path(
    get,
    path = "/api/settings/assignment-rules",
    tag = "settings",
    security(("bearer" = [])),
    responses((status = 200, description = "The rules", body = AssignmentRulesDto))
)]
pub(crate) async fn get_assignment_rules(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let rules = state.desk.assignment_rules(&actor).await?;
    Ok(HttpResponse::Ok().json(rules.to_input()))
}

/// Replaces the client's assignment rules (admins). Waiting tickets are decided again.
#[utoipa::path(
    put,
    path = "/api/settings/assignment-rules",
    tag = "settings",
    security(("bearer" = [])),
    request_body = AssignmentRulesDto,
    responses(
        (status = 200, description = "The rules now in force", body = AssignmentRulesDto),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid rules; `errors` names each field (`rules[0].name`, `rules[1].pool[2]`, …), including unknown agents and categories", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn put_assignment_rules(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    body: JsonBody<AssignmentRulesInput>,
) -> Result<HttpResponse, ApiError> {
    let rules = state.desk.put_assignment_rules(&actor, &body.value).await?;
    Ok(HttpResponse::Ok().json(rules.to_input()))
}
