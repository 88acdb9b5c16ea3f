//! The AI summary panel of the staff ticket page (issue 8's summaries): the newest stored
//! version in collapsible sections, when it was made and by what, the version history with
//! what changed, Refresh, Copy (script), and "Summary unavailable — Retry" when the service is
//! down. Showing the page never calls the AI service: it reads the stored versions; only
//! Refresh makes a new one.

use crate::WebState;
use crate::error::PageError;
use crate::forms::parse_id;
use crate::pages::ticket::{Compose, staff_page};
use crate::session::{Flash, SignedIn, set_flash};
use crate::view::{Time, render, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use memberdesk_domain::ai::GeneratedBy;
use memberdesk_domain::ai_ports::{SummaryBody, SummaryKind};
use memberdesk_domain::usecases::{SummaryOutcome, SummaryView};
use memberdesk_domain::{Actor, Desk, DeskError, TicketId};
use serde::Deserialize;

/// One version in the history, with what changed from the one before it.
struct VersionView {
    version: i64,
    time: Time,
    changes: Vec<String>,
}

#[derive(Template)]
#[template(path = "summary_panel.html")]
pub(crate) struct SummaryPanel {
    ticket_id: String,
    csrf: String,
    /// The newest version, if any was made.
    current: Option<Current>,
    history: Vec<VersionView>,
    /// The last Refresh failed: the service is down or answered nonsense.
    unavailable: bool,
}

struct Current {
    version: i64,
    summary: String,
    key_points: Vec<String>,
    suggested_actions: Vec<String>,
    sentiment: &'static str,
    updated: Time,
    by: &'static str,
    stale: bool,
}

fn ticket_body(view: &SummaryView) -> Option<&memberdesk_domain::ai::TicketSummary> {
    match &view.stored.body {
        SummaryBody::Ticket(summary) => Some(summary),
        SummaryBody::Conversation(_) => None,
    }
}

/// What changed between two versions, in words: points added and dropped, a new mood.
fn changes(newer: &memberdesk_domain::ai::TicketSummary, older: &memberdesk_domain::ai::TicketSummary) -> Vec<String> {
    let mut changes: Vec<String> = newer
        .key_points
        .iter()
        .filter(|p| !older.key_points.contains(p))
        .map(|p| format!("Added: {p}"))
        .chain(older.key_points.iter().filter(|p| !newer.key_points.contains(p)).map(|p| format!("Dropped: {p}")))
        .collect();
    if newer.sentiment != older.sentiment {
        changes.push(format!("Sentiment: {} → {}", older.sentiment.as_str(), newer.sentiment.as_str()));
    }
    if changes.is_empty() && newer.summary != older.summary {
        changes.push("Reworded summary".into());
    }
    if changes.is_empty() {
        changes.push("No change".into());
    }
    changes
}

/// The panel from the stored versions (newest first), without calling the AI service.
pub(crate) async fn panel(
    desk: &Desk,
    actor: &Actor,
    id: TicketId,
    csrf: &str,
    unavailable: bool,
) -> Result<SummaryPanel, DeskError> {
    let versions = desk.summary_history(actor, id, SummaryKind::Ticket).await?;
    let bodies: Vec<(&SummaryView, &memberdesk_domain::ai::TicketSummary)> =
        versions.iter().filter_map(|v| ticket_body(v).map(|b| (v, b))).collect();
    let current = bodies.first().map(|(view, body)| Current {
        version: view.stored.version,
        summary: body.summary.clone(),
        key_points: body.key_points.clone(),
        suggested_actions: body.suggested_actions.clone(),
        sentiment: body.sentiment.as_str(),
        updated: body.generated_at.into(),
        by: match body.generated_by {
            GeneratedBy::Ai => "the AI service",
            GeneratedBy::Builtin => "the built-in summariser",
        },
        stale: view.stale,
    });
    let history = bodies
        .iter()
        .enumerate()
        .map(|(index, (view, body))| VersionView {
            version: view.stored.version,
            time: body.generated_at.into(),
            changes: match bodies.get(index + 1) {
                Some((_, older)) => changes(body, older),
                None => vec!["First version".into()],
            },
        })
        .collect();
    Ok(SummaryPanel { ticket_id: id.to_string(), csrf: csrf.to_owned(), current, history, unavailable })
}

#[derive(Deserialize)]
pub(crate) struct RefreshForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

/// Does the request come from `app.js`, wanting only the panel back?
fn wants_fragment(req: &HttpRequest) -> bool {
    req.headers().get("x-requested-with").and_then(|v| v.to_str().ok()) == Some("memberdesk")
}

/// `POST /ui/tickets/{id}/summary/refresh`: a new version (Refresh and Retry). Script gets the
/// panel back; without script, the ticket page.
pub(crate) async fn refresh(
    who: SignedIn,
    state: web::Data<WebState>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<RefreshForm>,
) -> Result<HttpResponse, PageError> {
    crate::csrf::check(&who.session, Some(&form.csrf))?;
    let id: TicketId = parse_id(&id)?;
    if !who.actor.is_staff() {
        return Err(PageError::NotFound);
    }
    let unavailable = match state.desk.refresh_summary(&who.actor, id, SummaryKind::Ticket).await? {
        SummaryOutcome::Ready(_) => false,
        SummaryOutcome::Unavailable { failure, .. } => {
            tracing::warn!(%failure, ticket = %id, "summary refresh failed");
            true
        }
    };
    if wants_fragment(&req) {
        let panel = panel(&state.desk, &who.actor, id, &who.csrf, unavailable).await?;
        let status = if unavailable { StatusCode::SERVICE_UNAVAILABLE } else { StatusCode::OK };
        return Ok(render(status, &panel));
    }
    if unavailable {
        let compose = Compose { summary_unavailable: true, ..Compose::default() };
        return staff_page(&state, &who, id, compose).await;
    }
    set_flash(&who.session, Flash::success("Summary refreshed."));
    Ok(see_other(&format!("/ui/tickets/{id}#summary-panel")))
}
