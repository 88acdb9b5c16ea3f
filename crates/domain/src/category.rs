//! Ticket categories: the client's controlled list used by the member-facing picker, queue
//! filters, routing and reporting.
//!
//! A name is unique per client, compared trimmed and case-insensitively ([`CategoryName::key`]).
//! Categories are never deleted: archiving hides one from the member-facing list and from new
//! tickets, while every ticket keeps its category and staff can still filter and report by it.

use crate::ids::{CategoryId, ClientId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A category's name: one line, 1–80 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CategoryName(String);

impl CategoryName {
    pub const MAX_CHARS: usize = 80;

    pub fn new(value: &str) -> Result<CategoryName, String> {
        crate::validation::single_line(value, Self::MAX_CHARS).map(CategoryName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What uniqueness is decided on: the trimmed name in lower case ("Billing", " billing "
    /// and "BILLING" are the same category).
    pub fn key(&self) -> String {
        name_key(&self.0)
    }
}

/// The comparison key of a name as typed (trimmed, lower case).
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// An optional description: at most 500 characters after trimming; blank means none.
pub fn parse_description(value: &str) -> Result<Option<String>, String> {
    const MAX_CHARS: usize = 500;
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.chars().count() > MAX_CHARS {
        return Err(format!("must be at most {MAX_CHARS} characters"));
    }
    Ok(Some(trimmed.to_owned()))
}

/// A ticket category of one client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: CategoryId,
    pub client_id: ClientId,
    pub name: CategoryName,
    pub description: Option<String>,
    /// Position in the picker, smallest first (ties by name).
    pub sort_order: i32,
    /// Hidden from members and from new tickets; existing tickets keep it.
    pub archived: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Sorts categories as every list shows them: by `sort_order`, then name, then id.
pub fn sort_for_display(categories: &mut [Category]) {
    categories.sort_by_key(|c| (c.sort_order, c.name.key(), c.id));
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(CategoryName::new("  Billing ").map(|n| n.as_str().to_owned()), Ok("Billing".to_owned()));
        assert_eq!(CategoryName::new("   "), Err("must not be empty".to_owned()));
        assert_eq!(CategoryName::new(""), Err("must not be empty".to_owned()));
        assert!(CategoryName::new(&"x".repeat(80)).is_ok());
        assert_eq!(CategoryName::new(&"x".repeat(81)), Err("must be at most 80 characters".to_owned()));
        assert!(CategoryName::new(&"é".repeat(80)).is_ok(), "characters, not bytes");
        assert!(CategoryName::new("Bill\ning").is_err());
    }

    #[test]
    fn names_compare_case_insensitively() {
        let key = |s: &str| CategoryName::new(s).map(|n| n.key()).unwrap_or_default();
        assert_eq!(key("Billing"), key(" BILLING  "));
        assert_eq!(key("Boats & Equipment"), "boats & equipment");
        assert_ne!(key("Billing"), key("Billings"));
        assert_eq!(key("ÉVÉNEMENTS"), key("événements"));
    }

    #[test]
    fn descriptions_are_optional_and_bounded() {
        assert_eq!(parse_description("  "), Ok(None));
        assert_eq!(parse_description(" Fees "), Ok(Some("Fees".to_owned())));
        assert!(parse_description(&"x".repeat(501)).is_err());
    }

    proptest! {
        /// Whatever surrounds a valid name, the name and its key ignore the whitespace.
        #[test]
        fn surrounding_whitespace_never_matters(name in "[A-Za-z][A-Za-z &]{0,40}[A-Za-z]", left in " {0,5}", right in "[ \t]{0,5}") {
            let plain = CategoryName::new(&name);
            let padded = CategoryName::new(&format!("{left}{name}{right}"));
            prop_assert_eq!(&plain, &padded);
            prop_assert_eq!(plain.map(|n| n.key()), Ok(name.to_lowercase()));
        }

        /// A name is accepted exactly when its trimmed form has 1–80 characters (no controls).
        #[test]
        fn length_rule(name in "[a-z ]{0,100}") {
            let chars = name.trim().chars().count();
            prop_assert_eq!(CategoryName::new(&name).is_ok(), (1..=80).contains(&chars));
        }
    }
}
