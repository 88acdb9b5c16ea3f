//! Replies to the member and internal notes.

use super::{Created, Decision, Desk};
use crate::access::{Action, Actor};
use crate::error::{DeskError, StoreError};
use crate::event::Change;
use crate::ids::{ResponseId, TicketId};
use crate::ports::{IdempotencyKey, IdempotencyRecord};
use crate::response::{Author, Response, ResponseKind};
use crate::ticket::{Description, Status};
use crate::validation::FieldErrors;
use crate::workflow;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewResponseInput {
    /// `reply` (default) or `note`.
    pub kind: Option<String>,
    pub body: String,
}

impl Desk {
    /// Adds a reply or an internal note.
    ///
    /// - A reply to a closed ticket is refused (`TicketClosed`); internal notes may still be
    ///   added to closed tickets, for the record.
    /// - A member's reply moves a `waiting` or `resolved` ticket back to `in_progress`.
    /// - The first public staff reply stamps `firstRespondedAt`.
    pub async fn add_response(
        &self,
        actor: &Actor,
        ticket_id: TicketId,
        input: NewResponseInput,
        idempotency: Option<IdempotencyKey>,
    ) -> Result<Created<Response>, DeskError> {
        let mut errors = FieldErrors::new();
        let kind = match input.kind.as_deref() {
            Some(value) => errors.check("kind", ResponseKind::parse(value)),
            None => Some(ResponseKind::Reply),
        };
        let body = errors.check("body", Description::new(&input.body));
        let (Some(kind), Some(body)) = (kind, body) else {
            // Members get 404 for tickets they cannot see before any validation message.
            self.load_for(actor, ticket_id, Action::ViewTicket).await?;
            return Err(DeskError::Validation(errors));
        };
        let action = if kind.is_public() { Action::Reply } else { Action::AddNote };

        if let Some(replayed) = self.replay_response(actor, ticket_id, idempotency.as_ref()).await? {
            return Ok(replayed);
        }

        let author = Author { id: actor.user_id.clone(), name: actor.name.clone(), role: actor.primary_role() };
        let result = self
            .change_ticket(actor, ticket_id, action, None, |ticket, now| {
                if kind.is_public() && ticket.status == Status::Closed {
                    return Err(DeskError::TicketClosed);
                }
                let response = Response {
                    id: ResponseId::new(),
                    ticket_id: ticket.id,
                    kind,
                    author: author.clone(),
                    body: body.as_str().to_owned(),
                    created_at: now,
                };
                let mut changes = vec![Change::for_response(kind, response.id)];
                if kind.is_public() {
                    if actor.is_staff() {
                        ticket.first_responded_at.get_or_insert(now);
                    } else if let Some(to) = workflow::after_member_reply(ticket.status) {
                        let from = workflow::transition(ticket, to, now)?;
                        changes.push(Change::StatusChanged { from, to });
                    }
                }
                let idempotency = idempotency.clone().map(|k| IdempotencyRecord {
                    client_id: actor.client_id.clone(),
                    user_id: actor.user_id.clone(),
                    key: k.key,
                    fingerprint: k.fingerprint,
                    ticket_id: ticket.id,
                    response_id: Some(response.id),
                    created_at: now,
                });
                Ok(Decision { changes, responses: vec![response], idempotency })
            })
            .await;
        match result {
            Ok((_, decision)) => {
                let response = decision.responses.into_iter().next().ok_or(DeskError::Contended)?;
                Ok(Created { value: response, replayed: false })
            }
            Err(DeskError::Store(StoreError::Duplicate(rule))) if rule == "idempotency_key" => {
                self.replay_response(actor, ticket_id, idempotency.as_ref()).await?.ok_or(DeskError::Contended)
            }
            Err(other) => Err(other),
        }
    }

    async fn replay_response(
        &self,
        actor: &Actor,
        ticket_id: TicketId,
        idempotency: Option<&IdempotencyKey>,
    ) -> Result<Option<Created<Response>>, DeskError> {
        let Some(record) = self.find_idempotent(actor, idempotency).await? else {
            return Ok(None);
        };
        let (Some(response_id), true) = (record.response_id, record.ticket_id == ticket_id) else {
            return Err(DeskError::IdempotencyKeyReused);
        };
        let response =
            self.tickets.get_response(&actor.client_id, response_id).await?.ok_or(DeskError::NotFound("response"))?;
        Ok(Some(Created { value: response, replayed: true }))
    }
}
