//! Ticket and conversation summaries (issue 8, `docs/ai.md`): staff only — a member gets
//! `NotFound`, exactly as for a ticket that does not exist. The ticket's context is gathered
//! and redacted here, before anything reaches the [`Summarizer`] port.

use super::Desk;
use crate::access::{Action, Actor};
use crate::ai::related::{RELATED_CANDIDATES, RELATED_WINDOW_DAYS, rank_related};
use crate::ai::{ConversationSummary, TicketContext, TicketSummary};
use crate::ai_ports::{AiFailure, StoredSummary, SummaryBody, SummaryKind};
use crate::error::{DeskError, StoreError};
use crate::ids::{ClientId, TicketId};
use crate::query::{Sort, TicketFilter};
use crate::ticket::Ticket;
use chrono::Duration;

/// A summary, or why there is none: the ticket's basic metadata is the fallback.
#[derive(Debug, Clone, PartialEq)]
pub enum SummaryOutcome<T> {
    Ready(T),
    Unavailable { failure: AiFailure, ticket: Box<Ticket> },
}

/// A stored summary, and whether the ticket changed since it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryView {
    pub stored: StoredSummary,
    pub stale: bool,
}

/// How often storing a new version is tried when another request stored one at the same time.
const APPEND_ATTEMPTS: usize = 3;

impl Desk {
    /// The ticket, for staff only (members: `NotFound`, exactly as for a missing ticket).
    async fn staff_ticket(&self, actor: &Actor, id: TicketId) -> Result<Ticket, DeskError> {
        if !actor.is_staff() {
            return Err(DeskError::NotFound("ticket"));
        }
        self.load_for(actor, id, Action::ViewTicket).await
    }

    /// Everything a summary is made from, unredacted; staff only (members: `NotFound`).
    pub async fn summary_context(&self, actor: &Actor, id: TicketId) -> Result<(Ticket, TicketContext), DeskError> {
        let ticket = self.staff_ticket(actor, id).await?;
        let responses = self.tickets.list_responses(&actor.client_id, id, true).await?;
        let history = self.tickets.list_events(&actor.client_id, id, true).await?;
        let category = match ticket.category_id {
            Some(category_id) => {
                self.categories.get_category(&actor.client_id, category_id).await?.map(|c| c.name.as_str().to_owned())
            }
            None => None,
        };
        let related = self.related_tickets(&actor.client_id, &ticket).await?;
        let ctx = TicketContext::new(&ticket, &responses, &history, category.as_deref(), &related);
        Ok((ticket, ctx))
    }

    /// The member's earlier tickets worth referencing ([`rank_related`]): the member's tickets
    /// of the last [`RELATED_WINDOW_DAYS`] days before this one, newest [`RELATED_CANDIDATES`]
    /// of them in one query over the `(client, member, created)` index, ranked here.
    async fn related_tickets(&self, client: &ClientId, ticket: &Ticket) -> Result<Vec<Ticket>, DeskError> {
        let filter = TicketFilter {
            member_id: Some(ticket.member.id.clone()),
            created_from: Some(ticket.created_at - Duration::days(RELATED_WINDOW_DAYS)),
            created_to: Some(ticket.created_at),
            ..TicketFilter::default()
        };
        let candidates =
            self.tickets.list_tickets(client, &filter, Sort::default(), None, RELATED_CANDIDATES).await?.items;
        Ok(rank_related(ticket, &candidates).into_iter().cloned().collect())
    }

    /// Fresh summaries of each of `kinds` from the configured
    /// [`crate::ai_ports::Summarizer`], all made from one gathering of the ticket's context; the
    /// text is redacted before it is handed over, and the summaries keep the placeholders.
    async fn generate(
        &self,
        actor: &Actor,
        id: TicketId,
        kinds: &[SummaryKind],
    ) -> Result<(Ticket, Vec<Result<SummaryBody, AiFailure>>), DeskError> {
        let (ticket, ctx) = self.summary_context(actor, id).await?;
        let Ok((redacted, _redaction)) = ctx.redacted() else {
            return Ok((ticket, kinds.iter().map(|_| Err(AiFailure::RedactionUnavailable)).collect()));
        };
        let summarizer = self.summarizer_for(&self.ai_settings_of(&actor.client_id).await?);
        let mut bodies = Vec::with_capacity(kinds.len());
        for kind in kinds {
            let now = self.clock.now();
            bodies.push(match kind {
                SummaryKind::Ticket => summarizer.ticket_summary(&redacted, now).await.map(|mut s| {
                    s.ticket_id = id;
                    SummaryBody::Ticket(s)
                }),
                SummaryKind::Conversation => summarizer.conversation_summary(&redacted, now).await.map(|mut s| {
                    s.ticket_id = id;
                    SummaryBody::Conversation(s)
                }),
            });
        }
        Ok((ticket, bodies))
    }

    /// A fresh summary of `kind` alone.
    async fn generate_one(
        &self,
        actor: &Actor,
        id: TicketId,
        kind: SummaryKind,
    ) -> Result<(Ticket, Result<SummaryBody, AiFailure>), DeskError> {
        let (ticket, mut bodies) = self.generate(actor, id, &[kind]).await?;
        let body = bodies.pop().unwrap_or(Err(AiFailure::InvalidAnswer("no summary was made".into())));
        Ok((ticket, body))
    }

    /// A fresh ticket summary, not stored.
    pub async fn generate_ticket_summary(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<SummaryOutcome<TicketSummary>, DeskError> {
        Ok(match self.generate_one(actor, id, SummaryKind::Ticket).await? {
            (_, Ok(SummaryBody::Ticket(summary))) => SummaryOutcome::Ready(summary),
            (ticket, Ok(_)) => SummaryOutcome::Unavailable {
                failure: AiFailure::InvalidAnswer("the wrong kind of summary".into()),
                ticket: Box::new(ticket),
            },
            (ticket, Err(failure)) => SummaryOutcome::Unavailable { failure, ticket: Box::new(ticket) },
        })
    }

    /// A fresh conversation summary, not stored.
    pub async fn generate_conversation_summary(
        &self,
        actor: &Actor,
        id: TicketId,
    ) -> Result<SummaryOutcome<ConversationSummary>, DeskError> {
        Ok(match self.generate_one(actor, id, SummaryKind::Conversation).await? {
            (_, Ok(SummaryBody::Conversation(summary))) => SummaryOutcome::Ready(summary),
            (ticket, Ok(_)) => SummaryOutcome::Unavailable {
                failure: AiFailure::InvalidAnswer("the wrong kind of summary".into()),
                ticket: Box::new(ticket),
            },
            (ticket, Err(failure)) => SummaryOutcome::Unavailable { failure, ticket: Box::new(ticket) },
        })
    }

    /// The newest stored summary of `kind`, with whether the ticket changed since; the first
    /// request makes and stores version 1.
    pub async fn summary(
        &self,
        actor: &Actor,
        id: TicketId,
        kind: SummaryKind,
    ) -> Result<SummaryOutcome<SummaryView>, DeskError> {
        let ticket = self.staff_ticket(actor, id).await?;
        if let Some(stored) = self.summaries.latest_summary(&actor.client_id, id, kind).await? {
            let stale = ticket.version > stored.ticket_version;
            return Ok(SummaryOutcome::Ready(SummaryView { stored, stale }));
        }
        self.refresh_summary(actor, id, kind).await
    }

    /// Makes a new summary of `kind` and stores it as the next version.
    pub async fn refresh_summary(
        &self,
        actor: &Actor,
        id: TicketId,
        kind: SummaryKind,
    ) -> Result<SummaryOutcome<SummaryView>, DeskError> {
        let mut outcomes = self.refresh_summaries(actor, id, &[kind]).await?;
        outcomes.pop().ok_or(DeskError::Contended)
    }

    /// Makes a new summary of each of `kinds` from one gathering of the ticket's context and
    /// stores each as its next version; one outcome per kind, in order.
    pub(crate) async fn refresh_summaries(
        &self,
        actor: &Actor,
        id: TicketId,
        kinds: &[SummaryKind],
    ) -> Result<Vec<SummaryOutcome<SummaryView>>, DeskError> {
        let (ticket, bodies) = self.generate(actor, id, kinds).await?;
        let mut outcomes = Vec::with_capacity(bodies.len());
        for body in bodies {
            outcomes.push(match body {
                Ok(body) => SummaryOutcome::Ready(self.store_summary(actor, &ticket, body).await?),
                Err(failure) => SummaryOutcome::Unavailable { failure, ticket: Box::new(ticket.clone()) },
            });
        }
        Ok(outcomes)
    }

    /// Stores `body` as the next version of the ticket's summary of its kind.
    async fn store_summary(&self, actor: &Actor, ticket: &Ticket, body: SummaryBody) -> Result<SummaryView, DeskError> {
        let summary = StoredSummary { ticket_id: ticket.id, version: 0, body, ticket_version: ticket.version };
        let mut last = None;
        for _ in 0..APPEND_ATTEMPTS {
            match self.summaries.append_summary(&actor.client_id, summary.clone()).await {
                Ok(stored) => return Ok(SummaryView { stored, stale: false }),
                Err(StoreError::Duplicate(rule)) => last = Some(StoreError::Duplicate(rule)),
                Err(other) => return Err(other.into()),
            }
        }
        Err(last.map_or(DeskError::Contended, DeskError::from))
    }

    /// Every stored version of the ticket's summary of `kind`, newest first, each with whether
    /// the ticket changed since (staff only).
    pub async fn summary_history(
        &self,
        actor: &Actor,
        id: TicketId,
        kind: SummaryKind,
    ) -> Result<Vec<SummaryView>, DeskError> {
        let ticket = self.staff_ticket(actor, id).await?;
        let versions = self.summaries.summary_history(&actor.client_id, id, kind).await?;
        Ok(versions
            .into_iter()
            .map(|stored| {
                let stale = ticket.version > stored.ticket_version;
                SummaryView { stored, stale }
            })
            .collect())
    }
}

#[cfg(all(test, feature = "mocks"))]
mod tests {
    use super::*;
    use crate::access::Role;
    use crate::ai::GeneratedBy;
    use crate::ai_ports::MockSummarizer;
    use crate::ids::{ClientId, UserId};
    use crate::ports::MockTicketStore;
    use crate::query::Page;
    use crate::response::{Author, Response, ResponseKind};
    use crate::ticket::{Description, MemberRef, Priority, Status, Subject};
    use crate::usecases::{DeskPorts, mock_ports};
    use chrono::Utc;
    use futures::executor::block_on;
    use std::sync::{Arc, Mutex};

    const EMAIL: &str = "mia.jones@example.org";
    const CARD: &str = "4111 1111 1111 1111";

    fn actor(user: &str, role: Role) -> Actor {
        Actor::new(UserId::new(user), ClientId::new("c"), "N".into(), "n@example.org".into(), vec![role])
            .unwrap_or_else(|| unreachable!())
    }

    fn ticket() -> Ticket {
        Ticket {
            id: TicketId::new(),
            client_id: ClientId::new("c"),
            number: 7,
            subject: Subject::new("Cannot log in").unwrap_or_else(|_| unreachable!()),
            description: Description::new(&format!(
                "Hi, I am Mia Jones. My login fails since Monday. Write to {EMAIL}; my card {CARD} was charged."
            ))
            .unwrap_or_else(|_| unreachable!()),
            status: Status::Open,
            priority: Priority::High,
            category_id: None,
            member: MemberRef { id: UserId::new("m"), name: "Mia Jones".into(), email: EMAIL.into() },
            assignee_id: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            first_responded_at: None,
            resolved_at: None,
            closed_at: None,
            version: 3,
            sla: Default::default(),
        }
    }

    fn store(ticket: &Ticket) -> MockTicketStore {
        let mut tickets = MockTicketStore::new();
        let stored = ticket.clone();
        tickets.expect_get_ticket().returning(move |_, _| Ok(Some(stored.clone())));
        let reply = Response {
            id: crate::ids::ResponseId::new(),
            ticket_id: ticket.id,
            author: Author { id: UserId::new("m"), name: "Mia Jones".into(), role: Role::Member },
            kind: ResponseKind::Reply,
            body: "Still broken. Call me on +44 7700 900123 please.".into(),
            created_at: Utc::now(),
            attachments: Vec::new(),
        };
        tickets.expect_list_responses().returning(move |_, _, _| Ok(vec![reply.clone()]));
        tickets.expect_list_events().returning(|_, _, _| Ok(Vec::new()));
        tickets
            .expect_list_tickets()
            .returning(|_, _, _, _, _| Ok(Page { items: Vec::new(), next_cursor: None, total: 0, total_exact: true }));
        tickets
    }

    #[test]
    fn a_member_gets_not_found_and_nothing_is_read() {
        let desk = Desk::new(mock_ports());
        let result = block_on(desk.generate_ticket_summary(&actor("m", Role::Member), TicketId::new()));
        assert!(matches!(result, Err(DeskError::NotFound("ticket"))));
        let result = block_on(desk.generate_conversation_summary(&actor("m", Role::Member), TicketId::new()));
        assert!(matches!(result, Err(DeskError::NotFound("ticket"))));
    }

    #[test]
    fn without_an_ai_service_the_builtin_summariser_answers() {
        let t = ticket();
        let desk = Desk::new(DeskPorts { tickets: Arc::new(store(&t)), ..mock_ports() });
        let outcome = block_on(desk.generate_ticket_summary(&actor("agent", Role::ClientUser), t.id));
        let Ok(SummaryOutcome::Ready(summary)) = outcome else { panic!("no summary: {outcome:?}") };
        assert_eq!(summary.generated_by, GeneratedBy::Builtin);
        assert_eq!(summary.ticket_id, t.id);
        assert!(!summary.summary.contains(EMAIL), "{}", summary.summary);
        let outcome = block_on(desk.generate_conversation_summary(&actor("agent", Role::ClientUser), t.id));
        assert!(matches!(outcome, Ok(SummaryOutcome::Ready(ref s)) if s.generated_by == GeneratedBy::Builtin));
    }

    #[test]
    fn the_port_only_ever_sees_redacted_text() {
        let t = ticket();
        let seen = Arc::new(Mutex::new(String::new()));
        let sink = seen.clone();
        let mut summarizer = MockSummarizer::new();
        summarizer.expect_ticket_summary().times(1).returning(move |ctx, now| {
            if let Ok(mut s) = sink.lock() {
                *s = format!("{:?}", **ctx);
            }
            Ok(crate::ai::builtin_ticket_summary(ctx, now))
        });
        let desk = Desk::new(DeskPorts { tickets: Arc::new(store(&t)), ..mock_ports() })
            .with_ai(Arc::new(summarizer), Arc::new(crate::ai_ports::BuiltinDrafter));
        let outcome = block_on(desk.generate_ticket_summary(&actor("agent", Role::ClientUser), t.id));
        assert!(matches!(outcome, Ok(SummaryOutcome::Ready(_))));
        let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
        assert!(seen.contains("Still broken"), "the conversation is sent: {seen}");
        for value in [EMAIL, CARD, "+44 7700 900123", "Mia Jones", "Mia"] {
            assert!(!seen.contains(value), "{value} reached the port: {seen}");
        }
        assert!(seen.contains("[Member Name]"), "{seen}");
    }

    #[test]
    fn a_failing_service_gives_the_unavailable_state_with_the_ticket() {
        let t = ticket();
        let mut summarizer = MockSummarizer::new();
        summarizer
            .expect_conversation_summary()
            .returning(|_, _| Err(AiFailure::RateLimited { retry_after_seconds: Some(20) }));
        let desk = Desk::new(DeskPorts { tickets: Arc::new(store(&t)), ..mock_ports() })
            .with_ai(Arc::new(summarizer), Arc::new(crate::ai_ports::BuiltinDrafter));
        let outcome = block_on(desk.generate_conversation_summary(&actor("agent", Role::ClientUser), t.id));
        let Ok(SummaryOutcome::Unavailable { failure, ticket }) = outcome else { panic!("{outcome:?}") };
        assert_eq!(failure.retry_after_seconds(), 20);
        assert_eq!(ticket.id, t.id);
    }

    #[test]
    fn a_stored_summary_is_stale_once_the_ticket_moved_on_and_a_refresh_appends() {
        use crate::ai_ports::{MockSummaryStore, StoredSummary, SummaryBody, SummaryKind};
        let t = ticket();
        let id = t.id;
        let stored = StoredSummary {
            ticket_id: id,
            version: 4,
            body: SummaryBody::Ticket(crate::ai::TicketSummary {
                ticket_id: id,
                summary: "s".into(),
                key_points: Vec::new(),
                sentiment: crate::ai::Sentiment::Neutral,
                suggested_actions: Vec::new(),
                generated_at: Utc::now(),
                generated_by: GeneratedBy::Builtin,
            }),
            ticket_version: t.version - 1,
        };
        let mut summaries = MockSummaryStore::new();
        summaries.expect_latest_summary().returning(move |_, _, _| Ok(Some(stored.clone())));
        summaries.expect_append_summary().times(1).returning(|_, s| Ok(StoredSummary { version: 5, ..s }));
        let desk =
            Desk::new(DeskPorts { tickets: Arc::new(store(&t)), summaries: Arc::new(summaries), ..mock_ports() });
        let staff = actor("agent", Role::ClientUser);
        let Ok(SummaryOutcome::Ready(view)) = block_on(desk.summary(&staff, id, SummaryKind::Ticket)) else {
            panic!("no summary")
        };
        assert_eq!((view.stored.version, view.stale), (4, true));
        let Ok(SummaryOutcome::Ready(view)) = block_on(desk.refresh_summary(&staff, id, SummaryKind::Ticket)) else {
            panic!("no refresh")
        };
        assert_eq!((view.stored.version, view.stale, view.stored.ticket_version), (5, false, t.version));
        assert!(matches!(
            block_on(desk.summary_history(&actor("m", Role::Member), id, SummaryKind::Ticket)),
            Err(DeskError::NotFound("ticket"))
        ));
    }
}
