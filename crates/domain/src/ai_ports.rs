//! The AI ports (issue 8, `docs/ai.md`): who writes a summary or a draft. An adapter for an
//! OpenAI-compatible service implements them; without one, [`BuiltinSummarizer`] and
//! [`BuiltinDrafter`] answer through the same ports, labelled `generatedBy: "builtin"`.
//!
//! The ports only ever receive [`Redacted`] values: redaction happens in the use case, before
//! anything reaches an adapter. Held as `Arc<dyn …>`, hence `async_trait`; with the `mocks`
//! feature mockall implements them (`MockSummarizer`, `MockDrafter`).

use crate::ai::{
    ConversationSummary, Draft, DraftInput, Redacted, TicketContext, TicketSummary, builtin_conversation_summary,
    builtin_draft, builtin_ticket_summary,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Why an AI service gave no usable answer. The API turns each into the "Summary unavailable"
/// state with a retry hint — never a 500.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AiFailure {
    /// No answer within the configured timeout.
    #[error("the AI service did not answer in time")]
    Timeout,
    /// The service said to slow down (429), with its `Retry-After` when it gave one.
    #[error("the AI service is rate limiting")]
    RateLimited { retry_after_seconds: Option<u64> },
    /// A 5xx, a refused connection, or any other transport failure.
    #[error("the AI service is unavailable: {0}")]
    Unavailable(String),
    /// The answer was not the JSON asked for, twice (the first answer is retried once).
    #[error("the AI service's answer was invalid: {0}")]
    InvalidAnswer(String),
    /// The text could not be redacted (a pattern failed to compile): nothing was sent.
    #[error("personal data could not be redacted; nothing was sent")]
    RedactionUnavailable,
}

impl AiFailure {
    /// How long a caller should wait before asking again.
    pub fn retry_after_seconds(&self) -> u64 {
        match self {
            AiFailure::RateLimited { retry_after_seconds: Some(s) } => *s,
            AiFailure::RateLimited { retry_after_seconds: None } => 60,
            AiFailure::Timeout | AiFailure::Unavailable(_) => 30,
            AiFailure::InvalidAnswer(_) => 10,
            AiFailure::RedactionUnavailable => 300,
        }
    }
}

/// Writes ticket and conversation summaries. `now` is the generation time the answer carries.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait Summarizer: Send + Sync {
    async fn ticket_summary(
        &self,
        ctx: &Redacted<TicketContext>,
        now: DateTime<Utc>,
    ) -> Result<TicketSummary, AiFailure>;

    async fn conversation_summary(
        &self,
        ctx: &Redacted<TicketContext>,
        now: DateTime<Utc>,
    ) -> Result<ConversationSummary, AiFailure>;
}

/// Writes draft replies. The answer still holds placeholders; the use case restores them and
/// applies the client's terminology (`finish_draft`).
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait Drafter: Send + Sync {
    async fn draft(&self, input: &Redacted<DraftInput>) -> Result<Draft, AiFailure>;
}

/// The built-in, extractive summariser (no AI service): key sentences, status, open
/// questions, the timeline from the history.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuiltinSummarizer;

#[async_trait]
impl Summarizer for BuiltinSummarizer {
    async fn ticket_summary(
        &self,
        ctx: &Redacted<TicketContext>,
        now: DateTime<Utc>,
    ) -> Result<TicketSummary, AiFailure> {
        Ok(builtin_ticket_summary(ctx, now))
    }

    async fn conversation_summary(
        &self,
        ctx: &Redacted<TicketContext>,
        now: DateTime<Utc>,
    ) -> Result<ConversationSummary, AiFailure> {
        Ok(builtin_conversation_summary(ctx, now))
    }
}

/// The built-in template drafter (no AI service): greeting, acknowledgement, the best
/// knowledge-base match, the canned response if given, sign-off in the chosen tone.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuiltinDrafter;

#[async_trait]
impl Drafter for BuiltinDrafter {
    async fn draft(&self, input: &Redacted<DraftInput>) -> Result<Draft, AiFailure> {
        Ok(builtin_draft(input))
    }
}
