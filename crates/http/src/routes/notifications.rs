//! Notifications, for the client's admins: the outbox (`/api/admin/outbox`: list, retry) and
//! the CRM settings (`/api/settings/crm`). Other roles get 403; another client's outbox
//! messages are 404.

use crate::AppState;
use crate::auth::AuthenticatedActor;
use crate::error::{ApiError, Problem};
use crate::extract::JsonBody;
use crate::notify_dto::{CrmSettingsDto, OutboxListParams, OutboxMessageDto, OutboxPageDto, UpdateCrmSettingsRequest};
use actix_web::{HttpResponse, web};
use memberdesk_domain::DeskError;
use memberdesk_domain::usecases::OutboxQuery;
use uuid::Uuid;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/api/admin/outbox").route(web::get().to(list_outbox)))
        .service(web::resource("/api/admin/outbox/{id}/retry").route(web::post().to(retry_outbox)))
        .service(
            web::resource("/api/settings/crm")
                .route(web::get().to(get_crm_settings))
                .route(web::put().to(put_crm_settings)),
        );
}

/// The client's outbox messages, newest first (admins only).
#[utoipa::path(
    get,
    path = "/api/admin/outbox",
    tag = "notifications",
    security(("bearer" = [])),
    params(OutboxListParams),
    responses(
        (status = 200, description = "A page of outbox messages", body = OutboxPageDto),
        (status = 400, description = "Unreadable query string", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid status, cursor or limit", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn list_outbox(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    params: web::Query<OutboxListParams>,
) -> Result<HttpResponse, ApiError> {
    let params = params.into_inner();
    let query = OutboxQuery { status: params.status, cursor: params.cursor, limit: params.limit };
    let page = state.desk.list_outbox(&actor, &query).await?;
    Ok(HttpResponse::Ok().json(OutboxPageDto::from(&page)))
}

/// Queues a failed or skipped message again, its attempts reset (admins only). Channels that
/// delivered it before are not run again.
#[utoipa::path(
    post,
    path = "/api/admin/outbox/{id}/retry",
    tag = "notifications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The outbox message's id")),
    responses(
        (status = 200, description = "The message, pending again", body = OutboxMessageDto),
        (status = 404, description = "No such message (or another client's)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The message is pending or done (`not_retryable`)", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn retry_outbox(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id: Uuid = match id.parse() {
        Ok(id) => id,
        Err(_) => {
            // Decide on the role first: a member must not learn that the id was malformed.
            state.desk.list_outbox(&actor, &OutboxQuery { limit: Some("1".into()), ..OutboxQuery::default() }).await?;
            return Err(ApiError::Desk(DeskError::NotFound("outbox message")));
        }
    };
    let record = state.desk.retry_outbox(&actor, id).await?;
    Ok(HttpResponse::Ok().json(OutboxMessageDto::from(&record)))
}

/// The client's CRM settings, without secrets (admins only).
#[utoipa::path(
    get,
    path = "/api/settings/crm",
    tag = "notifications",
    security(("bearer" = [])),
    responses((status = 200, description = "The CRM settings", body = CrmSettingsDto))
)]
pub(crate) async fn get_crm_settings(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let settings = state.desk.crm_settings(&actor).await?;
    Ok(HttpResponse::Ok().json(CrmSettingsDto::of(settings.as_ref())))
}

/// Sets the client's CRM: HubSpot-compatible notes, a signed webhook, or none (admins only).
#[utoipa::path(
    put,
    path = "/api/settings/crm",
    tag = "notifications",
    security(("bearer" = [])),
    request_body = UpdateCrmSettingsRequest,
    responses(
        (status = 200, description = "The CRM settings, without secrets", body = CrmSettingsDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid provider, URL, key or secret", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn put_crm_settings(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    body: JsonBody<UpdateCrmSettingsRequest>,
) -> Result<HttpResponse, ApiError> {
    let settings = state.desk.set_crm_settings(&actor, body.value.into()).await?;
    Ok(HttpResponse::Ok().json(CrmSettingsDto::of(Some(&settings))))
}
