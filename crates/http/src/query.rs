//! The queue's query string. `status` and `priority` may repeat (`?status=open&status=waiting`)
//! or be comma-separated, which `web::Query` cannot express, so the string is read here into
//! the domain's [`RawTicketQuery`]; the domain validates the values.

use memberdesk_domain::FieldErrors;
use memberdesk_domain::query::RawTicketQuery;

/// Reads the query string. Unknown parameters are ignored (so that cache-busters and the like do
/// no harm); a single-valued parameter given twice is a 422.
pub(crate) fn parse_ticket_query(query_string: &str) -> Result<RawTicketQuery, FieldErrors> {
    let mut raw = RawTicketQuery::default();
    let mut errors = FieldErrors::new();
    for (key, value) in form_urlencoded::parse(query_string.as_bytes()) {
        let value = value.into_owned();
        if value.contains('\0') && is_known(&key) {
            errors.add(&key, "must not contain NUL characters");
            continue;
        }
        let slot = match key.as_ref() {
            "status" => {
                raw.status.push(value);
                continue;
            }
            "priority" => {
                raw.priority.push(value);
                continue;
            }
            "slaState" => {
                raw.sla_state.push(value);
                continue;
            }
            "categoryId" => &mut raw.category_id,
            "assigneeId" => &mut raw.assignee_id,
            "createdFrom" => &mut raw.created_from,
            "createdTo" => &mut raw.created_to,
            "q" => &mut raw.q,
            "sort" => &mut raw.sort,
            "limit" => &mut raw.limit,
            "cursor" => &mut raw.cursor,
            "escalated" => &mut raw.escalated,
            _ => continue,
        };
        if slot.is_some() {
            errors.add(&key, "may be given only once");
        } else {
            *slot = Some(value);
        }
    }
    errors.into_result()?;
    Ok(raw)
}

fn is_known(key: &str) -> bool {
    matches!(
        key,
        "status"
            | "priority"
            | "categoryId"
            | "assigneeId"
            | "createdFrom"
            | "createdTo"
            | "q"
            | "sort"
            | "limit"
            | "cursor"
            | "slaState"
            | "escalated"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use memberdesk_domain::Status;
    use memberdesk_domain::query::TicketQuery;

    #[test]
    fn status_repeats_and_everything_else_is_read() {
        let raw = parse_ticket_query(
            "status=open&status=waiting,in_progress&priority=high&categoryId=0190a0a0-0000-7000-8000-000000000000\
             &assigneeId=unassigned&createdFrom=2026-01-01&createdTo=2026-01-31&q=login%20fails&sort=-updatedAt\
             &limit=10&cursor=abc&_=12345",
        )
        .unwrap_or_default();
        assert_eq!(raw.status, vec!["open", "waiting,in_progress"]);
        assert_eq!(raw.priority, vec!["high"]);
        assert_eq!(raw.assignee_id.as_deref(), Some("unassigned"));
        assert_eq!(raw.q.as_deref(), Some("login fails"));
        assert_eq!(raw.limit.as_deref(), Some("10"));
        assert_eq!(raw.cursor.as_deref(), Some("abc"));
        let parsed = TicketQuery::parse(&RawTicketQuery { cursor: None, ..raw }).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed.filter.statuses, vec![Status::Open, Status::Waiting, Status::InProgress]);
    }

    #[test]
    fn plus_and_percent_decode() {
        let raw = parse_ticket_query("q=a+b%2Bc&status=").unwrap_or_default();
        assert_eq!(raw.q.as_deref(), Some("a b+c"));
        assert_eq!(raw.status, vec![""]);
    }

    #[test]
    fn single_valued_parameters_may_not_repeat() {
        let errors = parse_ticket_query("limit=1&limit=2&sort=priority").err().unwrap_or_default();
        assert_eq!(errors.get("limit"), Some("may be given only once"));
    }

    #[test]
    fn nul_characters_are_refused() {
        let errors = parse_ticket_query("q=a%00b&assigneeId=%00&other=%00").err().unwrap_or_default();
        assert_eq!(errors.get("q"), Some("must not contain NUL characters"));
        assert!(errors.get("assigneeId").is_some());
        assert!(errors.get("other").is_none());
    }

    #[test]
    fn garbage_never_fails_to_parse() {
        for q in ["%", "%zz=%%", "&&&=", "status=%ff%fe", "=x"] {
            assert!(parse_ticket_query(q).is_ok(), "{q}");
        }
    }
}
