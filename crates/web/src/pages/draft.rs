//! The "Draft Response" button of the staff ticket page (issue 9, issue 8's drafts): its
//! controls (tone, knowledge base) rendered into the reply editor, and the endpoint its script
//! calls. The draft only ever lands in the editor for review; the reply posted from it carries
//! `draftId`, which counts the draft as used in the usage report.

use crate::WebState;
use crate::error::PageError;
use crate::forms::parse_id;
use crate::session::SignedIn;
use crate::view::Opt;
use actix_web::{HttpResponse, web};
use askama::Template;
use memberdesk_domain::ai::{DraftRequest, Tone};
use memberdesk_domain::validation::FieldErrors;
use memberdesk_domain::{Actor, CannedResponseId, Desk, DeskError, TicketId};
use serde::Deserialize;

/// The draft controls: shown by `app.js` only, since without script there is no way to put a
/// draft into the editor without a reload that would lose what was typed.
#[derive(Template)]
#[template(path = "draft_tools.html")]
pub(crate) struct DraftTools {
    /// The four tones, the client's default one selected.
    tones: Vec<Opt>,
}

fn tone_label(tone: Tone) -> &'static str {
    match tone {
        Tone::Professional => "Professional",
        Tone::Friendly => "Friendly",
        Tone::Concise => "Concise",
        Tone::Formal => "Formal",
    }
}

/// The controls with the client's default tone selected.
pub(crate) async fn tools(desk: &Desk, actor: &Actor) -> Result<String, PageError> {
    let default = desk.ai_settings(actor).await?.default_tone;
    let tones = Tone::ALL.iter().map(|t| Opt::new(t.as_str(), tone_label(*t), default.as_str())).collect();
    DraftTools { tones }.render().map_err(|e| PageError::Internal(format!("draft tools: {e}")))
}

/// What the script posts (urlencoded): the form's token and the draft's options.
#[derive(Deserialize)]
pub(crate) struct DraftForm {
    #[serde(default, rename = "_csrf")]
    csrf: String,
    /// Empty: the client's default tone.
    #[serde(default)]
    tone: String,
    /// `false` leaves the knowledge base out; anything else (or nothing) draws on it.
    #[serde(default, rename = "includeKnowledgeBase")]
    include_knowledge_base: String,
    /// The canned response chosen in the editor's picker, to enhance (empty: none).
    #[serde(default, rename = "cannedResponseId")]
    canned_response_id: String,
}

impl DraftForm {
    fn request(&self) -> Result<DraftRequest, DeskError> {
        let invalid = |field: &str, message: String| DeskError::Validation(FieldErrors::single(field, message));
        let tone = match self.tone.trim() {
            "" => None,
            tone => Some(Tone::parse(tone).map_err(|m| invalid("tone", m))?),
        };
        let canned_response_id = match self.canned_response_id.trim() {
            "" => None,
            id => {
                Some(id.parse::<CannedResponseId>().map_err(|_| invalid("cannedResponseId", "must be a UUID".into()))?)
            }
        };
        Ok(DraftRequest {
            tone,
            include_knowledge_base: self.include_knowledge_base.trim() != "false",
            canned_response_id,
        })
    }
}

/// `POST /ui/tickets/{id}/draft` (staff; members get 404 as for the API): the API's JSON
/// answer — `state: ready` with the draft, or `state: unavailable` with the canned responses
/// to use instead. Nothing is sent or stored on the ticket.
pub(crate) async fn draft(
    who: SignedIn,
    state: web::Data<WebState>,
    id: web::Path<String>,
    form: web::Form<DraftForm>,
) -> Result<HttpResponse, PageError> {
    crate::csrf::check(&who.session, Some(&form.csrf))?;
    let id: TicketId = parse_id(&id)?;
    if !who.actor.is_staff() {
        return Err(PageError::NotFound);
    }
    let outcome = state.desk.draft_response(&who.actor, id, form.request()?).await?;
    Ok(memberdesk_http::routes::drafts::outcome_response(outcome))
}
