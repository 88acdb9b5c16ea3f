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
use memberdesk_domain::ai_ports::AiFailure;
use memberdesk_domain::usecases::SummaryOutcome;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/api/tickets/{id}/summary").route(web::get().to(get_ticket_summary))).service(
        web::resource("/api/tickets/{id}/conversation-summary").route(web::get().to(get_conversation_summary)),
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

impl From<TicketSummary> for TicketSummaryDto {
    fn from(s: TicketSummary) -> Self {
        TicketSummaryDto {
            state: "ready".into(),
            ticket_id: s.ticket_id.0,
            sentiment: json_text(&s.sentiment),
            generated_by: json_text(&s.generated_by),
            summary: s.summary,
            key_points: s.key_points,
            suggested_actions: s.suggested_actions,
            generated_at: s.generated_at,
        }
    }
}

impl From<ConversationSummary> for ConversationSummaryDto {
    fn from(s: ConversationSummary) -> Self {
        ConversationSummaryDto {
            state: "ready".into(),
            ticket_id: s.ticket_id.0,
            member_sentiment: json_text(&s.member_sentiment),
            generated_by: json_text(&s.generated_by),
            timeline: s.timeline.into_iter().map(|e| TimelineEntryDto { at: e.at, text: e.text }).collect(),
            resolution_attempts: s.resolution_attempts,
            key_decisions: s.key_decisions,
            generated_at: s.generated_at,
        }
    }
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

/// The ticket's summary (staff only; members get 404).
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
    match state.desk.generate_ticket_summary(&actor, TicketId(id.into_inner())).await? {
        SummaryOutcome::Ready(summary) => Ok(HttpResponse::Ok().json(TicketSummaryDto::from(summary))),
        SummaryOutcome::Unavailable { failure, ticket } => Ok(unavailable(&failure, &ticket)),
    }
}

/// The ticket's conversation summary: timeline, resolution attempts, the member's sentiment,
/// key decisions (staff only; members get 404).
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
    match state.desk.generate_conversation_summary(&actor, TicketId(id.into_inner())).await? {
        SummaryOutcome::Ready(summary) => Ok(HttpResponse::Ok().json(ConversationSummaryDto::from(summary))),
        SummaryOutcome::Unavailable { failure, ticket } => Ok(unavailable(&failure, &ticket)),
    }
}
