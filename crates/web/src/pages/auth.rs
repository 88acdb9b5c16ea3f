//! Signing in and out: `/ui/sso?token=` (the association platform's link), the demo sign-in
//! page, and sign-out. A token is checked by the API's own verifier; the session then carries
//! the person (see `session.rs`).

use crate::WebState;
use crate::error::PageError;
use crate::session::{Flash, SessionUser, SignedIn, sign_in};
use crate::view::{Layout, render, role_label, see_other};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use memberdesk_domain::Actor;
use memberdesk_http::auth::{Claims, issue_token};
use memberdesk_http::error::{ApiError, AuthFailure};
use serde::Deserialize;

/// `/` and `/ui`: to the console (which sends members on to their portal).
pub(crate) async fn root() -> HttpResponse {
    see_other("/ui/")
}

/// Where a person lands after signing in.
pub(crate) fn home_of(actor: &Actor) -> &'static str {
    if actor.is_staff() { "/ui/" } else { "/ui/portal" }
}

/// One demo identity on the sign-in page.
struct DemoChoice {
    user_id: String,
    name: String,
    email: String,
    role: &'static str,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    demo: bool,
    client_name: String,
    people: Vec<DemoChoice>,
}

fn login_page_for(state: &WebState, session: &Session, flash: Option<Flash>) -> Result<LoginPage, PageError> {
    let mut layout = Layout::bare("Sign in").with_flash(flash);
    let (demo, client_name, people) = match &state.demo {
        Some(demo) => {
            // Only the demo form needs a token (and so a session cookie) before sign-in.
            layout.csrf = crate::csrf::token(session)?;
            let people = demo
                .people
                .iter()
                .map(|p| DemoChoice {
                    user_id: p.user_id.clone(),
                    name: p.name.clone(),
                    email: p.email.clone(),
                    role: role_label(p.role),
                })
                .collect();
            (true, demo.client_name.clone(), people)
        }
        None => (false, String::new(), Vec::new()),
    };
    Ok(LoginPage { layout, demo, client_name, people })
}

/// `GET /ui/login`.
pub(crate) async fn login_page(state: web::Data<WebState>, session: Session) -> Result<HttpResponse, PageError> {
    let flash = crate::session::take_flash(&session);
    Ok(render(StatusCode::OK, &login_page_for(&state, &session, flash)?))
}

#[derive(Deserialize)]
pub(crate) struct SsoQuery {
    #[serde(default)]
    token: String,
}

/// Verifies a token and starts the session; a bad token leaves no session behind.
async fn start_session(state: &WebState, session: &Session, token: &str) -> Result<Actor, ApiError> {
    let (actor, exp) = state.verifier.verify_with_expiry(token)?;
    state.directory.sync(&state.desk, &actor).await;
    let user = SessionUser::new(&actor, exp, chrono::Utc::now().timestamp());
    sign_in(session, &user).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(actor)
}

fn refusal_text(error: &ApiError) -> &'static str {
    match error {
        ApiError::Unauthorized(AuthFailure::Expired) => {
            "Your sign-in link has expired. Please open the desk again from the association platform."
        }
        ApiError::NoKnownRole => "Your account has no role on this desk. Please ask your association's administrator.",
        ApiError::Internal(_) => "Signing in failed on our side. Please try again.",
        _ => "That sign-in link is not valid. Please open the desk again from the association platform.",
    }
}

/// `GET /ui/sso?token=…`: the platform's link into the desk.
pub(crate) async fn sso(
    state: web::Data<WebState>,
    session: Session,
    query: web::Query<SsoQuery>,
) -> Result<HttpResponse, PageError> {
    match start_session(&state, &session, query.token.trim()).await {
        Ok(actor) => Ok(see_other(home_of(&actor))),
        Err(error) => {
            tracing::debug!(%error, "sign-in refused");
            session.purge();
            let status = if matches!(error, ApiError::Internal(_)) {
                StatusCode::INTERNAL_SERVER_ERROR
            } else {
                StatusCode::UNAUTHORIZED
            };
            let page = login_page_for(&state, &session, Some(Flash::error(refusal_text(&error))))?;
            Ok(render(status, &page))
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct DemoLoginForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    identity: String,
}

/// `POST /ui/login` (demo only): signs in as the chosen demo identity with the same token the
/// demo command prints for it.
pub(crate) async fn demo_login(
    state: web::Data<WebState>,
    session: Session,
    form: web::Form<DemoLoginForm>,
) -> Result<HttpResponse, PageError> {
    crate::csrf::check(&session, Some(&form.csrf))?;
    let Some(demo) = &state.demo else { return Err(PageError::NotFound) };
    let Some(person) = demo.people.iter().find(|p| p.user_id == form.identity) else {
        crate::session::set_flash(&session, Flash::error("Choose one of the demo identities below."));
        return Ok(see_other("/ui/login"));
    };
    let ttl = i64::try_from(demo.token_ttl.as_secs()).unwrap_or(i64::MAX / 2);
    let claims = Claims {
        sub: person.user_id.clone(),
        client_id: demo.client_id.clone(),
        roles: vec![person.role.as_str().to_owned()],
        name: person.name.clone(),
        email: person.email.clone(),
        exp: chrono::Utc::now().timestamp().saturating_add(ttl),
    };
    let token = issue_token(&state.jwt_secret, &claims).map_err(|e| PageError::Internal(e.to_string()))?;
    let actor = start_session(&state, &session, &token).await.map_err(PageError::Api)?;
    Ok(see_other(home_of(&actor)))
}

#[derive(Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default, rename = "_csrf")]
    pub(crate) csrf: String,
}

/// `POST /ui/logout`: the session is gone, cookie included.
pub(crate) async fn logout(who: SignedIn, form: web::Form<CsrfForm>) -> Result<HttpResponse, PageError> {
    crate::csrf::check(&who.session, Some(&form.csrf))?;
    who.session.purge();
    Ok(see_other("/ui/login"))
}
