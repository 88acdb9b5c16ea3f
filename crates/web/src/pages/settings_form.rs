//! What the settings pages (canned responses, SLA, assignment, AI, CRM) share: the form as
//! sent (repeated names such as checkbox lists kept), and a refused save turned into messages
//! beside the page's fields.
//!
//! The domain names a bad field by its API path (`targets.high.firstResponseMinutes`,
//! `calendar.hours.monday[1]`, `rules[0].pool`); each page says which of its inputs shows a
//! path, so every message lands beside the control that holds the value.

use crate::error::{PageError, desk_problem, ui_message};
use crate::session::SignedIn;
use actix_web::http::StatusCode;
use memberdesk_domain::DeskError;
use serde::Deserialize;
use std::collections::BTreeMap;

/// An urlencoded form with its repeated names (`categories=a&categories=b`).
#[derive(Deserialize)]
#[serde(transparent)]
pub(crate) struct FormData(Vec<(String, String)>);

impl FormData {
    /// The first value of `name`, or "".
    pub(crate) fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str())
    }

    /// Every non-empty value of `name`, in order.
    pub(crate) fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(n, v)| n == name && !v.trim().is_empty()).map(|(_, v)| v.clone()).collect()
    }

    /// Was a field of this name sent at all?
    pub(crate) fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| n == name)
    }

    /// Was a checkbox of this name ticked?
    pub(crate) fn checked(&self, name: &str) -> bool {
        self.has(name)
    }

    /// First thing on every settings POST: refuses (403) unless the form carries the session's
    /// CSRF token and the sender is an admin.
    pub(crate) fn check_admin_post(&self, who: &SignedIn) -> Result<(), PageError> {
        let token = self.0.iter().find(|(n, _)| n == "_csrf").map(|(_, v)| v.as_str());
        crate::csrf::check(&who.session, token)?;
        super::categories::require_admin(who)
    }
}

/// Messages by the page's field name.
#[derive(Debug, Default, Clone)]
pub(crate) struct Errors(BTreeMap<String, String>);

impl Errors {
    pub(crate) fn get(&self, field: &str) -> Option<&String> {
        self.0.get(field)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds a message; a second one for the same field is appended to the first.
    pub(crate) fn add(&mut self, field: &str, message: &str) {
        self.0
            .entry(field.to_owned())
            .and_modify(|m| {
                m.push_str("; ");
                m.push_str(message);
            })
            .or_insert_with(|| message.to_owned());
    }
}

/// A refused save: the status to answer with and the messages by field. Only a validation or
/// conflict refusal is shown on the form; anything else (forbidden, not found, a failing store)
/// is the error page. `field_of` maps a domain path to the page's field; a path it does not
/// know (and a refusal that names no field) goes to `fallback`.
pub(crate) fn refusal(
    error: DeskError,
    field_of: impl Fn(&str) -> Option<String>,
    fallback: &str,
) -> Result<(StatusCode, Errors), PageError> {
    if !matches!(error, DeskError::Validation(_) | DeskError::Conflict(_)) {
        return Err(error.into());
    }
    let problem = desk_problem(&error);
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    let mut errors = Errors::default();
    for (path, message) in problem.errors.unwrap_or_default() {
        match field_of(&path) {
            Some(field) => errors.add(&field, &message),
            // Named, so the reader knows which part of the setting is meant.
            None => errors.add(fallback, &format!("{path}: {message}")),
        }
    }
    if errors.is_empty() {
        errors.add(fallback, &ui_message(&error));
    }
    Ok((status, errors))
}

/// The flash of a refused save.
pub(crate) const NOT_SAVED: &str = "Nothing was saved; see the messages beside the fields.";

/// "a, b, c" or one per line → the non-empty items, trimmed.
pub(crate) fn items(text: &str, separators: &[char]) -> Vec<String> {
    text.split(|c: char| separators.contains(&c) || c == '\n')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use memberdesk_domain::validation::FieldErrors;

    #[test]
    fn paths_land_on_fields_and_unknown_ones_on_the_fallback() {
        let mut domain = FieldErrors::new();
        domain.add("targets.high.firstResponseMinutes", "must be positive");
        domain.add("calendar.timeZone", "is not a time zone");
        let field_of = |path: &str| path.starts_with("targets.").then(|| "high-first".to_owned());
        let Ok((status, errors)) = refusal(DeskError::Validation(domain), field_of, "general") else {
            panic!("a validation error is shown on the form")
        };
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(errors.get("high-first").map(String::as_str), Some("must be positive"));
        assert!(errors.get("general").is_some_and(|m| m.contains("calendar.timeZone")));
        assert!(refusal(DeskError::NotFound("agent"), field_of, "general").is_err());
    }

    #[test]
    fn lists_split_on_commas_and_lines() {
        assert_eq!(items(" refund, invoice\n\nlate ,", &[',']), vec!["refund", "invoice", "late"]);
    }
}
