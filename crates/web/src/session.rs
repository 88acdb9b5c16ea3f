//! Sessions: an encrypted cookie (actix-session's cookie store, private content) holding who is
//! signed in, until when, the CSRF token and a one-shot flash message.
//!
//! - The cookie is HttpOnly, SameSite=Lax, path `/ui`, and Secure unless the request is plain
//!   http to localhost (see [`page_headers`]): a desk opened at http://127.0.0.1 works, one
//!   reached any other way only sends its cookie over https.
//! - A session ends at the token's `exp` or 8 hours after sign-in, whichever comes first; the
//!   server checks the time it stored, so an old cookie replayed after that is refused.

use crate::WebState;
use crate::error::PageError;
use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::storage::CookieSessionStore;
use actix_session::{Session, SessionExt, SessionMiddleware};
use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, Key, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpRequest, web};
use memberdesk_domain::{Actor, ClientId, Role, UserId};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha512};
use std::future::Future;
use std::pin::Pin;

/// The session cookie's name.
pub(crate) const COOKIE_NAME: &str = "memberdesk_session";
/// No session outlives this, whatever the token says.
pub(crate) const MAX_SESSION_SECONDS: i64 = 8 * 3600;

const USER_KEY: &str = "user";
const FLASH_KEY: &str = "flash";

/// The 64-byte cookie key: SHA-512 of the configured session key, or of the JWT secret under a
/// label of its own (so the cookie key is never the token key itself).
pub(crate) fn cookie_key(jwt_secret: &str, session_key: Option<&str>) -> Key {
    let material = match session_key.map(str::trim).filter(|k| !k.is_empty()) {
        Some(key) => format!("memberdesk-session-key:{key}"),
        None => format!("memberdesk-session-from-jwt-secret:{jwt_secret}"),
    };
    Key::from(&Sha512::digest(material.as_bytes())[..])
}

/// The session middleware of the `/ui` scope.
pub(crate) fn middleware(key: Key) -> SessionMiddleware<CookieSessionStore> {
    SessionMiddleware::builder(CookieSessionStore::default(), key)
        .cookie_name(COOKIE_NAME.to_owned())
        .cookie_path("/ui".to_owned())
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        // Made Secure per request by `page_headers`.
        .cookie_secure(false)
        .cookie_content_security(CookieContentSecurity::Private)
        .session_lifecycle(
            PersistentSession::default().session_ttl(actix_web::cookie::time::Duration::seconds(MAX_SESSION_SECONDS)),
        )
        .build()
}

/// Is this plain http to the machine itself (the only case a session cookie may go without
/// `Secure`)?
fn is_local_plain_http(req: &ServiceRequest) -> bool {
    let info = req.connection_info();
    if info.scheme() != "http" {
        return false;
    }
    let host = info.host();
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    };
    matches!(name, "localhost" | "127.0.0.1" | "[::1]")
}

/// Security headers on every page, and `Secure` on the session cookie unless the request is
/// plain http to localhost.
pub(crate) async fn page_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let secure = !is_local_plain_http(&req);
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    if secure {
        let cookies: Vec<HeaderValue> = headers.get_all(header::SET_COOKIE).cloned().collect();
        headers.remove(header::SET_COOKIE);
        for value in cookies {
            let secured = value.to_str().ok().and_then(|v| Cookie::parse(v.to_owned()).ok()).and_then(|mut c| {
                c.set_secure(true);
                HeaderValue::from_str(&c.to_string()).ok()
            });
            headers.append(header::SET_COOKIE, secured.unwrap_or(value));
        }
    }
    let defaults: [(&str, &str); 4] = [
        // No inline script or style anywhere: the pages only load /ui/static.
        (
            "content-security-policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        ("x-content-type-options", "nosniff"),
        // The SSO URL carries a token: never pass it on as a referrer.
        ("referrer-policy", "same-origin"),
        ("x-frame-options", "DENY"),
    ];
    for (name, value) in defaults {
        let name = HeaderName::from_static(name);
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        // Pages show personal data: never kept by a shared cache or the back-forward cache.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(res)
}

/// Who is signed in, as stored in the session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SessionUser {
    pub(crate) user_id: String,
    pub(crate) client_id: String,
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) roles: Vec<String>,
    /// Seconds since the Unix epoch: the token's `exp`, or sign-in + 8 h if sooner.
    pub(crate) expires_at: i64,
}

impl SessionUser {
    pub(crate) fn new(actor: &Actor, token_exp: i64, now: i64) -> SessionUser {
        SessionUser {
            user_id: actor.user_id.as_str().to_owned(),
            client_id: actor.client_id.as_str().to_owned(),
            name: actor.name.clone(),
            email: actor.email.clone(),
            roles: actor.roles().iter().map(|r| r.as_str().to_owned()).collect(),
            expires_at: token_exp.min(now + MAX_SESSION_SECONDS),
        }
    }

    fn actor(&self) -> Option<Actor> {
        let roles = self.roles.iter().filter_map(|r| Role::parse(r)).collect();
        Actor::new(
            UserId::new(self.user_id.as_str()),
            ClientId::new(self.client_id.as_str()),
            self.name.clone(),
            self.email.clone(),
            roles,
        )
    }
}

/// Starts a signed-in session (a fresh CSRF token with it).
pub(crate) fn sign_in(session: &Session, user: &SessionUser) -> Result<(), PageError> {
    session.clear();
    session.renew();
    session.insert(USER_KEY, user).map_err(|e| PageError::Internal(format!("cannot store the session: {e}")))?;
    crate::csrf::rotate(session)?;
    Ok(())
}

/// A message shown once, on the next page (after a redirect).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Flash {
    /// `success` or `error`.
    pub(crate) kind: String,
    pub(crate) text: String,
}

impl Flash {
    pub(crate) fn success(text: impl Into<String>) -> Flash {
        Flash { kind: "success".into(), text: text.into() }
    }
    pub(crate) fn error(text: impl Into<String>) -> Flash {
        Flash { kind: "error".into(), text: text.into() }
    }
    pub(crate) fn is_error(&self) -> bool {
        self.kind == "error"
    }
}

pub(crate) fn set_flash(session: &Session, flash: Flash) {
    if let Err(error) = session.insert(FLASH_KEY, flash) {
        tracing::warn!(%error, "cannot store a flash message");
    }
}

pub(crate) fn take_flash(session: &Session) -> Option<Flash> {
    session.remove_as::<Flash>(FLASH_KEY).and_then(Result::ok)
}

/// The signed-in person of a page request; without a (still valid) session the request is
/// sent to the sign-in page. Extracting it keeps the user directory up to date, as the API's
/// bearer authentication does.
pub(crate) struct SignedIn {
    pub(crate) actor: Actor,
    pub(crate) session: Session,
    pub(crate) csrf: String,
}

impl FromRequest for SignedIn {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let state = req.app_data::<web::Data<WebState>>().cloned();
        Box::pin(async move {
            let state = state.ok_or_else(|| PageError::Internal("the web state is not configured".into()))?;
            let user = session.get::<SessionUser>(USER_KEY).ok().flatten().ok_or(PageError::SignInNeeded)?;
            if user.expires_at <= chrono::Utc::now().timestamp() {
                session.purge();
                return Err(PageError::SignInNeeded);
            }
            let Some(actor) = user.actor() else {
                session.purge();
                return Err(PageError::SignInNeeded);
            };
            state.directory.sync(&state.desk, &actor).await;
            let csrf = crate::csrf::token(&session)?;
            Ok(SignedIn { actor, session, csrf })
        })
    }
}
