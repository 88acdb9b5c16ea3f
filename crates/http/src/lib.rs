//! memberdesk's REST adapter: the actix-web application in front of [`Desk`].
//!
//! - [`routes`]: one module per resource, each with `config(cfg)`; handlers extract, call one
//!   use case and map the result.
//! - [`auth`]: bearer JWT (HS256) → [`memberdesk_domain::Actor`], and the user-directory sync.
//! - [`error`]: every error the API answers with, as `application/problem+json`, mapped in one
//!   place.
//! - [`dto`]: the JSON shapes of the API (camelCase), converted from domain types.
//! - [`openapi`]: the OpenAPI document served at `/api/openapi.json`.
//!
//! The composition root calls [`serve`] with a bound listener, a wired [`Desk`] and
//! [`HttpSettings`].

pub mod auth;
mod catalog_dto;
pub mod dto;
pub mod error;
mod extract;
mod notify_dto;
pub mod openapi;
mod preconditions;
mod query;
pub mod routes;
mod sla_dto;
pub mod upload;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::{ErrorHandlers, from_fn};
use actix_web::{App, HttpMessage, HttpServer, web};
use actix_web_prom::{PrometheusMetrics, PrometheusMetricsBuilder};
use memberdesk_domain::Desk;
use std::sync::Arc;
use tracing_actix_web::{RequestId, TracingLogger};

/// The default limit on a JSON request body: 256 KiB.
pub const DEFAULT_MAX_JSON_BYTES: usize = 256 * 1024;

/// Routes the composition root mounts beside the API in the same application (the web UI):
/// called once per worker, before the API's own routes are registered.
pub type ExtraRoutes = Arc<dyn Fn(&mut web::ServiceConfig) + Send + Sync>;

/// What the HTTP adapter needs from configuration.
#[derive(Clone)]
pub struct HttpSettings {
    /// The HS256 secret bearer tokens are signed with (`MEMBERDESK_JWT_SECRET`).
    pub jwt_secret: String,
    /// Larger JSON bodies are refused with 413.
    pub max_json_bytes: usize,
    /// Other adapters' routes served by the same application (see [`ExtraRoutes`]).
    pub extra_routes: Option<ExtraRoutes>,
}

impl HttpSettings {
    /// Settings with the default body limit.
    pub fn new(jwt_secret: impl Into<String>) -> HttpSettings {
        HttpSettings { jwt_secret: jwt_secret.into(), max_json_bytes: DEFAULT_MAX_JSON_BYTES, extra_routes: None }
    }

    /// Also serve `routes` (e.g. the web UI's pages) from the same application.
    pub fn with_extra_routes(mut self, routes: ExtraRoutes) -> HttpSettings {
        self.extra_routes = Some(routes);
        self
    }
}

impl std::fmt::Debug for HttpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpSettings")
            .field("jwt_secret", &"<redacted>")
            .field("max_json_bytes", &self.max_json_bytes)
            .field("extra_routes", &self.extra_routes.is_some())
            .finish()
    }
}

/// What every handler can reach: the desk, the token verifier and the directory-sync cache.
pub(crate) struct AppState {
    pub(crate) desk: Desk,
    pub(crate) verifier: auth::TokenVerifier,
    pub(crate) directory: auth::DirectorySync,
}

/// Builds and starts the server on an already-bound listener (port 0 in tests). actix's own
/// signal handling is off: it stops *forcefully* on SIGINT, while the composition root stops
/// gracefully on both SIGTERM and SIGINT through the server's handle.
///
/// Fails when the JWT secret is empty, the body limit is zero, or the listener cannot be used.
pub fn serve(
    listener: std::net::TcpListener,
    desk: Desk,
    settings: HttpSettings,
) -> std::io::Result<actix_web::dev::Server> {
    let parts = AppParts::new(desk, &settings)?;
    let server = HttpServer::new(move || parts.clone().app()).disable_signals().listen(listener)?.run();
    Ok(server)
}

/// Everything an application instance is built from; cloned into every worker so that all of
/// them share one state, one metrics registry and one directory-sync cache.
#[derive(Clone)]
pub(crate) struct AppParts {
    state: web::Data<AppState>,
    metrics: PrometheusMetrics,
    max_json_bytes: usize,
    extra_routes: Option<ExtraRoutes>,
}

impl AppParts {
    pub(crate) fn new(desk: Desk, settings: &HttpSettings) -> std::io::Result<AppParts> {
        if settings.jwt_secret.is_empty() {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "the JWT secret must not be empty"));
        }
        if settings.max_json_bytes == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "max_json_bytes must be positive"));
        }
        let metrics = PrometheusMetricsBuilder::new("memberdesk")
            .endpoint("/metrics")
            .mask_unmatched_patterns("UNKNOWN")
            .build()
            .map_err(|e| std::io::Error::other(format!("cannot set up metrics: {e}")))?;
        let state = web::Data::from(Arc::new(AppState {
            desk,
            verifier: auth::TokenVerifier::new(&settings.jwt_secret),
            directory: auth::DirectorySync::default(),
        }));
        Ok(AppParts {
            state,
            metrics,
            max_json_bytes: settings.max_json_bytes,
            extra_routes: settings.extra_routes.clone(),
        })
    }

    /// One application instance: middleware, extractor configuration and every route.
    pub(crate) fn app(
        self,
    ) -> App<
        impl ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<impl MessageBody>,
            Error = actix_web::Error,
            InitError = (),
        >,
    > {
        let extra_routes = self.extra_routes;
        App::new()
            .app_data(self.state)
            .app_data(error::json_config(self.max_json_bytes))
            .app_data(error::path_config())
            .app_data(error::query_config())
            .configure(|cfg| {
                if let Some(extra) = &extra_routes {
                    extra(cfg);
                }
            })
            .configure(routes::config)
            .default_service(web::to(routes::health::not_found))
            // Innermost first: any bare error response actix produces becomes a problem.
            .wrap(ErrorHandlers::new().default_handler(error::problem_for_bare_errors))
            .wrap(from_fn(request_id_header))
            .wrap(TracingLogger::default())
            .wrap(self.metrics)
    }
}

/// Returns the request id `TracingLogger` gave the request as `X-Request-Id`.
async fn request_id_header(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req.extensions().get::<RequestId>().map(|id| id.to_string());
    let mut res = next.call(req).await?;
    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        res.headers_mut().insert(HeaderName::from_static("x-request-id"), value);
    }
    Ok(res)
}

#[cfg(test)]
mod tests;
