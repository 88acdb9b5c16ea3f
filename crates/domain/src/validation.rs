//! Field-level validation errors, reported together (422 with `errors`: field → message).

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// Trimmed one-line text of 1 to `max_chars` characters: names, titles, subjects.
pub fn single_line(value: &str, max_chars: usize) -> Result<String, String> {
    let trimmed = bounded(value, max_chars)?;
    if trimmed.chars().any(char::is_control) {
        return Err("must be a single line without control characters".into());
    }
    Ok(trimmed.to_owned())
}

/// Trimmed free text of 1 to `max_chars` characters (line breaks allowed, NUL not): ticket
/// descriptions, replies, template bodies.
pub fn text_block(value: &str, max_chars: usize) -> Result<String, String> {
    let trimmed = bounded(value, max_chars)?;
    if trimmed.contains('\0') {
        return Err("must not contain NUL characters".into());
    }
    Ok(trimmed.to_owned())
}

fn bounded(value: &str, max_chars: usize) -> Result<&str, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err("must not be empty".into());
    }
    if trimmed.chars().count() > max_chars {
        return Err(format!("must be at most {max_chars} characters"));
    }
    Ok(trimmed)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }
    /// Records the first problem found for a field; later ones for the same field are kept out
    /// so the message a person reads stays one sentence.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.entry(field.to_owned()).or_insert_with(|| message.into());
    }
    /// Takes the error of a parse result into `field`, returning the value when there is one.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter()
    }
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }
    /// `Ok(())` when nothing was recorded.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        f.write_str(&parts.join("; "))
    }
}
