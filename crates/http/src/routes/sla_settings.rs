//! `/api/settings/sla`: the client's SLA policy and escalation actions. Staff read them; admins
//! change them (every save is a new version; tickets keep the version they were raised under).

use crate::AppState;
use crate::auth::AuthenticatedActor;
use crate::dto::{SlaSettingsDto, UpdateSlaSettingsRequest};
use crate::error::{ApiError, Problem};
use crate::extract::JsonBody;
use actix_web::{HttpResponse, web};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api/settings/sla")
            .route(web::get().to(get_sla_settings))
            .route(web::put().to(update_sla_settings)),
    );
}

/// The SLA settings in force, or `{"enabled": false}` when the client has no SLA (staff only).
#[utoipa::path(
    get,
    path = "/api/settings/sla",
    tag = "settings",
    security(("bearer" = [])),
    responses((status = 200, description = "The SLA settings, or `{\"enabled\": false}`", body = SlaSettingsDto))
)]
pub(crate) async fn get_sla_settings(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let settings = state.desk.sla_settings(&actor).await?;
    Ok(HttpResponse::Ok().json(SlaSettingsDto::of(settings.as_ref())))
}

/// Saves the SLA settings (admins only). Tickets raised from now on are measured under them;
/// the escalation actions apply to every breach from now on.
#[utoipa::path(
    put,
    path = "/api/settings/sla",
    tag = "settings",
    security(("bearer" = [])),
    request_body = UpdateSlaSettingsRequest,
    responses(
        (status = 200, description = "The SLA settings now in force", body = SlaSettingsDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid settings; `errors` names each field (`targets.high.firstResponseMinutes`, `calendar.hours.monday[1]`, `calendar.timeZone`, `escalation.reassignTo`, …)", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn update_sla_settings(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    body: JsonBody<UpdateSlaSettingsRequest>,
) -> Result<HttpResponse, ApiError> {
    let settings = state.desk.set_sla_settings(&actor, &body.value.into()).await?;
    Ok(HttpResponse::Ok().json(SlaSettingsDto::of(Some(&settings))))
}
