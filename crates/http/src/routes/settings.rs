//! `/api/settings/client`: the client's settings on the desk (for now its display name, which
//! the `{{client.name}}` placeholder shows). Staff read them; admins change them.

use crate::AppState;
use crate::auth::AuthenticatedActor;
use crate::dto::{ClientSettingsDto, UpdateClientSettingsRequest};
use crate::error::{ApiError, Problem};
use crate::extract::JsonBody;
use actix_web::{HttpResponse, web};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api/settings/client")
            .route(web::get().to(get_client_settings))
            .route(web::put().to(update_client_settings)),
    );
}

/// The client as the desk knows it (staff only).
#[utoipa::path(
    get,
    path = "/api/settings/client",
    tag = "settings",
    security(("bearer" = [])),
    responses((status = 200, description = "The client's settings", body = ClientSettingsDto))
)]
pub(crate) async fn get_client_settings(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let profile = state.desk.client_profile(&actor).await?;
    Ok(HttpResponse::Ok().json(ClientSettingsDto::from(&profile)))
}

/// Names the client (admins only).
#[utoipa::path(
    put,
    path = "/api/settings/client",
    tag = "settings",
    security(("bearer" = [])),
    request_body = UpdateClientSettingsRequest,
    responses(
        (status = 200, description = "The client's settings", body = ClientSettingsDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn update_client_settings(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    body: JsonBody<UpdateClientSettingsRequest>,
) -> Result<HttpResponse, ApiError> {
    let profile = state.desk.set_client_name(&actor, &body.value.name).await?;
    Ok(HttpResponse::Ok().json(ClientSettingsDto::from(&profile)))
}
