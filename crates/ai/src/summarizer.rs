//! [`OpenAiSummarizer`]: ticket and conversation summaries from the chat service.

use crate::chat::{AiConfig, ChatService};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use memberdesk_domain::ai::{
    ConversationSummary, Redacted, TicketContext, TicketSummary, conversation_summary_messages,
    parse_conversation_summary, parse_ticket_summary, ticket_summary_messages,
};
use memberdesk_domain::ai_ports::{AiFailure, Summarizer};

/// A [`Summarizer`] over an OpenAI-compatible chat-completions service.
#[derive(Clone)]
pub struct OpenAiSummarizer {
    chat: ChatService,
}

impl OpenAiSummarizer {
    pub fn new(config: &AiConfig) -> Result<OpenAiSummarizer, String> {
        Ok(OpenAiSummarizer { chat: ChatService::new(config)? })
    }
}

#[async_trait]
impl Summarizer for OpenAiSummarizer {
    async fn ticket_summary(
        &self,
        ctx: &Redacted<TicketContext>,
        now: DateTime<Utc>,
    ) -> Result<TicketSummary, AiFailure> {
        let id = ctx.ticket_id;
        self.chat
            .ask(ticket_summary_messages(ctx, &self.chat.budget), |answer| parse_ticket_summary(answer, id, now))
            .await
    }

    async fn conversation_summary(
        &self,
        ctx: &Redacted<TicketContext>,
        now: DateTime<Utc>,
    ) -> Result<ConversationSummary, AiFailure> {
        let id = ctx.ticket_id;
        self.chat
            .ask(conversation_summary_messages(ctx, &self.chat.budget), |answer| {
                parse_conversation_summary(answer, id, now)
            })
            .await
    }
}
