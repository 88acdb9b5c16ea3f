//! Admin: the CRM connection at `/ui/admin/crm` (`Desk::set_crm_settings`, like
//! `PUT /api/settings/crm`): none, a HubSpot-compatible API, or a signed webhook.
//!
//! A stored secret (API key, webhook secret) never goes back into the page: it shows "set" or
//! "not set", and an empty secret field keeps the stored one (the use case's rule), so saving
//! the form without typing a secret changes nothing of it.

use super::categories::{ADMIN_PAGES, AdminLink, require_admin};
use super::settings_form::{Errors, FormData, NOT_SAVED, refusal};
use crate::WebState;
use crate::error::PageError;
use crate::session::{Flash, SignedIn, set_flash, take_flash};
use crate::view::{Layout, Opt, Time, ok_page, render, see_other};
use actix_web::{HttpResponse, web};
use askama::Template;
use memberdesk_domain::notify::crm::{CrmConfig, CrmSettings, CrmSettingsInput, DEFAULT_HUBSPOT_BASE_URL};

const BACK: &str = "/ui/admin/crm";

/// The form's values; secrets are never among them.
struct CrmValues {
    provider: String,
    base_url: String,
    url: String,
}

#[derive(Template)]
#[template(path = "admin_crm.html")]
struct CrmPage {
    layout: Layout,
    admin_pages: &'static [AdminLink],
    values: CrmValues,
    providers: Vec<Opt>,
    api_key_set: bool,
    secret_set: bool,
    updated: Option<Time>,
    errors: Errors,
}

impl CrmValues {
    fn of(settings: Option<&CrmSettings>) -> CrmValues {
        let mut values =
            CrmValues { provider: "none".into(), base_url: DEFAULT_HUBSPOT_BASE_URL.into(), url: String::new() };
        match settings.and_then(|s| s.config.as_ref()) {
            Some(CrmConfig::HubSpot { base_url, .. }) => {
                values.provider = "hubspot".into();
                values.base_url.clone_from(base_url);
            }
            Some(CrmConfig::Webhook { url, .. }) => {
                values.provider = "webhook".into();
                values.url.clone_from(url);
            }
            None => {}
        }
        values
    }

    fn from_form(form: &FormData) -> CrmValues {
        CrmValues {
            provider: form.get("provider").to_owned(),
            base_url: form.get("baseUrl").to_owned(),
            url: form.get("url").to_owned(),
        }
    }
}

async fn page_with(
    state: &WebState,
    who: &SignedIn,
    values: Option<CrmValues>,
    errors: Errors,
) -> Result<CrmPage, PageError> {
    let settings = state.desk.crm_settings(&who.actor).await?;
    let config = settings.as_ref().and_then(|s| s.config.as_ref());
    let values = values.unwrap_or_else(|| CrmValues::of(settings.as_ref()));
    let providers = vec![
        Opt::new("none", "No CRM", &values.provider),
        Opt::new("hubspot", "HubSpot-compatible API (notes on the member's contact)", &values.provider),
        Opt::new("webhook", "Webhook (signed JSON events)", &values.provider),
    ];
    Ok(CrmPage {
        layout: Layout::new("CRM", &who.actor, &who.csrf, "admin-crm").with_flash(take_flash(&who.session)),
        admin_pages: &ADMIN_PAGES,
        providers,
        api_key_set: matches!(config, Some(CrmConfig::HubSpot { api_key, .. }) if !api_key.is_empty()),
        secret_set: matches!(config, Some(CrmConfig::Webhook { secret, .. }) if !secret.is_empty()),
        updated: settings.map(|s| s.updated_at.into()),
        values,
        errors,
    })
}

/// `GET /ui/admin/crm`.
pub(crate) async fn page(who: SignedIn, state: web::Data<WebState>) -> Result<HttpResponse, PageError> {
    require_admin(&who)?;
    Ok(ok_page(&page_with(&state, &who, None, Errors::default()).await?))
}

/// `POST /ui/admin/crm`.
pub(crate) async fn save(
    who: SignedIn,
    state: web::Data<WebState>,
    form: web::Form<FormData>,
) -> Result<HttpResponse, PageError> {
    form.check_admin_post(&who)?;
    let values = CrmValues::from_form(&form);
    let typed = |name: &str| Some(form.get(name).to_owned()).filter(|v| !v.trim().is_empty());
    let input = CrmSettingsInput {
        provider: values.provider.clone(),
        base_url: typed("baseUrl"),
        api_key: typed("apiKey"),
        url: typed("url"),
        secret: typed("secret"),
    };
    match state.desk.set_crm_settings(&who.actor, input).await {
        Ok(settings) => {
            let text = match settings.config {
                None => "CRM switched off.".to_owned(),
                Some(config) => format!("CRM settings saved ({}).", config.provider()),
            };
            set_flash(&who.session, Flash::success(text));
            Ok(see_other(BACK))
        }
        Err(error) => {
            let field_of = |path: &str| {
                matches!(path, "provider" | "baseUrl" | "apiKey" | "url" | "secret").then(|| path.to_owned())
            };
            let (status, errors) = refusal(error, field_of, "provider")?;
            let mut page = page_with(&state, &who, Some(values), errors).await?;
            page.layout.flash = Some(Flash::error(NOT_SAVED));
            Ok(render(status, &page))
        }
    }
}
