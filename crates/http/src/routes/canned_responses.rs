//! `/api/tickets/canned-responses`: canned responses and response templates (staff only), and
//! `POST /api/tickets/{id}/canned-responses/{cid}/render`, which fills one in for a ticket.
//!
//! Registered before `/api/tickets/{id}`, which would otherwise take "canned-responses" for an id.

use crate::AppState;
use crate::auth::AuthenticatedActor;
use crate::dto::{
    CannedResponseDto, CannedResponseListDto, CannedResponseListParams, CreateCannedResponseRequest,
    RenderedCannedResponseDto, UpdateCannedResponseRequest,
};
use crate::error::{ApiError, Problem};
use crate::extract::JsonBody;
use actix_web::{HttpResponse, web};
use memberdesk_domain::{CannedResponseId, DeskError, TicketId};
use uuid::Uuid;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api/tickets/canned-responses")
            .route(web::get().to(list_canned_responses))
            .route(web::post().to(create_canned_response)),
    )
    .service(
        web::resource("/api/tickets/canned-responses/{id}")
            .route(web::get().to(get_canned_response))
            .route(web::put().to(update_canned_response))
            .route(web::delete().to(delete_canned_response)),
    )
    .service(
        web::resource("/api/tickets/{id}/canned-responses/{cid}/render").route(web::post().to(render_canned_response)),
    );
}

/// A path segment that is not a UUID names no canned response.
fn canned_id(raw: &str) -> Result<CannedResponseId, ApiError> {
    raw.parse().map_err(|_| ApiError::Desk(DeskError::NotFound("canned response")))
}

/// The shared canned responses and the caller's personal ones, by title (staff only).
#[utoipa::path(
    get,
    path = "/api/tickets/canned-responses",
    tag = "canned responses",
    security(("bearer" = [])),
    params(CannedResponseListParams),
    responses(
        (status = 200, description = "The canned responses", body = CannedResponseListDto),
        (status = 422, description = "Invalid filter", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn list_canned_responses(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    params: web::Query<CannedResponseListParams>,
) -> Result<HttpResponse, ApiError> {
    let items = state.desk.list_canned_responses(&actor, params.category_id.as_deref(), params.q.as_deref()).await?;
    Ok(HttpResponse::Ok().json(CannedResponseListDto { items: items.iter().map(Into::into).collect() }))
}

/// Saves a canned response: the caller's personal one, or a shared one (`"shared": true`,
/// admins only). An unknown placeholder in the body is a 422 naming it.
#[utoipa::path(
    post,
    path = "/api/tickets/canned-responses",
    tag = "canned responses",
    security(("bearer" = [])),
    request_body = CreateCannedResponseRequest,
    responses(
        (status = 201, description = "Created", body = CannedResponseDto,
            headers(("Location" = String, description = "/api/tickets/canned-responses/{id}"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (an unknown placeholder is named in `errors.body`)", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn create_canned_response(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    body: JsonBody<CreateCannedResponseRequest>,
) -> Result<HttpResponse, ApiError> {
    let canned = state.desk.create_canned_response(&actor, body.value.into()).await?;
    Ok(HttpResponse::Created()
        .insert_header((actix_web::http::header::LOCATION, format!("/api/tickets/canned-responses/{}", canned.id)))
        .json(CannedResponseDto::from(&canned)))
}

/// One canned response: a shared one, or the caller's own.
#[utoipa::path(
    get,
    path = "/api/tickets/canned-responses/{id}",
    tag = "canned responses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The canned response's id")),
    responses(
        (status = 200, description = "The canned response", body = CannedResponseDto),
        (status = 404, description = "No such canned response (or another client's)", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn get_canned_response(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let canned = state.desk.get_canned_response(&actor, canned_id(&id)?).await?;
    Ok(HttpResponse::Ok().json(CannedResponseDto::from(&canned)))
}

/// Edits a canned response: admins the shared ones, every staff user their own.
#[utoipa::path(
    put,
    path = "/api/tickets/canned-responses/{id}",
    tag = "canned responses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The canned response's id")),
    request_body = UpdateCannedResponseRequest,
    responses(
        (status = 200, description = "The updated canned response", body = CannedResponseDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such canned response (or another client's)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or none given", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn update_canned_response(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: JsonBody<UpdateCannedResponseRequest>,
) -> Result<HttpResponse, ApiError> {
    let canned = state.desk.update_canned_response(&actor, canned_id(&id)?, body.value.into()).await?;
    Ok(HttpResponse::Ok().json(CannedResponseDto::from(&canned)))
}

/// Deletes a canned response: admins the shared ones, every staff user their own.
#[utoipa::path(
    delete,
    path = "/api/tickets/canned-responses/{id}",
    tag = "canned responses",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The canned response's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such canned response (or another client's)", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn delete_canned_response(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state.desk.delete_canned_response(&actor, canned_id(&id)?).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Fills a canned response in for the ticket — member and agent names, ticket number, subject
/// and status, the client's name — for the reply editor. Nothing is sent or stored: the reply
/// goes out when a person posts it to `/api/tickets/{id}/responses`. Staff only.
#[utoipa::path(
    post,
    path = "/api/tickets/{id}/canned-responses/{cid}/render",
    tag = "canned responses",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "The ticket's id"),
        ("cid" = Uuid, Path, description = "The canned response's id")
    ),
    responses(
        (status = 200, description = "The filled-in text", body = RenderedCannedResponseDto),
        (status = 404, description = "No such ticket or canned response (or another client's)", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn render_canned_response(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (ticket, canned) = path.into_inner();
    let ticket = ticket.parse::<Uuid>().map_err(|_| ApiError::Desk(DeskError::NotFound("ticket")))?;
    let body = state.desk.render_canned_response(&actor, TicketId(ticket), canned_id(&canned)?).await?;
    Ok(HttpResponse::Ok().json(RenderedCannedResponseDto { body }))
}
