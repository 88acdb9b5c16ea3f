//! What the AI features read: a ticket with its conversation, history and the member's related
//! tickets ([`TicketContext`]), knowledge-base snippets, and — for drafts — the tone and an
//! optional canned response ([`DraftInput`]).
//!
//! Everything sent to a model or written into a summary goes through [`redact_all`] first; its
//! result is a [`Redacted`] value, the only input the prompt builders and the built-in
//! summariser accept. So "no PII leaves" is a property of the types, not of each call site.

use crate::ai::draft::Tone;
use crate::ai::pii::{MEMBER_NAME, Redaction, RedactionUnavailable, Redactor};
use crate::event::{Change, TicketEvent};
use crate::ids::{ResponseId, TicketId, UserId};
use crate::response::{Response, ResponseKind};
use crate::ticket::{Priority, Status, Ticket};
use chrono::{DateTime, Utc};
use std::ops::Deref;

/// Who wrote a message. Prompts say "Member" or "Staff", never a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Member,
    Staff,
}

impl Side {
    pub fn label(self) -> &'static str {
        match self {
            Side::Member => "Member",
            Side::Staff => "Staff",
        }
    }
}

/// A reply or an internal note of the conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationMessage {
    pub id: Option<ResponseId>,
    pub at: DateTime<Utc>,
    pub side: Side,
    pub kind: ResponseKind,
    pub body: String,
}

impl ConversationMessage {
    pub fn is_public(&self) -> bool {
        self.kind.is_public()
    }

    pub fn from_response(response: &Response) -> ConversationMessage {
        ConversationMessage {
            id: Some(response.id),
            at: response.created_at,
            side: if response.by_staff() { Side::Staff } else { Side::Member },
            kind: response.kind,
            body: response.body.clone(),
        }
    }
}

/// One of the member's earlier tickets, referenced as historical context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedTicket {
    pub id: TicketId,
    pub number: i64,
    pub subject: String,
    pub status: Status,
    pub created_at: DateTime<Utc>,
}

impl RelatedTicket {
    pub fn from_ticket(ticket: &Ticket) -> RelatedTicket {
        RelatedTicket {
            id: ticket.id,
            number: ticket.number,
            subject: ticket.subject.as_str().to_owned(),
            status: ticket.status,
            created_at: ticket.created_at,
        }
    }
}

/// A ticket as the AI features see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketContext {
    pub ticket_id: TicketId,
    pub number: i64,
    pub subject: String,
    /// The member's first message.
    pub description: String,
    pub status: Status,
    pub priority: Priority,
    pub category: Option<String>,
    pub member_id: UserId,
    pub member_name: String,
    pub created_at: DateTime<Utc>,
    /// Replies and notes, oldest first.
    pub messages: Vec<ConversationMessage>,
    /// The ticket's history, oldest first.
    pub history: Vec<TicketEvent>,
    /// The member's previous related tickets (chosen by the caller: same member, recent,
    /// similar category or text — see [`crate::ai::related`]), most related first.
    pub related: Vec<RelatedTicket>,
}

impl TicketContext {
    /// Gathers a ticket's context; messages and history are put in time order.
    pub fn new(
        ticket: &Ticket,
        responses: &[Response],
        history: &[TicketEvent],
        category: Option<&str>,
        related: &[Ticket],
    ) -> TicketContext {
        let mut messages: Vec<ConversationMessage> = responses.iter().map(ConversationMessage::from_response).collect();
        messages.sort_by_key(|m| m.at);
        let mut history = history.to_vec();
        history.sort_by_key(|e| e.at);
        TicketContext {
            ticket_id: ticket.id,
            number: ticket.number,
            subject: ticket.subject.as_str().to_owned(),
            description: ticket.description.as_str().to_owned(),
            status: ticket.status,
            priority: ticket.priority,
            category: category.map(str::to_owned),
            member_id: ticket.member.id.clone(),
            member_name: ticket.member.name.clone(),
            created_at: ticket.created_at,
            messages,
            history,
            related: related.iter().filter(|t| t.id != ticket.id).map(RelatedTicket::from_ticket).collect(),
        }
    }

    /// The context without anything internal (notes, internal history entries): what a draft
    /// to the member may be built from.
    pub fn public_only(&self) -> TicketContext {
        TicketContext {
            messages: self.messages.iter().filter(|m| m.is_public()).cloned().collect(),
            history: self.history.iter().filter(|e| !e.is_internal()).cloned().collect(),
            ..self.clone()
        }
    }

    /// Whether an event was the member's doing.
    pub fn by_member(&self, event: &TicketEvent) -> bool {
        event.actor_id == self.member_id
    }

    /// The message a `replied` / `note_added` event refers to.
    pub fn message(&self, id: ResponseId) -> Option<&ConversationMessage> {
        self.messages.iter().find(|m| m.id == Some(id))
    }
}

/// A knowledge-base article found for a ticket.
#[derive(Debug, Clone, PartialEq)]
pub struct KnowledgeSnippet {
    pub id: String,
    pub title: String,
    /// The relevant part of the body (the caller cuts it; prompts cut it again to their budget).
    pub snippet: String,
    /// Relevance from the search, normalised by the caller to 0..=1 (1 = best). Clamped on use.
    pub score: f64,
}

impl KnowledgeSnippet {
    pub fn relevance(&self) -> f64 {
        if self.score.is_finite() { self.score.clamp(0.0, 1.0) } else { 0.0 }
    }
}

/// Everything a draft is made from.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftInput {
    pub ticket: TicketContext,
    pub tone: Tone,
    /// Articles to draw on, best first (empty when the request said `includeKnowledgeBase:
    /// false`).
    pub knowledge: Vec<KnowledgeSnippet>,
    /// The canned response to enhance, already rendered for this ticket.
    pub canned: Option<String>,
}

/// Something whose text can be passed through a redaction session.
pub trait Redactable: Sized {
    fn redact_with(&self, redactor: &mut Redactor) -> Self;
}

impl Redactable for String {
    fn redact_with(&self, redactor: &mut Redactor) -> Self {
        redactor.redact(self)
    }
}

impl<T: Redactable> Redactable for Option<T> {
    fn redact_with(&self, redactor: &mut Redactor) -> Self {
        self.as_ref().map(|v| v.redact_with(redactor))
    }
}

impl<T: Redactable> Redactable for Vec<T> {
    fn redact_with(&self, redactor: &mut Redactor) -> Self {
        self.iter().map(|v| v.redact_with(redactor)).collect()
    }
}

impl Redactable for ConversationMessage {
    fn redact_with(&self, redactor: &mut Redactor) -> Self {
        ConversationMessage { body: redactor.redact(&self.body), ..self.clone() }
    }
}

impl Redactable for RelatedTicket {
    fn redact_with(&self, redactor: &mut Redactor) -> Self {
        RelatedTicket { subject: redactor.redact(&self.subject), ..self.clone() }
    }
}

impl Redactable for TicketEvent {
    fn redact_with(&self, redactor: &mut Redactor) -> Self {
        let change = match &self.change {
            Change::Created { subject, status, priority, category_id } => Change::Created {
                subject: redactor.redact(subject),
                status: *status,
                priority: *priority,
                category_id: *category_id,
            },
            Change::SubjectChanged { from, to } => {
                Change::SubjectChanged { from: redactor.redact(from), to: redactor.redact(to) }
            }
            Change::DescriptionChanged { from, to } => {
                Change::DescriptionChanged { from: redactor.redact(from), to: redactor.redact(to) }
            }
            other => other.clone(),
        };
        TicketEvent { actor_name: redactor.redact(&self.actor_name), change, ..self.clone() }
    }
}

impl Redactable for TicketContext {
    fn redact_with(&self, redactor: &mut Redactor) -> Self {
        TicketContext {
            subject: redactor.redact(&self.subject),
            description: redactor.redact(&self.description),
            category: self.category.redact_with(redactor),
            member_name: if self.member_name.trim().is_empty() { String::new() } else { MEMBER_NAME.to_owned() },
            messages: self.messages.redact_with(redactor),
            history: self.history.redact_with(redactor),
            related: self.related.redact_with(redactor),
            ..self.clone()
        }
    }
}

impl Redactable for KnowledgeSnippet {
    fn redact_with(&self, redactor: &mut Redactor) -> Self {
        KnowledgeSnippet {
            title: redactor.redact(&self.title),
            snippet: redactor.redact(&self.snippet),
            ..self.clone()
        }
    }
}

impl Redactable for DraftInput {
    fn redact_with(&self, redactor: &mut Redactor) -> Self {
        DraftInput {
            ticket: self.ticket.redact_with(redactor),
            tone: self.tone,
            knowledge: self.knowledge.redact_with(redactor),
            canned: self.canned.redact_with(redactor),
        }
    }
}

/// A value whose every text went through one redaction session. Only [`redact_all`] makes one.
#[derive(Debug, Clone, PartialEq)]
pub struct Redacted<T>(T);

impl<T> Deref for Redacted<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> Redacted<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

/// Redacts every text of `value` in one session that also knows the member's name, and gives
/// the session's [`Redaction`] for restoring the answer.
pub fn redact_all<T: Redactable>(
    value: &T,
    member_name: &str,
) -> Result<(Redacted<T>, Redaction), RedactionUnavailable> {
    let mut redactor = Redactor::for_member(member_name)?;
    let redacted = value.redact_with(&mut redactor);
    Ok((Redacted(redacted), redactor.finish()))
}

impl TicketContext {
    /// [`redact_all`] with the ticket's own member.
    pub fn redacted(&self) -> Result<(Redacted<TicketContext>, Redaction), RedactionUnavailable> {
        redact_all(self, &self.member_name)
    }
}

impl DraftInput {
    /// [`redact_all`] with the ticket's own member. Internal notes and internal history entries
    /// are dropped first: a draft goes to the member, so the model never sees them.
    pub fn redacted(&self) -> Result<(Redacted<DraftInput>, Redaction), RedactionUnavailable> {
        let public = DraftInput { ticket: self.ticket.public_only(), ..self.clone() };
        redact_all(&public, &self.ticket.member_name)
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! A ticket context for the AI tests, built without the store's types changing under us.
    use super::*;
    use crate::ids::{ClientId, EventId};
    use chrono::TimeZone;

    pub fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 1, day, hour, minute, 0).single().unwrap_or_default()
    }

    pub fn message(minutes: u32, side: Side, kind: ResponseKind, body: &str) -> ConversationMessage {
        ConversationMessage {
            id: Some(ResponseId::new()),
            at: at(10, 9, 0) + chrono::Duration::minutes(minutes.into()),
            side,
            kind,
            body: body.into(),
        }
    }

    pub fn event(ctx: &TicketContext, minutes: u32, by_member: bool, change: Change) -> TicketEvent {
        TicketEvent {
            id: EventId::new(),
            ticket_id: ctx.ticket_id,
            client_id: ClientId::new("harbour"),
            actor_id: if by_member { ctx.member_id.clone() } else { UserId::new("uma") },
            actor_name: if by_member { ctx.member_name.clone() } else { "Uma User".into() },
            at: at(10, 9, 0) + chrono::Duration::minutes(minutes.into()),
            change,
        }
    }

    /// Mia cannot log in; staff suggested a reset; Mia is still stuck and asks a question; an
    /// internal note mentions a decision.
    pub fn login_ticket() -> TicketContext {
        let mut ctx = TicketContext {
            ticket_id: TicketId::new(),
            number: 1042,
            subject: "Cannot log in since Monday".into(),
            description: "Hi, I am Mia Moreau. I cannot log in to the member portal since Monday. \
                          I reset my password twice but the login page still says invalid password. \
                          I use Chrome on Windows. You can call me on 07700 900123 or write to mia@members.example."
                .into(),
            status: Status::InProgress,
            priority: Priority::High,
            category: Some("Accounts".into()),
            member_id: UserId::new("mia"),
            member_name: "Mia Moreau".into(),
            created_at: at(10, 9, 0),
            messages: vec![
                message(
                    30,
                    Side::Staff,
                    ResponseKind::Reply,
                    "Hello Mia, sorry about that. Please try clearing your browser cache and reset the password once more.",
                ),
                message(
                    45,
                    Side::Staff,
                    ResponseKind::Note,
                    "Internal: account flagged by fraud check, we decided to keep it locked until Friday.",
                ),
                message(
                    90,
                    Side::Member,
                    ResponseKind::Reply,
                    "I cleared the cache and it still fails. This is really frustrating. Is my account locked?",
                ),
            ],
            history: Vec::new(),
            related: vec![RelatedTicket {
                id: TicketId::new(),
                number: 998,
                subject: "Password reset email never arrived".into(),
                status: Status::Resolved,
                created_at: at(2, 8, 0),
            }],
        };
        let created = Change::Created {
            subject: ctx.subject.clone(),
            status: Status::Open,
            priority: Priority::Medium,
            category_id: None,
        };
        let ids: Vec<ResponseId> = ctx.messages.iter().filter_map(|m| m.id).collect();
        ctx.history = vec![
            event(&ctx, 0, true, created),
            event(&ctx, 20, false, Change::StatusChanged { from: Status::Open, to: Status::InProgress }),
            event(&ctx, 25, false, Change::PriorityChanged { from: Priority::Medium, to: Priority::High }),
            event(&ctx, 30, false, Change::Replied { response_id: ids[0] }),
            event(&ctx, 45, false, Change::NoteAdded { response_id: ids[1] }),
            event(&ctx, 90, true, Change::Replied { response_id: ids[2] }),
        ];
        ctx
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;
    use crate::ai::pii::find_pii;

    #[test]
    fn redacting_a_context_leaves_no_pii_and_keeps_the_structure() {
        let ctx = login_ticket();
        let (redacted, redaction) = ctx.redacted().unwrap_or_else(|_| unreachable!());
        assert_eq!(redacted.member_name, "[Member Name]");
        assert!(redacted.description.contains("I am [Member Name]."), "{}", redacted.description);
        assert!(redacted.description.contains("[PHONE_1]") && redacted.description.contains("[EMAIL_1]"));
        assert!(redacted.messages[0].body.starts_with("Hello [Member First Name],"));
        for text in std::iter::once(&redacted.description).chain(redacted.messages.iter().map(|m| &m.body)) {
            assert!(find_pii(text).is_empty(), "{text}");
            assert!(!text.contains("Mia"), "{text}");
        }
        assert!(redacted.history.iter().all(|e| !e.actor_name.contains("Mia")));
        assert_eq!(redacted.messages.len(), 3);
        assert_eq!(redaction.restore(&redacted.description), ctx.description);
    }

    #[test]
    fn a_draft_never_sees_internal_notes() {
        let ctx = login_ticket();
        let input = DraftInput { ticket: ctx, tone: Tone::Friendly, knowledge: vec![], canned: None };
        let (redacted, _) = input.redacted().unwrap_or_else(|_| unreachable!());
        assert!(redacted.ticket.messages.iter().all(ConversationMessage::is_public));
        assert!(redacted.ticket.history.iter().all(|e| !e.is_internal()));
        assert_eq!(redacted.ticket.messages.len(), 2);
    }

    #[test]
    fn knowledge_relevance_is_clamped() {
        let mut k = KnowledgeSnippet { id: "a".into(), title: "t".into(), snippet: "s".into(), score: 3.0 };
        assert_eq!(k.relevance(), 1.0);
        k.score = f64::NAN;
        assert_eq!(k.relevance(), 0.0);
        k.score = -1.0;
        assert_eq!(k.relevance(), 0.0);
    }
}
