//! What the ticket pages' forms do: post a reply or note (with files), insert a canned
//! response, change status, assign, change priority; and the attachment download. Each POST
//! checks the CSRF token first; refusals the person can act on come back as messages on the
//! page (the typed reply kept), others as an error page with the right status.

use crate::WebState;
use crate::error::{PageError, ui_message};
use crate::forms::{parse_id, read_reply_form};
use crate::pages::ticket::{Compose, staff_page};
use crate::session::{Flash, SignedIn, set_flash};
use crate::view::{priority_label, see_other, status_label};
use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use memberdesk_domain::ticket::Status;
use memberdesk_domain::usecases::{NewResponseInput, TicketPatchInput};
use memberdesk_domain::{Actor, AttachmentId, CannedResponseId, DeskError, TicketId};
use serde::Deserialize;

/// The page of a ticket for this reader.
pub(crate) fn ticket_url(actor: &Actor, id: TicketId) -> String {
    if actor.is_staff() { format!("/ui/tickets/{id}") } else { format!("/ui/portal/tickets/{id}") }
}

/// The ticket page again, with the editor as given (staff console or portal).
async fn show_again(
    state: &WebState,
    who: &SignedIn,
    id: TicketId,
    compose: Compose,
) -> Result<HttpResponse, PageError> {
    if who.actor.is_staff() {
        staff_page(state, who, id, compose).await
    } else {
        crate::pages::portal::member_page(state, who, id, compose).await
    }
}

/// A refusal the person can act on (fix the text, choose another status, reload), as opposed
/// to a page that should not be there at all (403, 404) or a failure of ours (5xx).
fn is_correctable(error: &DeskError) -> bool {
    matches!(
        error,
        DeskError::Validation(_)
            | DeskError::Conflict(_)
            | DeskError::InvalidTransition { .. }
            | DeskError::TicketClosed
            | DeskError::StaleVersion { .. }
            | DeskError::Contended
            | DeskError::AttachmentTooLarge { .. }
            | DeskError::IdempotencyKeyReused
    )
}

fn status_of(error: &DeskError) -> StatusCode {
    StatusCode::from_u16(crate::error::desk_problem(error).status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY)
}

/// `POST /ui/tickets/{id}/responses` (multipart): a reply or, for staff, an internal note.
pub(crate) async fn respond(
    who: SignedIn,
    state: web::Data<WebState>,
    req: HttpRequest,
    id: web::Path<String>,
    payload: Multipart,
) -> Result<HttpResponse, PageError> {
    let id: TicketId = parse_id(&id)?;
    let form = match read_reply_form(&req, payload, &who.session, state.desk.attachment_limits()).await {
        Ok(form) => form,
        Err(PageError::Api(error)) => {
            // The upload itself was refused (too large, too many files): say so on the page.
            let problem = error.problem();
            let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::BAD_REQUEST);
            let compose = Compose::refused(String::new(), problem.detail, status);
            return show_again(&state, &who, id, compose).await;
        }
        Err(other) => return Err(other),
    };
    // A draft's text sent as an internal note is not the draft's use (and the desk refuses a
    // note with a draftId): the id only goes with a reply.
    let draft_id = form.draft_id.clone().filter(|_| form.kind.as_deref() != Some("note"));
    let input = NewResponseInput { kind: form.kind.clone(), body: form.body.clone(), draft_id };
    let actor = &who.actor;
    match state.desk.add_response_with_attachments(actor, id, input, form.files, form.idempotency).await {
        Ok(created) => {
            let text = match created.value.kind {
                memberdesk_domain::ResponseKind::Note => "Internal note added.",
                memberdesk_domain::ResponseKind::Reply if actor.is_staff() => "Reply sent to the member.",
                memberdesk_domain::ResponseKind::Reply => "Your reply has been sent.",
            };
            set_flash(&who.session, Flash::success(text));
            Ok(see_other(&format!("{}#conversation", ticket_url(actor, id))))
        }
        Err(error) if is_correctable(&error) => {
            let compose = Compose::refused(form.body, ui_message(&error), status_of(&error));
            show_again(&state, &who, id, compose).await
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /ui/tickets/{id}/canned` (the reply form's "Insert" without script): the page again,
/// the chosen canned response filled in for this ticket and added to the text. Nothing is
/// stored or sent.
pub(crate) async fn insert_canned(
    who: SignedIn,
    state: web::Data<WebState>,
    req: HttpRequest,
    id: web::Path<String>,
    payload: Multipart,
) -> Result<HttpResponse, PageError> {
    let id: TicketId = parse_id(&id)?;
    if !who.actor.is_staff() {
        return Err(PageError::NotFound);
    }
    let form = read_reply_form(&req, payload, &who.session, state.desk.attachment_limits()).await?;
    let Some(canned) = form.canned.as_deref() else {
        let compose =
            Compose::refused(form.body, "Choose a canned response to insert.".into(), StatusCode::UNPROCESSABLE_ENTITY);
        return staff_page(&state, &who, id, compose).await;
    };
    let canned: CannedResponseId = parse_id(canned)?;
    let text = state.desk.render_canned_response(&who.actor, id, canned).await?;
    let body = if form.body.trim().is_empty() { text } else { format!("{}\n\n{text}", form.body.trim_end()) };
    staff_page(&state, &who, id, Compose { body, ..Compose::default() }).await
}

/// `GET /ui/tickets/{id}/canned/{canned}`: the canned response filled in for the ticket, as
/// plain text, for `app.js` to insert at the cursor (staff only).
pub(crate) async fn rendered_canned(
    who: SignedIn,
    state: web::Data<WebState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, canned) = path.into_inner();
    let (id, canned): (TicketId, CannedResponseId) = (parse_id(&id)?, parse_id(&canned)?);
    if !who.actor.is_staff() {
        return Err(PageError::NotFound);
    }
    let text = state.desk.render_canned_response(&who.actor, id, canned).await?;
    Ok(HttpResponse::Ok().insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8")).body(text))
}

#[derive(Deserialize)]
pub(crate) struct ChangeForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    assignee: String,
    #[serde(default)]
    priority: String,
    /// The ticket's version when the page was shown: a change made meanwhile is not overwritten.
    #[serde(default)]
    version: String,
}

impl ChangeForm {
    fn version(&self) -> Option<i64> {
        self.version.trim().parse().ok()
    }
}

/// Flash and back to the ticket for what the person can act on; an error page otherwise.
fn after_change<T>(
    who: &SignedIn,
    id: TicketId,
    result: Result<T, DeskError>,
    done: impl FnOnce(T) -> String,
) -> Result<HttpResponse, PageError> {
    match result {
        Ok(value) => set_flash(&who.session, Flash::success(done(value))),
        Err(error) if is_correctable(&error) => set_flash(&who.session, Flash::error(ui_message(&error))),
        Err(error) => return Err(error.into()),
    }
    Ok(see_other(&ticket_url(&who.actor, id)))
}

/// `POST /ui/tickets/{id}/status` (staff's status form, a member's "Close ticket").
pub(crate) async fn change_status(
    who: SignedIn,
    state: web::Data<WebState>,
    id: web::Path<String>,
    form: web::Form<ChangeForm>,
) -> Result<HttpResponse, PageError> {
    crate::csrf::check(&who.session, Some(&form.csrf))?;
    let id: TicketId = parse_id(&id)?;
    let result = state.desk.change_status(&who.actor, id, &form.status, form.version()).await;
    after_change(&who, id, result, |ticket| match ticket.status {
        Status::Closed if !who.actor.is_staff() => "Your ticket is closed. Thank you!".to_owned(),
        status => format!("Status changed to {}.", status_label(status)),
    })
}

/// `POST /ui/tickets/{id}/assign` (admins; the desk refuses anyone else).
pub(crate) async fn assign(
    who: SignedIn,
    state: web::Data<WebState>,
    id: web::Path<String>,
    form: web::Form<ChangeForm>,
) -> Result<HttpResponse, PageError> {
    crate::csrf::check(&who.session, Some(&form.csrf))?;
    let id: TicketId = parse_id(&id)?;
    let assignee = Some(form.assignee.trim()).filter(|a| !a.is_empty());
    let result = state.desk.assign_ticket(&who.actor, id, assignee, form.version()).await;
    after_change(&who, id, result, |ticket| match ticket.assignee_id {
        Some(_) => "Ticket assigned.".to_owned(),
        None => "Ticket unassigned.".to_owned(),
    })
}

/// `POST /ui/tickets/{id}/priority` (admins; the desk refuses anyone else).
pub(crate) async fn priority(
    who: SignedIn,
    state: web::Data<WebState>,
    id: web::Path<String>,
    form: web::Form<ChangeForm>,
) -> Result<HttpResponse, PageError> {
    crate::csrf::check(&who.session, Some(&form.csrf))?;
    let id: TicketId = parse_id(&id)?;
    let patch = TicketPatchInput { priority: Some(form.priority.clone()), ..TicketPatchInput::default() };
    let result = state.desk.update_ticket(&who.actor, id, patch, form.version()).await;
    after_change(&who, id, result, |ticket| format!("Priority set to {}.", priority_label(ticket.priority)))
}

/// `GET /ui/attachments/{id}`: the file, for whoever may read its response (the same rules and
/// headers as the API's download).
pub(crate) async fn download(
    who: SignedIn,
    state: web::Data<WebState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id: AttachmentId = parse_id(&id)?;
    let download = state.desk.download_attachment(&who.actor, id).await?;
    Ok(memberdesk_http::routes::attachments::download_response(&req, download))
}
