//! Admin: AI settings at `/ui/admin/ai` (`Desk::ai_settings` / `Desk::set_ai_settings`, like
//! `/api/settings/support-ai`): AI on or off, the default tone of drafts, style instructions and
//! the organisation's terminology; and the draft usage report per agent (`Desk::draft_usage`).
//!
//! Terminology is one rule a line, `preferred: avoided, avoided` (`member: customer, client`);
//! the desk's messages name rules by index (`terminology[1].avoid`) and come back beside the
//! field with the line they are about.

use super::categories::{ADMIN_PAGES, AdminLink, require_admin};
use super::settings_form::{Errors, FormData, NOT_SAVED, items, refusal};
use crate::WebState;
use crate::error::PageError;
use crate::session::{Flash, SignedIn, set_flash, take_flash};
use crate::view::{Layout, Opt, ok_page, render, see_other};
use actix_web::{HttpResponse, web};
use askama::Template;
use memberdesk_domain::ai::draft::Tone;
use memberdesk_domain::ai::{AiSettings, AiSettingsInput, TermRule, UsageFigures};

const BACK: &str = "/ui/admin/ai";

struct AiValues {
    enabled: bool,
    tone: String,
    style: String,
    terminology: String,
}

/// One line of the usage report.
struct UsageRow {
    name: String,
    generated: u64,
    used: u64,
    use_rate: String,
    edit_ratio: String,
}

impl UsageRow {
    fn new(name: String, figures: &UsageFigures) -> UsageRow {
        UsageRow {
            name,
            generated: figures.drafts_generated,
            used: figures.drafts_used,
            use_rate: format!("{:.0} %", figures.use_rate * 100.0),
            edit_ratio: figures.average_edit_ratio.map_or_else(|| "—".to_owned(), |r| format!("{:.0} %", r * 100.0)),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_ai.html")]
struct AiPage {
    layout: Layout,
    admin_pages: &'static [AdminLink],
    values: AiValues,
    tones: Vec<Opt>,
    usage: Vec<UsageRow>,
    totals: UsageRow,
    errors: Errors,
}

impl AiValues {
    fn of(settings: &AiSettings) -> AiValues {
        AiValues {
            enabled: settings.enabled,
            tone: settings.default_tone.as_str().to_owned(),
            style: settings.style_instructions.clone(),
            terminology: settings
                .terminology
                .rules()
                .iter()
                .map(|r| format!("{}: {}", r.preferred, r.avoid.join(", ")))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    fn from_form(form: &FormData) -> AiValues {
        AiValues {
            enabled: form.checked("enabled"),
            tone: form.get("defaultTone").to_owned(),
            style: form.get("styleInstructions").to_owned(),
            terminology: form.get("terminology").to_owned(),
        }
    }

    fn to_input(&self) -> AiSettingsInput {
        AiSettingsInput {
            enabled: Some(self.enabled),
            default_tone: Some(self.tone.clone()),
            style_instructions: Some(self.style.clone()),
            terminology: Some(terminology_rules(&self.terminology)),
        }
    }
}

/// `preferred: avoided, avoided` a line; a line without `:` is a preferred term that avoids
/// nothing yet (the desk says so).
fn terminology_rules(text: &str) -> Vec<TermRule> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| match line.split_once(':') {
            Some((preferred, avoid)) => {
                TermRule { preferred: preferred.trim().to_owned(), avoid: items(avoid, &[',']) }
            }
            None => TermRule { preferred: line.to_owned(), avoid: Vec::new() },
        })
        .collect()
}

/// `terminology[1].avoid` → "terminology" (the message then names line 2).
fn field_of(path: &str) -> Option<String> {
    match path {
        "defaultTone" | "styleInstructions" | "enabled" => Some(path.to_owned()),
        p if p.starts_with("terminology") => Some("terminology".to_owned()),
        _ => None,
    }
}

/// The line a terminology path is about, for its message: `terminology[1].avoid` → "line 2".
fn line_of(path: &str) -> Option<String> {
    let index: usize = path.strip_prefix("terminology[")?.split(']').next()?.parse().ok()?;
    Some(format!("line {}", index + 1))
}

async fn page_with(
    state: &WebState,
    who: &SignedIn,
    values: Option<AiValues>,
    errors: Errors,
) -> Result<AiPage, PageError> {
    let values = match values {
        Some(values) => values,
        None => AiValues::of(&state.desk.ai_settings(&who.actor).await?),
    };
    let report = state.desk.draft_usage(&who.actor, None, None).await?;
    Ok(AiPage {
        layout: Layout::new("AI settings", &who.actor, &who.csrf, "admin-ai").with_flash(take_flash(&who.session)),
        admin_pages: &ADMIN_PAGES,
        tones: Tone::ALL.iter().map(|t| Opt::new(t.as_str(), capitalised(t.as_str()), &values.tone)).collect(),
        usage: report.agents.iter().map(|a| UsageRow::new(a.agent_name.clone(), &a.figures)).collect(),
        totals: UsageRow::new("All agents".into(), &report.totals),
        values,
        errors,
    })
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// `GET /ui/admin/ai`.
pub(crate) async fn page(who: SignedIn, state: web::Data<WebState>) -> Result<HttpResponse, PageError> {
    require_admin(&who)?;
    Ok(ok_page(&page_with(&state, &who, None, Errors::default()).await?))
}

/// `POST /ui/admin/ai`.
pub(crate) async fn save(
    who: SignedIn,
    state: web::Data<WebState>,
    form: web::Form<FormData>,
) -> Result<HttpResponse, PageError> {
    form.check_admin_post(&who)?;
    let values = AiValues::from_form(&form);
    match state.desk.set_ai_settings(&who.actor, values.to_input()).await {
        Ok(_) => {
            set_flash(&who.session, Flash::success("AI settings saved."));
            Ok(see_other(BACK))
        }
        Err(error) => {
            let (status, by_path) = refusal(error, |path| Some(path.to_owned()), "terminology")?;
            let mut errors = Errors::default();
            for (path, message) in by_path.iter() {
                let field = field_of(path).unwrap_or_else(|| "terminology".to_owned());
                match line_of(path) {
                    Some(line) => errors.add(&field, &format!("{line}: {message}")),
                    None => errors.add(&field, message),
                }
            }
            let mut page = page_with(&state, &who, Some(values), errors).await?;
            page.layout.flash = Some(Flash::error(NOT_SAVED));
            Ok(render(status, &page))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminology_is_a_rule_a_line() {
        let rules = terminology_rules("member: customer, client\n\n  boat club \n");
        assert_eq!(rules[0], TermRule { preferred: "member".into(), avoid: vec!["customer".into(), "client".into()] });
        assert_eq!(rules[1], TermRule { preferred: "boat club".into(), avoid: vec![] });
        assert_eq!(line_of("terminology[1].avoid").as_deref(), Some("line 2"));
        assert_eq!(field_of("terminology[1].avoid").as_deref(), Some("terminology"));
    }
}
