//! AI support features, the pure parts (see `docs/ai.md`): summaries, conversation summaries
//! and draft replies — asked from a model through prompts built here, or made by the built-in
//! summariser and drafter when no model is configured or it fails.
//!
//! Pure: no I/O, no clock (times come in as arguments). The adapter that talks to an
//! OpenAI-compatible service sends [`prompts`]' messages and reads the answer with
//! [`summary::parse_ticket_summary`], [`summary::parse_conversation_summary`] or
//! [`draft::parse_draft`], retrying once with [`prompts::retry_messages`].
//!
//! The pipeline of a draft:
//! ```text
//! DraftInput ──redacted()──▶ Redacted<DraftInput> + Redaction
//!     ├─ AI:      draft_messages → model → parse_draft → ModelDraft::into_draft
//!     └─ builtin: builtin_draft
//!                                  ──▶ finish_draft(terminology, signature, redaction) ──▶ Draft
//! ```
//! and of a summary:
//! ```text
//! TicketContext ──redacted()──▶ Redacted<TicketContext>
//!     ├─ AI:      ticket_summary_messages → model → parse_ticket_summary
//!     └─ builtin: builtin_ticket_summary          (summaries keep the placeholders)
//! ```
//!
//! - [`pii`]: redaction of emails, phones, cards, bank accounts, addresses and the member's name.
//! - [`context`]: the inputs, and [`Redacted`] — the only thing prompts are built from.
//! - [`summary`], [`draft`]: the API shapes and the validation of a model's answers.
//! - [`prompts`]: the chat messages.
//! - [`extractive`], [`template_drafter`]: the built-in summariser and drafter.
//! - [`terminology`]: organisation terms ("member", not "customer").
//! - [`refresh`]: which changes call for a new summary, and the debounce.
//! - [`related`]: which of the member's earlier tickets a summary references.
//! - [`settings`]: the client's AI settings.
//! - [`usage`]: the edit ratio of a posted draft and the draft usage report.

pub mod answer;
pub mod context;
pub mod draft;
pub mod extractive;
pub mod pii;
pub mod prompts;
pub mod refresh;
pub mod related;
pub mod settings;
pub mod summary;
pub mod template_drafter;
pub mod terminology;
pub mod text;
pub mod usage;

pub use answer::AiAnswerError;
pub use context::{
    ConversationMessage, DraftInput, KnowledgeSnippet, Redacted, RelatedTicket, Side, TicketContext, redact_all,
};
pub use draft::{
    AttachmentKind, Draft, DraftRequest, Evidence, ModelDraft, Signature, SuggestedAttachment, Tone, finish_draft,
    parse_draft,
};
pub use extractive::{builtin_conversation_summary, builtin_ticket_summary};
pub use pii::{PiiKind, Redaction, RedactionUnavailable, Redactor, find_pii};
pub use prompts::{
    ChatMessage, ChatRole, DraftStyle, PromptBudget, conversation_summary_messages, draft_messages, retry_messages,
    ticket_summary_messages,
};
pub use refresh::{RefreshDecision, RefreshPolicy, decide as refresh_decision, is_significant};
pub use settings::{AiSettings, AiSettingsInput};
pub use summary::{
    ConversationSummary, GeneratedBy, Sentiment, TicketSummary, TimelineEntry, parse_conversation_summary,
    parse_ticket_summary,
};
pub use template_drafter::builtin_draft;
pub use terminology::{TermRule, Terminology, Violation};
pub use usage::{AgentUsage, DraftUsageRow, UsageFigures, UsageReport, edit_ratio, usage_report};

#[cfg(test)]
mod tests {
    //! The whole pipeline as the adapter will drive it, with a scripted model.
    use super::*;
    use crate::ai::context::fixtures::{at, login_ticket};

    #[test]
    fn a_draft_round_trip_with_a_scripted_model() {
        let knowledge = vec![KnowledgeSnippet {
            id: "kb-7".into(),
            title: "Locked accounts".into(),
            snippet: "Accounts are unlocked by the membership office.".into(),
            score: 0.9,
        }];
        let input = DraftInput { ticket: login_ticket(), tone: Tone::Professional, knowledge, canned: None };
        let (redacted, redaction) = input.redacted().unwrap_or_else(|_| unreachable!());
        let messages = draft_messages(&redacted, &DraftStyle::default(), &PromptBudget::default());
        let sent = serde_json::to_string(&messages).unwrap_or_default();
        for value in redaction.values() {
            assert!(!sent.contains(value), "{value} was sent");
        }

        // The first answer is invalid; the retry carries the error; the second is good.
        let first = "Dear customer, your account is fine.";
        let error = parse_draft(first, &redacted.knowledge).err();
        let Some(error) = error else { panic!("expected an invalid answer") };
        let retry = retry_messages(&messages, first, &error);
        assert_eq!(retry.len(), messages.len() + 2);
        let second = r#"{"draft": "Dear [Member First Name],\n\nYour account at [EMAIL_1] is locked; as a valued customer you can call us back.", "confidence": 0.8,
            "suggestedAttachments": [{"type": "knowledge_base", "id": "kb-7", "title": "x"}], "clarifyingQuestions": []}"#;
        let model = parse_draft(second, &redacted.knowledge).unwrap_or_else(|e| panic!("{e}"));
        let evidence = model.evidence(&redacted.knowledge, false, true);
        let draft = model.into_draft(redacted.tone, &evidence);
        let signature = Signature { agent_name: "Uma User".into(), organisation: None };
        let done = finish_draft(draft, &Terminology::default(), &signature, &redaction);
        assert_eq!(
            done.draft,
            "Dear Mia,\n\nYour account at mia@members.example is locked; as a valued member you can call us back.\n\nKind regards,\nUma User"
        );
        // 0.4·0.8 + 0.6·min(0.95, 0.15 + 0.405 + 0.15) = 0.32 + 0.423 = 0.743
        assert_eq!(done.confidence, 0.74);
        assert_eq!(done.suggested_attachments[0].title, "Locked accounts");
    }

    #[test]
    fn a_summary_round_trip_with_a_scripted_model() {
        let ctx = login_ticket();
        let (redacted, _) = ctx.redacted().unwrap_or_else(|_| unreachable!());
        let _messages = ticket_summary_messages(&redacted, &PromptBudget::default());
        let answer = r#"{"summary": "[Member Name] cannot log in.", "keyPoints": ["Reset twice"], "sentiment": "frustrated", "suggestedActions": []}"#;
        let ai = parse_ticket_summary(answer, ctx.ticket_id, at(15, 0, 0)).unwrap_or_else(|e| panic!("{e}"));
        let builtin = builtin_ticket_summary(&redacted, at(15, 0, 0));
        assert_eq!((ai.generated_by, builtin.generated_by), (GeneratedBy::Ai, GeneratedBy::Builtin));
        assert_eq!(ai.sentiment, builtin.sentiment);
        assert!(ai.summary.contains("[Member Name]"), "summaries keep placeholders");
    }
}
