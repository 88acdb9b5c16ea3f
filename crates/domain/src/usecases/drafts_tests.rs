//! The draft use case over mocks: staff only, the tone from the settings, terminology and
//! signature applied, the AI switched off per client, a failure answering the canned list, and
//! what reaches the drafter.

use super::*;
use crate::access::Role;
use crate::ai::{AiSettings, GeneratedBy, Tone};
use crate::ai_ports::{MockAiStore, MockDrafter};
use crate::canned::{CannedBody, CannedTitle};
use crate::client::{ClientName, ClientProfile};
use crate::ids::{ClientId, UserId};
use crate::kb_ports::MockKnowledgeBase;
use crate::ports::{MockCannedResponseStore, MockClientStore, MockTicketStore};
use crate::query::Page;
use crate::response::{Author, Response, ResponseKind};
use crate::ticket::{Description, MemberRef, Subject, Ticket};
use crate::usecases::{DeskPorts, mock_ports};
use chrono::Utc;
use futures::executor::block_on;
use std::sync::{Arc, Mutex};

const EMAIL: &str = "mia.jones@example.org";

fn actor(role: Role) -> Actor {
    Actor::new(UserId::new("agent"), ClientId::new("c"), "Uma User".into(), "u@example.org".into(), vec![role])
        .unwrap_or_else(|| unreachable!())
}

fn ticket() -> Ticket {
    let mut t = crate::test_fixtures::ticket("c", "m");
    t.subject = Subject::new("Customer portal login").unwrap_or_else(|_| unreachable!());
    t.description = Description::new(&format!(
        "Hi, I am Mia Jones. The customer portal refuses my password since Monday. Write to {EMAIL}."
    ))
    .unwrap_or_else(|_| unreachable!());
    t.member = MemberRef { id: UserId::new("m"), name: "Mia Jones".into(), email: EMAIL.into() };
    t
}

fn tickets(ticket: &Ticket) -> MockTicketStore {
    let mut tickets = MockTicketStore::new();
    let stored = ticket.clone();
    tickets.expect_get_ticket().returning(move |_, _| Ok(Some(stored.clone())));
    let reply = Response {
        id: crate::ids::ResponseId::new(),
        ticket_id: ticket.id,
        author: Author { id: UserId::new("m"), name: "Mia Jones".into(), role: Role::Member },
        kind: ResponseKind::Reply,
        body: "How do I reset my password?".into(),
        created_at: Utc::now(),
        attachments: Vec::new(),
    };
    let note = Response {
        id: crate::ids::ResponseId::new(),
        ticket_id: ticket.id,
        author: Author { id: UserId::new("agent"), name: "Uma User".into(), role: Role::ClientUser },
        kind: ResponseKind::Note,
        body: "INTERNAL: she was rude last time".into(),
        created_at: Utc::now(),
        attachments: Vec::new(),
    };
    tickets.expect_list_responses().returning(move |_, _, _| Ok(vec![reply.clone(), note.clone()]));
    tickets.expect_list_events().returning(|_, _, _| Ok(Vec::new()));
    tickets
        .expect_list_tickets()
        .returning(|_, _, _, _, _| Ok(Page { items: Vec::new(), next_cursor: None, total: 0, total_exact: true }));
    tickets
}

fn clients() -> MockClientStore {
    let mut clients = MockClientStore::new();
    clients.expect_get_client_profile().returning(|client| {
        Ok(ClientProfile {
            client_id: client.clone(),
            name: ClientName::new("Harbour City Rowing").ok(),
            updated_at: None,
        })
    });
    clients
}

/// An AI store with these settings that keeps the drafts it is given.
fn ai_store(settings: AiSettings, kept: Arc<Mutex<Vec<DraftRecord>>>) -> MockAiStore {
    let mut store = MockAiStore::new();
    store.expect_ai_settings().returning(move |_| Ok(Some(settings.clone())));
    store.expect_record_draft().returning(move |d| {
        if let Ok(mut k) = kept.lock() {
            k.push(d.clone());
        }
        Ok(())
    });
    store
}

fn no_knowledge() -> MockKnowledgeBase {
    let mut kb = MockKnowledgeBase::new();
    kb.expect_search_knowledge().returning(|_, _, _| Ok(Vec::new()));
    kb
}

fn desk(t: &Ticket, settings: AiSettings, kept: Arc<Mutex<Vec<DraftRecord>>>) -> Desk {
    Desk::new(DeskPorts {
        tickets: Arc::new(tickets(t)),
        clients: Arc::new(clients()),
        ai: Arc::new(ai_store(settings, kept)),
        knowledge: Arc::new(no_knowledge()),
        ..mock_ports()
    })
}

#[test]
fn members_get_not_found_and_nothing_is_read() {
    let desk = Desk::new(mock_ports());
    let outcome = block_on(desk.draft_response(&actor(Role::Member), TicketId::new(), DraftRequest::default()));
    assert!(matches!(outcome, Err(DeskError::NotFound("ticket"))), "{outcome:?}");
}

#[test]
fn the_tone_defaults_to_the_clients_and_terminology_and_signature_are_applied() {
    let t = ticket();
    let kept = Arc::new(Mutex::new(Vec::new()));
    let settings = AiSettings { default_tone: Tone::Friendly, ..AiSettings::default() };
    let desk = desk(&t, settings, kept.clone());
    let outcome = block_on(desk.draft_response(&actor(Role::ClientUser), t.id, DraftRequest::default()));
    let Ok(DraftOutcome::Ready { id, draft }) = outcome else { panic!("{outcome:?}") };
    assert_eq!(draft.tone, Tone::Friendly);
    assert_eq!(draft.generated_by, GeneratedBy::Builtin);
    assert!(draft.draft.starts_with("Hi Mia,"), "the placeholders are filled back in: {}", draft.draft);
    assert!(draft.draft.contains("Member portal login"), "terminology: {}", draft.draft);
    assert!(!draft.draft.to_lowercase().contains("customer"), "{}", draft.draft);
    assert!(draft.draft.ends_with("Best wishes,\nUma\nHarbour City Rowing"), "{}", draft.draft);
    assert!((0.0..=1.0).contains(&draft.confidence));

    let kept = kept.lock().map(|k| k.clone()).unwrap_or_default();
    assert_eq!(kept.len(), 1, "every draft is logged");
    assert_eq!((kept[0].id, kept[0].ticket_id, kept[0].agent_id.as_str()), (id, t.id, "agent"));
    assert_eq!(kept[0].draft, draft.draft);
    assert_eq!(kept[0].tone, Tone::Friendly);

    // A tone asked for wins over the default.
    let request = DraftRequest { tone: Some(Tone::Formal), ..DraftRequest::default() };
    let Ok(DraftOutcome::Ready { draft, .. }) = block_on(desk.draft_response(&actor(Role::ClientAdmin), t.id, request))
    else {
        panic!("no draft")
    };
    assert_eq!(draft.tone, Tone::Formal);
    assert!(draft.draft.starts_with("Dear Mia Jones,"), "{}", draft.draft);
}

#[test]
fn the_drafter_sees_redacted_public_text_the_style_and_the_articles() {
    let t = ticket();
    let seen = Arc::new(Mutex::new(String::new()));
    let sink = seen.clone();
    let mut drafter = MockDrafter::new();
    drafter.expect_draft().times(1).returning(move |input, style| {
        if let Ok(mut s) = sink.lock() {
            *s = format!("{:?} {:?}", **input, style);
        }
        Ok(crate::ai::builtin_draft(input))
    });
    let mut kb = MockKnowledgeBase::new();
    kb.expect_search_knowledge()
        .withf(|_, query, limit| query.contains("Customer portal login") && query.contains("reset") && *limit == 3)
        .times(1)
        .returning(|_, _, _| {
            Ok(vec![KnowledgeSnippet {
                id: "kb-1".into(),
                title: "Resetting your password".into(),
                snippet: "Use the reset link on the sign-in page.".into(),
                score: 0.9,
            }])
        });
    let desk = Desk::new(DeskPorts {
        tickets: Arc::new(tickets(&t)),
        clients: Arc::new(clients()),
        ai: Arc::new(ai_store(AiSettings::default(), Arc::default())),
        knowledge: Arc::new(kb),
        ..mock_ports()
    })
    .with_ai(Arc::new(crate::ai_ports::BuiltinSummarizer), Arc::new(drafter));
    let outcome = block_on(desk.draft_response(&actor(Role::ClientUser), t.id, DraftRequest::default()));
    let Ok(DraftOutcome::Ready { draft, .. }) = outcome else { panic!("{outcome:?}") };
    assert_eq!(draft.suggested_attachments.len(), 1);
    assert_eq!(draft.suggested_attachments[0].id, "kb-1");
    let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
    assert!(seen.contains("How do I reset my password?"), "the conversation is sent: {seen}");
    assert!(seen.contains("Harbour City Rowing"), "the style carries the organisation: {seen}");
    for value in [EMAIL, "Mia Jones", "Mia", "she was rude"] {
        assert!(!seen.contains(value), "{value} reached the drafter: {seen}");
    }
}

#[test]
fn with_the_ai_switched_off_the_builtin_drafter_answers() {
    let t = ticket();
    let mut drafter = MockDrafter::new();
    drafter.expect_draft().times(0);
    let settings = AiSettings { enabled: false, ..AiSettings::default() };
    let desk =
        desk(&t, settings, Arc::default()).with_ai(Arc::new(crate::ai_ports::BuiltinSummarizer), Arc::new(drafter));
    let request = DraftRequest { include_knowledge_base: false, ..DraftRequest::default() };
    let outcome = block_on(desk.draft_response(&actor(Role::ClientUser), t.id, request));
    assert!(matches!(outcome, Ok(DraftOutcome::Ready { ref draft, .. }) if draft.generated_by == GeneratedBy::Builtin));
}

#[test]
fn a_failing_service_answers_unavailable_with_the_canned_responses() {
    let t = ticket();
    let mut drafter = MockDrafter::new();
    drafter.expect_draft().returning(|_, _| Err(AiFailure::RateLimited { retry_after_seconds: Some(12) }));
    let mut canned = MockCannedResponseStore::new();
    canned.expect_list_canned_responses().returning(|client, _, _| {
        Ok(vec![CannedResponse {
            id: CannedResponseId::new(),
            client_id: client.clone(),
            owner_id: None,
            title: CannedTitle::new("Password reset").unwrap_or_else(|_| unreachable!()),
            body: CannedBody::new("Use the reset link.").unwrap_or_else(|_| unreachable!()),
            category_id: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }])
    });
    let mut store = MockAiStore::new();
    store.expect_ai_settings().returning(|_| Ok(None));
    store.expect_record_draft().times(0);
    let desk = Desk::new(DeskPorts {
        tickets: Arc::new(tickets(&t)),
        clients: Arc::new(clients()),
        ai: Arc::new(store),
        knowledge: Arc::new(no_knowledge()),
        canned_responses: Arc::new(canned),
        ..mock_ports()
    })
    .with_ai(Arc::new(crate::ai_ports::BuiltinSummarizer), Arc::new(drafter));
    let outcome = block_on(desk.draft_response(&actor(Role::ClientUser), t.id, DraftRequest::default()));
    let Ok(DraftOutcome::Unavailable { failure, canned }) = outcome else { panic!("{outcome:?}") };
    assert_eq!(failure.retry_after_seconds(), 12);
    assert_eq!(canned.len(), 1);
    assert_eq!(canned[0].title.as_str(), "Password reset");
}

#[test]
fn an_unusable_canned_response_is_a_validation_error() {
    let t = ticket();
    let mut canned = MockCannedResponseStore::new();
    canned.expect_get_canned_response().returning(|_, _| Ok(None));
    let desk = Desk::new(DeskPorts {
        tickets: Arc::new(tickets(&t)),
        clients: Arc::new(clients()),
        ai: Arc::new(ai_store(AiSettings::default(), Arc::default())),
        knowledge: Arc::new(no_knowledge()),
        canned_responses: Arc::new(canned),
        ..mock_ports()
    });
    let request = DraftRequest { canned_response_id: Some(CannedResponseId::new()), ..DraftRequest::default() };
    let outcome = block_on(desk.draft_response(&actor(Role::ClientUser), t.id, request));
    let Err(DeskError::Validation(errors)) = outcome else { panic!("{outcome:?}") };
    assert!(errors.get("cannedResponseId").is_some());
}

#[test]
fn the_knowledge_query_is_the_subject_and_the_latest_member_message() {
    let ctx = crate::ai::context::fixtures::login_ticket();
    let query = knowledge_query(&ctx);
    assert!(query.starts_with(&ctx.subject), "{query}");
    let latest = ctx.messages.iter().rev().find(|m| m.side == Side::Member && m.is_public());
    if let Some(latest) = latest {
        assert!(query.contains(latest.body.chars().take(40).collect::<String>().as_str()), "{query}");
    }
}
