//! Raising a ticket: a member for themselves, staff on a member's behalf.

use super::{Created, Desk};
use crate::access::{self, Action, Actor};
use crate::error::{DeskError, StoreError};
use crate::event::Change;
use crate::ids::{CategoryId, TicketId};
use crate::ports::{IdempotencyKey, IdempotencyRecord};
use crate::ticket::{Description, MemberRef, Priority, Status, Subject, Ticket};
use crate::validation::FieldErrors;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberInput {
    pub id: String,
    pub name: String,
    pub email: String,
}

/// A new ticket as the caller sent it, unvalidated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateTicketInput {
    pub subject: String,
    pub description: String,
    /// Ignored for members: they cannot choose priority.
    pub priority: Option<String>,
    pub category_id: Option<String>,
    /// Required for staff (the member the ticket is for); ignored for members, who raise
    /// tickets for themselves.
    pub member: Option<MemberInput>,
}

impl Desk {
    pub async fn create_ticket(
        &self,
        actor: &Actor,
        input: CreateTicketInput,
        idempotency: Option<IdempotencyKey>,
    ) -> Result<Created<Ticket>, DeskError> {
        access::authorize(actor, Action::CreateTicket)?;
        if let Some(replayed) = self.replay_ticket(actor, idempotency.as_ref()).await? {
            return Ok(replayed);
        }

        let mut errors = FieldErrors::new();
        let subject = errors.check("subject", Subject::new(&input.subject));
        let description = errors.check("description", Description::new(&input.description));
        let priority = match (&input.priority, actor.is_staff()) {
            (Some(value), true) => errors.check("priority", Priority::parse(value)),
            _ => Some(Priority::default()),
        };
        let category_id = match input.category_id.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            Some(value) => match value.parse::<CategoryId>() {
                Ok(id) if self.tickets.category_usable(&actor.client_id, id).await? => Some(id),
                Ok(_) => {
                    errors.add("categoryId", "is not an active category of this desk");
                    None
                }
                Err(_) => {
                    errors.add("categoryId", "must be a UUID");
                    None
                }
            },
            None => None,
        };
        let member = if actor.is_staff() {
            match &input.member {
                Some(m) => match MemberRef::new(&m.id, &m.name, &m.email) {
                    Ok(member) => Some(member),
                    Err(member_errors) => {
                        for (field, message) in member_errors.iter() {
                            errors.add(field, message.clone());
                        }
                        None
                    }
                },
                None => {
                    errors.add("member", "is required when staff raise a ticket on a member's behalf");
                    None
                }
            }
        } else {
            Some(MemberRef { id: actor.user_id.clone(), name: actor.name.clone(), email: actor.email.clone() })
        };
        let (Some(subject), Some(description), Some(priority), Some(member)) = (subject, description, priority, member)
        else {
            return Err(DeskError::Validation(errors));
        };
        errors.into_result()?;

        let now = self.clock.now();
        let mut ticket = Ticket {
            id: TicketId::new(),
            client_id: actor.client_id.clone(),
            number: 0,
            subject,
            description,
            status: Status::Open,
            priority,
            category_id,
            member,
            assignee_id: None,
            created_at: now,
            updated_at: now,
            first_responded_at: None,
            resolved_at: None,
            closed_at: None,
            version: 1,
            sla: Default::default(),
        };
        self.start_sla(&mut ticket, now).await?;
        let decision = super::Decision {
            changes: vec![Change::Created {
                subject: ticket.subject.as_str().to_owned(),
                status: ticket.status,
                priority: ticket.priority,
                category_id: ticket.category_id,
            }],
            responses: vec![],
            idempotency: idempotency.map(|k| IdempotencyRecord {
                client_id: actor.client_id.clone(),
                user_id: actor.user_id.clone(),
                key: k.key,
                fingerprint: k.fingerprint,
                ticket_id: ticket.id,
                response_id: None,
                created_at: now,
            }),
        };
        let commit = self.commit_for(actor, &ticket, now, &decision);
        let sla_status = ticket.sla.status;
        match self.tickets.insert_ticket(ticket, commit).await {
            Ok(mut stored) => {
                // The store gave it its number; the SLA status computed above still holds.
                stored.sla.status = sla_status;
                Ok(Created { value: super::sla::visible_to(actor, stored), replayed: false })
            }
            // A concurrent retry with the same key won the race: answer with its result.
            Err(StoreError::Duplicate(rule)) if rule == "idempotency_key" => {
                let key = decision.idempotency.map(|r| IdempotencyKey { key: r.key, fingerprint: r.fingerprint });
                self.replay_ticket(actor, key.as_ref()).await?.ok_or(DeskError::Contended)
            }
            Err(other) => Err(other.into()),
        }
    }

    /// The ticket an earlier request with this idempotency key created, if any.
    async fn replay_ticket(
        &self,
        actor: &Actor,
        idempotency: Option<&IdempotencyKey>,
    ) -> Result<Option<Created<Ticket>>, DeskError> {
        let Some(record) = self.find_idempotent(actor, idempotency).await? else {
            return Ok(None);
        };
        if record.response_id.is_some() {
            return Err(DeskError::IdempotencyKeyReused);
        }
        let ticket = self.load_for(actor, record.ticket_id, Action::ViewTicket).await?;
        let ticket = self.present_one(actor, ticket).await?;
        Ok(Some(Created { value: ticket, replayed: true }))
    }

    /// The stored record for the caller's key, checked against the request's fingerprint.
    pub(super) async fn find_idempotent(
        &self,
        actor: &Actor,
        idempotency: Option<&IdempotencyKey>,
    ) -> Result<Option<IdempotencyRecord>, DeskError> {
        let Some(key) = idempotency else { return Ok(None) };
        match self.tickets.find_idempotency(&actor.client_id, &actor.user_id, &key.key).await? {
            Some(record) if record.fingerprint != key.fingerprint => Err(DeskError::IdempotencyKeyReused),
            found => Ok(found),
        }
    }
}
