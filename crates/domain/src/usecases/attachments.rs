//! Reading an attached file.

use super::Desk;
use crate::access::Actor;
use crate::attachment::{self, Attachment};
use crate::error::DeskError;
use crate::ids::AttachmentId;

/// An attachment with its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentDownload {
    pub attachment: Attachment,
    pub bytes: Vec<u8>,
}

impl Desk {
    /// An attachment's metadata, for whoever may read the response it belongs to: staff of the
    /// client; the member who raised the ticket, for replies only. Anything else — another
    /// client's, another member's, a note's for a member — is not found.
    pub async fn attachment(&self, actor: &Actor, id: AttachmentId) -> Result<Attachment, DeskError> {
        const NOT_FOUND: DeskError = DeskError::NotFound("attachment");
        let client = &actor.client_id;
        let attachment = self.tickets.get_attachment(client, id).await?.ok_or(NOT_FOUND)?;
        let ticket = self.tickets.get_ticket(client, attachment.ticket_id).await?.ok_or(NOT_FOUND)?;
        let response = self.tickets.get_response(client, attachment.response_id).await?.ok_or(NOT_FOUND)?;
        attachment::authorize_read(actor, &ticket, response.kind)?;
        Ok(attachment)
    }

    /// The attachment and its bytes (same rules as [`Desk::attachment`]). Bytes missing from
    /// storage are a storage failure, not a 404: the record says they exist.
    pub async fn download_attachment(&self, actor: &Actor, id: AttachmentId) -> Result<AttachmentDownload, DeskError> {
        let attachment = self.attachment(actor, id).await?;
        let bytes = self.attachments.get(&attachment.storage_key).await?;
        Ok(AttachmentDownload { attachment, bytes })
    }
}

/// The upload and download use cases against mocks: the order of operations (nothing stored
/// before the checks pass, files deleted when the commit fails) and the read rules.
#[cfg(all(test, feature = "mocks"))]
mod tests {
    use super::*;
    use crate::access::Role;
    use crate::attachment::{AttachmentLimits, NewAttachment, StorageError};
    use crate::error::StoreError;
    use crate::ids::{ClientId, ResponseId, TicketId, UserId};
    use crate::ports::{MockAttachmentStorage, MockTicketStore};
    use crate::response::{Author, Response, ResponseKind};
    use crate::ticket::{Description, MemberRef, Priority, Status, Subject, Ticket};
    use crate::usecases::{DeskPorts, NewResponseInput, mock_ports};
    use chrono::Utc;
    use futures::executor::block_on;
    use std::sync::{Arc, Mutex};

    fn actor(user: &str, role: Role) -> Actor {
        Actor::new(UserId::new(user), ClientId::new("c"), "N".into(), "n@example.org".into(), vec![role])
            .unwrap_or_else(|| unreachable!())
    }

    fn member() -> Actor {
        actor("m", Role::Member)
    }

    fn staff() -> Actor {
        actor("agent", Role::ClientUser)
    }

    fn ticket(status: Status) -> Ticket {
        Ticket {
            id: TicketId::new(),
            client_id: ClientId::new("c"),
            number: 1,
            subject: Subject::new("s").unwrap_or_else(|_| unreachable!()),
            description: Description::new("d").unwrap_or_else(|_| unreachable!()),
            status,
            priority: Priority::Medium,
            category_id: None,
            member: MemberRef { id: UserId::new("m"), name: "M".into(), email: "m@example.org".into() },
            assignee_id: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            first_responded_at: None,
            resolved_at: None,
            closed_at: None,
            version: 1,
            sla: Default::default(),
        }
    }

    fn file(name: &str, bytes: &[u8]) -> NewAttachment {
        NewAttachment {
            filename: name.into(),
            content_type: "text/plain".into(),
            sha256: "ab".repeat(32),
            bytes: bytes.to_vec(),
        }
    }

    fn reply(body: &str) -> NewResponseInput {
        NewResponseInput { kind: None, body: body.into(), draft_id: None }
    }

    fn note(body: &str) -> NewResponseInput {
        NewResponseInput { kind: Some("note".into()), body: body.into(), draft_id: None }
    }

    fn desk(tickets: MockTicketStore, storage: MockAttachmentStorage) -> Desk {
        Desk::new(DeskPorts { tickets: Arc::new(tickets), attachments: Arc::new(storage), ..mock_ports() })
            .with_attachment_limits(AttachmentLimits { max_bytes: 8, max_files: 2 })
    }

    /// A store that holds `ticket` and answers `update_ticket` with `commit`.
    fn store_with(ticket: &Ticket, commit: Result<(), StoreError>) -> (MockTicketStore, Arc<Mutex<Vec<Response>>>) {
        let mut tickets = MockTicketStore::new();
        let stored = ticket.clone();
        tickets.expect_get_ticket().returning(move |_, _| Ok(Some(stored.clone())));
        let committed = Arc::new(Mutex::new(Vec::new()));
        let sink = committed.clone();
        tickets.expect_update_ticket().times(1).returning(move |_, _, commit_rows| {
            if commit.is_ok()
                && let Ok(mut sink) = sink.lock()
            {
                sink.extend(commit_rows.responses);
            }
            commit.clone()
        });
        (tickets, committed)
    }

    type Keys = Arc<Mutex<Vec<String>>>;

    /// A storage that accepts every `put` and records the keys put and deleted.
    fn recording_storage() -> (MockAttachmentStorage, Keys, Keys) {
        let mut storage = MockAttachmentStorage::new();
        let (put, deleted) = (Arc::new(Mutex::new(Vec::new())), Arc::new(Mutex::new(Vec::new())));
        let (p, d) = (put.clone(), deleted.clone());
        storage.expect_put().returning(move |key, _| {
            p.lock().map(|mut v| v.push(key.to_owned())).map_err(|_| StorageError::Other("poisoned".into()))
        });
        storage.expect_delete().returning(move |key| {
            d.lock().map(|mut v| v.push(key.to_owned())).map_err(|_| StorageError::Other("poisoned".into()))
        });
        (storage, put, deleted)
    }

    fn keys(list: &Keys) -> Vec<String> {
        list.lock().map(|v| v.clone()).unwrap_or_default()
    }

    #[test]
    fn files_are_stored_then_committed_with_their_response() {
        let t = ticket(Status::Open);
        let (tickets, committed) = store_with(&t, Ok(()));
        let (storage, put, deleted) = recording_storage();
        let desk = desk(tickets, storage);
        let files = vec![file("../../etc/passwd", b"root:x"), file("b.txt", b"hello")];
        let created = block_on(desk.add_response_with_attachments(&member(), t.id, reply("see files"), files, None));
        let response = created.map(|c| c.value).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(response.attachments.len(), 2);
        let first = &response.attachments[0];
        assert_eq!(first.filename, "passwd");
        assert_eq!((first.size, first.response_id, first.ticket_id), (6, response.id, t.id));
        assert_eq!(keys(&put), response.attachments.iter().map(|a| a.storage_key.clone()).collect::<Vec<_>>());
        assert!(keys(&put).iter().all(|k| attachment::is_valid_storage_key(k)));
        assert!(keys(&deleted).is_empty());
        let committed = committed.lock().map(|v| v.clone()).unwrap_or_default();
        assert_eq!(committed.len(), 1);
        assert_eq!(committed[0].attachments, response.attachments, "metadata goes in the same commit");
    }

    #[test]
    fn a_failed_commit_deletes_the_files_it_stored() {
        let t = ticket(Status::Open);
        let (tickets, _) = store_with(&t, Err(StoreError::Other("constraint".into())));
        let (storage, put, deleted) = recording_storage();
        let desk = desk(tickets, storage);
        let files = vec![file("a.txt", b"a"), file("b.txt", b"b")];
        let result = block_on(desk.add_response_with_attachments(&staff(), t.id, note("n"), files, None));
        assert!(matches!(result, Err(DeskError::Store(StoreError::Other(_)))), "{result:?}");
        assert_eq!(keys(&put).len(), 2);
        assert_eq!(keys(&deleted), keys(&put));
    }

    #[test]
    fn an_unknown_commit_outcome_keeps_the_files() {
        let t = ticket(Status::Open);
        let (tickets, _) = store_with(&t, Err(StoreError::Unavailable("timed out".into())));
        let (storage, put, deleted) = recording_storage();
        let desk = desk(tickets, storage);
        let result =
            block_on(desk.add_response_with_attachments(&staff(), t.id, reply("r"), vec![file("a", b"a")], None));
        assert!(matches!(result, Err(DeskError::Store(StoreError::Unavailable(_)))));
        assert_eq!(keys(&put).len(), 1);
        assert!(keys(&deleted).is_empty(), "the commit may still land and refer to the file");
    }

    #[test]
    fn a_failed_store_of_one_file_deletes_the_others_and_commits_nothing() {
        let t = ticket(Status::Open);
        let mut tickets = MockTicketStore::new();
        let stored = t.clone();
        tickets.expect_get_ticket().returning(move |_, _| Ok(Some(stored.clone())));
        tickets.expect_update_ticket().never();
        let mut storage = MockAttachmentStorage::new();
        let mut calls = 0;
        storage.expect_put().times(2).returning(move |_, _| {
            calls += 1;
            if calls == 1 { Ok(()) } else { Err(StorageError::Unavailable("disk full".into())) }
        });
        storage.expect_delete().times(1).returning(|_| Ok(()));
        let desk = desk(tickets, storage);
        let files = vec![file("a", b"a"), file("b", b"b")];
        let result = block_on(desk.add_response_with_attachments(&staff(), t.id, reply("r"), files, None));
        assert!(matches!(result, Err(DeskError::Attachments(StorageError::Unavailable(_)))), "{result:?}");
    }

    /// Refusals happen before any file is stored (the storage mock has no expectations: a call
    /// would panic).
    #[test]
    fn refusals_store_nothing() {
        let open = ticket(Status::Open);
        let closed = ticket(Status::Closed);
        let cases: Vec<(Actor, &Ticket, NewResponseInput, Vec<NewAttachment>, &str)> = vec![
            (member(), &open, note("n"), vec![file("a", b"a")], "forbidden"),
            (actor("someone-else", Role::Member), &open, reply("r"), vec![file("a", b"a")], "not_found"),
            (member(), &closed, reply("r"), vec![file("a", b"a")], "closed"),
            (staff(), &open, reply("r"), vec![file("a", b"a"), file("b", b"b"), file("c", b"c")], "validation"),
            (staff(), &open, reply("r"), vec![file("empty", b"")], "validation"),
            (staff(), &open, reply("r"), vec![file("big", b"123456789")], "too_large"),
            (staff(), &open, reply(""), vec![file("a", b"a")], "validation"),
        ];
        for (who, t, input, files, expected) in cases {
            let mut tickets = MockTicketStore::new();
            let stored = t.clone();
            tickets.expect_get_ticket().returning(move |_, _| Ok(Some(stored.clone())));
            tickets.expect_update_ticket().never();
            let desk = desk(tickets, MockAttachmentStorage::new());
            let result = block_on(desk.add_response_with_attachments(&who, t.id, input, files, None));
            let kind = match &result {
                Err(DeskError::Forbidden(_)) => "forbidden",
                Err(DeskError::NotFound(_)) => "not_found",
                Err(DeskError::TicketClosed) => "closed",
                Err(DeskError::Validation(errors)) if errors.get("files").is_some() || errors.get("body").is_some() => {
                    "validation"
                }
                Err(DeskError::AttachmentTooLarge { limit: 8, .. }) => "too_large",
                _ => "unexpected",
            };
            assert_eq!(kind, expected, "{result:?}");
        }
    }

    fn response_of(t: &Ticket, kind: ResponseKind) -> Response {
        Response {
            id: ResponseId::new(),
            ticket_id: t.id,
            kind,
            author: Author { id: UserId::new("agent"), name: "A".into(), role: Role::ClientUser },
            body: "b".into(),
            created_at: Utc::now(),
            attachments: Vec::new(),
        }
    }

    fn stored_attachment(t: &Ticket, response: &Response) -> Attachment {
        Attachment {
            id: AttachmentId::new(),
            ticket_id: t.id,
            response_id: response.id,
            client_id: t.client_id.clone(),
            filename: "a.txt".into(),
            content_type: "text/plain".into(),
            size: 2,
            sha256: "ab".repeat(32),
            storage_key: attachment::new_storage_key(),
            created_at: Utc::now(),
        }
    }

    fn download_desk(t: &Ticket, kind: ResponseKind, storage: MockAttachmentStorage) -> (Desk, AttachmentId) {
        let response = response_of(t, kind);
        let stored = stored_attachment(t, &response);
        let id = stored.id;
        let mut tickets = MockTicketStore::new();
        let ticket = t.clone();
        tickets.expect_get_attachment().returning(move |_, _| Ok(Some(stored.clone())));
        tickets.expect_get_ticket().returning(move |_, _| Ok(Some(ticket.clone())));
        tickets.expect_get_response().returning(move |_, _| Ok(Some(response.clone())));
        (desk(tickets, storage), id)
    }

    #[test]
    fn downloads_follow_the_response_rules() {
        let t = ticket(Status::Open);
        let mut storage = MockAttachmentStorage::new();
        storage.expect_get().times(3).returning(|_| Ok(b"hi".to_vec()));
        let (desk, reply_file) = download_desk(&t, ResponseKind::Reply, storage);
        assert_eq!(
            block_on(desk.download_attachment(&member(), reply_file)).map(|d| d.bytes).ok(),
            Some(b"hi".to_vec())
        );
        assert!(block_on(desk.download_attachment(&staff(), reply_file)).is_ok());
        assert!(block_on(desk.download_attachment(&actor("admin", Role::ClientAdmin), reply_file)).is_ok());
        let other = actor("someone-else", Role::Member);
        assert!(matches!(
            block_on(desk.download_attachment(&other, reply_file)),
            Err(DeskError::NotFound("attachment"))
        ));

        let mut storage = MockAttachmentStorage::new();
        storage.expect_get().times(1).returning(|_| Ok(b"hi".to_vec()));
        let (desk, note_file) = download_desk(&t, ResponseKind::Note, storage);
        assert!(matches!(
            block_on(desk.download_attachment(&member(), note_file)),
            Err(DeskError::NotFound("attachment"))
        ));
        assert!(block_on(desk.download_attachment(&staff(), note_file)).is_ok());
    }

    #[test]
    fn an_unknown_attachment_is_not_found_and_missing_bytes_are_a_storage_failure() {
        let mut tickets = MockTicketStore::new();
        tickets.expect_get_attachment().returning(|_, _| Ok(None));
        let desk_none = desk(tickets, MockAttachmentStorage::new());
        let result = block_on(desk_none.download_attachment(&staff(), AttachmentId::new()));
        assert!(matches!(result, Err(DeskError::NotFound("attachment"))));

        let t = ticket(Status::Open);
        let mut storage = MockAttachmentStorage::new();
        storage.expect_get().returning(|key| Err(StorageError::NotFound(key.to_owned())));
        let (desk, id) = download_desk(&t, ResponseKind::Reply, storage);
        let result = block_on(desk.download_attachment(&staff(), id));
        assert!(matches!(result, Err(DeskError::Attachments(StorageError::NotFound(_)))), "{result:?}");
    }
}
