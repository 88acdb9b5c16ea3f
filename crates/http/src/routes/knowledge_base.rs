//! `/api/kb/articles` and `/api/kb/search` (issue 8, `docs/api.md#knowledge-base`): the
//! client's help articles. Admins write, edit, publish and delete them; staff list, read and
//! search them (staff users see published ones only). Members get 403 on the list and search
//! and 404 on an article. `PUT` honours `If-Match` like tickets do.

use crate::AppState;
use crate::auth::AuthenticatedActor;
use crate::error::{ApiError, Problem};
use crate::extract::JsonBody;
use crate::preconditions::{IfMatch, etag};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use memberdesk_domain::kb::{Article, ArticleHit};
use memberdesk_domain::usecases::{ArticleInput, ArticlePatch};
use memberdesk_domain::{ArticleId, DeskError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

const ARTICLES: &str = "/api/kb/articles";

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource(ARTICLES).route(web::get().to(list_articles)).route(web::post().to(create_article)))
        .service(
            web::resource("/api/kb/articles/{id}")
                .route(web::get().to(get_article))
                .route(web::put().to(update_article))
                .route(web::delete().to(delete_article)),
        )
        .service(web::resource("/api/kb/search").route(web::get().to(search_articles)));
}

/// A help article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArticleDto {
    pub id: Uuid,
    #[schema(example = "Renewing your membership")]
    pub title: String,
    pub body: String,
    /// Lower case, distinct.
    pub tags: Vec<String>,
    /// Only published articles are found by search and used in drafts.
    pub published: bool,
    /// Grows with every change; the `ETag` is `"<version>"`.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Article> for ArticleDto {
    fn from(a: &Article) -> Self {
        ArticleDto {
            id: a.id.0,
            title: a.title.as_str().to_owned(),
            body: a.body.as_str().to_owned(),
            tags: a.tags.clone(),
            published: a.published,
            version: a.version,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

/// An article in a list: everything but the body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArticleListItemDto {
    pub id: Uuid,
    pub title: String,
    pub tags: Vec<String>,
    pub published: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Articles by title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ArticleListDto {
    pub items: Vec<ArticleListItemDto>,
}

/// `GET /api/kb/articles` options.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ArticleListParams {
    /// `true`: the unpublished ones too (admins; staff users always get published ones only).
    pub include_unpublished: Option<bool>,
}

/// A new article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateArticleRequest {
    /// One line, 1–200 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub title: String,
    /// 1–50 000 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub body: String,
    /// At most 20, each 1–40 characters; kept trimmed, lower case and distinct.
    pub tags: Option<Vec<String>>,
    /// Default `false`: a draft, which search does not find.
    pub published: Option<bool>,
}

impl From<CreateArticleRequest> for ArticleInput {
    fn from(r: CreateArticleRequest) -> Self {
        ArticleInput {
            title: r.title,
            body: r.body,
            tags: r.tags.unwrap_or_default(),
            published: r.published.unwrap_or(false),
        }
    }
}

/// Fields to change; absent fields stay as they are. At least one is needed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateArticleRequest {
    pub title: Option<String>,
    pub body: Option<String>,
    /// Replaces the tags (`[]` clears them).
    pub tags: Option<Vec<String>>,
    pub published: Option<bool>,
}

impl From<UpdateArticleRequest> for ArticlePatch {
    fn from(r: UpdateArticleRequest) -> Self {
        ArticlePatch { title: r.title, body: r.body, tags: r.tags, published: r.published }
    }
}

/// `GET /api/kb/search` parameters.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The words to search for (required, 1–200 characters). Every word must be found, in any
    /// form ("renewing" finds "renewal"); quotes, operators and wildcards are plain punctuation.
    pub q: Option<String>,
    /// Results, 1–50 (default 10).
    #[param(value_type = Option<u32>)]
    pub limit: Option<String>,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SearchHitDto {
    pub id: Uuid,
    pub title: String,
    /// The part of the body that matched (plain text, at most 300 characters).
    pub snippet: String,
    pub tags: Vec<String>,
    /// Relevance, 0–1: where the words were found (title, tags, body) and the engine's rank.
    #[schema(example = 0.92)]
    pub score: f64,
}

impl From<ArticleHit> for SearchHitDto {
    fn from(h: ArticleHit) -> Self {
        SearchHitDto { id: h.id.0, title: h.title, snippet: h.snippet, tags: h.tags, score: h.score }
    }
}

/// Search results, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SearchResultsDto {
    /// The search text as received, trimmed.
    pub query: String,
    pub items: Vec<SearchHitDto>,
}

/// A path segment that is not a UUID names no article.
fn article_id(raw: &str) -> Result<ArticleId, ApiError> {
    raw.parse().map_err(|_| ApiError::Desk(DeskError::NotFound("article")))
}

fn article_response(status: StatusCode, article: &Article) -> HttpResponse {
    HttpResponse::build(status).insert_header(etag(article.version)).json(ArticleDto::from(article))
}

/// The client's articles by title, without their bodies (staff; members 403).
#[utoipa::path(
    get,
    path = "/api/kb/articles",
    tag = "knowledge base",
    security(("bearer" = [])),
    params(ArticleListParams),
    responses(
        (status = 200, description = "The articles", body = ArticleListDto),
        (status = 400, description = "Malformed query string", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn list_articles(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    params: web::Query<ArticleListParams>,
) -> Result<HttpResponse, ApiError> {
    let articles = state.desk.list_articles(&actor, params.include_unpublished.unwrap_or(false)).await?;
    let items = articles
        .iter()
        .map(|a| ArticleListItemDto {
            id: a.id.0,
            title: a.title.as_str().to_owned(),
            tags: a.tags.clone(),
            published: a.published,
            version: a.version,
            created_at: a.created_at,
            updated_at: a.updated_at,
        })
        .collect();
    Ok(HttpResponse::Ok().json(ArticleListDto { items }))
}

/// Writes an article (admins). Every invalid field is named at once (422).
#[utoipa::path(
    post,
    path = "/api/kb/articles",
    tag = "knowledge base",
    security(("bearer" = [])),
    request_body = CreateArticleRequest,
    responses(
        (status = 201, description = "Created", body = ArticleDto,
            headers(("Location" = String, description = "/api/kb/articles/{id}"), ("ETag" = String, description = "\"<version>\""))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`title`, `body`, `tags`, `tags[i]`)", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn create_article(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    body: JsonBody<CreateArticleRequest>,
) -> Result<HttpResponse, ApiError> {
    let article = state.desk.create_article(&actor, body.value.into()).await?;
    Ok(HttpResponse::Created()
        .insert_header((actix_web::http::header::LOCATION, format!("{ARTICLES}/{}", article.id)))
        .insert_header(etag(article.version))
        .json(ArticleDto::from(&article)))
}

/// One article: staff a published one, admins any (members 404).
#[utoipa::path(
    get,
    path = "/api/kb/articles/{id}",
    tag = "knowledge base",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The article's id")),
    responses(
        (status = 200, description = "The article", body = ArticleDto,
            headers(("ETag" = String, description = "\"<version>\""))),
        (status = 404, description = "No such article (another client's, unpublished for a staff user, or any for a member)", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn get_article(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let article = state.desk.get_article(&actor, article_id(&id)?).await?;
    Ok(article_response(StatusCode::OK, &article))
}

/// Changes an article (admins): any of title, body, tags, published.
#[utoipa::path(
    put,
    path = "/api/kb/articles/{id}",
    tag = "knowledge base",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "The article's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on; `*` for any")
    ),
    request_body = UpdateArticleRequest,
    responses(
        (status = 200, description = "The updated article", body = ArticleDto,
            headers(("ETag" = String, description = "\"<version>\""))),
        (status = 400, description = "Malformed JSON or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such article (or another client's)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Changed concurrently; retry", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match names an old version", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or none given", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn update_article(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<UpdateArticleRequest>,
) -> Result<HttpResponse, ApiError> {
    let article = state.desk.update_article(&actor, article_id(&id)?, body.value.into(), if_match.0).await?;
    Ok(article_response(StatusCode::OK, &article))
}

/// Deletes an article (admins).
#[utoipa::path(
    delete,
    path = "/api/kb/articles/{id}",
    tag = "knowledge base",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The article's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such article (or another client's)", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn delete_article(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state.desk.delete_article(&actor, article_id(&id)?).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Full-text search over the client's published articles, best first (staff; members 403).
/// Stemmed, title matches first; see `docs/ai.md#knowledge-base` for the score.
#[utoipa::path(
    get,
    path = "/api/kb/search",
    tag = "knowledge base",
    security(("bearer" = [])),
    params(SearchParams),
    responses(
        (status = 200, description = "The matching articles, best first", body = SearchResultsDto),
        (status = 400, description = "Malformed query string", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`q` missing, blank or too long; `limit` not 1–50", body = Problem, content_type = "application/problem+json")
    )
)]
pub(crate) async fn search_articles(
    actor: AuthenticatedActor,
    state: web::Data<AppState>,
    params: web::Query<SearchParams>,
) -> Result<HttpResponse, ApiError> {
    let params = params.into_inner();
    let hits = state.desk.search_articles(&actor, params.q.as_deref(), params.limit.as_deref()).await?;
    let query = params.q.as_deref().map(str::trim).unwrap_or_default().to_owned();
    Ok(HttpResponse::Ok().json(SearchResultsDto { query, items: hits.into_iter().map(Into::into).collect() }))
}
