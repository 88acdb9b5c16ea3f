//! Attachment metadata: written with its response in one transaction, read back with the
//! conversation, kept per client.

use super::*;
use memberdesk_domain::{Attachment, AttachmentId};

contract!(
    attachments_commit_with_their_response_and_come_back_with_it,
    a_failed_commit_leaves_no_attachment_row,
    an_attachment_must_belong_to_its_responses_client,
    a_storage_key_is_used_once,
);

fn attachment(response: &Response, name: &str, size: u64) -> Attachment {
    Attachment {
        id: AttachmentId::new(),
        ticket_id: response.ticket_id,
        response_id: response.id,
        client_id: ClientId::new("acme"),
        filename: name.into(),
        content_type: "application/pdf".into(),
        size,
        sha256: format!("{:064x}", size),
        storage_key: memberdesk_domain::attachment::new_storage_key(),
        created_at: response.created_at,
    }
}

/// A response of `kind` on the ticket with files named `names`, committed; returns it.
async fn respond_with_files(store: &Store, current: &mut Ticket, kind: ResponseKind, names: &[&str]) -> Response {
    let changed = next(current, |t| t.updated_at += Duration::seconds(1));
    let mut r = response(&changed, kind, "see attached", changed.updated_at);
    r.attachments = names.iter().enumerate().map(|(i, n)| attachment(&r, n, 100 + i as u64)).collect();
    store.update_ticket(&changed, current.version, responded(&changed, &r)).await.unwrap();
    *current = changed;
    r
}

async fn attachments_commit_with_their_response_and_come_back_with_it(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let mut current = insert(&store, ticket(&acme, "Files", at(0))).await;
    let reply = respond_with_files(&store, &mut current, ResponseKind::Reply, &["a.pdf", "b.pdf", "c.pdf"]).await;
    let note = respond_with_files(&store, &mut current, ResponseKind::Note, &["secret.pdf"]).await;
    let plain = respond_with_files(&store, &mut current, ResponseKind::Reply, &[]).await;

    // The whole conversation, attachments in upload order, in one read.
    let all = store.list_responses(&acme, current.id, true).await.unwrap();
    assert_eq!(all, vec![reply.clone(), note.clone(), plain.clone()]);
    let names: Vec<&str> = all[0].attachments.iter().map(|a| a.filename.as_str()).collect();
    assert_eq!(names, ["a.pdf", "b.pdf", "c.pdf"]);
    // Without notes, without their attachments.
    assert_eq!(store.list_responses(&acme, current.id, false).await.unwrap(), vec![reply.clone(), plain.clone()]);

    assert_eq!(store.get_response(&acme, note.id).await.unwrap(), Some(note.clone()));
    for a in reply.attachments.iter().chain(&note.attachments) {
        assert_eq!(store.get_attachment(&acme, a.id).await.unwrap().as_ref(), Some(a));
        assert_eq!(store.get_attachment(&client("other"), a.id).await.unwrap(), None, "another client's");
    }
    assert_eq!(store.get_attachment(&acme, AttachmentId::new()).await.unwrap(), None);
}

async fn a_failed_commit_leaves_no_attachment_row(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let stored = insert(&store, ticket(&acme, "Atomic files", at(0))).await;
    let changed = next(&stored, |t| t.updated_at = at(10));
    let mut reply = response(&changed, ResponseKind::Reply, "Half-written?", at(10));
    reply.attachments = vec![attachment(&reply, "a.pdf", 1), attachment(&reply, "b.pdf", 2)];
    let mut commit = responded(&changed, &reply);
    // A second event with the first one's id fails after the response and its attachment rows
    // are written.
    commit.events.push(commit.events[0].clone());
    let result = store.update_ticket(&changed, stored.version, commit).await;
    assert!(matches!(result, Err(StoreError::Duplicate(_))), "{result:?}");

    assert!(store.list_responses(&acme, stored.id, true).await.unwrap().is_empty());
    for a in &reply.attachments {
        assert_eq!(store.get_attachment(&acme, a.id).await.unwrap(), None);
    }
    // The same response commits once the commit is sound.
    store.update_ticket(&changed, stored.version, responded(&changed, &reply)).await.unwrap();
    assert_eq!(store.list_responses(&acme, stored.id, true).await.unwrap(), vec![reply]);
}

async fn an_attachment_must_belong_to_its_responses_client(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let stored = insert(&store, ticket(&acme, "Foreign file", at(0))).await;
    let changed = next(&stored, |t| t.updated_at = at(10));
    let mut reply = response(&changed, ResponseKind::Reply, "x", at(10));
    let mut foreign = attachment(&reply, "a.pdf", 1);
    foreign.client_id = client("other");
    reply.attachments = vec![foreign.clone()];
    let result = store.update_ticket(&changed, stored.version, responded(&changed, &reply)).await;
    assert!(result.is_err(), "a row that names another client is refused: {result:?}");
    assert!(store.list_responses(&acme, stored.id, true).await.unwrap().is_empty());
    assert_eq!(store.get_attachment(&client("other"), foreign.id).await.unwrap(), None);
    assert_eq!(store.get_ticket(&acme, stored.id).await.unwrap(), Some(stored));
}

async fn a_storage_key_is_used_once(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let mut current = insert(&store, ticket(&acme, "Keys", at(0))).await;
    let first = respond_with_files(&store, &mut current, ResponseKind::Reply, &["a.pdf"]).await;
    let changed = next(&current, |t| t.updated_at = at(100));
    let mut reply = response(&changed, ResponseKind::Reply, "again", at(100));
    let mut copy = attachment(&reply, "b.pdf", 5);
    copy.storage_key = first.attachments[0].storage_key.clone();
    reply.attachments = vec![copy];
    let result = store.update_ticket(&changed, current.version, responded(&changed, &reply)).await;
    assert!(matches!(result, Err(StoreError::Duplicate(ref rule)) if rule == "attachment"), "{result:?}");
    assert_eq!(store.list_responses(&acme, current.id, true).await.unwrap(), vec![first]);
}
