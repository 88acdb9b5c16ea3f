//! The desk's operations. Each file holds one use case as methods on [`Desk`]; all of them
//! check access in the domain (never only in a handler), decide the change as events, and
//! commit state, events and outbox rows through the store in one transaction.

mod add_response;
mod ai_settings;
mod assign_ticket;
mod assignment;
mod assignment_consumer;
mod attachments;
mod canned_responses;
mod categories;
mod change_status;
mod client_settings;
mod create_ticket;
mod directory;
mod draft_replies;
mod drafts;
mod knowledge_base;
mod notifications;
mod queue;
mod sla;
mod summaries;
mod summary_refresh;
mod update_ticket;
mod view_ticket;

pub use add_response::NewResponseInput;
pub use assign_ticket::AssignOutcome;
pub use assignment::{AgentUpdate, AssignmentTrigger, AutoAssignOutcome, TOPIC_AGENT_CHANGED, TOPIC_RULES_CHANGED};
pub use assignment_consumer::{ASSIGNMENT_CONSUMER, AssignmentConsumer};
pub use attachments::AttachmentDownload;
pub use canned_responses::{CannedResponseInput, CannedResponsePatch};
pub use categories::{CategoryInput, CategoryPatch};
pub use create_ticket::{CreateTicketInput, MemberInput};
pub use drafts::DraftOutcome;
pub use knowledge_base::{ArticleInput, ArticlePatch, DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT};
pub use notifications::OutboxQuery;
pub use sla::{SlaCheck, SlaPassReport};
pub use summaries::{SummaryOutcome, SummaryView};
pub use summary_refresh::{RefreshPassReport, SUMMARY_REFRESH_CONSUMER, SummaryRefresher};
pub use update_ticket::TicketPatchInput;
pub use view_ticket::TicketDetails;

use crate::access::{self, Action, Actor};
use crate::attachment::AttachmentLimits;
use crate::clock::Clock;
use crate::error::{DeskError, StoreError};
use crate::event::{Change, TicketEvent};
use crate::ids::{EventId, TicketId};
use crate::outbox::OutboxMessage;
use crate::ports::{
    AttachmentStorage, CannedResponseStore, CategoryStore, ClientStore, Commit, IdempotencyRecord, SlaStore,
    TicketStore, UserDirectory,
};
use crate::response::Response;
use crate::ticket::Ticket;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// How often a change without `If-Match` is re-decided on a fresh copy of the ticket when a
/// concurrent writer got there first. Every round has a winner, so n writers racing on one
/// ticket all get through within n rounds; the bound only stops a pathological livelock.
const MAX_ATTEMPTS: usize = 50;

/// A created resource, and whether it was replayed from an earlier request with the same
/// idempotency key (nothing new was created then).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created<T> {
    pub value: T,
    pub replayed: bool,
}

/// The member-support desk: the use cases, wired to their ports.
#[derive(Clone)]
pub struct Desk {
    tickets: Arc<dyn TicketStore>,
    users: Arc<dyn UserDirectory>,
    clock: Arc<dyn Clock>,
    categories: Arc<dyn CategoryStore>,
    canned_responses: Arc<dyn CannedResponseStore>,
    clients: Arc<dyn ClientStore>,
    attachments: Arc<dyn AttachmentStorage>,
    attachment_limits: AttachmentLimits,
    sla: Arc<dyn SlaStore>,
    outbox: Arc<dyn crate::notify::OutboxStore>,
    crm: Arc<dyn crate::notify::CrmStore>,
    assignment: Arc<dyn crate::assignment_ports::AssignmentStore>,
    /// Who writes summaries and drafts: the built-in ones unless [`Desk::with_ai`] says otherwise.
    summarizer: Arc<dyn crate::ai_ports::Summarizer>,
    drafter: Arc<dyn crate::ai_ports::Drafter>,
    summaries: Arc<dyn crate::ai_ports::SummaryStore>,
    ai: Arc<dyn crate::ai_ports::AiStore>,
    knowledge: Arc<dyn crate::kb_ports::KnowledgeBase>,
}

/// Everything the desk needs from the outside world, named so that adding a port is one field
/// here and one line in the composition root.
#[derive(Clone)]
pub struct DeskPorts {
    pub tickets: Arc<dyn TicketStore>,
    pub users: Arc<dyn UserDirectory>,
    pub clock: Arc<dyn Clock>,
    pub categories: Arc<dyn CategoryStore>,
    pub canned_responses: Arc<dyn CannedResponseStore>,
    pub clients: Arc<dyn ClientStore>,
    /// Where attachments' bytes are kept.
    pub attachments: Arc<dyn AttachmentStorage>,
    /// SLA settings, the escalation worker's claims, SLA reporting.
    pub sla: Arc<dyn SlaStore>,
    /// The outbox as admins see it (list, retry).
    pub outbox: Arc<dyn crate::notify::OutboxStore>,
    /// The clients' CRM settings.
    pub crm: Arc<dyn crate::notify::CrmStore>,
    /// Agents, assignment rules, cursors, backlog (issue 6).
    pub assignment: Arc<dyn crate::assignment_ports::AssignmentStore>,
    /// Stored, versioned ticket and conversation summaries (issue 8).
    pub summaries: Arc<dyn crate::ai_ports::SummaryStore>,
    /// The clients' AI settings and the draft usage log (issue 8).
    pub ai: Arc<dyn crate::ai_ports::AiStore>,
    /// The clients' knowledge bases (issue 8).
    pub knowledge: Arc<dyn crate::kb_ports::KnowledgeBase>,
}

/// Mocks of every port, with no expectations (any call panics), for use-case tests to override
/// with struct update syntax: `DeskPorts { tickets: Arc::new(store), ..mock_ports() }`.
#[cfg(all(test, feature = "mocks"))]
pub(crate) fn mock_ports() -> DeskPorts {
    use crate::ports::*;
    DeskPorts {
        tickets: Arc::new(MockTicketStore::new()),
        users: Arc::new(MockUserDirectory::new()),
        clock: Arc::new(crate::clock::FixedClock::new(Utc::now())),
        categories: Arc::new(MockCategoryStore::new()),
        canned_responses: Arc::new(MockCannedResponseStore::new()),
        clients: Arc::new(MockClientStore::new()),
        attachments: Arc::new(MockAttachmentStorage::new()),
        sla: Arc::new(MockSlaStore::new()),
        outbox: Arc::new(crate::notify::ports::MockOutboxStore::new()),
        crm: Arc::new(crate::notify::ports::MockCrmStore::new()),
        assignment: Arc::new(crate::assignment_ports::MockAssignmentStore::new()),
        summaries: Arc::new(crate::ai_ports::MockSummaryStore::new()),
        // Not a mock: summaries and drafts read the client's AI settings in passing; the
        // defaults (AI on) apply. Tests about the settings themselves pass a MockAiStore.
        ai: Arc::new(crate::ai_ports::NoAiStore),
        knowledge: Arc::new(crate::kb_ports::MockKnowledgeBase::new()),
    }
}

/// What a use case decided to do to a ticket it holds.
#[derive(Debug, Default)]
struct Decision {
    changes: Vec<Change>,
    responses: Vec<Response>,
    idempotency: Option<IdempotencyRecord>,
}

impl Desk {
    pub fn new(ports: DeskPorts) -> Desk {
        let DeskPorts {
            tickets,
            users,
            clock,
            categories,
            canned_responses,
            clients,
            attachments,
            sla,
            outbox,
            crm,
            assignment,
            summaries,
            ai,
            knowledge,
        } = ports;
        Desk {
            tickets,
            users,
            clock,
            categories,
            canned_responses,
            clients,
            attachments,
            attachment_limits: AttachmentLimits::default(),
            sla,
            outbox,
            crm,
            assignment,
            summarizer: Arc::new(crate::ai_ports::BuiltinSummarizer),
            drafter: Arc::new(crate::ai_ports::BuiltinDrafter),
            summaries,
            ai,
            knowledge,
        }
    }

    /// The same desk with an AI service's summariser and drafter (the defaults are the
    /// built-in ones, labelled `generatedBy: "builtin"`).
    pub fn with_ai(
        mut self,
        summarizer: Arc<dyn crate::ai_ports::Summarizer>,
        drafter: Arc<dyn crate::ai_ports::Drafter>,
    ) -> Desk {
        self.summarizer = summarizer;
        self.drafter = drafter;
        self
    }

    /// The same desk with other limits on attachments (the defaults: 10 MiB, 10 files).
    pub fn with_attachment_limits(mut self, limits: AttachmentLimits) -> Desk {
        self.attachment_limits = limits;
        self
    }

    /// What may be attached to one response; adapters that read uploads stop reading there.
    pub fn attachment_limits(&self) -> AttachmentLimits {
        self.attachment_limits
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Is storage reachable?
    pub async fn ready(&self) -> Result<(), DeskError> {
        Ok(self.tickets.ping().await?)
    }

    /// Loads a ticket the actor may act on, or `NotFound`/`Forbidden`.
    async fn load_for(&self, actor: &Actor, id: TicketId, action: Action) -> Result<Ticket, DeskError> {
        let ticket = self.tickets.get_ticket(&actor.client_id, id).await?.ok_or(DeskError::NotFound("ticket"))?;
        access::authorize_on(actor, action, &ticket)?;
        Ok(ticket)
    }

    /// Applies `decide` to the current ticket and commits the result, guarded by the version.
    ///
    /// With `expected_version` (from `If-Match`) a stale version is `StaleVersion`; without
    /// it, a lost race re-reads the ticket and decides again, so concurrent replies and status
    /// changes never overwrite each other. A decision with no changes writes nothing.
    async fn change_ticket<F>(
        &self,
        actor: &Actor,
        id: TicketId,
        action: Action,
        expected_version: Option<i64>,
        mut decide: F,
    ) -> Result<(Ticket, Decision), DeskError>
    where
        F: FnMut(&mut Ticket, DateTime<Utc>) -> Result<Decision, DeskError> + Send,
    {
        for _ in 0..MAX_ATTEMPTS {
            let mut ticket = self.load_for(actor, id, action).await?;
            if let Some(expected) = expected_version
                && expected != ticket.version
            {
                return Err(DeskError::StaleVersion { expected, current: ticket.version });
            }
            let now = self.clock.now();
            let decision = decide(&mut ticket, now)?;
            if decision.changes.is_empty() {
                let ticket = self.present_one(actor, ticket).await?;
                return Ok((ticket, decision));
            }
            let current_version = ticket.version;
            ticket.version = current_version + 1;
            ticket.updated_at = now;
            // Whatever changed, the SLA snapshot is recomputed and committed with it.
            self.refresh_sla(&mut ticket, now).await?;
            let commit = self.commit_for(actor, &ticket, now, &decision);
            match self.tickets.update_ticket(&ticket, current_version, commit).await {
                Ok(()) => return Ok((sla::visible_to(actor, ticket), decision)),
                Err(StoreError::VersionConflict) => {
                    if let Some(expected) = expected_version {
                        let current =
                            self.tickets.get_ticket(&actor.client_id, id).await?.map_or(expected + 1, |t| t.version);
                        return Err(DeskError::StaleVersion { expected, current });
                    }
                }
                Err(other) => return Err(other.into()),
            }
        }
        Err(DeskError::Contended)
    }

    /// The events, outbox rows, responses and idempotency record of one decision.
    fn commit_for(&self, actor: &Actor, ticket: &Ticket, now: DateTime<Utc>, decision: &Decision) -> Commit {
        let events: Vec<TicketEvent> = decision
            .changes
            .iter()
            .map(|change| TicketEvent {
                id: EventId::new(),
                ticket_id: ticket.id,
                client_id: ticket.client_id.clone(),
                actor_id: actor.user_id.clone(),
                actor_name: actor.name.clone(),
                at: now,
                change: change.clone(),
            })
            .collect();
        let outbox = events.iter().map(OutboxMessage::for_event).collect();
        Commit { responses: decision.responses.clone(), events, outbox, idempotency: decision.idempotency.clone() }
    }
}
