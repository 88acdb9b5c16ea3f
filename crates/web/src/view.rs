//! What every page shares: the layout (header, navigation, flash message, assets), rendering a
//! template into a response, and the wording of the domain's values for people.

use crate::session::Flash;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header;
use askama::Template;
use chrono::{DateTime, Utc};
use memberdesk_domain::sla::SlaState;
use memberdesk_domain::ticket::{Priority, Status};
use memberdesk_domain::{Actor, Role};

/// The frame of every page (see `templates/base.html`).
pub(crate) struct Layout {
    pub(crate) title: String,
    /// Absent on the sign-in and error pages.
    pub(crate) user: Option<UserBox>,
    /// The session's CSRF token, for every form on the page (and `app.js`, via a meta tag).
    pub(crate) csrf: String,
    pub(crate) flash: Option<Flash>,
    /// Which navigation entry is current: `queue`, `portal`, `new-ticket`, `admin-categories`…
    pub(crate) section: &'static str,
    pub(crate) css: &'static str,
    pub(crate) js: &'static str,
}

/// The signed-in person in the header.
pub(crate) struct UserBox {
    pub(crate) name: String,
    pub(crate) role: &'static str,
    pub(crate) is_staff: bool,
    pub(crate) is_admin: bool,
}

impl Layout {
    /// A page for a signed-in person.
    pub(crate) fn new(title: impl Into<String>, actor: &Actor, csrf: &str, section: &'static str) -> Layout {
        Layout {
            title: title.into(),
            user: Some(UserBox {
                name: actor.name.clone(),
                role: role_label(actor.primary_role()),
                is_staff: actor.is_staff(),
                is_admin: actor.is_admin(),
            }),
            csrf: csrf.to_owned(),
            flash: None,
            section,
            css: crate::assets::css_url(),
            js: crate::assets::js_url(),
        }
    }

    /// A page without a signed-in person (sign-in, errors).
    pub(crate) fn bare(title: &str) -> Layout {
        Layout {
            title: title.to_owned(),
            user: None,
            csrf: String::new(),
            flash: None,
            section: "",
            css: crate::assets::css_url(),
            js: crate::assets::js_url(),
        }
    }

    pub(crate) fn with_flash(mut self, flash: Option<Flash>) -> Layout {
        if flash.is_some() {
            self.flash = flash;
        }
        self
    }
}

/// The page as an HTML response with `status`.
pub(crate) fn render(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(html) => {
            HttpResponse::build(status).insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8")).body(html)
        }
        Err(error) => {
            tracing::error!(%error, "a page template failed to render");
            HttpResponse::InternalServerError()
                .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
                .body("<!doctype html><title>Error</title><p>Something went wrong on our side.</p>")
        }
    }
}

/// A 200 page.
pub(crate) fn ok_page(page: &impl Template) -> HttpResponse {
    render(StatusCode::OK, page)
}

/// 303 to `location` (after a POST, and for role-based redirects).
pub(crate) fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location.to_owned())).finish()
}

/// One `<option>` of a `<select>`.
pub(crate) struct Opt {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) selected: bool,
}

impl Opt {
    pub(crate) fn new(value: impl Into<String>, label: impl Into<String>, current: &str) -> Opt {
        let value = value.into();
        let selected = value == current;
        Opt { value, label: label.into(), selected }
    }
}

pub(crate) fn role_label(role: Role) -> &'static str {
    match role {
        Role::ClientAdmin => "Admin",
        Role::ClientUser => "Staff",
        Role::Member => "Member",
    }
}

pub(crate) fn status_label(status: Status) -> &'static str {
    match status {
        Status::Open => "Open",
        Status::InProgress => "In progress",
        Status::Waiting => "Waiting on member",
        Status::Resolved => "Resolved",
        Status::Closed => "Closed",
    }
}

pub(crate) fn priority_label(priority: Priority) -> &'static str {
    match priority {
        Priority::Low => "Low",
        Priority::Medium => "Medium",
        Priority::High => "High",
    }
}

pub(crate) fn sla_label(state: SlaState) -> &'static str {
    match state {
        SlaState::Pending => "On track",
        SlaState::AtRisk => "At risk",
        SlaState::Met => "Met",
        SlaState::Breached => "Breached",
    }
}

/// `25 Nov 2026, 13:42 UTC`.
pub(crate) fn when(at: DateTime<Utc>) -> String {
    at.format("%-d %b %Y, %H:%M UTC").to_string()
}

/// The machine-readable form for `<time datetime>`.
pub(crate) fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A time as the templates show it: `<time datetime="{{iso}}">{{text}}</time>`.
pub(crate) struct Time {
    pub(crate) iso: String,
    pub(crate) text: String,
}

impl From<DateTime<Utc>> for Time {
    fn from(at: DateTime<Utc>) -> Time {
        Time { iso: iso(at), text: when(at) }
    }
}

/// `1.2 MB`, `340 KB`, `12 bytes` (binary multiples, as the limits are set: 10 MiB is "10 MB").
pub(crate) fn file_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    match bytes {
        0..KB => format!("{bytes} bytes"),
        KB..MB => format!("{} KB", bytes / KB),
        _ => {
            let mb = bytes as f64 / MB as f64;
            if mb.fract() == 0.0 { format!("{mb:.0} MB") } else { format!("{mb:.1} MB") }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(file_size(12), "12 bytes");
        assert_eq!(file_size(340 * 1024 + 500), "340 KB");
        assert_eq!(file_size(1_250_000), "1.2 MB");
        assert_eq!(file_size(10 * 1024 * 1024), "10 MB");
    }
}
