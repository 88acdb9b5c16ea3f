//! What a page request can fail with, answered as an HTML page (never JSON): the sign-in page
//! for a missing session, a 403 page for a bad CSRF token, and the API's own wording for the
//! domain's errors (one mapping, [`memberdesk_http::error::ApiError::problem`]).

use crate::view::{Layout, render};
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, ResponseError, web};
use askama::Template;
use memberdesk_domain::DeskError;
use memberdesk_http::error::{ApiError, Problem};
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub(crate) enum PageError {
    /// No session, or one that has ended: to the sign-in page.
    #[error("sign-in needed")]
    SignInNeeded,
    /// A POST without the session's CSRF token.
    #[error("the form's security token is missing or wrong")]
    Csrf,
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A use case refused or failed; its problem decides status and wording.
    #[error(transparent)]
    Desk(#[from] DeskError),
    /// The API adapter refused something (an upload too large, a broken multipart body).
    #[error(transparent)]
    Api(#[from] ApiError),
    /// Logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl PageError {
    fn problem(&self) -> Problem {
        match self {
            PageError::Desk(error) => desk_problem(error),
            PageError::Api(error) => error.problem(),
            _ => Problem::new(self.status_code(), "page", "", ""),
        }
    }

    /// The title and sentence of the error page.
    fn wording(&self) -> (String, String) {
        match self {
            PageError::SignInNeeded => ("Sign-in needed".into(), "Please sign in to continue.".into()),
            PageError::Csrf => (
                "Form expired".into(),
                "This form's security token is missing or out of date, so nothing was saved. Go back, reload the \
                 page and try again."
                    .into(),
            ),
            PageError::NotFound => ("Not found".into(), "There is nothing here, or it is not yours to see.".into()),
            PageError::BadRequest(detail) => ("Bad request".into(), detail.clone()),
            PageError::Internal(_) => (
                "Something went wrong".into(),
                "Something went wrong on our side. It has been logged; please try again later.".into(),
            ),
            PageError::Desk(_) | PageError::Api(_) => {
                let problem = self.problem();
                (problem.title, problem.detail)
            }
        }
    }
}

/// The API's problem for a domain error (status, title, sentence, field errors).
pub(crate) fn desk_problem(error: &DeskError) -> Problem {
    memberdesk_http::error::desk_problem(error)
}

/// The sentence a person reads for a domain error.
pub(crate) fn message(error: &DeskError) -> String {
    desk_problem(error).detail
}

/// The sentence for a refusal shown on a page: the API's, except where the API's names
/// HTTP mechanics a person never sees.
pub(crate) fn ui_message(error: &DeskError) -> String {
    match error {
        DeskError::StaleVersion { .. } => "Someone else changed this ticket while you had it open, so nothing was \
                                            changed. The page now shows the current state; please try again."
            .into(),
        DeskError::IdempotencyKeyReused => "This form was already sent with other content; please reload the page \
                                            and try again."
            .into(),
        other => message(other),
    }
}

/// Field → message of a validation or duplicate error (empty for other errors).
pub(crate) fn field_errors(error: &DeskError) -> BTreeMap<String, String> {
    desk_problem(error).errors.unwrap_or_default()
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::SignInNeeded => StatusCode::SEE_OTHER,
            PageError::Csrf => StatusCode::FORBIDDEN,
            PageError::NotFound => StatusCode::NOT_FOUND,
            PageError::BadRequest(_) => StatusCode::BAD_REQUEST,
            PageError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            PageError::Desk(_) | PageError::Api(_) => {
                StatusCode::from_u16(self.problem().status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if let PageError::SignInNeeded = self {
            return HttpResponse::SeeOther().insert_header((header::LOCATION, "/ui/login")).finish();
        }
        match status.as_u16() {
            500 => tracing::error!(error = %self, "page failed on the server side"),
            503 => tracing::warn!(error = %self, "a dependency is unavailable"),
            _ => tracing::debug!(error = %self, "page refused"),
        }
        let (title, detail) = self.wording();
        let page = ErrorPage { layout: Layout::bare(&title), title: title.clone(), detail };
        render(status, &page)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    title: String,
    detail: String,
}

/// Unknown addresses under `/ui/`.
pub(crate) async fn not_found_page() -> HttpResponse {
    not_found_response()
}

pub(crate) fn not_found_response() -> HttpResponse {
    PageError::NotFound.error_response()
}

/// A form that cannot be read is the sender's mistake: a 400 page.
pub(crate) fn form_config() -> web::FormConfig {
    web::FormConfig::default()
        .limit(256 * 1024)
        .error_handler(|err, _req| PageError::BadRequest(format!("The form could not be read: {err}.")).into())
}

pub(crate) fn query_config() -> web::QueryConfig {
    web::QueryConfig::default()
        .error_handler(|err, _req| PageError::BadRequest(format!("The address could not be read: {err}.")).into())
}

/// A path segment that is not an id: nothing there.
pub(crate) fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err, _req| PageError::NotFound.into())
}
