//! [`OpenAiDrafter`]: draft replies from the chat service. The model's answer is validated
//! with `parse_draft` (only offered articles are kept), and its confidence is blended with the
//! evidence (`docs/ai.md#drafts`); the use case finishes the draft.

use crate::chat::{AiConfig, ChatService};
use async_trait::async_trait;
use memberdesk_domain::ai::extractive::open_questions;
use memberdesk_domain::ai::{Draft, DraftInput, DraftStyle, Redacted, draft_messages, parse_draft};
use memberdesk_domain::ai_ports::{AiFailure, Drafter};

/// A [`Drafter`] over an OpenAI-compatible chat-completions service.
#[derive(Clone)]
pub struct OpenAiDrafter {
    chat: ChatService,
}

impl OpenAiDrafter {
    pub fn new(config: &AiConfig) -> Result<OpenAiDrafter, String> {
        Ok(OpenAiDrafter { chat: ChatService::new(config)? })
    }
}

#[async_trait]
impl Drafter for OpenAiDrafter {
    async fn draft(&self, input: &Redacted<DraftInput>, style: &DraftStyle) -> Result<Draft, AiFailure> {
        let offered = &input.knowledge;
        let model = self
            .chat
            .ask(draft_messages(input, style, &self.chat.budget), |answer| parse_draft(answer, offered))
            .await?;
        let question_identified = !open_questions(&input.ticket).is_empty();
        let evidence = model.evidence(offered, input.canned.is_some(), question_identified);
        Ok(model.into_draft(input.tone, &evidence))
    }
}
