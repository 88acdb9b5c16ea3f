//! Replies to the member and internal notes, with or without attached files.

use super::{Created, Decision, Desk};
use crate::access::{Action, Actor};
use crate::attachment::{self, Attachment, NewAttachment};
use crate::error::{DeskError, StoreError};
use crate::event::Change;
use crate::ids::{AttachmentId, ResponseId, TicketId};
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
    /// The draft the reply was posted from (`draftId`), for the draft usage report.
    pub draft_id: Option<String>,
}

/// A file accepted for a response, its bytes not yet stored.
struct AcceptedFile {
    id: AttachmentId,
    filename: String,
    content_type: String,
    size: u64,
    sha256: String,
    storage_key: String,
    bytes: Vec<u8>,
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
        self.add_response_with_attachments(actor, ticket_id, input, Vec::new(), idempotency).await
    }

    /// Adds a reply or an internal note with files attached (see [`Desk::add_response`] for the
    /// rules of the response itself). Whoever may write the response may attach files to it:
    /// members to replies on their own tickets, staff to replies and notes.
    ///
    /// - At most [`AttachmentLimits::max_files`](crate::AttachmentLimits) files (422 on `files`),
    ///   none empty (422), none larger than `max_bytes` (`AttachmentTooLarge`).
    /// - File names are sanitised ([`attachment::sanitize_filename`]); bytes are stored under
    ///   server-made keys.
    ///
    /// Order, so that a failed upload leaves no half-written response and a failed response
    /// no orphan file: everything is validated and the actor's right to write here is checked
    /// before a byte is stored; then the files are stored; then the response and its attachment
    /// rows are committed in one transaction; if that commit fails, the stored files are deleted
    /// again (best effort: a deletion that fails is logged by the storage adapter). When the
    /// store cannot tell whether the commit happened (`StoreError::Unavailable`: it may still
    /// complete), the files are kept — an unreferenced file is harmless, a response whose file
    /// is gone is not.
    pub async fn add_response_with_attachments(
        &self,
        actor: &Actor,
        ticket_id: TicketId,
        input: NewResponseInput,
        files: Vec<NewAttachment>,
        idempotency: Option<IdempotencyKey>,
    ) -> Result<Created<Response>, DeskError> {
        let mut errors = FieldErrors::new();
        let kind = match input.kind.as_deref() {
            Some(value) => errors.check("kind", ResponseKind::parse(value)),
            None => Some(ResponseKind::Reply),
        };
        let body = errors.check("body", Description::new(&input.body));
        let draft_id =
            input.draft_id.as_deref().and_then(|v| errors.check("draftId", super::draft_replies::parse_draft_id(v)));
        let files = match self.accept_files(files, &mut errors) {
            Ok(files) => files,
            Err(too_large) => {
                // Members get 404 for tickets they cannot see before any validation message.
                self.load_for(actor, ticket_id, Action::ViewTicket).await?;
                return Err(too_large);
            }
        };
        let (Some(kind), Some(body), true) = (kind, body, errors.is_empty()) else {
            self.load_for(actor, ticket_id, Action::ViewTicket).await?;
            return Err(DeskError::Validation(errors));
        };
        let action = if kind.is_public() { Action::Reply } else { Action::AddNote };

        if let Some(replayed) = self.replay_response(actor, ticket_id, idempotency.as_ref()).await? {
            return Ok(replayed);
        }
        if draft_id.is_some() {
            // Members get 404 for tickets they cannot see before any word about the draft.
            self.load_for(actor, ticket_id, Action::ViewTicket).await?;
        }
        let draft = self.draft_of_reply(actor, ticket_id, kind, draft_id).await?;

        if !files.is_empty() {
            // Before a byte is stored: may the actor write this response here, now?
            let ticket = self.load_for(actor, ticket_id, action).await?;
            if kind.is_public() && ticket.status == Status::Closed {
                return Err(DeskError::TicketClosed);
            }
        }
        let (metadata, keys) = self.store_files(files).await?;

        let result = self.commit_response(actor, ticket_id, kind, body, metadata, idempotency.as_ref()).await;
        let committed = match &result {
            Ok(created) => !created.replayed,
            // The commit may still complete: keep the files it would refer to.
            Err(DeskError::Store(StoreError::Unavailable(_))) => true,
            Err(_) => false,
        };
        if !committed {
            self.delete_files(&keys).await;
        }
        if let (Ok(created), Some(draft)) = (&result, &draft)
            && !created.replayed
        {
            self.mark_draft_used(actor, draft, &created.value).await;
        }
        result
    }

    /// Checks the files against the limits and sanitises their names. A file over the size
    /// limit is the error; the other problems go into `errors` (field `files`).
    fn accept_files(
        &self,
        files: Vec<NewAttachment>,
        errors: &mut FieldErrors,
    ) -> Result<Vec<AcceptedFile>, DeskError> {
        let limits = self.attachment_limits;
        if files.len() > limits.max_files {
            errors.add(
                "files",
                format!(
                    "at most {} files may be attached to one response; {} were sent",
                    limits.max_files,
                    files.len()
                ),
            );
        }
        let mut accepted = Vec::with_capacity(files.len());
        for file in files {
            let filename = attachment::sanitize_filename(&file.filename);
            let size = file.bytes.len() as u64;
            if size > limits.max_bytes {
                return Err(DeskError::AttachmentTooLarge { filename, limit: limits.max_bytes });
            }
            if size == 0 {
                errors.add("files", format!("`{filename}` is empty"));
            }
            if file.content_type.trim().is_empty() || !attachment::is_sha256_hex(&file.sha256) {
                errors.add("files", format!("`{filename}` was not read completely"));
            }
            accepted.push(AcceptedFile {
                id: AttachmentId::new(),
                filename,
                content_type: file.content_type,
                size,
                sha256: file.sha256,
                storage_key: attachment::new_storage_key(),
                bytes: file.bytes,
            });
        }
        Ok(accepted)
    }

    /// Stores the files' bytes, returning their metadata (without the bytes) and the keys
    /// written. If one fails, those already written are deleted again.
    async fn store_files(&self, files: Vec<AcceptedFile>) -> Result<(Vec<AcceptedFile>, Vec<String>), DeskError> {
        let mut stored = Vec::with_capacity(files.len());
        let mut keys = Vec::with_capacity(files.len());
        for mut file in files {
            let bytes = std::mem::take(&mut file.bytes);
            if let Err(error) = self.attachments.put(&file.storage_key, bytes).await {
                self.delete_files(&keys).await;
                return Err(error.into());
            }
            keys.push(file.storage_key.clone());
            stored.push(file);
        }
        Ok((stored, keys))
    }

    /// Best effort: a file that cannot be deleted is left for the adapter to report.
    async fn delete_files(&self, keys: &[String]) {
        for key in keys {
            let _ = self.attachments.delete(key).await;
        }
    }

    /// Decides and commits the response (with its attachment rows) on the current ticket.
    async fn commit_response(
        &self,
        actor: &Actor,
        ticket_id: TicketId,
        kind: ResponseKind,
        body: Description,
        files: Vec<AcceptedFile>,
        idempotency: Option<&IdempotencyKey>,
    ) -> Result<Created<Response>, DeskError> {
        let action = if kind.is_public() { Action::Reply } else { Action::AddNote };
        let author = Author { id: actor.user_id.clone(), name: actor.name.clone(), role: actor.primary_role() };
        let result = self
            .change_ticket(actor, ticket_id, action, None, |ticket, now| {
                if kind.is_public() && ticket.status == Status::Closed {
                    return Err(DeskError::TicketClosed);
                }
                let response_id = ResponseId::new();
                let attachments = files
                    .iter()
                    .map(|file| Attachment {
                        id: file.id,
                        ticket_id: ticket.id,
                        response_id,
                        client_id: ticket.client_id.clone(),
                        filename: file.filename.clone(),
                        content_type: file.content_type.clone(),
                        size: file.size,
                        sha256: file.sha256.clone(),
                        storage_key: file.storage_key.clone(),
                        created_at: now,
                    })
                    .collect();
                let response = Response {
                    id: response_id,
                    ticket_id: ticket.id,
                    kind,
                    author: author.clone(),
                    body: body.as_str().to_owned(),
                    created_at: now,
                    attachments,
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
                let idempotency = idempotency.cloned().map(|k| IdempotencyRecord {
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
                self.replay_response(actor, ticket_id, idempotency).await?.ok_or(DeskError::Contended)
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
