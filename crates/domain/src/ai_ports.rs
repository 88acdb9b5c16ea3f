//! The AI ports (issue 8, `docs/ai.md`): who writes a summary or a draft. An adapter for an
//! OpenAI-compatible service implements them; without one, [`BuiltinSummarizer`] and
//! [`BuiltinDrafter`] answer through the same ports, labelled `generatedBy: "builtin"`.
//!
//! The ports only ever receive [`Redacted`] values: redaction happens in the use case, before
//! anything reaches an adapter. Held as `Arc<dyn …>`, hence `async_trait`; with the `mocks`
//! feature mockall implements them (`MockSummarizer`, `MockDrafter`).

use crate::ai::{
    ConversationSummary, Draft, DraftInput, DraftStyle, DraftUsageRow, GeneratedBy, Redacted, TicketContext,
    TicketSummary, Tone, builtin_conversation_summary, builtin_draft, builtin_ticket_summary,
};
use crate::error::StoreError;
use crate::ids::{ClientId, DraftId, ResponseId, TicketId, UserId};
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
/// applies the client's terminology (`finish_draft`). `style` is the client's (admin-written
/// instructions, terminology, organisation name): no ticket text, so it is not redacted.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait Drafter: Send + Sync {
    async fn draft(&self, input: &Redacted<DraftInput>, style: &DraftStyle) -> Result<Draft, AiFailure>;
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
    async fn draft(&self, input: &Redacted<DraftInput>, _style: &DraftStyle) -> Result<Draft, AiFailure> {
        Ok(builtin_draft(input))
    }
}

/// Which of a ticket's two summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SummaryKind {
    Ticket,
    Conversation,
}

impl SummaryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SummaryKind::Ticket => "ticket",
            SummaryKind::Conversation => "conversation",
        }
    }

    pub fn parse(value: &str) -> Option<SummaryKind> {
        match value {
            "ticket" => Some(SummaryKind::Ticket),
            "conversation" => Some(SummaryKind::Conversation),
            _ => None,
        }
    }
}

/// A summary of either kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SummaryBody {
    Ticket(TicketSummary),
    Conversation(ConversationSummary),
}

impl SummaryBody {
    pub fn kind(&self) -> SummaryKind {
        match self {
            SummaryBody::Ticket(_) => SummaryKind::Ticket,
            SummaryBody::Conversation(_) => SummaryKind::Conversation,
        }
    }

    pub fn generated_at(&self) -> DateTime<Utc> {
        match self {
            SummaryBody::Ticket(s) => s.generated_at,
            SummaryBody::Conversation(s) => s.generated_at,
        }
    }

    /// The summary as stored (its API shape, camelCase JSON).
    pub fn to_json(&self) -> Result<String, StoreError> {
        let json = match self {
            SummaryBody::Ticket(s) => serde_json::to_string(s),
            SummaryBody::Conversation(s) => serde_json::to_string(s),
        };
        json.map_err(|e| StoreError::Other(format!("a summary could not be written as JSON: {e}")))
    }

    /// A stored summary read back.
    pub fn from_json(kind: SummaryKind, json: &str) -> Result<SummaryBody, StoreError> {
        let corrupt = |e: serde_json::Error| StoreError::Other(format!("corrupt ticket_summaries row: {e}"));
        Ok(match kind {
            SummaryKind::Ticket => SummaryBody::Ticket(serde_json::from_str(json).map_err(corrupt)?),
            SummaryKind::Conversation => SummaryBody::Conversation(serde_json::from_str(json).map_err(corrupt)?),
        })
    }
}

/// One stored version of a ticket's summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSummary {
    pub ticket_id: TicketId,
    /// 1, 2, … per ticket and kind.
    pub version: i64,
    pub body: SummaryBody,
    /// The ticket's version when the summary was made: a newer ticket makes it stale.
    pub ticket_version: i64,
}

impl StoredSummary {
    pub fn kind(&self) -> SummaryKind {
        self.body.kind()
    }
}

/// Stored, versioned summaries (`ticket_summaries`). Versions are only ever added.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait SummaryStore: Send + Sync {
    /// The newest version of the ticket's summary of `kind`.
    async fn latest_summary(
        &self,
        client: &ClientId,
        ticket: TicketId,
        kind: SummaryKind,
    ) -> Result<Option<StoredSummary>, StoreError>;

    /// Stores `summary` as the next version of its ticket and kind (its `version` is ignored)
    /// and returns it as stored.
    async fn append_summary(&self, client: &ClientId, summary: StoredSummary) -> Result<StoredSummary, StoreError>;

    /// Every version of the ticket's summary of `kind`, newest first.
    async fn summary_history(
        &self,
        client: &ClientId,
        ticket: TicketId,
        kind: SummaryKind,
    ) -> Result<Vec<StoredSummary>, StoreError>;
}

/// For desks without summary storage (handler tests): nothing is kept, every summary is
/// version 1 and fresh.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoSummaries;

#[async_trait]
impl SummaryStore for NoSummaries {
    async fn latest_summary(
        &self,
        _client: &ClientId,
        _ticket: TicketId,
        _kind: SummaryKind,
    ) -> Result<Option<StoredSummary>, StoreError> {
        Ok(None)
    }

    async fn append_summary(&self, _client: &ClientId, summary: StoredSummary) -> Result<StoredSummary, StoreError> {
        Ok(StoredSummary { version: 1, ..summary })
    }

    async fn summary_history(
        &self,
        _client: &ClientId,
        _ticket: TicketId,
        _kind: SummaryKind,
    ) -> Result<Vec<StoredSummary>, StoreError> {
        Ok(Vec::new())
    }
}

/// A generated draft, as the usage log keeps it (never sent: a person posts the reply).
#[derive(Debug, Clone, PartialEq)]
pub struct DraftRecord {
    pub id: DraftId,
    pub client_id: ClientId,
    pub ticket_id: TicketId,
    /// The staff user who asked for it, and their name then.
    pub agent_id: UserId,
    pub agent_name: String,
    pub tone: Tone,
    pub generated_by: GeneratedBy,
    /// The finished text the agent was given (placeholders filled back in).
    pub draft: String,
    pub confidence: f64,
    pub created_at: DateTime<Utc>,
    /// Set when a reply was posted with the draft's id.
    pub used: Option<DraftUse>,
}

/// A reply posted from a draft.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftUse {
    pub response_id: ResponseId,
    /// How much the person changed the draft ([`crate::ai::edit_ratio`]).
    pub edit_ratio: f64,
    pub used_at: DateTime<Utc>,
}

/// A client's stored AI settings (`/api/settings/support-ai`) and the draft usage log.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait AiStore: Send + Sync {
    /// The client's AI settings; `None` when never saved (the defaults apply).
    async fn ai_settings(&self, client: &ClientId) -> Result<Option<crate::ai::AiSettings>, StoreError>;

    /// Replaces the client's AI settings.
    async fn put_ai_settings(&self, client: &ClientId, settings: &crate::ai::AiSettings) -> Result<(), StoreError>;

    /// Logs a generated draft.
    async fn record_draft(&self, draft: &DraftRecord) -> Result<(), StoreError>;

    /// One logged draft of the client.
    async fn get_draft(&self, client: &ClientId, id: DraftId) -> Result<Option<DraftRecord>, StoreError>;

    /// Marks a draft used by a posted reply; only the first use counts (`false`: it was
    /// already used, nothing changed).
    async fn mark_draft_used(&self, client: &ClientId, id: DraftId, used: &DraftUse) -> Result<bool, StoreError>;

    /// The client's drafts generated in `[from, to)` (either end open), oldest first, as the
    /// usage report counts them.
    async fn draft_usage(
        &self,
        client: &ClientId,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Vec<DraftUsageRow>, StoreError>;
}

/// For desks without AI storage (handler tests): the defaults, nothing kept.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoAiStore;

#[async_trait]
impl AiStore for NoAiStore {
    async fn ai_settings(&self, _client: &ClientId) -> Result<Option<crate::ai::AiSettings>, StoreError> {
        Ok(None)
    }

    async fn put_ai_settings(&self, _client: &ClientId, _settings: &crate::ai::AiSettings) -> Result<(), StoreError> {
        Ok(())
    }

    async fn record_draft(&self, _draft: &DraftRecord) -> Result<(), StoreError> {
        Ok(())
    }

    async fn get_draft(&self, _client: &ClientId, _id: DraftId) -> Result<Option<DraftRecord>, StoreError> {
        Ok(None)
    }

    async fn mark_draft_used(&self, _client: &ClientId, _id: DraftId, _used: &DraftUse) -> Result<bool, StoreError> {
        Ok(false)
    }

    async fn draft_usage(
        &self,
        _client: &ClientId,
        _from: Option<DateTime<Utc>>,
        _to: Option<DateTime<Utc>>,
    ) -> Result<Vec<DraftUsageRow>, StoreError> {
        Ok(Vec::new())
    }
}
