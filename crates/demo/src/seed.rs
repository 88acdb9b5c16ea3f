//! Seeding: plays the scripts through the desk's use cases, back-dated with the desk's clock.

use crate::script::{self, Action, Agent, Step, Topic};
use crate::tickets::TOPICS;
use crate::{DemoDesk, DemoIdentity, catalog, demo_desk, knowledge, title_of, unknown_person};
use chrono::{DateTime, Utc};
use memberdesk_domain::ports::IdempotencyKey;
use memberdesk_domain::usecases::{CreateTicketInput, MemberInput, NewResponseInput, TicketPatchInput};
use memberdesk_domain::{Actor, CategoryId, Desk, DeskError, FixedClock, TicketId};
use std::collections::BTreeMap;

/// What a [`seed`] run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedReport {
    /// Tickets this run created (0 when the desk was already seeded).
    pub created_tickets: usize,
    /// Every demo ticket existed before this run (conversations an interrupted run left
    /// unfinished may still have been completed).
    pub already_seeded: bool,
}

/// Seeds the demo desk: syncs the admin, staff and members into the user directory, names the
/// client, creates its categories, shared canned responses and published knowledge-base
/// articles (those missing), then creates
/// about sixty tickets, each in its category, and plays their conversations (replies, internal notes,
/// assignment, priority changes and status moves) through the use cases.
///
/// `clock` must be the same [`FixedClock`] the `desk` was built with. The seeder moves it to
/// back-date each ticket and each step over the six months before `now`, and sets it back to
/// `now` when it returns, whether it succeeded or not.
///
/// Idempotent: tickets are created with the idempotency key `demo-ticket-{n}` and responses
/// with `demo-ticket-{n}-response-{k}`. A ticket whose creation is replayed was seeded before:
/// its history tells how much of its conversation was played, so a run that was interrupted
/// half-way is completed, and a complete one gets nothing new.
pub async fn seed(desk: &Desk, clock: &FixedClock, now: DateTime<Utc>) -> Result<SeedReport, DeskError> {
    clock.set(now);
    let result = seed_all(desk, clock, now).await;
    clock.set(now);
    result
}

async fn seed_all(desk: &Desk, clock: &FixedClock, now: DateTime<Utc>) -> Result<SeedReport, DeskError> {
    let demo = demo_desk();
    let cast = Cast::new(&demo);
    for identity in demo.identities() {
        desk.sync_user(&identity.actor(&demo.client_id)).await?;
    }
    clock.set(now);
    let categories = catalog::seed_catalog(desk, &cast.admin.actor, &demo.client_name).await?;
    knowledge::seed_articles(desk, &cast.admin.actor).await?;
    let mut created_tickets = 0;
    for (index, topic) in TOPICS.iter().enumerate() {
        let ticket = Ticket::new(&cast, topic, index, &categories)?;
        clock.set(script::created_at(index, TOPICS.len(), now));
        let created = desk.create_ticket(ticket.creator(), ticket.create_input(), Some(ticket.key())).await?;
        let id = created.value.id;
        let actions = script::plan(topic, index, created.value.created_at, now);
        let start = if created.replayed {
            let history = desk.ticket_history(&cast.admin.actor, id).await?;
            script::resume_from(&actions, history.len())
        } else {
            created_tickets += 1;
            0
        };
        for (k, action) in actions.iter().enumerate().skip(start) {
            clock.set(action.at);
            ticket.play(desk, id, k, action).await?;
        }
    }
    Ok(SeedReport { created_tickets, already_seeded: created_tickets == 0 })
}

/// A demo identity with its actor.
struct Person<'a> {
    identity: &'a DemoIdentity,
    actor: Actor,
}

/// The people of the demo desk, as actors of its client.
struct Cast<'a> {
    admin: Person<'a>,
    staff: Vec<Person<'a>>,
    members: Vec<Person<'a>>,
}

impl<'a> Cast<'a> {
    fn new(demo: &'a DemoDesk) -> Cast<'a> {
        let person = |identity: &'a DemoIdentity| Person { identity, actor: identity.actor(&demo.client_id) };
        Cast {
            admin: person(&demo.admin),
            staff: demo.staff.iter().map(person).collect(),
            members: demo.members.iter().map(person).collect(),
        }
    }
}

/// One script with the people it involves.
struct Ticket<'a> {
    topic: &'a Topic,
    index: usize,
    admin: &'a Person<'a>,
    agent: &'a Person<'a>,
    member: &'a Person<'a>,
    category: CategoryId,
}

impl<'a> Ticket<'a> {
    fn new(
        cast: &'a Cast<'a>,
        topic: &'a Topic,
        index: usize,
        categories: &BTreeMap<&'static str, CategoryId>,
    ) -> Result<Ticket<'a>, DeskError> {
        let agent = match topic.agent {
            Agent::Admin => Some(&cast.admin),
            Agent::Staff(i) => cast.staff.get(i),
        };
        Ok(Ticket {
            topic,
            index,
            admin: &cast.admin,
            agent: agent.ok_or_else(|| unknown_person("staff user"))?,
            member: cast.members.get(topic.member).ok_or_else(|| unknown_person("member"))?,
            category: *categories.get(topic.category).ok_or_else(|| unknown_person("category"))?,
        })
    }

    /// The member, or the agent when staff raised the ticket on the member's behalf.
    fn creator(&self) -> &Actor {
        if self.topic.by_staff { &self.agent.actor } else { &self.member.actor }
    }

    fn key(&self) -> IdempotencyKey {
        IdempotencyKey { key: script::ticket_key(self.index), fingerprint: "demo".into() }
    }

    fn create_input(&self) -> CreateTicketInput {
        let member = self.member.identity;
        if self.topic.by_staff {
            CreateTicketInput {
                subject: self.topic.subject.into(),
                description: self.topic.body.into(),
                priority: Some(self.topic.priority.as_str().into()),
                category_id: Some(self.category.to_string()),
                member: Some(MemberInput {
                    id: member.user_id.clone(),
                    name: member.name.clone(),
                    email: member.email.clone(),
                }),
            }
        } else {
            CreateTicketInput {
                subject: self.topic.subject.into(),
                description: script::member_message(self.topic, None, self.index, 0, member.first_name()),
                category_id: Some(self.category.to_string()),
                ..CreateTicketInput::default()
            }
        }
    }

    /// Makes the `k`-th call of the plan, as the clock stands.
    async fn play(&self, desk: &Desk, id: TicketId, k: usize, action: &Action) -> Result<(), DeskError> {
        let (topic, index) = (self.topic, self.index);
        match action.step {
            Step::Prioritise => {
                let patch = TicketPatchInput { priority: Some(topic.priority.as_str().into()), ..Default::default() };
                desk.update_ticket(&self.admin.actor, id, patch, None).await?;
            }
            Step::Assign => {
                desk.assign_ticket(&self.admin.actor, id, Some(&self.agent.identity.user_id), None).await?;
            }
            Step::AgentReply(line) => {
                let agent = self.agent.identity;
                let body = script::staff_message(
                    topic,
                    line,
                    index,
                    k,
                    self.member.identity.first_name(),
                    &agent.name,
                    title_of(&agent.user_id),
                );
                self.respond(desk, &self.agent.actor, id, k, "reply", body).await?;
            }
            Step::AgentNote(line) => {
                let body = script::note_message(topic, line, index, k);
                self.respond(desk, &self.agent.actor, id, k, "note", body).await?;
            }
            Step::MemberReply(line) => {
                let body = script::member_message(topic, Some(line), index, k, self.member.identity.first_name());
                self.respond(desk, &self.member.actor, id, k, "reply", body).await?;
            }
            Step::AgentStatus(status) => {
                desk.change_status(&self.agent.actor, id, status.as_str(), None).await?;
            }
            Step::MemberClose => {
                desk.change_status(&self.member.actor, id, "closed", None).await?;
            }
        }
        Ok(())
    }

    async fn respond(
        &self,
        desk: &Desk,
        actor: &Actor,
        id: TicketId,
        k: usize,
        kind: &str,
        body: String,
    ) -> Result<(), DeskError> {
        let input = NewResponseInput { kind: Some(kind.into()), body, draft_id: None };
        let key = IdempotencyKey { key: script::response_key(self.index, k), fingerprint: "demo".into() };
        desk.add_response(actor, id, input, Some(key)).await?;
        Ok(())
    }
}
