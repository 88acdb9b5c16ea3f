//! memberdesk's web UI: server-rendered pages over the same use cases as the REST API.
//!
//! - Staff console (`/ui/`): the queue and the ticket page.
//! - Member portal (`/ui/portal`): raise a ticket, follow and answer one's own tickets.
//! - Admin (`/ui/admin/…`): categories (other settings pages follow the same pattern).
//!
//! The pages are mounted into the API's actix application by the composition root through
//! [`memberdesk_http::HttpSettings::with_extra_routes`]; handlers call [`Desk`] directly, never
//! the API over HTTP. Sign-in turns a platform token (verified by the API's own
//! [`memberdesk_http::auth::TokenVerifier`]) into an encrypted cookie session; every form
//! carries a per-session CSRF token. See `docs/ui.md`.

mod assets;
mod csrf;
mod error;
mod forms;
mod pages;
mod session;
mod view;

use actix_web::web;
use memberdesk_domain::{Desk, Role};
use memberdesk_http::ExtraRoutes;
use memberdesk_http::auth::{DirectorySync, TokenVerifier};
use std::sync::Arc;
use std::time::Duration;

/// What the web UI needs from configuration.
#[derive(Clone)]
pub struct WebSettings {
    /// The HS256 secret platform tokens are signed with (the API's `MEMBERDESK_JWT_SECRET`).
    pub jwt_secret: String,
    /// The secret session cookies are encrypted with (`MEMBERDESK_SESSION_KEY`); `None`
    /// derives one from the JWT secret.
    pub session_key: Option<String>,
    /// The demo sign-in page's identities; `None` outside `memberdesk demo`.
    pub demo: Option<DemoSignIn>,
}

impl std::fmt::Debug for WebSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebSettings")
            .field("jwt_secret", &"<redacted>")
            .field("session_key", &self.session_key.as_ref().map(|_| "<redacted>"))
            .field("demo", &self.demo)
            .finish()
    }
}

/// The demo desk's people, offered on the sign-in page of `memberdesk demo`. Choosing one
/// issues the same token the demo command prints for them.
#[derive(Debug, Clone)]
pub struct DemoSignIn {
    pub client_id: String,
    pub client_name: String,
    pub people: Vec<DemoPerson>,
    /// How long the issued tokens last.
    pub token_ttl: Duration,
}

#[derive(Debug, Clone)]
pub struct DemoPerson {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
}

/// Why the web UI cannot be set up.
#[derive(Debug, thiserror::Error)]
pub enum WebSetupError {
    #[error("the web UI needs a non-empty JWT secret")]
    EmptySecret,
}

/// What every page handler can reach.
pub(crate) struct WebState {
    pub(crate) desk: Desk,
    pub(crate) verifier: TokenVerifier,
    pub(crate) directory: DirectorySync,
    pub(crate) jwt_secret: String,
    pub(crate) demo: Option<DemoSignIn>,
}

/// The web UI's routes, to hand to [`memberdesk_http::HttpSettings::with_extra_routes`]:
/// `/` redirects to `/ui/`; everything else is under `/ui/`.
pub fn routes(desk: Desk, settings: WebSettings) -> Result<ExtraRoutes, WebSetupError> {
    if settings.jwt_secret.is_empty() {
        return Err(WebSetupError::EmptySecret);
    }
    let key = session::cookie_key(&settings.jwt_secret, settings.session_key.as_deref());
    let state = web::Data::new(WebState {
        desk,
        verifier: TokenVerifier::new(&settings.jwt_secret),
        directory: DirectorySync::default(),
        jwt_secret: settings.jwt_secret,
        demo: settings.demo,
    });
    Ok(Arc::new(move |cfg: &mut web::ServiceConfig| {
        cfg.service(web::resource("/").route(web::get().to(pages::auth::root)))
            .service(web::resource("/ui").route(web::get().to(pages::auth::root)))
            .service(
                web::scope("/ui")
                    .app_data(state.clone())
                    .app_data(error::form_config())
                    .app_data(error::query_config())
                    .app_data(error::path_config())
                    .configure(pages::config)
                    .default_service(web::to(error::not_found_page))
                    .wrap(session::middleware(key.clone()))
                    .wrap(actix_web::middleware::from_fn(session::page_headers)),
            );
    }))
}
