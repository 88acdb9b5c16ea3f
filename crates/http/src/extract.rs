//! The JSON body extractor: actix's `Json` does content type, size limit and syntax (see
//! [`crate::error::json_config`]); the shape is then checked field by field so that a 422 names
//! the field, and the body's canonical form is kept for idempotency fingerprints.

use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use memberdesk_domain::FieldErrors;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;

/// A JSON request body of shape `T`.
pub(crate) struct JsonBody<T> {
    pub(crate) value: T,
    /// The body re-serialized with sorted keys and no insignificant whitespace.
    pub(crate) canonical: String,
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = web::Json::<Value>::from_request(req, payload);
        Box::pin(async move {
            let json = json.await?.into_inner();
            // Serde would read a struct from an array too (fields by position): refuse that.
            if !json.is_object() {
                return Err(ApiError::validation(FieldErrors::single("body", "must be a JSON object")).into());
            }
            // No text in this API may hold NUL (PostgreSQL cannot store it): refuse it here,
            // whichever field it is in, rather than let it reach storage.
            if let Some(field) = find_nul(&json, "") {
                return Err(ApiError::validation(FieldErrors::single(&field, "must not contain NUL characters")).into());
            }
            let canonical = canonical_json(&json);
            let value = serde_path_to_error::deserialize(json).map_err(shape_error)?;
            Ok(JsonBody { value, canonical })
        })
    }
}

/// JSON of the wrong shape: 422 with the offending field (camelCase, dotted) as the key.
fn shape_error(error: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = error.path().to_string();
    let message = error.inner().to_string();
    let (field, message) = if let Some(name) = missing_field(&message) {
        (join(&path, name), "is required".to_owned())
    } else if path == "." {
        ("body".to_owned(), "must be a JSON object".to_owned())
    } else {
        (path, message)
    };
    ApiError::validation(FieldErrors::single(&field, message))
}

fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

fn join(parent: &str, name: &str) -> String {
    if parent == "." { name.to_owned() } else { format!("{parent}.{name}") }
}

/// The path (`member.name`, `items[2]`) of the first string holding a NUL character.
fn find_nul(value: &Value, path: &str) -> Option<String> {
    match value {
        Value::String(text) if text.contains('\0') => Some(if path.is_empty() { "body".into() } else { path.into() }),
        Value::Object(map) => map.iter().find_map(|(key, value)| {
            if key.contains('\0') {
                return Some(if path.is_empty() { "body".into() } else { path.into() });
            }
            find_nul(value, &if path.is_empty() { key.clone() } else { format!("{path}.{key}") })
        }),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| find_nul(item, &format!("{path}[{i}]"))),
        _ => None,
    }
}

/// A JSON value written with object keys sorted at every level, so that two bodies that mean
/// the same thing have the same bytes.
pub(crate) fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, value)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(value, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::CreateTicketRequest;

    fn parse(text: &str) -> Value {
        serde_json::from_str(text).unwrap_or(Value::Null)
    }

    #[test]
    fn canonical_form_ignores_key_order_and_whitespace() {
        let a = canonical_json(&parse(r#"{"b": [1, {"y": 2, "x": "é"}], "a": null}"#));
        let b = canonical_json(&parse(r#"{"a":null,"b":[1,{"x":"é","y":2}]}"#));
        assert_eq!(a, b);
        assert_eq!(a, r#"{"a":null,"b":[1,{"x":"é","y":2}]}"#);
        assert_ne!(a, canonical_json(&parse(r#"{"a":null,"b":[{"x":"é","y":2},1]}"#)));
    }

    fn shape(text: &str) -> Option<(String, String)> {
        let error = serde_path_to_error::deserialize::<_, CreateTicketRequest>(parse(text)).err()?;
        let problem = shape_error(error).problem();
        problem.errors?.into_iter().next()
    }

    #[test]
    fn nul_characters_are_found_wherever_they_are() {
        assert_eq!(find_nul(&parse(r#"{"member": {"name": "a\u0000b"}}"#), ""), Some("member.name".into()));
        assert_eq!(find_nul(&parse(r#"{"a": ["x", "\u0000"]}"#), ""), Some("a[1]".into()));
        assert_eq!(find_nul(&parse(r#"{"a\u0000": 1}"#), ""), Some("body".into()));
        assert_eq!(find_nul(&parse(r#"{"a": "fine", "b": [1, {"c": null}]}"#), ""), None);
    }

    #[test]
    fn shape_errors_name_the_field() {
        let (field, message) = shape(r#"{"subject": 5}"#).unwrap_or_default();
        assert_eq!(field, "subject");
        assert!(message.contains("expected a string"), "{message}");
        let (field, _) = shape(r#"{"member": {"email": true}}"#).unwrap_or_default();
        assert_eq!(field, "member.email");
        assert_eq!(shape("null"), Some(("body".into(), "must be a JSON object".into())));
        assert_eq!(shape(r#"{"member": {}}"#), None, "member fields default and are validated by the domain");
    }
}
