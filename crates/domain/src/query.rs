//! The queue: filters, sorting and keyset pagination over a client's tickets, and the
//! statistics the queue shows. Raw query-string values are parsed here so that every caller
//! gets the same validation and the same messages.

use crate::ids::{CategoryId, UserId};
use crate::sla::SlaState;
use crate::ticket::{Priority, Status, Ticket};
use crate::validation::FieldErrors;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const DEFAULT_LIMIT: u32 = 25;
pub const MAX_LIMIT: u32 = 100;
pub const MAX_QUERY_CHARS: usize = 200;
/// Totals are counted exactly up to this many tickets; beyond it the page says "10 000 or
/// more" (`total_exact: false`). Counting every match of a broad filter over a million tickets
/// costs a full scan per page view, while a capped count costs a few milliseconds.
pub const TOTAL_COUNT_CAP: i64 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssigneeFilter {
    Unassigned,
    Agent(UserId),
}

/// Which tickets. Empty lists mean "any". `member_id` is set by the use case for members.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketFilter {
    pub statuses: Vec<Status>,
    pub priorities: Vec<Priority>,
    pub category_id: Option<CategoryId>,
    pub assignee: Option<AssigneeFilter>,
    /// Inclusive lower bound on `createdAt`.
    pub created_from: Option<DateTime<Utc>>,
    /// Exclusive upper bound on `createdAt` (a date `createdTo=2026-01-31` includes that day).
    pub created_to: Option<DateTime<Utc>>,
    /// Lower-cased text searched in subject and description.
    pub text: Option<String>,
    pub member_id: Option<UserId>,
    /// Tickets whose first-response or resolution state (as last evaluated) is one of these.
    pub sla_states: Vec<SlaState>,
    /// Tickets flagged as escalated (`true`) or not (`false`).
    pub escalated: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SortField {
    CreatedAt,
    UpdatedAt,
    Priority,
    /// The earliest due time of a ticket's running SLA targets; tickets without one last.
    SlaDueAt,
}

/// The sort key of a ticket with no running SLA target: after every real due time.
pub fn sla_due_sort_key(due_at: Option<DateTime<Utc>>) -> DateTime<Utc> {
    due_at.unwrap_or_else(no_sla_due)
}

/// 9999-12-31T00:00:00Z: stands for "no due time" where a sortable value is needed.
pub fn no_sla_due() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX).and_time(NaiveTime::MIN).and_utc()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortDirection {
    Asc,
    Desc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sort {
    pub field: SortField,
    pub direction: SortDirection,
}

impl Default for Sort {
    /// Newest first.
    fn default() -> Self {
        Sort { field: SortField::CreatedAt, direction: SortDirection::Desc }
    }
}

impl Sort {
    /// `createdAt`, `-createdAt`, `createdAt:desc`, `priority:asc`, … .
    pub fn parse(value: &str) -> Result<Sort, String> {
        let value = value.trim();
        let (name, direction) = if let Some(rest) = value.strip_prefix('-') {
            (rest, Some(SortDirection::Desc))
        } else if let Some((name, dir)) = value.split_once(':') {
            let direction = match dir {
                "asc" => SortDirection::Asc,
                "desc" => SortDirection::Desc,
                other => return Err(format!("unknown direction `{other}`; allowed: asc, desc")),
            };
            (name, Some(direction))
        } else {
            (value, None)
        };
        let field = match name {
            "createdAt" => SortField::CreatedAt,
            "updatedAt" => SortField::UpdatedAt,
            "priority" => SortField::Priority,
            "slaDueAt" => SortField::SlaDueAt,
            other => {
                return Err(format!(
                    "unknown sort `{other}`; allowed: createdAt, updatedAt, priority, slaDueAt, each optionally with :asc or :desc"
                ));
            }
        };
        // Without a direction, time sorts newest first and priority highest first; due times
        // soonest first.
        let default = if field == SortField::SlaDueAt { SortDirection::Asc } else { SortDirection::Desc };
        Ok(Sort { field, direction: direction.unwrap_or(default) })
    }

    /// The value of this sort's key for a ticket, as the cursor carries it.
    pub fn key_of(&self, ticket: &Ticket) -> i64 {
        match self.field {
            SortField::CreatedAt => ticket.created_at.timestamp_micros(),
            SortField::UpdatedAt => ticket.updated_at.timestamp_micros(),
            SortField::Priority => i64::from(ticket.priority.rank()),
            SortField::SlaDueAt => sla_due_sort_key(ticket.sla.due_at).timestamp_micros(),
        }
    }
}

/// Where the next page starts: the sort key and id of the last ticket returned. Opaque to
/// clients (base64url JSON); bound to the sort it was made for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub sort: Sort,
    pub key: i64,
    pub id: crate::ids::TicketId,
}

impl Cursor {
    pub fn after(sort: Sort, ticket: &Ticket) -> Cursor {
        Cursor { sort, key: sort.key_of(ticket), id: ticket.id }
    }

    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    pub fn decode(value: &str, sort: Sort) -> Result<Cursor, String> {
        let invalid = || "is not a cursor this API returned".to_owned();
        let bytes = URL_SAFE_NO_PAD.decode(value.trim()).map_err(|_| invalid())?;
        let cursor: Cursor = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
        if cursor.sort != sort {
            return Err("belongs to a different sort order; start again without a cursor".into());
        }
        Ok(cursor)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
    /// How many tickets match the filters in all, counted up to [`TOTAL_COUNT_CAP`].
    pub total: i64,
    /// False when the count stopped at the cap: at least `total` tickets match.
    pub total_exact: bool,
}

/// The queue's query string as received; everything optional and unparsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawTicketQuery {
    pub status: Vec<String>,
    pub priority: Vec<String>,
    pub category_id: Option<String>,
    pub assignee_id: Option<String>,
    pub created_from: Option<String>,
    pub created_to: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
    /// `pending`, `at_risk`, `met`, `breached`; may repeat or be comma-separated.
    pub sla_state: Vec<String>,
    /// `true` or `false`.
    pub escalated: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketQuery {
    pub filter: TicketFilter,
    pub sort: Sort,
    pub cursor: Option<Cursor>,
    pub limit: u32,
}

impl TicketQuery {
    pub fn parse(raw: &RawTicketQuery) -> Result<TicketQuery, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut filter = TicketFilter::default();
        for value in raw.status.iter().flat_map(|v| v.split(',')).filter(|v| !v.is_empty()) {
            if let Some(status) = errors.check("status", Status::parse(value.trim()))
                && !filter.statuses.contains(&status)
            {
                filter.statuses.push(status);
            }
        }
        for value in raw.priority.iter().flat_map(|v| v.split(',')).filter(|v| !v.is_empty()) {
            if let Some(priority) = errors.check("priority", Priority::parse(value.trim()))
                && !filter.priorities.contains(&priority)
            {
                filter.priorities.push(priority);
            }
        }
        if let Some(value) = non_empty(&raw.category_id) {
            filter.category_id = errors.check("categoryId", value.parse().map_err(|_| "must be a UUID".to_owned()));
        }
        if let Some(value) = non_empty(&raw.assignee_id) {
            filter.assignee = Some(if value == "unassigned" {
                AssigneeFilter::Unassigned
            } else {
                AssigneeFilter::Agent(UserId::new(value))
            });
        }
        if let Some(value) = non_empty(&raw.created_from) {
            filter.created_from = errors.check("createdFrom", parse_instant(value, false));
        }
        if let Some(value) = non_empty(&raw.created_to) {
            filter.created_to = errors.check("createdTo", parse_instant(value, true));
        }
        if let (Some(from), Some(to)) = (filter.created_from, filter.created_to)
            && from >= to
        {
            errors.add("createdTo", "must be after createdFrom");
        }
        if let Some(value) = non_empty(&raw.q) {
            if value.chars().count() > MAX_QUERY_CHARS {
                errors.add("q", format!("must be at most {MAX_QUERY_CHARS} characters"));
            } else {
                filter.text = Some(value.to_lowercase());
            }
        }
        for value in raw.sla_state.iter().flat_map(|v| v.split(',')).filter(|v| !v.is_empty()) {
            if let Some(state) = errors.check("slaState", SlaState::parse(value.trim()))
                && !filter.sla_states.contains(&state)
            {
                filter.sla_states.push(state);
            }
        }
        if let Some(value) = non_empty(&raw.escalated) {
            filter.escalated = errors.check(
                "escalated",
                match value {
                    "true" => Ok(true),
                    "false" => Ok(false),
                    _ => Err("must be true or false".to_owned()),
                },
            );
        }
        let sort = match non_empty(&raw.sort) {
            Some(value) => errors.check("sort", Sort::parse(value)).unwrap_or_default(),
            None => Sort::default(),
        };
        let limit = match non_empty(&raw.limit) {
            Some(value) => errors
                .check(
                    "limit",
                    value
                        .parse::<u32>()
                        .ok()
                        .filter(|n| (1..=MAX_LIMIT).contains(n))
                        .ok_or_else(|| format!("must be a whole number from 1 to {MAX_LIMIT}")),
                )
                .unwrap_or(DEFAULT_LIMIT),
            None => DEFAULT_LIMIT,
        };
        let cursor = non_empty(&raw.cursor).and_then(|value| errors.check("cursor", Cursor::decode(value, sort)));
        errors.into_result()?;
        Ok(TicketQuery { filter, sort, cursor, limit })
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// An RFC 3339 instant, or a calendar date (UTC). As an upper bound a date means "up to the end
/// of that day". Public: every period parameter of the API reads its bounds with it.
pub fn parse_instant(value: &str, end_of_day: bool) -> Result<DateTime<Utc>, String> {
    if let Ok(at) = DateTime::parse_from_rfc3339(value) {
        return Ok(at.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| "must be a date (2026-01-31) or an RFC 3339 time (2026-01-31T09:00:00Z)".to_owned())?;
    let date = if end_of_day { date.succ_opt().ok_or("is out of range")? } else { date };
    Ok(date.and_time(NaiveTime::MIN).and_utc())
}

/// Count of one group in the queue statistics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupCount<K> {
    pub key: K,
    pub count: i64,
}

/// Mean, median and 90th percentile of a duration, in seconds, over the tickets that have it.
/// Percentiles interpolate between the two nearest values (PostgreSQL's `percentile_cont`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DurationStats {
    pub count: i64,
    pub mean_seconds: Option<f64>,
    pub median_seconds: Option<f64>,
    #[serde(default)]
    pub p90_seconds: Option<f64>,
}

/// The `p` percentile (0–1) of sorted values, interpolated like `percentile_cont`.
pub fn percentile_cont(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let position = p.clamp(0.0, 1.0) * last as f64;
    let (low, high) = (position.floor() as usize, position.ceil() as usize);
    let (a, b) = (sorted[low.min(last)], sorted[high.min(last)]);
    Some(a + (b - a) * (position - low as f64))
}

impl DurationStats {
    /// From raw durations in seconds (any order).
    pub fn from_seconds(mut values: Vec<f64>) -> DurationStats {
        if values.is_empty() {
            return DurationStats::default();
        }
        values.sort_by(f64::total_cmp);
        let n = values.len();
        let mean = values.iter().sum::<f64>() / n as f64;
        let median = if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 };
        DurationStats {
            count: n as i64,
            mean_seconds: Some(mean),
            median_seconds: Some(median),
            p90_seconds: percentile_cont(&values, 0.9),
        }
    }
}

/// Queue statistics over the tickets a filter selects.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueStats {
    pub total: i64,
    pub by_status: BTreeMap<Status, i64>,
    pub by_priority: BTreeMap<Priority, i64>,
    /// `key: null` counts tickets without a category.
    pub by_category: Vec<GroupCount<Option<CategoryId>>>,
    /// `key: null` counts unassigned tickets.
    pub by_assignee: Vec<GroupCount<Option<UserId>>>,
    /// Active (open, in progress, waiting) tickets with no assignee.
    pub unassigned: i64,
    /// Creation time of the oldest ticket still `open`.
    pub oldest_open_created_at: Option<DateTime<Utc>>,
    /// Its age in seconds at the time of the request.
    pub oldest_open_age_seconds: Option<i64>,
    /// From creation to the first public staff reply.
    pub first_response: DurationStats,
    /// From creation to resolution.
    pub resolution: DurationStats,
    /// SLA figures (tickets with an SLA only), filled in by the use case.
    #[serde(default)]
    pub sla: crate::sla::SlaReport,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawTicketQuery {
        RawTicketQuery::default()
    }

    #[test]
    fn empty_query_is_newest_first_with_default_limit() {
        let q = TicketQuery::parse(&raw()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(q.sort, Sort::default());
        assert_eq!(q.limit, DEFAULT_LIMIT);
        assert_eq!(q.filter, TicketFilter::default());
    }

    #[test]
    fn bad_values_are_reported_per_field() {
        let q = RawTicketQuery {
            status: vec!["open".into(), "pending".into()],
            priority: vec!["urgent".into()],
            limit: Some("500".into()),
            created_from: Some("yesterday".into()),
            cursor: Some("!!".into()),
            ..raw()
        };
        let errors = TicketQuery::parse(&q).err().unwrap_or_default();
        for field in ["status", "priority", "limit", "createdFrom", "cursor"] {
            assert!(errors.get(field).is_some(), "{field} missing in {errors}");
        }
        assert!(errors.get("status").unwrap_or_default().contains("in_progress"));
    }

    #[test]
    fn statuses_may_repeat_or_be_comma_separated() {
        let q = RawTicketQuery { status: vec!["open,waiting".into(), "open".into()], ..raw() };
        let parsed = TicketQuery::parse(&q).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed.filter.statuses, vec![Status::Open, Status::Waiting]);
    }

    #[test]
    fn a_date_as_upper_bound_includes_the_whole_day() {
        let q =
            RawTicketQuery { created_from: Some("2026-01-01".into()), created_to: Some("2026-01-31".into()), ..raw() };
        let parsed = TicketQuery::parse(&q).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed.filter.created_to.map(|t| t.to_rfc3339()), Some("2026-02-01T00:00:00+00:00".into()));
    }

    #[test]
    fn cursor_round_trips_and_is_bound_to_its_sort() {
        let sort = Sort { field: SortField::Priority, direction: SortDirection::Asc };
        let cursor = Cursor { sort, key: 2, id: crate::ids::TicketId::new() };
        assert_eq!(Cursor::decode(&cursor.encode(), sort), Ok(cursor.clone()));
        assert!(Cursor::decode(&cursor.encode(), Sort::default()).is_err());
    }

    #[test]
    fn sort_spellings() {
        assert_eq!(Sort::parse("-updatedAt").map(|s| s.direction), Ok(SortDirection::Desc));
        assert_eq!(Sort::parse("priority:asc").map(|s| s.field), Ok(SortField::Priority));
        assert!(Sort::parse("subject").is_err());
    }

    #[test]
    fn median_and_mean() {
        let stats = DurationStats::from_seconds(vec![30.0, 10.0, 20.0, 40.0]);
        assert_eq!(stats.median_seconds, Some(25.0));
        assert_eq!(stats.mean_seconds, Some(25.0));
        assert_eq!(DurationStats::from_seconds(vec![]).count, 0);
        // percentile_cont(0.9) of 10, 20, 30, 40: position 2.7 → 30 + 0.7 × 10.
        assert!(stats.p90_seconds.is_some_and(|p| (p - 37.0).abs() < 1e-9));
        assert_eq!(percentile_cont(&[5.0], 0.9), Some(5.0));
        assert_eq!(percentile_cont(&[], 0.9), None);
    }

    #[test]
    fn sla_filters_and_sort() {
        let q = RawTicketQuery {
            sla_state: vec!["at_risk,breached".into()],
            escalated: Some("true".into()),
            sort: Some("slaDueAt".into()),
            ..raw()
        };
        let parsed = TicketQuery::parse(&q).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed.filter.sla_states, vec![SlaState::AtRisk, SlaState::Breached]);
        assert_eq!(parsed.filter.escalated, Some(true));
        assert_eq!(parsed.sort, Sort { field: SortField::SlaDueAt, direction: SortDirection::Asc });
        let bad = RawTicketQuery { sla_state: vec!["late".into()], escalated: Some("yes".into()), ..raw() };
        let errors = TicketQuery::parse(&bad).err().unwrap_or_default();
        assert!(errors.get("slaState").is_some_and(|m| m.contains("at_risk")), "{errors}");
        assert!(errors.get("escalated").is_some());
    }
}
