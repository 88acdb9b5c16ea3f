//! Admin: canned responses (response templates) at `/ui/admin/canned-responses`: the shared
//! ones and the admin's own personal ones, created, edited and deleted through the same use
//! cases as `/api/canned-responses`; and the client's name, which `{{client.name}}` fills in
//! (`/api/settings/client`). A body with an unknown placeholder comes back with the desk's
//! message beside it.

use super::categories::{ADMIN_PAGES, AdminLink, require_admin};
use super::settings_form::{Errors, FormData, NOT_SAVED, refusal};
use crate::WebState;
use crate::error::PageError;
use crate::forms::parse_id;
use crate::session::{Flash, SignedIn, set_flash, take_flash};
use crate::view::{Layout, Opt, ok_page, render, see_other};
use actix_web::{HttpResponse, web};
use askama::Template;
use memberdesk_domain::template::Placeholder;
use memberdesk_domain::usecases::{CannedResponseInput, CannedResponsePatch};
use memberdesk_domain::{CannedResponse, CannedResponseId, Category, DeskError};

const BACK: &str = "/ui/admin/canned-responses";

/// What a form holds: stored values, or those typed into a refused one.
struct CannedValues {
    title: String,
    body: String,
    category: String,
    shared: bool,
}

struct CannedRow {
    id: String,
    values: CannedValues,
    categories: Vec<Opt>,
    errors: Errors,
}

#[derive(Template)]
#[template(path = "admin_canned.html")]
struct CannedPage {
    layout: Layout,
    admin_pages: &'static [AdminLink],
    placeholders: Vec<String>,
    client_id: String,
    client_name: String,
    client_errors: Errors,
    new: CannedValues,
    new_categories: Vec<Opt>,
    new_errors: Errors,
    canned: Vec<CannedRow>,
}

/// Which form a refusal belongs to.
#[derive(PartialEq)]
enum Target {
    None,
    New,
    Canned(CannedResponseId),
    Client,
}

struct Retry {
    target: Target,
    values: CannedValues,
    client_name: String,
    errors: Errors,
}

impl Retry {
    fn none() -> Retry {
        Retry {
            target: Target::None,
            values: CannedValues::blank(),
            client_name: String::new(),
            errors: Errors::default(),
        }
    }
}

impl CannedValues {
    /// A new one: shared unless the admin says otherwise.
    fn blank() -> CannedValues {
        CannedValues { title: String::new(), body: String::new(), category: String::new(), shared: true }
    }

    fn of(canned: &CannedResponse) -> CannedValues {
        CannedValues {
            title: canned.title.as_str().to_owned(),
            body: canned.body.as_str().to_owned(),
            category: canned.category_id.map(|c| c.to_string()).unwrap_or_default(),
            shared: canned.is_shared(),
        }
    }

    fn from_form(form: &FormData) -> CannedValues {
        CannedValues {
            title: form.get("title").to_owned(),
            body: form.get("body").to_owned(),
            category: form.get("category").to_owned(),
            shared: form.get("visibility") != "personal",
        }
    }
}

fn category_options(categories: &[Category], current: &str) -> Vec<Opt> {
    let mut options = vec![Opt::new("", "Any category", current)];
    options.extend(categories.iter().filter(|c| !c.archived || c.id.to_string() == current).map(|c| {
        let label = if c.archived { format!("{} (archived)", c.name.as_str()) } else { c.name.as_str().to_owned() };
        Opt::new(c.id.to_string(), label, current)
    }));
    options
}

async fn page_with(state: &WebState, who: &SignedIn, retry: Retry) -> Result<CannedPage, PageError> {
    let canned = state.desk.list_canned_responses(&who.actor, None, None).await?;
    let categories = state.desk.list_categories(&who.actor, true).await?;
    let profile = state.desk.client_profile(&who.actor).await?;
    let Retry { target, values, client_name, errors } = retry;
    let mut retried = Some((values, errors));
    let mut take_if = |hit: bool| if hit { retried.take() } else { None };
    let rows = canned
        .iter()
        .map(|c| {
            let (values, errors) =
                take_if(target == Target::Canned(c.id)).unwrap_or_else(|| (CannedValues::of(c), Errors::default()));
            CannedRow {
                id: c.id.to_string(),
                categories: category_options(&categories, &values.category),
                values,
                errors,
            }
        })
        .collect();
    let (new, new_errors) =
        take_if(target == Target::New).unwrap_or_else(|| (CannedValues::blank(), Errors::default()));
    let (client_name, client_errors) = match take_if(target == Target::Client) {
        Some((_, errors)) => (client_name, errors),
        None => (profile.name.as_ref().map(|n| n.as_str().to_owned()).unwrap_or_default(), Errors::default()),
    };
    Ok(CannedPage {
        layout: Layout::new("Canned responses", &who.actor, &who.csrf, "admin-canned")
            .with_flash(take_flash(&who.session)),
        admin_pages: &ADMIN_PAGES,
        placeholders: Placeholder::ALL.iter().map(ToString::to_string).collect(),
        client_id: profile.client_id.as_str().to_owned(),
        client_name,
        client_errors,
        new_categories: category_options(&categories, &new.category),
        new,
        new_errors,
        canned: rows,
    })
}

/// `GET /ui/admin/canned-responses`.
pub(crate) async fn page(who: SignedIn, state: web::Data<WebState>) -> Result<HttpResponse, PageError> {
    require_admin(&who)?;
    Ok(ok_page(&page_with(&state, &who, Retry::none()).await?))
}

async fn refused(
    state: &WebState,
    who: &SignedIn,
    target: Target,
    form: &FormData,
    error: DeskError,
) -> Result<HttpResponse, PageError> {
    let fallback = if target == Target::Client { "client-name" } else { "body" };
    let field_of = |path: &str| match path {
        "title" | "body" => Some(path.to_owned()),
        "categoryId" => Some("category".to_owned()),
        "name" if target == Target::Client => Some("client-name".to_owned()),
        _ => None,
    };
    let (status, errors) = refusal(error, field_of, fallback)?;
    let retry =
        Retry { target, values: CannedValues::from_form(form), client_name: form.get("clientName").to_owned(), errors };
    let mut page = page_with(state, who, retry).await?;
    page.layout.flash = Some(Flash::error(NOT_SAVED));
    Ok(render(status, &page))
}

fn saved(who: &SignedIn, text: String) -> HttpResponse {
    set_flash(&who.session, Flash::success(text));
    see_other(BACK)
}

/// `POST /ui/admin/canned-responses`: a new shared or personal canned response.
pub(crate) async fn create(
    who: SignedIn,
    state: web::Data<WebState>,
    form: web::Form<FormData>,
) -> Result<HttpResponse, PageError> {
    form.check_admin_post(&who)?;
    let values = CannedValues::from_form(&form);
    let input = CannedResponseInput {
        title: values.title,
        body: values.body,
        category_id: Some(values.category).filter(|c| !c.trim().is_empty()),
        shared: values.shared,
    };
    match state.desk.create_canned_response(&who.actor, input).await {
        Ok(canned) => Ok(saved(&who, format!("Canned response “{}” created.", canned.title.as_str()))),
        Err(error) => refused(&state, &who, Target::New, &form, error).await,
    }
}

/// `POST /ui/admin/canned-responses/{id}`: title, body and category.
pub(crate) async fn update(
    who: SignedIn,
    state: web::Data<WebState>,
    id: web::Path<String>,
    form: web::Form<FormData>,
) -> Result<HttpResponse, PageError> {
    form.check_admin_post(&who)?;
    let id: CannedResponseId = parse_id(&id)?;
    let patch = CannedResponsePatch {
        title: Some(form.get("title").to_owned()),
        body: Some(form.get("body").to_owned()),
        category_id: Some(Some(form.get("category").to_owned()).filter(|c| !c.trim().is_empty())),
    };
    match state.desk.update_canned_response(&who.actor, id, patch).await {
        Ok(canned) => Ok(saved(&who, format!("Canned response “{}” saved.", canned.title.as_str()))),
        Err(error) => refused(&state, &who, Target::Canned(id), &form, error).await,
    }
}

/// `POST /ui/admin/canned-responses/{id}/delete`.
pub(crate) async fn delete(
    who: SignedIn,
    state: web::Data<WebState>,
    id: web::Path<String>,
    form: web::Form<FormData>,
) -> Result<HttpResponse, PageError> {
    form.check_admin_post(&who)?;
    let id: CannedResponseId = parse_id(&id)?;
    state.desk.delete_canned_response(&who.actor, id).await?;
    Ok(saved(&who, "Canned response deleted.".into()))
}

/// `POST /ui/admin/client`: the client's name (`{{client.name}}`).
pub(crate) async fn client_name(
    who: SignedIn,
    state: web::Data<WebState>,
    form: web::Form<FormData>,
) -> Result<HttpResponse, PageError> {
    form.check_admin_post(&who)?;
    match state.desk.set_client_name(&who.actor, form.get("clientName")).await {
        Ok(profile) => Ok(saved(&who, format!("The desk's name is now “{}”.", profile.display_name()))),
        Err(error) => refused(&state, &who, Target::Client, &form, error).await,
    }
}
