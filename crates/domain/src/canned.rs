//! Canned responses (response templates): text staff start a reply from, with placeholders
//! (see [`crate::template`]) filled in for the ticket at hand.
//!
//! A canned response is either **shared** (client-wide, managed by admins) or **personal**
//! (owned by one staff user, who alone sees and manages it).

use crate::ids::{CannedResponseId, CategoryId, ClientId, UserId};
use crate::template;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A title: one line, 1–120 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CannedTitle(String);

impl CannedTitle {
    pub const MAX_CHARS: usize = 120;

    pub fn new(value: &str) -> Result<CannedTitle, String> {
        crate::validation::single_line(value, Self::MAX_CHARS).map(CannedTitle)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A body: 1–20 000 characters after trimming, and a valid template (every placeholder known,
/// every `{{` closed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CannedBody(String);

impl CannedBody {
    /// Leaves room for the filled-in values within a reply's 50 000 characters.
    pub const MAX_CHARS: usize = 20_000;

    pub fn new(value: &str) -> Result<CannedBody, String> {
        let body = crate::validation::text_block(value, Self::MAX_CHARS)?;
        template::validate(&body).map_err(|e| e.to_string())?;
        Ok(CannedBody(body))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A canned response of one client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedResponse {
    pub id: CannedResponseId,
    pub client_id: ClientId,
    /// `None`: shared with all the client's staff. `Some`: the staff user's personal one.
    pub owner_id: Option<UserId>,
    pub title: CannedTitle,
    pub body: CannedBody,
    pub category_id: Option<CategoryId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl CannedResponse {
    pub fn is_shared(&self) -> bool {
        self.owner_id.is_none()
    }
}

/// Which canned responses a staff user's list holds: the shared ones and their own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CannedFilter {
    /// Only those of this category.
    pub category_id: Option<CategoryId>,
    /// Case-insensitive text in the title or body (taken literally: `%` and `_` are not
    /// wildcards).
    pub text: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_bodies_are_validated() {
        assert_eq!(CannedTitle::new("  Welcome ").map(|t| t.as_str().to_owned()), Ok("Welcome".to_owned()));
        assert!(CannedTitle::new(" ").is_err());
        assert!(CannedTitle::new(&"t".repeat(121)).is_err());
        assert!(CannedBody::new("Hi {{member.firstName}},\n\nThanks!").is_ok());
        assert!(CannedBody::new("\n").is_err());
        assert!(CannedBody::new(&"b".repeat(20_001)).is_err());
        let unknown = CannedBody::new("Hi {{member.nickname}}").err().unwrap_or_default();
        assert!(unknown.contains("`{{member.nickname}}`"), "{unknown}");
        assert!(CannedBody::new("Hi {{member.name").is_err());
    }
}
