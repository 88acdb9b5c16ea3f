//! The staff ticket page `GET /ui/tickets/{id}`: the conversation (replies and internal notes
//! told apart), the reply / note editor with files and canned responses, status, assignment and
//! priority (the last two for admins only), SLA and history. Members are sent to the portal's
//! page of the same ticket.

use crate::WebState;
use crate::error::PageError;
use crate::forms::{new_submission, parse_id};
use crate::pages::queue::{priority_class, sla_class, status_class};
use crate::session::{SignedIn, take_flash};
use crate::view::{Layout, Opt, Time, file_size, priority_label, render, see_other, sla_label, status_label};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use memberdesk_domain::sla::TargetStatus;
use memberdesk_domain::ticket::{Priority, Ticket};
use memberdesk_domain::usecases::TicketDetails;
use memberdesk_domain::{Change, ResponseKind, TicketEvent, TicketId, workflow};
use std::collections::HashMap;

/// One message of the conversation (the ticket's description first).
pub(crate) struct MessageView {
    /// `reply`, `note`, or `original` (the description the ticket was raised with).
    pub(crate) kind: &'static str,
    pub(crate) kind_label: &'static str,
    /// `from-staff` or `from-member`.
    pub(crate) from: &'static str,
    pub(crate) author: String,
    pub(crate) role: &'static str,
    pub(crate) time: Time,
    pub(crate) body: String,
    pub(crate) attachments: Vec<AttachmentView>,
}

pub(crate) struct AttachmentView {
    pub(crate) id: String,
    pub(crate) filename: String,
    pub(crate) size: String,
}

/// The conversation as the reader may see it: `details` holds no notes for a member.
pub(crate) fn conversation(details: &TicketDetails) -> Vec<MessageView> {
    let ticket = &details.ticket;
    let mut messages = vec![MessageView {
        kind: "original",
        kind_label: "Request",
        from: "from-member",
        author: ticket.member.name.clone(),
        role: "Member",
        time: ticket.created_at.into(),
        body: ticket.description.as_str().to_owned(),
        attachments: Vec::new(),
    }];
    messages.extend(details.responses.iter().map(|r| {
        let staff = r.by_staff();
        MessageView {
            kind: r.kind.as_str(),
            kind_label: match r.kind {
                ResponseKind::Reply => "Reply",
                ResponseKind::Note => "Internal note",
            },
            from: if staff { "from-staff" } else { "from-member" },
            author: r.author.name.clone(),
            role: crate::view::role_label(r.author.role),
            time: r.created_at.into(),
            body: r.body.clone(),
            attachments: r
                .attachments
                .iter()
                .map(|a| AttachmentView { id: a.id.to_string(), filename: a.filename.clone(), size: file_size(a.size) })
                .collect(),
        }
    }));
    messages
}

/// The reply editor's content when the page is shown again (kept after a refusal, or with a
/// canned response inserted without script).
#[derive(Default)]
pub(crate) struct Compose {
    pub(crate) body: String,
    pub(crate) error: Option<String>,
    /// The page's status: 200, or the refusal's (409 closed, 413 too large, 422 invalid…).
    pub(crate) status: StatusCode,
    /// The summary service just failed a Refresh: the panel offers Retry.
    pub(crate) summary_unavailable: bool,
}

impl Compose {
    /// The editor with what was typed and why it was not sent.
    pub(crate) fn refused(body: String, error: String, status: StatusCode) -> Compose {
        Compose { body, error: Some(error), status, summary_unavailable: false }
    }
}

struct SlaTargetView {
    name: &'static str,
    state: &'static str,
    state_class: &'static str,
    due: Time,
    completed: Option<Time>,
    paused: bool,
}

struct HistoryView {
    time: Time,
    text: String,
}

#[derive(Template)]
#[template(path = "ticket.html")]
struct TicketPage {
    layout: Layout,
    id: String,
    reference: String,
    subject: String,
    status: &'static str,
    status_class: &'static str,
    priority: &'static str,
    priority_class: &'static str,
    assignee: String,
    category: String,
    member: String,
    member_email: String,
    created: Time,
    version: i64,
    messages: Vec<MessageView>,
    next_statuses: Vec<Opt>,
    is_admin: bool,
    assignees: Vec<Opt>,
    priorities: Vec<Opt>,
    canned: Vec<Opt>,
    compose: Compose,
    submission: String,
    sla: Vec<SlaTargetView>,
    escalated: bool,
    history: Vec<HistoryView>,
    /// The rendered (and escaped) summary panel.
    summary_panel: String,
    /// The rendered draft button and its options (`pages::draft`).
    draft_tools: String,
    max_files: usize,
    max_file_size: String,
}

fn target_view(name: &'static str, target: &TargetStatus) -> SlaTargetView {
    SlaTargetView {
        name,
        state: sla_label(target.state),
        state_class: sla_class(target.state),
        due: target.due_at.into(),
        completed: target.completed_at.map(Time::from),
        paused: target.paused,
    }
}

fn describe(
    change: &Change,
    names: &dyn Fn(Option<&str>) -> String,
    category: &dyn Fn(Option<String>) -> String,
) -> String {
    match change {
        Change::Created { .. } => "raised the ticket".into(),
        Change::Replied { .. } => "replied".into(),
        Change::NoteAdded { .. } => "added an internal note".into(),
        Change::StatusChanged { from, to } => {
            format!("changed the status from {} to {}", status_label(*from), status_label(*to))
        }
        Change::PriorityChanged { from, to } => {
            format!("changed the priority from {} to {}", priority_label(*from), priority_label(*to))
        }
        Change::CategoryChanged { from, to } => format!(
            "changed the category from {} to {}",
            category(from.map(|c| c.to_string())),
            category(to.map(|c| c.to_string()))
        ),
        Change::SubjectChanged { to, .. } => format!("changed the subject to “{to}”"),
        Change::DescriptionChanged { .. } => "edited the description".into(),
        Change::AssigneeChanged { to: Some(to), .. } => format!("assigned the ticket to {}", names(Some(to.as_str()))),
        Change::AssigneeChanged { to: None, .. } => "unassigned the ticket".into(),
        Change::SlaWarning { target } => {
            format!("SLA warning: the {} target is at risk", target.as_str().replace('_', " "))
        }
        Change::SlaBreached { target } => {
            format!("SLA breached: the {} target was missed", target.as_str().replace('_', " "))
        }
        Change::Escalated { target } => {
            format!("escalated the ticket (the {} target was missed)", target.as_str().replace('_', " "))
        }
    }
}

fn history_view(
    events: &[TicketEvent],
    agents: &HashMap<String, String>,
    categories: &HashMap<String, String>,
) -> Vec<HistoryView> {
    let names = |id: Option<&str>| match id {
        Some(id) => agents.get(id).cloned().unwrap_or_else(|| id.to_owned()),
        None => "nobody".to_owned(),
    };
    let category = |id: Option<String>| match id {
        Some(id) => categories.get(&id).cloned().unwrap_or(id),
        None => "none".to_owned(),
    };
    events
        .iter()
        .rev()
        .map(|e| HistoryView {
            time: e.at.into(),
            text: format!("{} {}", e.actor_name, describe(&e.change, &names, &category)),
        })
        .collect()
}

/// The staff page of a ticket, with the editor as given.
pub(crate) async fn staff_page(
    state: &WebState,
    who: &SignedIn,
    id: TicketId,
    compose: Compose,
) -> Result<HttpResponse, PageError> {
    let actor = &who.actor;
    let desk = &state.desk;
    let (details, history, categories, agents, canned, summary, draft_tools) = futures::join!(
        desk.get_ticket(actor, id),
        desk.ticket_history(actor, id),
        desk.list_categories(actor, true),
        desk.list_agents(actor),
        desk.list_canned_responses(actor, None, None),
        crate::pages::summary::panel(desk, actor, id, &who.csrf, compose.summary_unavailable),
        crate::pages::draft::tools(desk, actor),
    );
    let details = details?;
    let categories: HashMap<String, String> =
        categories?.into_iter().map(|c| (c.id.to_string(), c.name.as_str().to_owned())).collect();
    let agents: Vec<(String, String)> = agents?.into_iter().map(|u| (u.id.as_str().to_owned(), u.name)).collect();
    let agent_names: HashMap<String, String> = agents.iter().cloned().collect();
    let ticket: &Ticket = &details.ticket;
    let current_assignee = ticket.assignee_id.as_ref().map(|a| a.as_str().to_owned()).unwrap_or_default();
    let mut assignees = vec![Opt::new("", "Unassigned", &current_assignee)];
    assignees.extend(agents.iter().map(|(id, name)| Opt::new(id.clone(), name.clone(), &current_assignee)));
    let code = compose.status;
    let sla = ticket
        .sla
        .status
        .map(|s| vec![target_view("First response", &s.first_response), target_view("Resolution", &s.resolution)])
        .unwrap_or_default();
    let limits = desk.attachment_limits();
    let page = TicketPage {
        layout: Layout::new(format!("{} {}", ticket.reference(), ticket.subject.as_str()), actor, &who.csrf, "queue")
            .with_flash(take_flash(&who.session)),
        id: ticket.id.to_string(),
        reference: ticket.reference(),
        subject: ticket.subject.as_str().to_owned(),
        status: status_label(ticket.status),
        status_class: status_class(ticket.status),
        priority: priority_label(ticket.priority),
        priority_class: priority_class(ticket.priority),
        assignee: match &ticket.assignee_id {
            Some(id) => agent_names.get(id.as_str()).cloned().unwrap_or_else(|| id.as_str().to_owned()),
            None => "Unassigned".to_owned(),
        },
        category: ticket
            .category_id
            .and_then(|c| categories.get(&c.to_string()).cloned())
            .unwrap_or_else(|| "None".to_owned()),
        member: ticket.member.name.clone(),
        member_email: ticket.member.email.clone(),
        created: ticket.created_at.into(),
        version: ticket.version,
        messages: conversation(&details),
        next_statuses: workflow::allowed_next(ticket.status)
            .iter()
            .map(|s| Opt::new(s.as_str(), status_label(*s), ""))
            .collect(),
        is_admin: actor.is_admin(),
        assignees,
        priorities: Priority::ALL
            .iter()
            .rev()
            .map(|p| Opt::new(p.as_str(), priority_label(*p), ticket.priority.as_str()))
            .collect(),
        canned: canned?.into_iter().map(|c| Opt::new(c.id.to_string(), c.title.as_str(), "")).collect(),
        compose,
        submission: new_submission(),
        sla,
        escalated: ticket.sla.escalated,
        history: history_view(&history?, &agent_names, &categories),
        summary_panel: summary?.render().map_err(|e| PageError::Internal(format!("summary panel: {e}")))?,
        draft_tools: draft_tools?,
        max_files: limits.max_files,
        max_file_size: file_size(limits.max_bytes),
    };
    Ok(render(code, &page))
}

/// `GET /ui/tickets/{id}`.
pub(crate) async fn page(
    who: SignedIn,
    state: web::Data<WebState>,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id: TicketId = parse_id(&id)?;
    if !who.actor.is_staff() {
        return Ok(see_other(&format!("/ui/portal/tickets/{id}")));
    }
    staff_page(&state, &who, id, Compose::default()).await
}
