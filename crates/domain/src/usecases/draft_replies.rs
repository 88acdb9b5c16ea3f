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
