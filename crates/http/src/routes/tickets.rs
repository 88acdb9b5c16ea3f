//! `/api/tickets`: the queue, one ticket, its conversation, workflow, assignment and history.

use crate::AppState;
use crate::auth::AuthenticatedActor;
use crate::dto::{
    AssignRequest, CreateTicketRequest, HistoryDto, NewResponseRequest, QueueStatsDto, ResponseDto, StatusRequest,
    TicketDetailDto, TicketDto, TicketPageDto, UpdateTicketRequest,
};
use crate::error::{ApiError, Problem};
use crate::extract::JsonBody;
use crate::preconditions::{IDEMPOTENT_REPLAYED, IdempotencyKeyHeader, IfMatch, etag};
use crate::query::parse_ticket_query;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use memberdesk_domain::{FieldErrors, Ticket, TicketId};
use utoipa::IntoParams;
use uuid::Uuid;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/api/tickets").route(web::get().to(list_tickets)).route(web::post().to(create_ticket)))
        // Before `/api/tickets/{id}`, which would otherwise take "queue" for an id.
        .service(web::resource("/api/tickets/queue").route(web::get().to(queue_stats)))
        .service(
            web::resource("/api/tickets/{id}").route(web::get().to(get_ticket)).route(web::put().to(update_ticket)),
        )
        .service(web::resource("/api/tickets/{id}/responses").route(web::post().to(add_response)))
        .service(web::resource("/api/tickets/{id}/assign").route(web::put().to(assign_ticket)))
        .service(web::resource("/api/tickets/{id}/status").route(web::put().to(change_status)))
        .service(web::resource("/api/tickets/{id}/history").route(web::get().to(ticket_history)));
}

/// The queue's filters (documentation of the query string; it is read by hand because
/// `status` and `priority` may repeat).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub(crate) struct TicketListParams {
    /// `open`, `in_progress`, `waiting`, `resolved`, `closed`; repeat or comma-separate for several.
    #[param(style = Form, explode)]
    status: Option<Vec<String>>,
    /// `low`, `medium`, `high`; repeat or comma-separate for several.
    #[param(style = Form, explode)]
    priority: Option<Vec<String>>,
    #[param(rename = "categoryId")]
    category_id: Option<Uuid>,
    /// A staff user's id, or `unassigned`.
    #[param(rename = "assigneeId")]
    assignee_id: Option<String>,
    /// Created at or after: a date (`2026-01-31`) or an RFC 3339 time.
    #[param(rename = "createdFrom")]
    created_from: Option<String>,
    /// Created before: an RFC 3339 time, or a date (that whole day included).
    #[param(rename = "createdTo")]
    created_to: Option<String>,
    /// Text searched in subject and description (at most 200 characters).
    q: Option<String>,
    /// `pending`, `at_risk`, `met`, `breached`: tickets whose first-response or resolution
    /// target is in one of them (as last evaluated); repeat or comma-separate for several.
    #[param(rename = "slaState", style = Form, explode)]
    sla_state: Option<Vec<String>>,
    /// `true`: tickets flagged as escalated; `false`: the others.
    escalated: Option<bool>,
    /// `createdAt`, `updatedAt`, `priority` or `slaDueAt` (next SLA due time; tickets without
    /// one last), optionally `:asc`/`:desc` or with a `-` prefix; default `createdAt:desc`
    /// (`slaDueAt` alone sorts soonest first).
    sort: Option<String>,
    /// Page size, 1–100 (default 25).
    limit: Option<u32>,
    /// The `nextCursor` of the previous page.
    cursor: Option<String>,
}

fn ticket_response(status: actix_web::http::StatusCode, ticket: &Ticket) -> actix_web::HttpResponseBuilder {
    let mut builder = HttpResponse::build(status);
    builder.insert_header(etag(ticket.version));
    builder
}

/// Raises a ticket: members for themselves, staff on a member's behalf (`member` required).
#[utoipa::path(
    post,
    path = "/api/tickets",
    tag = "tickets",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "1–255 printable ASCII characters; a retry with the same key and body returns the first result and creates nothing")),
    request_body = CreateTicketRequest,
    responses(
        (status = 201, description = "Created (or replayed, with `Idempotent-Replayed: true`)", body = TicketDto,
            headers(("Location" = String, description = "/api/tickets/{id}"), ("ETag" = String, description = "\"<version>\""))),
        (status = 400, description = "Malformed JSON or Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or an Idempotency-Key reused for another request", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn create_ticket(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    req: HttpRequest,
    key: IdempotencyKeyHeader,
    body: JsonBody<CreateTicketRequest>,
) -> Result<HttpResponse, ApiError> {
    let key = key.for_request(&req, &body.canonical);
    let created = state.desk.create_ticket(&actor, body.value.into(), key).await?;
    let mut response = ticket_response(actix_web::http::StatusCode::CREATED, &created.value);
    response.insert_header((header::LOCATION, format!("/api/tickets/{}", created.value.id)));
    if created.replayed {
        response.insert_header((IDEMPOTENT_REPLAYED, "true"));
    }
    Ok(response.json(TicketDto::from(&created.value)))
}

/// Lists tickets: staff see all of the client's, members their own.
#[utoipa::path(
    get,
    path = "/api/tickets",
    tag = "tickets",
    security(("bearer" = [])),
    params(TicketListParams),
    responses(
        (status = 200, description = "One page of tickets", body = TicketPageDto),
        (status = 422, description = "Invalid filter, sort, limit or cursor", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn list_tickets(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let raw = parse_ticket_query(req.query_string()).map_err(ApiError::validation)?;
    let page = state.desk.list_tickets(&actor, &raw).await?;
    Ok(HttpResponse::Ok().json(TicketPageDto::from(&page)))
}

/// Queue statistics for the same filters as the list (staff only).
#[utoipa::path(
    get,
    path = "/api/tickets/queue",
    tag = "tickets",
    security(("bearer" = [])),
    params(TicketListParams),
    responses(
        (status = 200, description = "Counts and timings", body = QueueStatsDto),
        (status = 422, description = "Invalid filter", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn queue_stats(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let raw = parse_ticket_query(req.query_string()).map_err(ApiError::validation)?;
    let stats = state.desk.queue_stats(&actor, &raw).await?;
    Ok(HttpResponse::Ok().json(QueueStatsDto::from(&stats)))
}

/// A ticket with its conversation (members never see internal notes).
#[utoipa::path(
    get,
    path = "/api/tickets/{id}",
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The ticket's id")),
    responses(
        (status = 200, description = "The ticket", body = TicketDetailDto,
            headers(("ETag" = String, description = "\"<version>\""))),
        (status = 404, description = "No such ticket (or another client's, or another member's)", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn get_ticket(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let details = state.desk.get_ticket(&actor, TicketId(id.into_inner())).await?;
    Ok(ticket_response(actix_web::http::StatusCode::OK, &details.ticket).json(TicketDetailDto::from(&details)))
}

/// Edits subject, description, category (staff) and priority (admins).
#[utoipa::path(
    put,
    path = "/api/tickets/{id}",
    tag = "tickets",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "The ticket's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on; `*` for any")
    ),
    request_body = UpdateTicketRequest,
    responses(
        (status = 200, description = "The updated ticket", body = TicketDto,
            headers(("ETag" = String, description = "\"<version>\""))),
        (status = 400, description = "Malformed JSON or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Changed concurrently; retry", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match names an old version", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn update_ticket(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: JsonBody<UpdateTicketRequest>,
) -> Result<HttpResponse, ApiError> {
    let ticket = state.desk.update_ticket(&actor, TicketId(id.into_inner()), body.value.into(), if_match.0).await?;
    Ok(ticket_response(actix_web::http::StatusCode::OK, &ticket).json(TicketDto::from(&ticket)))
}

/// Adds a reply to the member or an internal note (staff only). A reply to a closed ticket is
/// refused; a member's reply moves a waiting or resolved ticket back to in progress. With
/// files: the same as `multipart/form-data` (parts `kind`, `body`, `files`; handled by
/// `attachments::add_response_upload`).
#[utoipa::path(
    post,
    path = "/api/tickets/{id}/responses",
    tag = "tickets",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "The ticket's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "1–255 printable ASCII characters; a retry with the same key and body returns the first result and creates nothing")
    ),
    request_body(content(
        (NewResponseRequest = "application/json"),
        (crate::dto::NewResponseUpload = "multipart/form-data")
    )),
    responses(
        (status = 201, description = "Created (or replayed, with `Idempotent-Replayed: true`)", body = ResponseDto),
        (status = 400, description = "Malformed JSON, multipart body or Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The ticket is closed (open a new one), or changed concurrently", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large, or a file over the per-file limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is neither JSON nor multipart/form-data", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, too many or empty files, or an Idempotency-Key reused for another request", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn add_response(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<Uuid>,
    key: IdempotencyKeyHeader,
    body: JsonBody<NewResponseRequest>,
) -> Result<HttpResponse, ApiError> {
    let key = key.for_request(&req, &body.canonical);
    let created = state.desk.add_response(&actor, TicketId(id.into_inner()), body.value.into(), key).await?;
    let mut response = HttpResponse::Created();
    if created.replayed {
        response.insert_header((IDEMPOTENT_REPLAYED, "true"));
    }
    Ok(response.json(ResponseDto::from(&created.value)))
}

/// Assigns the ticket to a staff user of the client, or unassigns it (admins only).
#[utoipa::path(
    put,
    path = "/api/tickets/{id}/assign",
    tag = "tickets",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "The ticket's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on; `*` for any")
    ),
    request_body = AssignRequest,
    responses(
        (status = 200, description = "The updated ticket", body = TicketDto,
            headers(("ETag" = String, description = "\"<version>\""))),
        (status = 400, description = "Malformed JSON or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Changed concurrently; retry", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match names an old version", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`assigneeId` missing, or not a staff user of this desk", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn assign_ticket(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: JsonBody<AssignRequest>,
) -> Result<HttpResponse, ApiError> {
    let Some(assignee) = body.value.assignee_id else {
        return Err(ApiError::validation(FieldErrors::single(
            "assigneeId",
            "is required: a staff user's id, or null to unassign",
        )));
    };
    let outcome =
        state.desk.assign_ticket_reporting(&actor, TicketId(id.into_inner()), assignee.as_deref(), if_match.0).await?;
    let ticket = &outcome.ticket;
    let mut body = serde_json::to_value(TicketDto::from(ticket)).unwrap_or_default();
    if let (Some(report), Some(fields)) = (outcome.report, body.as_object_mut()) {
        // Manual assignment always wins; the response says what it did to the agent's load.
        fields.insert("exceedsCapacity".into(), report.exceeds_capacity.into());
        let report = crate::routes::assignment::ManualAssignmentDto::from(report);
        fields.insert("assignment".into(), serde_json::to_value(report).unwrap_or_default());
    }
    Ok(ticket_response(actix_web::http::StatusCode::OK, ticket).json(body))
}

/// Moves the ticket through the workflow. Setting the current status again changes nothing.
#[utoipa::path(
    put,
    path = "/api/tickets/{id}/status",
    tag = "tickets",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "The ticket's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on; `*` for any")
    ),
    request_body = StatusRequest,
    responses(
        (status = 200, description = "The updated ticket", body = TicketDto,
            headers(("ETag" = String, description = "\"<version>\""))),
        (status = 400, description = "Malformed JSON or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ticket", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The workflow does not allow this move (`allowed` lists the next statuses), or changed concurrently", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match names an old version", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown status (the message names the allowed values)", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn change_status(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: JsonBody<StatusRequest>,
) -> Result<HttpResponse, ApiError> {
    let ticket = state.desk.change_status(&actor, TicketId(id.into_inner()), &body.value.status, if_match.0).await?;
    Ok(ticket_response(actix_web::http::StatusCode::OK, &ticket).json(TicketDto::from(&ticket)))
}

/// Every change to the ticket, oldest first (members never see note entries).
#[utoipa::path(
    get,
    path = "/api/tickets/{id}/history",
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The ticket's id")),
    responses(
        (status = 200, description = "The history", body = HistoryDto),
        (status = 404, description = "No such ticket", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn ticket_history(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let events = state.desk.ticket_history(&actor, TicketId(id.into_inner())).await?;
    Ok(HttpResponse::Ok().json(HistoryDto { items: events.iter().map(Into::into).collect() }))
}
