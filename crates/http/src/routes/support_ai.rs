//! `/api/settings/support-ai` (issue 8, `docs/ai.md`): whether the AI features are on, the
//! default tone of drafts, style instructions and the organisation's terminology. Staff read
//! them; admins change them. `…/usage` reports the drafts generated and used per agent (admins).

use crate::AppState;
use crate::auth::AuthenticatedActor;
use crate::error::{ApiError, Problem};
use crate::extract::JsonBody;
use actix_web::{HttpResponse, web};
use memberdesk_domain::FieldErrors;
use memberdesk_domain::ai::{AiSettings, AiSettingsInput, TermRule, UsageFigures, UsageReport};
use memberdesk_domain::query::parse_instant;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api/settings/support-ai")
            .route(web::get().to(get_support_ai_settings))
            .route(web::put().to(put_support_ai_settings)),
    )
    .service(web::resource("/api/settings/support-ai/usage").route(web::get().to(get_draft_usage)));
}

/// One preferred term and the words to avoid in its place.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TermRuleDto {
    /// e.g. `member`.
    pub preferred: String,
    /// e.g. `["customer"]`.
    pub avoid: Vec<String>,
}

/// The client's AI settings.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SupportAiSettingsDto {
    /// Off: summaries and drafts come from the built-in summariser and drafter only.
    pub enabled: bool,
    /// `professional`, `friendly`, `concise` or `formal`: the tone of a draft that names none.
    pub default_tone: String,
    /// Free style instructions for AI drafts (at most 2 000 characters).
    pub style_instructions: String,
    /// Applied to every draft, and checked after generation.
    pub terminology: Vec<TermRuleDto>,
}

impl From<&AiSettings> for SupportAiSettingsDto {
    fn from(s: &AiSettings) -> Self {
        SupportAiSettingsDto {
            enabled: s.enabled,
            default_tone: s.default_tone.as_str().to_owned(),
            style_instructions: s.style_instructions.clone(),
            terminology: s
                .terminology
                .rules()
                .iter()
                .map(|r| TermRuleDto { preferred: r.preferred.clone(), avoid: r.avoid.clone() })
                .collect(),
        }
    }
}

/// `PUT /api/settings/support-ai`: the whole settings; a field left out takes its default.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateSupportAiSettingsRequest {
    /// Default `true`.
    pub enabled: Option<bool>,
    /// Default `professional`.
    pub default_tone: Option<String>,
    /// Default empty.
    pub style_instructions: Option<String>,
    /// At most 50 rules of at most 10 avoided terms; default member ← customer, members ←
    /// customers.
    pub terminology: Option<Vec<TermRuleDto>>,
}

impl From<UpdateSupportAiSettingsRequest> for AiSettingsInput {
    fn from(r: UpdateSupportAiSettingsRequest) -> Self {
        AiSettingsInput {
            enabled: r.enabled,
            default_tone: r.default_tone,
            style_instructions: r.style_instructions,
            terminology: r
                .terminology
                .map(|rules| rules.into_iter().map(|t| TermRule { preferred: t.preferred, avoid: t.avoid }).collect()),
        }
    }
}

/// The client's AI settings (staff; the defaults until an admin saves some).
#[utoipa::path(
    get,
    path = "/api/settings/support-ai",
    tag = "settings",
    security(("bearer" = [])),
    responses((status = 200, description = "The AI settings", body = SupportAiSettingsDto))
)]
pub(crate) async fn get_support_ai_settings(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let settings = state.desk.ai_settings(&actor).await?;
    Ok(HttpResponse::Ok().json(SupportAiSettingsDto::from(&settings)))
}

/// Saves the AI settings (admins only); they apply to every summary and draft from now on.
#[utoipa::path(
    put,
    path = "/api/settings/support-ai",
    tag = "settings",
    security(("bearer" = [])),
    request_body = UpdateSupportAiSettingsRequest,
    responses(
        (status = 200, description = "The AI settings now in force", body = SupportAiSettingsDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid settings; `errors` names each field (`defaultTone`, `styleInstructions`, `terminology[0].avoid[1]`, …)", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn put_support_ai_settings(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    body: JsonBody<UpdateSupportAiSettingsRequest>,
) -> Result<HttpResponse, ApiError> {
    let settings = state.desk.set_ai_settings(&actor, body.value.into()).await?;
    Ok(HttpResponse::Ok().json(SupportAiSettingsDto::from(&settings)))
}

/// The period of the usage report.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DraftUsageParams {
    /// Drafts generated from this date (`2026-01-31`) or RFC 3339 time on (inclusive).
    pub from: Option<String>,
    /// … up to this time (exclusive), or to the end of this date.
    pub to: Option<String>,
}

/// Drafts generated and used, by one agent or in total.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UsageFiguresDto {
    pub drafts_generated: u64,
    /// Drafts a reply was posted from (`draftId` on `POST /api/tickets/{id}/responses`).
    pub drafts_used: u64,
    /// `draftsUsed / draftsGenerated` (0 when none was generated).
    pub use_rate: f64,
    /// The mean edit ratio (0 = posted unchanged, 1 = rewritten) of the used drafts; `null`
    /// when none was used.
    pub average_edit_ratio: Option<f64>,
}

impl From<&UsageFigures> for UsageFiguresDto {
    fn from(f: &UsageFigures) -> Self {
        UsageFiguresDto {
            drafts_generated: f.drafts_generated,
            drafts_used: f.drafts_used,
            use_rate: f.use_rate,
            average_edit_ratio: f.average_edit_ratio,
        }
    }
}

/// One agent's line of the usage report.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentUsageDto {
    pub agent_id: String,
    pub agent_name: String,
    #[serde(flatten)]
    pub figures: UsageFiguresDto,
}

/// `GET /api/settings/support-ai/usage`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DraftUsageDto {
    /// Most drafts first.
    pub agents: Vec<AgentUsageDto>,
    pub totals: UsageFiguresDto,
}

impl From<&UsageReport> for DraftUsageDto {
    fn from(r: &UsageReport) -> Self {
        DraftUsageDto {
            agents: r
                .agents
                .iter()
                .map(|a| AgentUsageDto {
                    agent_id: a.agent_id.clone(),
                    agent_name: a.agent_name.clone(),
                    figures: (&a.figures).into(),
                })
                .collect(),
            totals: (&r.totals).into(),
        }
    }
}

/// Draft usage per agent: drafts generated, drafts used, the use rate and the average edit
/// ratio, and the totals (admins only).
#[utoipa::path(
    get,
    path = "/api/settings/support-ai/usage",
    tag = "settings",
    security(("bearer" = [])),
    params(DraftUsageParams),
    responses(
        (status = 200, description = "The usage report", body = DraftUsageDto),
        (status = 400, description = "Unreadable query string", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`from` or `to` is not a date or time, or `to` is before `from`", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn get_draft_usage(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    params: web::Query<DraftUsageParams>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::new();
    let mut bound = |field: &str, value: &Option<String>, end_of_day: bool| {
        let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
        errors.check(field, parse_instant(value, end_of_day))
    };
    let from = bound("from", &params.from, false);
    let to = bound("to", &params.to, true);
    if !errors.is_empty() {
        // The role first: whoever may not read the report hears so, whatever the parameters.
        memberdesk_domain::access::authorize(&actor, memberdesk_domain::Action::ManageClientSettings)?;
        return Err(ApiError::validation(errors));
    }
    let report = state.desk.draft_usage(&actor, from, to).await?;
    Ok(HttpResponse::Ok().json(DraftUsageDto::from(&report)))
}
