//! The member portal: one's own tickets (`/ui/portal`), raising a ticket (`/ui/portal/new`),
//! and a ticket's conversation with reply and close (`/ui/portal/tickets/{id}`). The desk only
//! ever gives a member their own tickets and never an internal note; staff are sent to the
//! console.

use crate::WebState;
use crate::error::{PageError, field_errors, ui_message};
use crate::forms::{new_submission, parse_id, submission_key};
use crate::pages::queue::status_class;
use crate::pages::ticket::{Compose, MessageView, conversation};
use crate::session::{Flash, SignedIn, set_flash, take_flash};
use crate::view::{Layout, Opt, Time, file_size, ok_page, render, see_other, status_label};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use memberdesk_domain::query::RawTicketQuery;
use memberdesk_domain::ticket::Status;
use memberdesk_domain::usecases::CreateTicketInput;
use memberdesk_domain::{DeskError, TicketId};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

struct TicketRow {
    id: String,
    reference: String,
    subject: String,
    status: &'static str,
    status_class: &'static str,
    category: String,
    updated: Time,
}

#[derive(Template)]
#[template(path = "portal_list.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<TicketRow>,
    next: Option<String>,
    first: bool,
}

#[derive(Deserialize)]
pub(crate) struct ListParams {
    #[serde(default)]
    cursor: String,
}

/// `GET /ui/portal`.
pub(crate) async fn list(
    who: SignedIn,
    state: web::Data<WebState>,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, PageError> {
    let actor = &who.actor;
    if actor.is_staff() {
        return Ok(see_other("/ui/"));
    }
    let cursor = Some(params.cursor.trim().to_owned()).filter(|c| !c.is_empty());
    let raw = RawTicketQuery { cursor: cursor.clone(), ..RawTicketQuery::default() };
    let (tickets, categories) =
        futures::join!(state.desk.list_tickets(actor, &raw), state.desk.list_categories(actor, false));
    let tickets = tickets?;
    // Archived categories are not listed for members: such a ticket shows no category name.
    let names: HashMap<String, String> =
        categories?.into_iter().map(|c| (c.id.to_string(), c.name.as_str().to_owned())).collect();
    let rows = tickets
        .items
        .iter()
        .map(|t| TicketRow {
            id: t.id.to_string(),
            reference: t.reference(),
            subject: t.subject.as_str().to_owned(),
            status: status_label(t.status),
            status_class: status_class(t.status),
            category: t.category_id.and_then(|c| names.get(&c.to_string()).cloned()).unwrap_or_else(|| "—".into()),
            updated: t.updated_at.into(),
        })
        .collect();
    let next = tickets.next_cursor.map(|c| {
        format!("/ui/portal?{}", form_urlencoded::Serializer::new(String::new()).append_pair("cursor", &c).finish())
    });
    let page = ListPage {
        layout: Layout::new("My tickets", actor, &who.csrf, "portal").with_flash(take_flash(&who.session)),
        rows,
        next,
        first: cursor.is_none(),
    };
    Ok(ok_page(&page))
}

#[derive(Template)]
#[template(path = "portal_new.html")]
struct NewPage {
    layout: Layout,
    subject: String,
    description: String,
    categories: Vec<Opt>,
    errors: BTreeMap<String, String>,
    submission: String,
}

impl NewPage {
    fn error(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct NewTicketForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    submission: String,
}

async fn new_page(
    state: &WebState,
    who: &SignedIn,
    form: &NewTicketForm,
    errors: BTreeMap<String, String>,
) -> Result<NewPage, PageError> {
    let categories = state.desk.list_categories(&who.actor, false).await?;
    let mut options = vec![Opt::new("", "Choose a category…", &form.category)];
    options.extend(categories.iter().map(|c| Opt::new(c.id.to_string(), c.name.as_str(), &form.category)));
    Ok(NewPage {
        layout: Layout::new("New ticket", &who.actor, &who.csrf, "new-ticket").with_flash(take_flash(&who.session)),
        subject: form.subject.clone(),
        description: form.description.clone(),
        categories: options,
        errors,
        submission: if form.submission.is_empty() { new_submission() } else { form.submission.clone() },
    })
}

/// `GET /ui/portal/new`.
pub(crate) async fn new_ticket(who: SignedIn, state: web::Data<WebState>) -> Result<HttpResponse, PageError> {
    if who.actor.is_staff() {
        return Ok(see_other("/ui/"));
    }
    Ok(ok_page(&new_page(&state, &who, &NewTicketForm::default(), BTreeMap::new()).await?))
}

/// `POST /ui/portal/tickets`: raises the ticket; invalid fields come back beside the inputs.
pub(crate) async fn create(
    who: SignedIn,
    state: web::Data<WebState>,
    form: web::Form<NewTicketForm>,
) -> Result<HttpResponse, PageError> {
    crate::csrf::check(&who.session, Some(&form.csrf))?;
    let input = CreateTicketInput {
        subject: form.subject.clone(),
        description: form.description.clone(),
        category_id: Some(form.category.clone()).filter(|c| !c.trim().is_empty()),
        ..CreateTicketInput::default()
    };
    let content = format!("{}\u{1f}{}\u{1f}{}", form.subject, form.description, form.category);
    let key = submission_key(Some(&form.submission), &content);
    match state.desk.create_ticket(&who.actor, input, key).await {
        Ok(created) => {
            let ticket = created.value;
            set_flash(
                &who.session,
                Flash::success(format!("Ticket {} raised. We will get back to you soon.", ticket.reference())),
            );
            Ok(see_other(&format!("/ui/portal/tickets/{}", ticket.id)))
        }
        Err(error @ (DeskError::Validation(_) | DeskError::IdempotencyKeyReused)) => {
            let mut errors: BTreeMap<String, String> = field_errors(&error)
                .into_iter()
                .map(|(field, message)| (if field == "categoryId" { "category".to_owned() } else { field }, message))
                .collect();
            if errors.is_empty() {
                errors.insert("subject".into(), ui_message(&error));
            }
            let mut page = new_page(&state, &who, &form, errors).await?;
            page.layout.flash = Some(Flash::error("Please correct the fields marked below."));
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "portal_ticket.html")]
struct MemberTicketPage {
    layout: Layout,
    id: String,
    reference: String,
    subject: String,
    status: &'static str,
    status_class: &'static str,
    closed: bool,
    messages: Vec<MessageView>,
    compose: Compose,
    submission: String,
    max_files: usize,
    max_file_size: String,
}

/// A member's page of their ticket, with the editor as given.
pub(crate) async fn member_page(
    state: &WebState,
    who: &SignedIn,
    id: TicketId,
    compose: Compose,
) -> Result<HttpResponse, PageError> {
    let details = state.desk.get_ticket(&who.actor, id).await?;
    let ticket = &details.ticket;
    let limits = state.desk.attachment_limits();
    let code = compose.status;
    let page = MemberTicketPage {
        layout: Layout::new(
            format!("{} {}", ticket.reference(), ticket.subject.as_str()),
            &who.actor,
            &who.csrf,
            "portal",
        )
        .with_flash(take_flash(&who.session)),
        id: ticket.id.to_string(),
        reference: ticket.reference(),
        subject: ticket.subject.as_str().to_owned(),
        status: status_label(ticket.status),
        status_class: status_class(ticket.status),
        closed: ticket.status == Status::Closed,
        messages: conversation(&details),
        compose,
        submission: new_submission(),
        max_files: limits.max_files,
        max_file_size: file_size(limits.max_bytes),
    };
    Ok(render(code, &page))
}

/// `GET /ui/portal/tickets/{id}`.
pub(crate) async fn ticket(
    who: SignedIn,
    state: web::Data<WebState>,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id: TicketId = parse_id(&id)?;
    if who.actor.is_staff() {
        return Ok(see_other(&format!("/ui/tickets/{id}")));
    }
    member_page(&state, &who, id, Compose::default()).await
}
