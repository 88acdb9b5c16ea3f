//! Replies posted from a draft (`draftId` on `POST /api/tickets/{id}/responses`): the draft
//! must be one of this ticket's (the client's, by the token), and once the reply is committed
//! the draft is marked used with how much the person edited it — the usage report's figures.

use super::Desk;
use crate::access::Actor;
use crate::ai::edit_ratio;
use crate::ai_ports::{DraftRecord, DraftUse};
use crate::error::DeskError;
use crate::ids::{DraftId, TicketId};
use crate::response::{Response, ResponseKind};
use crate::validation::FieldErrors;

/// `draftId` as sent: a UUID.
pub(crate) fn parse_draft_id(value: &str) -> Result<DraftId, String> {
    value.trim().parse::<DraftId>().map_err(|_| "must be a UUID".to_owned())
}

impl Desk {
    /// The draft a reply says it was posted from; `None` without one. A draft of another
    /// ticket or client, an unknown one, one given by a member or with an internal note is
    /// refused (422 on `draftId`).
    pub(crate) async fn draft_of_reply(
        &self,
        actor: &Actor,
        ticket_id: TicketId,
        kind: ResponseKind,
        draft_id: Option<DraftId>,
    ) -> Result<Option<DraftRecord>, DeskError> {
        let Some(id) = draft_id else { return Ok(None) };
        let invalid = |message: &str| DeskError::Validation(FieldErrors::single("draftId", message));
        if !actor.is_staff() {
            return Err(invalid("only staff replies are posted from drafts"));
        }
        if !kind.is_public() {
            return Err(invalid("only a reply to the member can be posted from a draft"));
        }
        match self.ai.get_draft(&actor.client_id, id).await? {
            Some(draft) if draft.ticket_id == ticket_id && draft.client_id == actor.client_id => Ok(Some(draft)),
            _ => Err(invalid("is not a draft of this ticket")),
        }
    }

    /// Marks the draft used by the committed reply. Best effort: the reply is posted whatever
    /// happens here, and failing it now would invite a retry that posts it twice.
    pub(crate) async fn mark_draft_used(&self, actor: &Actor, draft: &DraftRecord, reply: &Response) {
        let used = DraftUse {
            response_id: reply.id,
            edit_ratio: edit_ratio(&draft.draft, &reply.body),
            used_at: reply.created_at,
        };
        let _ = self.ai.mark_draft_used(&actor.client_id, draft.id, &used).await;
    }
}

#[cfg(all(test, feature = "mocks"))]
mod tests {
    use super::*;
    use crate::access::Role;
    use crate::ai::{GeneratedBy, Tone};
    use crate::ai_ports::MockAiStore;
    use crate::ids::{ClientId, UserId};
    use crate::ports::MockTicketStore;
    use crate::test_fixtures::{actor, ticket};
    use crate::usecases::{DeskPorts, NewResponseInput, mock_ports};
    use chrono::Utc;
    use futures::executor::block_on;
    use std::sync::Arc;

    fn draft_of(ticket: TicketId, text: &str) -> DraftRecord {
        DraftRecord {
            id: DraftId::new(),
            client_id: ClientId::new("c"),
            ticket_id: ticket,
            agent_id: UserId::new("agent"),
            agent_name: "N".into(),
            tone: Tone::Professional,
            generated_by: GeneratedBy::Builtin,
            draft: text.into(),
            confidence: 0.5,
            created_at: Utc::now(),
            used: None,
        }
    }

    fn input(kind: Option<&str>, body: &str, draft: &str) -> NewResponseInput {
        NewResponseInput { kind: kind.map(str::to_owned), body: body.into(), draft_id: Some(draft.into()) }
    }

    /// A desk over one ticket that commits `commits` times, and an AI store knowing `drafts`.
    fn desk(t: &crate::ticket::Ticket, commits: usize, drafts: Vec<DraftRecord>, marks: usize) -> Desk {
        let mut tickets = MockTicketStore::new();
        let stored = t.clone();
        tickets.expect_get_ticket().returning(move |_, _| Ok(Some(stored.clone())));
        tickets.expect_update_ticket().times(commits).returning(|_, _, _| Ok(()));
        let mut ai = MockAiStore::new();
        ai.expect_get_draft().returning(move |_, id| Ok(drafts.iter().find(|d| d.id == id).cloned()));
        ai.expect_mark_draft_used()
            .times(marks)
            .withf(|_, _, used| (used.edit_ratio - 0.25).abs() < 1e-9)
            .returning(|_, _, _| Ok(true));
        Desk::new(DeskPorts { tickets: Arc::new(tickets), ai: Arc::new(ai), ..mock_ports() })
    }

    #[test]
    fn a_reply_from_a_draft_marks_it_used_with_its_edit_ratio() {
        let t = ticket("c", "m");
        let d = draft_of(t.id, "a b c d");
        let desk = desk(&t, 1, vec![d.clone()], 1);
        let staff = actor("c", "agent", Role::ClientUser);
        let created = block_on(desk.add_response(&staff, t.id, input(None, "a b x d", &d.id.to_string()), None));
        assert!(created.is_ok(), "{created:?}");
    }

    #[test]
    fn a_draft_of_another_ticket_an_unknown_one_a_note_or_a_member_is_refused_and_nothing_stored() {
        let t = ticket("c", "m");
        let ours = draft_of(t.id, "a b c d");
        let elsewhere = draft_of(TicketId::new(), "x");
        let desk = desk(&t, 0, vec![ours.clone(), elsewhere.clone()], 0);
        let staff = actor("c", "agent", Role::ClientUser);
        let member = actor("c", "m", Role::Member);
        let cases = [
            (&staff, input(None, "b", &elsewhere.id.to_string())),
            (&staff, input(None, "b", &DraftId::new().to_string())),
            (&staff, input(None, "b", "not-a-uuid")),
            (&staff, input(Some("note"), "b", &ours.id.to_string())),
            (&member, input(None, "b", &ours.id.to_string())),
        ];
        for (who, input) in cases {
            let result = block_on(desk.add_response(who, t.id, input.clone(), None));
            let Err(DeskError::Validation(errors)) = result else { panic!("{input:?}: {result:?}") };
            assert!(errors.get("draftId").is_some(), "{input:?}");
        }
        // Another member learns nothing: the ticket is not found.
        let other = actor("c", "m2", Role::Member);
        let result = block_on(desk.add_response(&other, t.id, input(None, "b", &ours.id.to_string()), None));
        assert!(matches!(result, Err(DeskError::NotFound("ticket"))), "{result:?}");
    }
}
