//! The staff queue `GET /ui/`: every filter of the API's queue, counts from the queue
//! statistics (same filters), sorting, keyset pages. Four use-case calls per view: tickets,
//! statistics, categories and agents (for names and the pickers) — never one per row.

use crate::error::PageError;
use crate::session::{SignedIn, take_flash};
use crate::view::{Layout, Opt, Time, ok_page, priority_label, render, see_other, sla_label, status_label};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use memberdesk_domain::query::RawTicketQuery;
use memberdesk_domain::sla::SlaState;
use memberdesk_domain::ticket::{Priority, Status, Ticket};
use memberdesk_domain::{Category, DeskError, QueueStats};
use serde::Deserialize;
use std::collections::HashMap;

/// The queue's query string: the filter form's fields, the cursor, and the trail of earlier
/// pages' cursors (for "Previous page": keyset pages only know what comes next).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct QueueParams {
    #[serde(default)]
    status: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    assignee: String,
    #[serde(default)]
    sla_state: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    created_from: String,
    #[serde(default)]
    created_to: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    cursor: String,
    #[serde(default)]
    trail: String,
}

/// What stands for "the first page" in the trail (a real cursor is longer base64url).
const FIRST_PAGE: &str = "~";
/// "Active" in the status filter: the tickets that still need work.
const ACTIVE: &str = "open,in_progress,waiting";

impl QueueParams {
    fn raw(&self) -> RawTicketQuery {
        let some = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        RawTicketQuery {
            status: some(&self.status).into_iter().collect(),
            priority: some(&self.priority).into_iter().collect(),
            category_id: some(&self.category),
            assignee_id: some(&self.assignee),
            created_from: some(&self.created_from),
            created_to: some(&self.created_to),
            q: some(&self.q),
            sort: some(&self.sort),
            limit: None,
            cursor: some(&self.cursor),
            sla_state: some(&self.sla_state).into_iter().collect(),
            escalated: None,
        }
    }

    /// The query string of the same filters with another sort, cursor and trail.
    fn href(&self, sort: &str, cursor: &str, trail: &str) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("status", self.status.as_str()),
            ("priority", &self.priority),
            ("category", &self.category),
            ("assignee", &self.assignee),
            ("slaState", &self.sla_state),
            ("q", &self.q),
            ("createdFrom", &self.created_from),
            ("createdTo", &self.created_to),
            ("sort", sort),
            ("cursor", cursor),
            ("trail", trail),
        ] {
            if !value.trim().is_empty() {
                query.append_pair(name, value.trim());
            }
        }
        format!("/ui/?{}", query.finish())
    }

    fn next_href(&self, next: &str) -> String {
        let here = if self.cursor.is_empty() { FIRST_PAGE } else { self.cursor.as_str() };
        let trail = if self.trail.is_empty() { here.to_owned() } else { format!("{}.{here}", self.trail) };
        self.href(&self.sort, next, &trail)
    }

    fn prev_href(&self) -> Option<String> {
        if self.cursor.is_empty() {
            return None;
        }
        let (rest, previous) = match self.trail.rsplit_once('.') {
            Some((rest, previous)) => (rest, previous),
            None => ("", self.trail.as_str()),
        };
        let previous = if previous == FIRST_PAGE { "" } else { previous };
        Some(self.href(&self.sort, previous, rest))
    }
}

struct Row {
    id: String,
    reference: String,
    subject: String,
    member: String,
    status: &'static str,
    status_class: &'static str,
    priority: &'static str,
    priority_class: &'static str,
    category: String,
    assignee: String,
    sla: String,
    sla_class: &'static str,
    created: Time,
    updated: Time,
}

struct Stat {
    label: &'static str,
    value: i64,
    class: &'static str,
}

/// A sortable column header.
struct SortLink {
    label: &'static str,
    href: String,
    /// `ascending`/`descending` when the queue is sorted by this column (for `aria-sort`).
    current: &'static str,
}

#[derive(Template)]
#[template(path = "queue.html")]
struct QueuePage {
    layout: Layout,
    params: QueueParams,
    statuses: Vec<Opt>,
    priorities: Vec<Opt>,
    categories: Vec<Opt>,
    assignees: Vec<Opt>,
    sla_states: Vec<Opt>,
    sorts: Vec<Opt>,
    sort_links: Vec<SortLink>,
    stats: Vec<Stat>,
    rows: Vec<Row>,
    total: String,
    next: Option<String>,
    prev: Option<String>,
    /// The filters could not be used (e.g. a date range the wrong way round).
    problem: Option<String>,
}

pub(crate) fn status_class(status: Status) -> &'static str {
    match status {
        Status::Open => "status-open",
        Status::InProgress => "status-in-progress",
        Status::Waiting => "status-waiting",
        Status::Resolved => "status-resolved",
        Status::Closed => "status-closed",
    }
}

pub(crate) fn priority_class(priority: Priority) -> &'static str {
    match priority {
        Priority::Low => "priority-low",
        Priority::Medium => "priority-medium",
        Priority::High => "priority-high",
    }
}

pub(crate) fn sla_class(state: SlaState) -> &'static str {
    match state {
        SlaState::Pending => "sla-pending",
        SlaState::AtRisk => "sla-at-risk",
        SlaState::Met => "sla-met",
        SlaState::Breached => "sla-breached",
    }
}

/// The state that needs attention most, of the ticket's two targets.
pub(crate) fn worst_sla(ticket: &Ticket) -> Option<SlaState> {
    let rank = |s: &SlaState| match s {
        SlaState::Met => 0,
        SlaState::Pending => 1,
        SlaState::AtRisk => 2,
        SlaState::Breached => 3,
    };
    [ticket.sla.first_response, ticket.sla.resolution].into_iter().flatten().max_by_key(rank)
}

fn row(ticket: &Ticket, categories: &HashMap<String, String>, agents: &HashMap<String, String>) -> Row {
    let (sla, sla_class_name) = match worst_sla(ticket) {
        Some(state) => {
            let due = ticket.sla.due_at.map(|at| format!(" · due {}", crate::view::when(at))).unwrap_or_default();
            (format!("{}{due}", sla_label(state)), sla_class(state))
        }
        None => ("—".to_owned(), "sla-none"),
    };
    Row {
        id: ticket.id.to_string(),
        reference: ticket.reference(),
        subject: ticket.subject.as_str().to_owned(),
        member: ticket.member.name.clone(),
        status: status_label(ticket.status),
        status_class: status_class(ticket.status),
        priority: priority_label(ticket.priority),
        priority_class: priority_class(ticket.priority),
        category: ticket
            .category_id
            .and_then(|id| categories.get(&id.to_string()).cloned())
            .unwrap_or_else(|| "—".to_owned()),
        assignee: match &ticket.assignee_id {
            Some(id) => agents.get(id.as_str()).cloned().unwrap_or_else(|| id.as_str().to_owned()),
            None => "Unassigned".to_owned(),
        },
        sla,
        sla_class: sla_class_name,
        created: ticket.created_at.into(),
        updated: ticket.updated_at.into(),
    }
}

fn stats_cells(stats: &QueueStats) -> Vec<Stat> {
    let by = |s: Status| stats.by_status.get(&s).copied().unwrap_or(0);
    let sla = &stats.sla.overall;
    vec![
        Stat { label: "Matching", value: stats.total, class: "stat-total" },
        Stat { label: "Open", value: by(Status::Open), class: "status-open" },
        Stat { label: "In progress", value: by(Status::InProgress), class: "status-in-progress" },
        Stat { label: "Waiting", value: by(Status::Waiting), class: "status-waiting" },
        Stat { label: "Resolved", value: by(Status::Resolved), class: "status-resolved" },
        Stat { label: "Closed", value: by(Status::Closed), class: "status-closed" },
        Stat { label: "Unassigned", value: stats.unassigned, class: "stat-unassigned" },
        Stat { label: "SLA at risk", value: sla.first_response.at_risk + sla.resolution.at_risk, class: "sla-at-risk" },
        Stat {
            label: "SLA breached",
            value: sla.first_response.breached + sla.resolution.breached,
            class: "sla-breached",
        },
    ]
}

fn filter_options(params: &QueueParams, categories: &[Category], agents: &[(String, String)]) -> QueuePage {
    let any = |current: &str| Opt::new("", "Any", current);
    let mut statuses =
        vec![any(&params.status), Opt::new(ACTIVE, "Active (open, in progress, waiting)", &params.status)];
    statuses.extend(Status::ALL.map(|s| Opt::new(s.as_str(), status_label(s), &params.status)));
    let mut priorities = vec![any(&params.priority)];
    priorities.extend(Priority::ALL.iter().rev().map(|p| Opt::new(p.as_str(), priority_label(*p), &params.priority)));
    let mut category_opts = vec![any(&params.category)];
    category_opts.extend(categories.iter().map(|c| {
        let label = if c.archived { format!("{} (archived)", c.name.as_str()) } else { c.name.as_str().to_owned() };
        Opt::new(c.id.to_string(), label, &params.category)
    }));
    let mut assignees = vec![any(&params.assignee), Opt::new("unassigned", "Unassigned", &params.assignee)];
    assignees.extend(agents.iter().map(|(id, name)| Opt::new(id.clone(), name.clone(), &params.assignee)));
    let mut sla_states = vec![any(&params.sla_state)];
    sla_states.extend(SlaState::ALL.map(|s| Opt::new(s.as_str(), sla_label(s), &params.sla_state)));
    let sort = if params.sort.is_empty() { "createdAt:desc" } else { params.sort.as_str() };
    let sorts = [
        ("createdAt:desc", "Newest first"),
        ("createdAt:asc", "Oldest first"),
        ("updatedAt:desc", "Recently updated"),
        ("priority:desc", "Highest priority"),
        ("slaDueAt:asc", "SLA due soonest"),
    ]
    .map(|(value, label)| Opt::new(value, label, sort))
    .into();
    let sort_links = [
        ("Priority", "priority", "desc"),
        ("SLA", "slaDueAt", "asc"),
        ("Created", "createdAt", "desc"),
        ("Updated", "updatedAt", "desc"),
    ]
    .map(|(label, field, default)| {
        let (current_field, current_dir) = sort.split_once(':').unwrap_or((sort, default));
        let is_current = current_field == field;
        // A second click on the current column turns its direction round.
        let dir = match (is_current, current_dir) {
            (true, "asc") => "desc",
            (true, _) => "asc",
            (false, _) => default,
        };
        SortLink {
            label,
            href: params.href(&format!("{field}:{dir}"), "", ""),
            current: match (is_current, current_dir) {
                (true, "asc") => "ascending",
                (true, _) => "descending",
                _ => "",
            },
        }
    })
    .into();
    QueuePage {
        layout: Layout::bare(""),
        params: params.clone(),
        statuses,
        priorities,
        categories: category_opts,
        assignees,
        sla_states,
        sorts,
        sort_links,
        stats: Vec::new(),
        rows: Vec::new(),
        total: String::new(),
        next: None,
        prev: None,
        problem: None,
    }
}

/// `GET /ui/`.
pub(crate) async fn page(
    who: SignedIn,
    state: web::Data<crate::WebState>,
    params: web::Query<QueueParams>,
) -> Result<HttpResponse, PageError> {
    let actor = &who.actor;
    if !actor.is_staff() {
        return Ok(see_other("/ui/portal"));
    }
    let params = params.into_inner();
    let desk = &state.desk;
    let raw = params.raw();
    let (tickets, stats, categories, agents) = futures::join!(
        desk.list_tickets(actor, &raw),
        desk.queue_stats(actor, &raw),
        desk.list_categories(actor, true),
        desk.list_agents(actor),
    );
    let categories = categories?;
    let agents: Vec<(String, String)> = agents?.into_iter().map(|u| (u.id.as_str().to_owned(), u.name)).collect();
    let mut view = filter_options(&params, &categories, &agents);
    view.layout = Layout::new("Queue", actor, &who.csrf, "queue").with_flash(take_flash(&who.session));
    match (tickets, stats) {
        (Ok(tickets), Ok(stats)) => {
            let names: HashMap<String, String> =
                categories.iter().map(|c| (c.id.to_string(), c.name.as_str().to_owned())).collect();
            let agent_names: HashMap<String, String> = agents.into_iter().collect();
            view.rows = tickets.items.iter().map(|t| row(t, &names, &agent_names)).collect();
            view.total = if tickets.total_exact { tickets.total.to_string() } else { format!("{}+", tickets.total) };
            view.stats = stats_cells(&stats);
            view.next = tickets.next_cursor.as_deref().map(|next| params.next_href(next));
            view.prev = params.prev_href();
            Ok(ok_page(&view))
        }
        (Err(DeskError::Validation(errors)), _) | (_, Err(DeskError::Validation(errors))) => {
            view.problem = Some(crate::error::message(&DeskError::Validation(errors)));
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &view))
        }
        (Err(error), _) | (_, Err(error)) => Err(error.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previous_page_walks_back_the_trail() {
        let first = QueueParams { status: "open".into(), ..QueueParams::default() };
        assert_eq!(first.prev_href(), None);
        let second_href = first.next_href("AAA");
        assert_eq!(second_href, "/ui/?status=open&cursor=AAA&trail=%7E");
        let second = QueueParams { cursor: "AAA".into(), trail: FIRST_PAGE.into(), ..first.clone() };
        assert_eq!(second.prev_href().as_deref(), Some("/ui/?status=open"));
        let third = QueueParams { cursor: "BBB".into(), trail: "~.AAA".into(), ..first };
        assert_eq!(third.prev_href().as_deref(), Some("/ui/?status=open&cursor=AAA&trail=%7E"));
    }
}
