//! `/api/tickets/{id}/summary` and `/api/tickets/{id}/conversation-summary` (issue 8,
//! `docs/ai.md`): staff only — a member gets 404, as for a ticket that does not exist.
//!
//! A summary comes from the configured summariser (the built-in one without an AI service,
//! `generatedBy: "builtin"`). Every answer is 200 with a `state`: `ready` with the summary, or
//! — when the AI service failed (timeout, 5xx, 429, invalid answers) — `unavailable` with
//! "Summary unavailable", a retry hint and the ticket's basic metadata; never a 500. (Not a 503:
//! every 5xx of the desk is a problem document meaning the desk itself is in trouble.)

use crate::AppState;
use crate::auth::AuthenticatedActor;
use crate::dto::{PriorityDto, StatusDto};
use crate::error::{ApiError, Problem};
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use memberdesk_domain::Ticket;
use memberdesk_domain::TicketId;
use memberdesk_domain::ai::{ConversationSummary, TicketSummary};
use memberdesk_domain::ai_ports::{AiFailure, StoredSummary, SummaryBody, SummaryKind};
use memberdesk_domain::usecases::{SummaryOutcome, SummaryView};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/api/tickets/{id}/summary").route(web::get().to(get_ticket_summary)))
        .service(web::resource("/api/tickets/{id}/summary/refresh").route(web::post().to(refresh_ticket_summary)))
        .service(web::resource("/api/tickets/{id}/summary/history").route(web::get().to(ticket_summary_history)))
        .service(web::resource("/api/tickets/{id}/conversation-summary").route(web::get().to(get_conversation_summary)))
        .service(
            web::resource("/api/tickets/{id}/conversation-summary/refresh")
                .route(web::post().to(refresh_conversation_summary)),
        )
        .service(
            web::resource("/api/tickets/{id}/conversation-summary/history")
                .route(web::get().to(conversation_summary_history)),
        );
}

/// `GET /api/tickets/{id}/summary` (the specification's shape, plus `generatedBy`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TicketSummaryDto {
    /// Always `ready` (a failure answers [`SummaryUnavailableDto`]).
    pub state: String,
    pub ticket_id: Uuid,
    pub summary: String,
    pub key_points: Vec<String>,
    /// `positive`, `neutral`, `confused`, `frustrated` or `angry`.
    pub sentiment: String,
    pub suggested_actions: Vec<String>,
    pub generated_at: DateTime<Utc>,
    /// `ai`, or `builtin` when no AI service wrote it.
    pub generated_by: String,
    /// 1, 2, … : each refresh stores a new version.
    pub version: i64,
    /// The ticket's version when this summary was made.
    pub ticket_version: i64,
    /// Whether the ticket changed since (`POST …/refresh` makes a new one).
    pub stale: bool,
}

/// One line of a conversation timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntryDto {
    pub at: DateTime<Utc>,
    pub text: String,
}

/// `GET /api/tickets/{id}/conversation-summary`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConversationSummaryDto {
    /// Always `ready` (a failure answers [`SummaryUnavailableDto`]).
    pub state: String,
    pub ticket_id: Uuid,
    pub timeline: Vec<TimelineEntryDto>,
    pub resolution_attempts: Vec<String>,
    pub member_sentiment: String,
    pub key_decisions: Vec<String>,
    pub generated_at: DateTime<Utc>,
    pub generated_by: String,
    pub version: i64,
    pub ticket_version: i64,
    pub stale: bool,
}

/// The ticket's basic metadata, given when no summary can be.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TicketBasicsDto {
    pub id: Uuid,
    pub number: i64,
    pub subject: String,
    pub status: StatusDto,
    pub priority: PriorityDto,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// The answer (200) when the AI service failed (timeout, 5xx, 429, invalid answers).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SummaryUnavailableDto {
    /// Always `unavailable`.
    pub state: String,
    /// Always `Summary unavailable`.
    pub message: String,
    pub retry_after_seconds: u64,
    pub ticket: TicketBasicsDto,
}

fn json_text<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn ticket_dto(s: TicketSummary, view: &Meta) -> TicketSummaryDto {
    TicketSummaryDto {
        state: "ready".into(),
        ticket_id: s.ticket_id.0,
        sentiment: json_text(&s.sentiment),
        generated_by: json_text(&s.generated_by),
        summary: s.summary,
        key_points: s.key_points,
        suggested_actions: s.suggested_actions,
        generated_at: s.generated_at,
        version: view.version,
        ticket_version: view.ticket_version,
        stale: view.stale,
    }
}

fn conversation_dto(s: ConversationSummary, view: &Meta) -> ConversationSummaryDto {
    ConversationSummaryDto {
        state: "ready".into(),
        ticket_id: s.ticket_id.0,
        member_sentiment: json_text(&s.member_sentiment),
        generated_by: json_text(&s.generated_by),
        timeline: s.timeline.into_iter().map(|e| TimelineEntryDto { at: e.at, text: e.text }).collect(),
        resolution_attempts: s.resolution_attempts,
        key_decisions: s.key_decisions,
        generated_at: s.generated_at,
        version: view.version,
        ticket_version: view.ticket_version,
        stale: view.stale,
    }
}

/// A stored summary's version information.
struct Meta {
    version: i64,
    ticket_version: i64,
    stale: bool,
}

/// A stored summary as the API shows it.
fn summary_json(stored: StoredSummary, stale: bool) -> serde_json::Value {
    let meta = Meta { version: stored.version, ticket_version: stored.ticket_version, stale };
    let value = match stored.body {
        SummaryBody::Ticket(s) => serde_json::to_value(ticket_dto(s, &meta)),
        SummaryBody::Conversation(s) => serde_json::to_value(conversation_dto(s, &meta)),
    };
    value.unwrap_or(serde_json::Value::Null)
}

/// The answer to a summary request: the summary, or the unavailable state.
fn answer(outcome: SummaryOutcome<SummaryView>) -> HttpResponse {
    match outcome {
        SummaryOutcome::Ready(view) => HttpResponse::Ok().json(summary_json(view.stored, view.stale)),
        SummaryOutcome::Unavailable { failure, ticket } => unavailable(&failure, &ticket),
    }
}

/// `GET …/summary/history`: every stored version, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryHistoryDto {
    /// Ticket (or conversation) summaries as `GET …/summary` shows them, with `stale` against
    /// the ticket's current version.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<serde_json::Value>,
}

fn unavailable(failure: &AiFailure, ticket: &Ticket) -> HttpResponse {
    let retry = failure.retry_after_seconds();
    let body = SummaryUnavailableDto {
        state: "unavailable".into(),
        message: "Summary unavailable".into(),
        retry_after_seconds: retry,
        ticket: TicketBasicsDto {
            id: ticket.id.0,
            number: ticket.number,
            subject: ticket.subject.as_str().to_owned(),
            status: ticket.status.into(),
            priority: ticket.priority.into(),
            created_at: ticket.created_at,
            updated_at: ticket.updated_at,
            version: ticket.version,
        },
    };
    HttpResponse::Ok().json(body)
}

/// The ticket's summary, the newest stored version (made on the first request); staff only,
/// members get 404.
#[utoipa::path(
    get,
    path = "/api/tickets/{id}/summary",
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The ticket's id")),
    responses(
        (status = 200, description = "The summary (`state: ready`), or `state: unavailable` with the ticket's basic metadata when the AI service failed", body = TicketSummaryDto),
        (status = 404, description = "No such ticket, or a member asking", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn get_ticket_summary(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(answer(state.desk.summary(&actor, TicketId(id.into_inner()), SummaryKind::Ticket).await?))
}

/// Makes and stores a new version of the ticket's summary (staff only; members get 404).
#[utoipa::path(
    post,
    path = "/api/tickets/{id}/summary/refresh",
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The ticket's id")),
    responses(
        (status = 200, description = "The new summary, or `state: unavailable`", body = TicketSummaryDto),
        (status = 404, description = "No such ticket, or a member asking", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn refresh_ticket_summary(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(answer(state.desk.refresh_summary(&actor, TicketId(id.into_inner()), SummaryKind::Ticket).await?))
}

/// Every stored version of the ticket's summary, newest first (staff only; members get 404).
#[utoipa::path(
    get,
    path = "/api/tickets/{id}/summary/history",
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The ticket's id")),
    responses(
        (status = 200, description = "The versions", body = SummaryHistoryDto),
        (status = 404, description = "No such ticket, or a member asking", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn ticket_summary_history(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    history(&actor, &state, TicketId(id.into_inner()), SummaryKind::Ticket).await
}

/// The ticket's conversation summary (timeline, resolution attempts, the member's sentiment,
/// key decisions), the newest stored version; staff only, members get 404.
#[utoipa::path(
    get,
    path = "/api/tickets/{id}/conversation-summary",
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The ticket's id")),
    responses(
        (status = 200, description = "The conversation summary (`state: ready`), or `state: unavailable` with the ticket's basic metadata when the AI service failed", body = ConversationSummaryDto),
        (status = 404, description = "No such ticket, or a member asking", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn get_conversation_summary(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(answer(state.desk.summary(&actor, TicketId(id.into_inner()), SummaryKind::Conversation).await?))
}

/// Makes and stores a new version of the conversation summary (staff only; members get 404).
#[utoipa::path(
    post,
    path = "/api/tickets/{id}/conversation-summary/refresh",
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The ticket's id")),
    responses(
        (status = 200, description = "The new conversation summary, or `state: unavailable`", body = ConversationSummaryDto),
        (status = 404, description = "No such ticket, or a member asking", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn refresh_conversation_summary(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(answer(state.desk.refresh_summary(&actor, TicketId(id.into_inner()), SummaryKind::Conversation).await?))
}

/// Every stored version of the conversation summary, newest first (staff only; members get 404).
#[utoipa::path(
    get,
    path = "/api/tickets/{id}/conversation-summary/history",
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The ticket's id")),
    responses(
        (status = 200, description = "The versions", body = SummaryHistoryDto),
        (status = 404, description = "No such ticket, or a member asking", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn conversation_summary_history(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    history(&actor, &state, TicketId(id.into_inner()), SummaryKind::Conversation).await
}

async fn history(
    actor: &AuthenticatedActor,
    state: &AppState,
    id: TicketId,
    kind: SummaryKind,
) -> Result<HttpResponse, ApiError> {
    let versions = state.desk.summary_history(actor, id, kind).await?;
    let items = versions.into_iter().map(|v| summary_json(v.stored, v.stale));
    Ok(HttpResponse::Ok().json(SummaryHistoryDto { items: items.collect() }))
}
