//! Admin: ticket categories (`/ui/admin/categories`): create, rename and describe, archive and
//! unarchive, reorder (move up/down; drag and drop in `app.js` posts the same moves). A refused
//! name comes back beside its input ("already exists" from the desk's uniqueness rule).
//!
//! This is the pattern for the other admin pages: an `AdminPage`-style template that includes
//! `admin_nav.html`, a GET rendering the settings, POSTs that check the CSRF token, call one use
//! case, and either redirect with a flash or render again with the field errors.

use crate::WebState;
use crate::error::{PageError, field_errors, ui_message};
use crate::forms::parse_id;
use crate::session::{Flash, SignedIn, set_flash, take_flash};
use crate::view::{Layout, ok_page, render, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use memberdesk_domain::usecases::{CategoryInput, CategoryPatch};
use memberdesk_domain::{Category, CategoryId, DeskError};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The admin section's pages, in the order of its navigation (other settings pages add a line).
pub(crate) const ADMIN_PAGES: [AdminLink; 1] =
    [AdminLink { href: "/ui/admin/categories", label: "Categories", section: "admin-categories" }];

pub(crate) struct AdminLink {
    pub(crate) href: &'static str,
    pub(crate) label: &'static str,
    /// The page's `Layout::section`.
    pub(crate) section: &'static str,
}

struct CategoryRow {
    id: String,
    name: String,
    description: String,
    archived: bool,
    first: bool,
    last: bool,
    errors: BTreeMap<String, String>,
}

impl CategoryRow {
    fn error(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

#[derive(Template)]
#[template(path = "admin_categories.html")]
struct CategoriesPage {
    layout: Layout,
    admin_pages: &'static [AdminLink],
    new_name: String,
    new_description: String,
    new_errors: BTreeMap<String, String>,
    categories: Vec<CategoryRow>,
}

impl CategoriesPage {
    fn new_error(&self, field: &str) -> Option<&String> {
        self.new_errors.get(field)
    }
}

/// Only admins manage categories (the desk refuses anyone else too).
fn require_admin(who: &SignedIn) -> Result<(), PageError> {
    if who.actor.is_admin() {
        Ok(())
    } else {
        Err(DeskError::Forbidden("only admins manage the desk's settings".into()).into())
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct CategoryForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    direction: String,
}

/// What to show again after a refusal: the typed values and their errors, for the new form or
/// for one category.
#[derive(Default)]
struct Retry {
    target: Option<CategoryId>,
    name: String,
    description: String,
    errors: BTreeMap<String, String>,
}

async fn page_with(state: &WebState, who: &SignedIn, retry: Retry) -> Result<CategoriesPage, PageError> {
    let categories = state.desk.list_categories(&who.actor, true).await?;
    let count = categories.len();
    let rows = categories
        .into_iter()
        .enumerate()
        .map(|(index, c): (usize, Category)| {
            let retrying = retry.target == Some(c.id);
            CategoryRow {
                id: c.id.to_string(),
                name: if retrying { retry.name.clone() } else { c.name.as_str().to_owned() },
                description: if retrying { retry.description.clone() } else { c.description.unwrap_or_default() },
                archived: c.archived,
                first: index == 0,
                last: index + 1 == count,
                errors: if retrying { retry.errors.clone() } else { BTreeMap::new() },
            }
        })
        .collect();
    let is_new = retry.target.is_none();
    Ok(CategoriesPage {
        layout: Layout::new("Categories", &who.actor, &who.csrf, "admin-categories")
            .with_flash(take_flash(&who.session)),
        admin_pages: &ADMIN_PAGES,
        new_name: if is_new { retry.name } else { String::new() },
        new_description: if is_new { retry.description } else { String::new() },
        new_errors: if is_new { retry.errors } else { BTreeMap::new() },
        categories: rows,
    })
}

/// `GET /ui/admin`: the first admin page.
pub(crate) async fn admin_home() -> HttpResponse {
    see_other(ADMIN_PAGES[0].href)
}

/// `GET /ui/admin/categories`.
pub(crate) async fn page(who: SignedIn, state: web::Data<WebState>) -> Result<HttpResponse, PageError> {
    require_admin(&who)?;
    Ok(ok_page(&page_with(&state, &who, Retry::default()).await?))
}

/// A refused form: the page again with the errors beside the fields, or an error page.
async fn refused(
    state: &WebState,
    who: &SignedIn,
    target: Option<CategoryId>,
    form: &CategoryForm,
    error: DeskError,
) -> Result<HttpResponse, PageError> {
    if !matches!(error, DeskError::Validation(_) | DeskError::Conflict(_)) {
        return Err(error.into());
    }
    let mut errors = field_errors(&error);
    if errors.is_empty() || errors.contains_key("body") {
        errors.insert("name".into(), ui_message(&error));
    }
    let status =
        StatusCode::from_u16(crate::error::desk_problem(&error).status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    let retry = Retry { target, name: form.name.clone(), description: form.description.clone(), errors };
    let mut page = page_with(state, who, retry).await?;
    page.layout.flash = Some(Flash::error("The category was not saved; see the message beside the field."));
    Ok(render(status, &page))
}

const BACK: &str = "/ui/admin/categories";

/// `POST /ui/admin/categories`: a new category at the end of the order.
pub(crate) async fn create(
    who: SignedIn,
    state: web::Data<WebState>,
    form: web::Form<CategoryForm>,
) -> Result<HttpResponse, PageError> {
    crate::csrf::check(&who.session, Some(&form.csrf))?;
    let input = CategoryInput { name: form.name.clone(), description: Some(form.description.clone()) };
    match state.desk.create_category(&who.actor, input).await {
        Ok(category) => {
            set_flash(&who.session, Flash::success(format!("Category “{}” created.", category.name.as_str())));
            Ok(see_other(BACK))
        }
        Err(error) => refused(&state, &who, None, &form, error).await,
    }
}

/// `POST /ui/admin/categories/{id}`: rename and describe.
pub(crate) async fn update(
    who: SignedIn,
    state: web::Data<WebState>,
    id: web::Path<String>,
    form: web::Form<CategoryForm>,
) -> Result<HttpResponse, PageError> {
    crate::csrf::check(&who.session, Some(&form.csrf))?;
    let id: CategoryId = parse_id(&id)?;
    let description = Some(form.description.clone()).filter(|d| !d.trim().is_empty());
    let patch = CategoryPatch { name: Some(form.name.clone()), description: Some(description), archived: None };
    match state.desk.update_category(&who.actor, id, patch).await {
        Ok(category) => {
            set_flash(&who.session, Flash::success(format!("Category “{}” saved.", category.name.as_str())));
            Ok(see_other(BACK))
        }
        Err(error) => refused(&state, &who, Some(id), &form, error).await,
    }
}

async fn set_archived(
    who: SignedIn,
    state: web::Data<WebState>,
    id: web::Path<String>,
    form: web::Form<CategoryForm>,
    archived: bool,
) -> Result<HttpResponse, PageError> {
    crate::csrf::check(&who.session, Some(&form.csrf))?;
    let id: CategoryId = parse_id(&id)?;
    let patch = CategoryPatch { archived: Some(archived), ..CategoryPatch::default() };
    match state.desk.update_category(&who.actor, id, patch).await {
        Ok(category) => {
            let text = if archived {
                format!(
                    "Category “{}” archived: members no longer see it; its tickets keep it.",
                    category.name.as_str()
                )
            } else {
                format!("Category “{}” is active again.", category.name.as_str())
            };
            set_flash(&who.session, Flash::success(text));
            Ok(see_other(BACK))
        }
        Err(error @ DeskError::Conflict(_)) => {
            set_flash(&who.session, Flash::error(ui_message(&error)));
            Ok(see_other(BACK))
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /ui/admin/categories/{id}/archive`.
pub(crate) async fn archive(
    who: SignedIn,
    state: web::Data<WebState>,
    id: web::Path<String>,
    form: web::Form<CategoryForm>,
) -> Result<HttpResponse, PageError> {
    set_archived(who, state, id, form, true).await
}

/// `POST /ui/admin/categories/{id}/unarchive`.
pub(crate) async fn unarchive(
    who: SignedIn,
    state: web::Data<WebState>,
    id: web::Path<String>,
    form: web::Form<CategoryForm>,
) -> Result<HttpResponse, PageError> {
    set_archived(who, state, id, form, false).await
}

/// The order after moving `id` one place up or down (unchanged at either end).
fn moved(order: &[CategoryId], id: CategoryId, up: bool) -> Option<Vec<CategoryId>> {
    let index = order.iter().position(|c| *c == id)?;
    let other = if up { index.checked_sub(1)? } else { Some(index + 1).filter(|i| *i < order.len())? };
    let mut order = order.to_vec();
    order.swap(index, other);
    Some(order)
}

/// `POST /ui/admin/categories/{id}/move` with `direction=up|down`: one place in the order.
pub(crate) async fn move_category(
    who: SignedIn,
    state: web::Data<WebState>,
    id: web::Path<String>,
    form: web::Form<CategoryForm>,
) -> Result<HttpResponse, PageError> {
    crate::csrf::check(&who.session, Some(&form.csrf))?;
    let id: CategoryId = parse_id(&id)?;
    let up = match form.direction.as_str() {
        "up" => true,
        "down" => false,
        _ => return Err(PageError::BadRequest("Choose to move the category up or down.".into())),
    };
    let order: Vec<CategoryId> = state.desk.list_categories(&who.actor, true).await?.iter().map(|c| c.id).collect();
    if !order.contains(&id) {
        return Err(PageError::NotFound);
    }
    if let Some(order) = moved(&order, id, up) {
        let ids: Vec<String> = order.iter().map(ToString::to_string).collect();
        state.desk.reorder_categories(&who.actor, &ids).await?;
        set_flash(&who.session, Flash::success("Order saved."));
    }
    Ok(see_other(&format!("{BACK}#category-{id}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_swaps_with_the_neighbour_and_stops_at_the_ends() {
        let ids: Vec<CategoryId> = (0..3).map(|_| CategoryId::new()).collect();
        assert_eq!(moved(&ids, ids[1], true), Some(vec![ids[1], ids[0], ids[2]]));
        assert_eq!(moved(&ids, ids[1], false), Some(vec![ids[0], ids[2], ids[1]]));
        assert_eq!(moved(&ids, ids[0], true), None);
        assert_eq!(moved(&ids, ids[2], false), None);
    }
}
