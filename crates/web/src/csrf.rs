//! CSRF protection: a synchronizer token per session. Every form carries it in a hidden `_csrf`
//! input (scripts read it from the page's `csrf-token` meta tag); every POST compares it with the session's before
//! anything else happens, and a mismatch is a 403 page with nothing stored. The token is made
//! anew at sign-in, so one from before sign-in is worthless after it.

use crate::error::PageError;
use actix_session::Session;

const CSRF_KEY: &str = "csrf";

fn fresh() -> String {
    // Two v4 UUIDs: 244 random bits from the operating system's generator.
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

/// The session's token, made (and stored) when the session has none yet.
pub(crate) fn token(session: &Session) -> Result<String, PageError> {
    if let Some(token) = session.get::<String>(CSRF_KEY).ok().flatten() {
        return Ok(token);
    }
    rotate(session)
}

/// Replaces the session's token with a new one.
pub(crate) fn rotate(session: &Session) -> Result<String, PageError> {
    let token = fresh();
    session.insert(CSRF_KEY, &token).map_err(|e| PageError::Internal(format!("cannot store the session: {e}")))?;
    Ok(token)
}

/// Refuses (403) unless `submitted` is the session's token.
pub(crate) fn check(session: &Session, submitted: Option<&str>) -> Result<(), PageError> {
    let expected = session.get::<String>(CSRF_KEY).ok().flatten();
    match (expected, submitted) {
        (Some(expected), Some(submitted)) if constant_time_eq(expected.as_bytes(), submitted.as_bytes()) => Ok(()),
        _ => Err(PageError::Csrf),
    }
}

/// Compares without stopping at the first difference, so timing says nothing of the token.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_exactly() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert_ne!(fresh(), fresh());
        assert_eq!(fresh().len(), 64);
    }
}
