//! Reading a model's JSON answer: finding the object in the text, and field checks that report
//! every problem at once, so the adapter can show them to the model in its one retry
//! ([`crate::ai::prompts::retry_messages`]) and then give up.

use crate::validation::FieldErrors;
use serde_json::{Map, Value};

/// Why a model's answer was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AiAnswerError {
    /// No JSON object could be read from the answer.
    #[error("the answer is not a JSON object: {0}")]
    NotJson(String),
    /// The object does not have the asked shape.
    #[error("the answer does not have the asked shape: {0}")]
    Invalid(FieldErrors),
}

/// The JSON object of an answer. Models often wrap it in a Markdown fence or a sentence; the
/// text from the first `{` to the last `}` is taken.
pub(crate) fn object_of(answer: &str) -> Result<Map<String, Value>, AiAnswerError> {
    let start = answer.find('{');
    let end = answer.rfind('}');
    let (Some(start), Some(end)) = (start, end) else {
        return Err(AiAnswerError::NotJson("no `{ … }` in the answer".into()));
    };
    if end < start {
        return Err(AiAnswerError::NotJson("no `{ … }` in the answer".into()));
    }
    match serde_json::from_str::<Value>(&answer[start..=end]) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(AiAnswerError::NotJson("the answer is not an object".into())),
        Err(e) => Err(AiAnswerError::NotJson(e.to_string())),
    }
}

/// Field checks over one answer object, collecting problems.
pub(crate) struct Fields<'a> {
    map: &'a Map<String, Value>,
    pub errors: FieldErrors,
}

impl<'a> Fields<'a> {
    pub fn new(map: &'a Map<String, Value>) -> Self {
        Fields { map, errors: FieldErrors::new() }
    }

    /// A required, non-empty string of at most `max` characters (trimmed).
    pub fn text(&mut self, field: &str, max: usize) -> Option<String> {
        match self.map.get(field) {
            None | Some(Value::Null) => {
                self.errors.add(field, "is required");
                None
            }
            Some(Value::String(s)) => self.errors.check(field, bounded(s, max)),
            Some(_) => {
                self.errors.add(field, "must be a string");
                None
            }
        }
    }

    /// A list of strings: missing means empty; blank items are dropped; more than `max_items`
    /// are cut to the first ones; an item over `max_chars` characters is an error.
    pub fn texts(&mut self, field: &str, max_items: usize, max_chars: usize) -> Vec<String> {
        let items = match self.map.get(field) {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.errors.add(field, "must be a list of strings");
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::String(s) if s.trim().is_empty() => {}
                Value::String(s) => {
                    if let Some(v) = self.errors.check(&format!("{field}[{i}]"), bounded(s, max_chars)) {
                        out.push(v);
                    }
                }
                _ => self.errors.add(&format!("{field}[{i}]"), "must be a string"),
            }
        }
        out.truncate(max_items);
        out
    }

    /// A required value parsed by `parse`.
    pub fn parsed<T>(&mut self, field: &str, parse: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        match self.map.get(field) {
            Some(Value::String(s)) => self.errors.check(field, parse(s)),
            None | Some(Value::Null) => {
                self.errors.add(field, "is required");
                None
            }
            Some(_) => {
                self.errors.add(field, "must be a string");
                None
            }
        }
    }

    /// A required number in `0..=1`.
    pub fn unit(&mut self, field: &str) -> Option<f64> {
        match self.map.get(field).and_then(Value::as_f64) {
            Some(v) if (0.0..=1.0).contains(&v) => Some(v),
            Some(_) => {
                self.errors.add(field, "must be a number from 0 to 1");
                None
            }
            None => {
                self.errors.add(field, "is required and must be a number from 0 to 1");
                None
            }
        }
    }

    /// The raw value of a field.
    pub fn raw(&self, field: &str) -> Option<&'a Value> {
        self.map.get(field)
    }

    pub fn finish<T>(self, value: Option<T>) -> Result<T, AiAnswerError> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ => Err(AiAnswerError::Invalid(self.errors)),
        }
    }
}

fn bounded(value: &str, max: usize) -> Result<String, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err("must not be empty".into());
    }
    if trimmed.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_object_is_found_inside_fences_and_prose() {
        assert!(object_of("```json\n{\"a\": 1}\n```").is_ok());
        assert!(object_of("Sure! Here it is: {\"a\": {\"b\": 2}} Hope it helps.").is_ok());
        assert!(matches!(object_of("no json"), Err(AiAnswerError::NotJson(_))));
        assert!(matches!(object_of("} {"), Err(AiAnswerError::NotJson(_))));
        assert!(matches!(object_of("{\"a\": }"), Err(AiAnswerError::NotJson(_))));
        assert!(object_of("[{\"a\": 1}]").is_ok(), "the inner object of a list is taken");
    }

    #[test]
    fn field_checks_collect_every_problem() {
        let map = object_of(r#"{"s": "  ", "n": 2, "l": ["ok", "", 3, "toolong"]}"#).unwrap_or_default();
        let mut f = Fields::new(&map);
        assert_eq!(f.text("s", 10), None);
        assert_eq!(f.text("missing", 10), None);
        assert_eq!(f.unit("n"), None);
        assert_eq!(f.texts("l", 5, 4), vec!["ok".to_owned()]);
        let errors = f.errors;
        assert_eq!(errors.get("s"), Some("must not be empty"));
        assert_eq!(errors.get("missing"), Some("is required"));
        assert_eq!(errors.get("n"), Some("must be a number from 0 to 1"));
        assert_eq!(errors.get("l[2]"), Some("must be a string"));
        assert_eq!(errors.get("l[3]"), Some("must be at most 4 characters"));
        assert_eq!(errors.get("l[1]"), None, "blank items are dropped");
    }
}
