//! `/api/tickets/categories`: the client's ticket categories. Everyone lists them (members the
//! active ones, for their ticket form); admins create, edit, order, archive and unarchive.
//!
//! Registered before `/api/tickets/{id}`, which would otherwise take "categories" for an id.

use crate::AppState;
use crate::auth::AuthenticatedActor;
use crate::dto::{
    CategoryDto, CategoryListDto, CategoryListParams, CreateCategoryRequest, ReorderCategoriesRequest,
    UpdateCategoryRequest,
};
use crate::error::{ApiError, Problem};
use crate::extract::JsonBody;
use actix_web::{HttpResponse, web};
use memberdesk_domain::{CategoryId, DeskError};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api/tickets/categories")
            .route(web::get().to(list_categories))
            .route(web::post().to(create_category)),
    )
    // Before `/api/tickets/categories/{id}`, which would otherwise take "order" for an id.
    .service(web::resource("/api/tickets/categories/order").route(web::put().to(reorder_categories)))
    .service(
        web::resource("/api/tickets/categories/{id}")
            .route(web::get().to(get_category))
            .route(web::put().to(update_category))
            .route(web::delete().to(archive_category)),
    );
}

/// A path segment that is not a UUID names no category.
fn category_id(raw: &str) -> Result<CategoryId, ApiError> {
    raw.parse().map_err(|_| ApiError::Desk(DeskError::NotFound("category")))
}

/// The client's categories in picker order. Members get the active ones; staff may add
/// `includeArchived=true` to see the archived ones too.
#[utoipa::path(
    get,
    path = "/api/tickets/categories",
    tag = "categories",
    security(("bearer" = [])),
    params(CategoryListParams),
    responses(
        (status = 200, description = "The categories, by sort order", body = CategoryListDto),
        (status = 400, description = "Unreadable query string", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn list_categories(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    params: web::Query<CategoryListParams>,
) -> Result<HttpResponse, ApiError> {
    let categories = state.desk.list_categories(&actor, params.include_archived.unwrap_or(false)).await?;
    Ok(HttpResponse::Ok().json(CategoryListDto::of(&categories)))
}

/// Creates a category at the end of the order (admins only).
#[utoipa::path(
    post,
    path = "/api/tickets/categories",
    tag = "categories",
    security(("bearer" = [])),
    request_body = CreateCategoryRequest,
    responses(
        (status = 201, description = "Created", body = CategoryDto,
            headers(("Location" = String, description = "/api/tickets/categories/{id}"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken (`errors.name`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn create_category(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    body: JsonBody<CreateCategoryRequest>,
) -> Result<HttpResponse, ApiError> {
    let category = state.desk.create_category(&actor, body.value.into()).await?;
    Ok(HttpResponse::Created()
        .insert_header((actix_web::http::header::LOCATION, format!("/api/tickets/categories/{}", category.id)))
        .json(CategoryDto::from(&category)))
}

/// One category (members: only an active one).
#[utoipa::path(
    get,
    path = "/api/tickets/categories/{id}",
    tag = "categories",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The category's id")),
    responses(
        (status = 200, description = "The category", body = CategoryDto),
        (status = 404, description = "No such category (or another client's)", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn get_category(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let category = state.desk.get_category(&actor, category_id(&id)?).await?;
    Ok(HttpResponse::Ok().json(CategoryDto::from(&category)))
}

/// Renames, describes, archives (`"archived": true`) or unarchives (`"archived": false`) a
/// category (admins only).
#[utoipa::path(
    put,
    path = "/api/tickets/categories/{id}",
    tag = "categories",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The category's id")),
    request_body = UpdateCategoryRequest,
    responses(
        (status = 200, description = "The updated category", body = CategoryDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such category (or another client's)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken (`errors.name`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or none given", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn update_category(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: JsonBody<UpdateCategoryRequest>,
) -> Result<HttpResponse, ApiError> {
    let category = state.desk.update_category(&actor, category_id(&id)?, body.value.into()).await?;
    Ok(HttpResponse::Ok().json(CategoryDto::from(&category)))
}

/// Archives a category (admins only): it leaves the member-facing list and new tickets, while
/// every ticket keeps it and staff can still filter and report by it. Nothing is deleted;
/// `PUT` with `"archived": false` brings it back.
#[utoipa::path(
    delete,
    path = "/api/tickets/categories/{id}",
    tag = "categories",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The category's id")),
    responses(
        (status = 200, description = "The archived category", body = CategoryDto),
        (status = 404, description = "No such category (or another client's)", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn archive_category(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let category = state.desk.archive_category(&actor, category_id(&id)?).await?;
    Ok(HttpResponse::Ok().json(CategoryDto::from(&category)))
}

/// Sets the order of all the client's categories at once (admins only): `ids` lists every
/// category, archived ones included, exactly once.
#[utoipa::path(
    put,
    path = "/api/tickets/categories/order",
    tag = "categories",
    security(("bearer" = [])),
    request_body = ReorderCategoriesRequest,
    responses(
        (status = 200, description = "All categories in their new order", body = CategoryListDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`ids` misses a category, repeats one or names an unknown one", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn reorder_categories(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    body: JsonBody<ReorderCategoriesRequest>,
) -> Result<HttpResponse, ApiError> {
    let categories = state.desk.reorder_categories(&actor, &body.value.ids).await?;
    Ok(HttpResponse::Ok().json(CategoryListDto::of(&categories)))
}
