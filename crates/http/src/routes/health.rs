//! Liveness and readiness, and the answer for addresses that lead nowhere.

use crate::AppState;
use crate::dto::HealthDto;
use crate::error::{ApiError, Problem};
use actix_web::{HttpResponse, web};
use memberdesk_domain::DeskError;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/healthz").route(web::get().to(healthz)))
        .service(web::resource("/readyz").route(web::get().to(readyz)));
}

/// The process is up.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    responses((status = 200, description = "The process is up", body = HealthDto))
)]
pub(crate) async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(HealthDto { status: "ok".into() })
}

/// The process can serve requests: its storage is reachable.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    responses(
        (status = 200, description = "Storage is reachable", body = HealthDto),
        (status = 503, description = "Storage is not reachable", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    match state.desk.ready().await {
        Ok(()) => Ok(HttpResponse::Ok().json(HealthDto { status: "ok".into() })),
        // Whatever the store said, not ready is "unavailable" here, never a 500.
        Err(DeskError::Store(e)) => {
            Err(ApiError::Desk(DeskError::Store(memberdesk_domain::StoreError::Unavailable(e.to_string()))))
        }
        Err(other) => Err(other.into()),
    }
}

/// Nothing lives at this address.
pub(crate) async fn not_found() -> HttpResponse {
    Problem::new(
        actix_web::http::StatusCode::NOT_FOUND,
        "not_found",
        "Not found",
        "There is nothing at this address; see /api/openapi.json for the API.",
    )
    .response()
}
