//! Draft replies (`POST /api/tickets/{id}/draft-response`, issue 8, `docs/ai.md`): staff only —
//! a member gets `NotFound`, as for summaries. A draft is never sent: it goes to the agent's
//! editor, and every one generated is logged for the usage report.
//!
//! The ticket (without internal notes), the best knowledge-base articles and the canned
//! response to enhance are redacted together before the [`crate::ai_ports::Drafter`] sees
//! them; the answer is finished locally (terminology, the agent's signature, placeholders
//! filled back in).

use super::Desk;
use crate::access::Actor;
use crate::ai::{Draft, DraftInput, DraftRequest, KnowledgeSnippet, Side, Signature, TicketContext, finish_draft};
use crate::ai_ports::{AiFailure, DraftRecord};
use crate::canned::CannedResponse;
use crate::error::DeskError;
use crate::ids::{CannedResponseId, DraftId, TicketId};
use crate::validation::FieldErrors;

/// How many knowledge-base articles a draft may draw on.
const KNOWLEDGE_ARTICLES: u32 = 3;
/// How much of the latest member message goes into the knowledge-base query.
const QUERY_CHARS: usize = 500;

/// A draft, or why there is none and what the agent may use instead.
#[derive(Debug, Clone, PartialEq)]
pub enum DraftOutcome {
    Ready {
        id: DraftId,
        draft: Draft,
    },
    /// The AI service failed: the canned responses the agent may start from instead.
    Unavailable {
        failure: AiFailure,
        canned: Vec<CannedResponse>,
    },
}

impl Desk {
    /// Drafts a reply to the ticket for the calling agent (see the module documentation).
    ///
    /// The tone defaults to the client's `defaultTone`; `includeKnowledgeBase` searches the
    /// client's articles with the subject and the latest member message; `cannedResponseId`
    /// must name a canned response the agent may use (else 422 on `cannedResponseId`).
    pub async fn draft_response(
        &self,
        actor: &Actor,
        ticket_id: TicketId,
        request: DraftRequest,
    ) -> Result<DraftOutcome, DeskError> {
        let (ticket, ctx) = self.summary_context(actor, ticket_id).await?;
        let settings = self.ai_settings_of(&actor.client_id).await?;
        let tone = request.tone_or(settings.default_tone);
        let canned = match request.canned_response_id {
            Some(id) => Some(self.canned_for_draft(actor, ticket_id, id).await?),
            None => None,
        };
        let knowledge =
            if request.include_knowledge_base { self.knowledge_for(&actor.client_id, &ctx).await? } else { Vec::new() };
        let input = DraftInput { ticket: ctx, tone, knowledge, canned };
        let Ok((redacted, redaction)) = input.redacted() else {
            return self.draft_unavailable(actor, AiFailure::RedactionUnavailable).await;
        };
        let profile = self.clients.get_client_profile(&actor.client_id).await?;
        let organisation = profile.name.as_ref().map(|n| n.as_str().to_owned());
        let style = settings.draft_style(organisation.as_deref());
        let draft = match self.drafter_for(&settings).draft(&redacted, &style).await {
            Ok(draft) => draft,
            Err(failure) => return self.draft_unavailable(actor, failure).await,
        };
        let signature = Signature { agent_name: actor.name.clone(), organisation };
        let draft = finish_draft(draft, &settings.terminology, &signature, &redaction);
        let record = DraftRecord {
            id: DraftId::new(),
            client_id: actor.client_id.clone(),
            ticket_id: ticket.id,
            agent_id: actor.user_id.clone(),
            agent_name: actor.name.clone(),
            tone: draft.tone,
            generated_by: draft.generated_by,
            draft: draft.draft.clone(),
            confidence: draft.confidence,
            created_at: self.clock.now(),
            used: None,
        };
        self.ai.record_draft(&record).await?;
        Ok(DraftOutcome::Ready { id: record.id, draft })
    }

    /// The canned response rendered for this ticket; one the agent may not use (unknown,
    /// another client's, another agent's personal one) is a validation error of the request.
    async fn canned_for_draft(
        &self,
        actor: &Actor,
        ticket_id: TicketId,
        id: CannedResponseId,
    ) -> Result<String, DeskError> {
        match self.render_canned_response(actor, ticket_id, id).await {
            Err(DeskError::NotFound("canned response")) | Err(DeskError::Forbidden(_)) => Err(DeskError::Validation(
                FieldErrors::single("cannedResponseId", "is not a canned response you can use"),
            )),
            other => other,
        }
    }

    /// The client's articles best matching the ticket's subject and latest member message.
    async fn knowledge_for(
        &self,
        client: &crate::ids::ClientId,
        ctx: &TicketContext,
    ) -> Result<Vec<KnowledgeSnippet>, DeskError> {
        let query = knowledge_query(ctx);
        if query.trim().is_empty() {
            return Ok(Vec::new());
        }
        Ok(self.knowledge.search_knowledge(client, &query, KNOWLEDGE_ARTICLES).await?)
    }

    /// The unavailable state, with the canned responses the agent may use instead.
    async fn draft_unavailable(&self, actor: &Actor, failure: AiFailure) -> Result<DraftOutcome, DeskError> {
        let canned = self.list_canned_responses(actor, None, None).await?;
        Ok(DraftOutcome::Unavailable { failure, canned })
    }
}

/// The knowledge-base query for a ticket: its subject and the member's latest public message
/// (the description when they have not replied), cut to a reasonable length.
pub(crate) fn knowledge_query(ctx: &TicketContext) -> String {
    let latest = ctx
        .messages
        .iter()
        .rev()
        .find(|m| m.side == Side::Member && m.is_public())
        .map_or(ctx.description.as_str(), |m| m.body.as_str());
    let latest: String = latest.chars().take(QUERY_CHARS).collect();
    format!("{} {latest}", ctx.subject)
}

#[cfg(all(test, feature = "mocks"))]
#[path = "drafts_tests.rs"]
mod tests;
