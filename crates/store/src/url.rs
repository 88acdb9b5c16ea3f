//! Which backend a database URL names, and how to talk about it without leaking a password.

use crate::StoreSetupError;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// The URL as given, and `host:port` for messages.
    Postgres {
        url: String,
        address: String,
    },
    Sqlite {
        path: PathBuf,
    },
}

pub(crate) const ACCEPTED: &str =
    "postgres://…, postgresql://…, sqlite://PATH, sqlite:PATH or a file path ending in .db";

pub(crate) fn parse(url: &str) -> Result<Target, StoreSetupError> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        return Ok(Target::Postgres { url: url.to_owned(), address: pg_address(url) });
    }
    let path = if let Some(rest) = strip_prefix_ci(url, "sqlite://") {
        rest
    } else if let Some(rest) = strip_prefix_ci(url, "sqlite:") {
        rest
    } else if !url.contains("://") && lower.ends_with(".db") {
        url
    } else {
        let scheme = url.split_once("://").map(|(scheme, _)| scheme).or_else(|| url.split_once(':').map(|(s, _)| s));
        return Err(StoreSetupError::UnsupportedUrl {
            what: match scheme {
                Some(scheme) if !scheme.is_empty() && !scheme.contains(['/', '\\', '@']) => {
                    format!("scheme `{scheme}`")
                }
                _ => "a path that does not end in .db".to_owned(),
            },
        });
    };
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() {
        return Err(StoreSetupError::UnsupportedUrl { what: "an empty SQLite path".to_owned() });
    }
    if path == ":memory:" || path.contains("mode=memory") {
        return Err(StoreSetupError::UnsupportedUrl {
            what: "an in-memory SQLite database (the pool needs a file)".to_owned(),
        });
    }
    Ok(Target::Sqlite { path: PathBuf::from(path) })
}

fn strip_prefix_ci<'a>(value: &'a str, prefix: &str) -> Option<&'a str> {
    let head = value.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &value[prefix.len()..])
}

/// `host:port` of a PostgreSQL URL (port 5432 when not given); never the user or password.
pub(crate) fn pg_address(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let host_port = if host_port.is_empty() { "localhost" } else { host_port };
    let has_port = match host_port.rsplit_once(':') {
        // `[::1]:5432` has a port; `[::1]` does not.
        Some((_, port)) => !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()),
        None => false,
    };
    if has_port { host_port.to_owned() } else { format!("{host_port}:5432") }
}

/// The password of a URL, if it has one (`scheme://user:password@host…`).
fn password(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next()?;
    let userinfo = authority.rsplit_once('@')?.0;
    userinfo.split_once(':').map(|(_, password)| password).filter(|p| !p.is_empty())
}

/// `message` on one line, with the URL's password (if any) blanked out.
pub(crate) fn redact(message: &str, url: &str) -> String {
    let mut message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(password) = password(url) {
        message = message.replace(password, "***");
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_urls_select_postgres_and_keep_only_host_and_port() {
        let target = parse("postgres://app:s3cret@db.internal:6543/desk?sslmode=disable");
        assert_eq!(
            target.ok(),
            Some(Target::Postgres {
                url: "postgres://app:s3cret@db.internal:6543/desk?sslmode=disable".into(),
                address: "db.internal:6543".into()
            })
        );
        assert_eq!(pg_address("postgresql://localhost/desk"), "localhost:5432");
        assert_eq!(pg_address("postgres://u@[::1]/desk"), "[::1]:5432");
    }

    #[test]
    fn sqlite_spellings() {
        let path = |url: &str| match parse(url) {
            Ok(Target::Sqlite { path }) => path.to_string_lossy().into_owned(),
            other => panic!("{url}: {other:?}"),
        };
        assert_eq!(path("sqlite:///var/lib/desk.db"), "/var/lib/desk.db");
        assert_eq!(path("sqlite://data/desk.sqlite"), "data/desk.sqlite");
        assert_eq!(path("sqlite:desk.db"), "desk.db");
        assert_eq!(path("./data/desk.db"), "./data/desk.db");
    }

    #[test]
    fn unknown_schemes_are_named_without_the_rest_of_the_url() {
        let message = parse("mysql://root:hunter2@db/desk").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("`mysql`"), "{message}");
        assert!(message.contains("postgres://"), "{message}");
        assert!(!message.contains("hunter2"), "{message}");
        assert!(parse("desk.sqlite3").is_err());
        assert!(parse("sqlite::memory:").is_err());
    }

    #[test]
    fn passwords_never_reach_messages() {
        let url = "postgres://app:s3cret@db:5432/desk";
        assert_eq!(redact("failed for app:s3cret\nagain", url), "failed for app:*** again");
    }
}
