//! `POST /api/tickets/{id}/draft-response` (issue 8, `docs/ai.md`): a draft reply for the
//! agent's editor, staff only — a member gets 404, as for a ticket that does not exist. Drafts
//! are never sent; a reply posted with the draft's `draftId` counts as its use.
//!
//! Every answer is 200 with a `state`: `ready` with the draft, or — when the AI service failed
//! (timeout, 5xx, 429, invalid answers) — `unavailable` with "Draft unavailable", a retry hint
//! and the canned responses the agent may use instead; never a 500.

use crate::AppState;
use crate::auth::AuthenticatedActor;
use crate::error::{ApiError, Problem};
use crate::extract::JsonBody;
use actix_web::{HttpResponse, web};
use memberdesk_domain::ai::{Draft, DraftRequest, Tone};
use memberdesk_domain::usecases::DraftOutcome;
use memberdesk_domain::{CannedResponseId, DraftId, TicketId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/api/tickets/{id}/draft-response").route(web::post().to(draft_response)));
}

/// How a draft sounds.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ToneDto {
    Professional,
    Friendly,
    Concise,
    Formal,
}

impl From<ToneDto> for Tone {
    fn from(t: ToneDto) -> Tone {
        match t {
            ToneDto::Professional => Tone::Professional,
            ToneDto::Friendly => Tone::Friendly,
            ToneDto::Concise => Tone::Concise,
            ToneDto::Formal => Tone::Formal,
        }
    }
}

/// `POST /api/tickets/{id}/draft-response` (every field may be left out: `{}`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DraftResponseRequest {
    /// Default: the client's `defaultTone` (`/api/settings/support-ai`).
    pub tone: Option<ToneDto>,
    /// Draw on the client's knowledge base (default `true`).
    pub include_knowledge_base: Option<bool>,
    /// A canned response to enhance with the ticket's context (one the caller may use).
    pub canned_response_id: Option<Uuid>,
}

impl From<DraftResponseRequest> for DraftRequest {
    fn from(r: DraftResponseRequest) -> Self {
        DraftRequest {
            tone: r.tone.map(Tone::from),
            include_knowledge_base: r.include_knowledge_base.unwrap_or(true),
            canned_response_id: r.canned_response_id.map(CannedResponseId),
        }
    }
}

/// A knowledge-base article the draft relies on.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestedAttachmentDto {
    /// Always `knowledge_base`.
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    pub title: String,
}

/// A draft (the specification's shape, plus `state`, `draftId`, `clarifyingQuestions` and
/// `generatedBy`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DraftDto {
    /// Always `ready` (a failure answers [`DraftUnavailableDto`]).
    pub state: String,
    /// Send it as `draftId` with the reply posted from this draft.
    pub draft_id: Uuid,
    /// The text for the editor; never sent by the desk.
    pub draft: String,
    /// 0–1, from the evidence behind the draft (`docs/ai.md#drafts`).
    pub confidence: f64,
    pub suggested_attachments: Vec<SuggestedAttachmentDto>,
    pub tone: ToneDto,
    /// Asked (also in the draft) when the ticket is unclear.
    pub clarifying_questions: Vec<String>,
    /// `ai`, or `builtin` when no AI service wrote it.
    pub generated_by: String,
}

fn tone_dto(tone: Tone) -> ToneDto {
    match tone {
        Tone::Professional => ToneDto::Professional,
        Tone::Friendly => ToneDto::Friendly,
        Tone::Concise => ToneDto::Concise,
        Tone::Formal => ToneDto::Formal,
    }
}

impl DraftDto {
    fn of(id: DraftId, d: Draft) -> DraftDto {
        DraftDto {
            state: "ready".into(),
            draft_id: id.0,
            draft: d.draft,
            confidence: d.confidence,
            suggested_attachments: d
                .suggested_attachments
                .into_iter()
                .map(|a| SuggestedAttachmentDto { kind: "knowledge_base".into(), id: a.id, title: a.title })
                .collect(),
            tone: tone_dto(d.tone),
            clarifying_questions: d.clarifying_questions,
            generated_by: d.generated_by.as_str().to_owned(),
        }
    }
}

/// A canned response the agent may use instead of a draft.
#[derive(Debug, Serialize, ToSchema)]
pub struct CannedChoiceDto {
    pub id: Uuid,
    pub title: String,
}

/// The answer (200) when the AI service failed (timeout, 5xx, 429, invalid answers).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DraftUnavailableDto {
    /// Always `unavailable`.
    pub state: String,
    /// Always `Draft unavailable`.
    pub message: String,
    pub retry_after_seconds: u64,
    /// The canned responses the caller may use (`POST /api/tickets/{id}/canned-responses/{cid}/render`).
    pub canned_responses: Vec<CannedChoiceDto>,
}

/// Drafts a reply for the caller's editor (staff only; members get 404). Nothing is sent.
#[utoipa::path(
    post,
    path = "/api/tickets/{id}/draft-response",
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The ticket's id")),
    request_body = DraftResponseRequest,
    responses(
        (status = 200, description = "The draft (`state: ready`), or `state: unavailable` with the canned responses to use instead when the AI service failed", body = DraftDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket, or a member asking", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown `tone`, or a `cannedResponseId` the caller cannot use", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn draft_response(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: JsonBody<DraftResponseRequest>,
) -> Result<HttpResponse, ApiError> {
    let outcome = state.desk.draft_response(&actor, TicketId(id.into_inner()), body.value.into()).await?;
    Ok(outcome_response(outcome))
}

/// The 200 answer for a draft outcome; the web UI's draft button gets the same JSON.
pub fn outcome_response(outcome: DraftOutcome) -> HttpResponse {
    match outcome {
        DraftOutcome::Ready { id, draft } => HttpResponse::Ok().json(DraftDto::of(id, draft)),
        DraftOutcome::Unavailable { failure, canned } => HttpResponse::Ok().json(DraftUnavailableDto {
            state: "unavailable".into(),
            message: "Draft unavailable".into(),
            retry_after_seconds: failure.retry_after_seconds(),
            canned_responses: canned
                .iter()
                .map(|c| CannedChoiceDto { id: c.id.0, title: c.title.as_str().to_owned() })
                .collect(),
        }),
    }
}
