//! Every endpoint × every kind of caller, checked by status code: the capability matrix of the
//! specification, members, another client's admin, and bad tokens.

use crate::both_backends;
use crate::support::{TestApp, Who};
use reqwest::Method;
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy)]
enum Endpoint {
    CreateTicket,
    ListTickets,
    QueueStats,
    GetTicket,
    UpdateTicket,
    ChangePriority,
    Reply,
    Note,
    Assign,
    StatusInProgress,
    StatusClosed,
    History,
    Agents,
}

impl Endpoint {
    const ALL: [Endpoint; 13] = [
        Endpoint::CreateTicket,
        Endpoint::ListTickets,
        Endpoint::QueueStats,
        Endpoint::GetTicket,
        Endpoint::UpdateTicket,
        Endpoint::ChangePriority,
        Endpoint::Reply,
        Endpoint::Note,
        Endpoint::Assign,
        Endpoint::StatusInProgress,
        Endpoint::StatusClosed,
        Endpoint::History,
        Endpoint::Agents,
    ];

    fn request(self, ticket: &str) -> (Method, String, Option<Value>) {
        let t = format!("/api/tickets/{ticket}");
        match self {
            Endpoint::CreateTicket => (
                Method::POST,
                "/api/tickets".into(),
                Some(json!({
                    "subject": "Locker key lost",
                    "description": "I lost my locker key.",
                    "member": {"id": "member-1", "name": "Mia Member", "email": "mia@members.example"}
                })),
            ),
            Endpoint::ListTickets => (Method::GET, "/api/tickets".into(), None),
            Endpoint::QueueStats => (Method::GET, "/api/tickets/queue".into(), None),
            Endpoint::GetTicket => (Method::GET, t, None),
            Endpoint::UpdateTicket => (Method::PUT, t, Some(json!({"subject": "Locker key lost (boathouse)"}))),
            Endpoint::ChangePriority => (Method::PUT, t, Some(json!({"priority": "high"}))),
            Endpoint::Reply => {
                (Method::POST, format!("{t}/responses"), Some(json!({"kind": "reply", "body": "Hello"})))
            }
            Endpoint::Note => {
                (Method::POST, format!("{t}/responses"), Some(json!({"kind": "note", "body": "Internal"})))
            }
            Endpoint::Assign => (Method::PUT, format!("{t}/assign"), Some(json!({"assigneeId": "agent-1"}))),
            Endpoint::StatusInProgress => (Method::PUT, format!("{t}/status"), Some(json!({"status": "in_progress"}))),
            Endpoint::StatusClosed => (Method::PUT, format!("{t}/status"), Some(json!({"status": "closed"}))),
            Endpoint::History => (Method::GET, format!("{t}/history"), None),
            Endpoint::Agents => (Method::GET, "/api/agents".into(), None),
        }
    }

    /// Expected status for each caller, in the order of `Who::ALL`:
    /// admin, user, member (own ticket), other member, other client's admin, no token, expired.
    fn expected(self) -> [u16; 7] {
        match self {
            Endpoint::CreateTicket => [201, 201, 201, 201, 201, 401, 401],
            Endpoint::ListTickets => [200, 200, 200, 200, 200, 401, 401],
            Endpoint::QueueStats => [200, 200, 403, 403, 200, 401, 401],
            Endpoint::GetTicket => [200, 200, 200, 404, 404, 401, 401],
            Endpoint::UpdateTicket => [200, 200, 403, 404, 404, 401, 401],
            Endpoint::ChangePriority => [200, 403, 403, 404, 404, 401, 401],
            Endpoint::Reply => [201, 201, 201, 404, 404, 401, 401],
            Endpoint::Note => [201, 201, 403, 404, 404, 401, 401],
            Endpoint::Assign => [200, 403, 403, 404, 404, 401, 401],
            Endpoint::StatusInProgress => [200, 200, 403, 404, 404, 401, 401],
            Endpoint::StatusClosed => [200, 200, 200, 404, 404, 401, 401],
            Endpoint::History => [200, 200, 200, 404, 404, 401, 401],
            Endpoint::Agents => [200, 200, 403, 403, 200, 401, 401],
        }
    }
}

async fn walk(app: TestApp) {
    app.introduce_staff().await;
    let mut failures = Vec::new();
    for endpoint in Endpoint::ALL {
        for (who, expected) in Who::ALL.into_iter().zip(endpoint.expected()) {
            // A fresh ticket per cell, so one cell's change cannot decide another's answer.
            let ticket = app.member_ticket("Cannot book a boat").await;
            let (method, path, body) = endpoint.request(&ticket);
            let reply = app.call(who, method.clone(), &path, body).await;
            if reply.status.as_u16() != expected {
                failures
                    .push(format!("{endpoint:?} as {who:?}: expected {expected}, got {} {}", reply.status, reply.text));
            }
            if reply.status.is_client_error() {
                assert!(
                    reply.content_type().starts_with("application/problem+json"),
                    "{endpoint:?} as {who:?}: errors are problem+json, got {}",
                    reply.content_type()
                );
                assert!(reply.body["code"].is_string(), "{endpoint:?} as {who:?}: problem has a code");
            }
            if reply.status.as_u16() == 401 {
                assert!(reply.headers.contains_key("www-authenticate"), "401 says how to authenticate");
            }
        }
    }
    assert!(failures.is_empty(), "access matrix mismatches:\n{}", failures.join("\n"));
}

both_backends!(every_endpoint_for_every_caller, walk);

async fn tenant_isolation(app: TestApp) {
    let ticket = app.member_ticket("Direct debit failed").await;
    // The other client's admin sees none of it: not in lists, stats, or by id.
    let list = app.get(Who::OtherClientAdmin, "/api/tickets").await.expect(200);
    assert_eq!(list.body["total"], 0);
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(0));
    let stats = app.get(Who::OtherClientAdmin, "/api/tickets/queue").await.expect(200);
    assert_eq!(stats.body["total"], 0);
    let reply = app.get(Who::OtherClientAdmin, &format!("/api/tickets/{ticket}")).await.expect(404);
    assert!(!reply.text.contains("Direct debit"), "a 404 reveals nothing");
    // Members list only their own tickets.
    let own = app.get(Who::Member, "/api/tickets").await.expect(200);
    assert_eq!(own.body["total"], 1);
    let other = app.get(Who::OtherMember, "/api/tickets").await.expect(200);
    assert_eq!(other.body["total"], 0);
    // Agents of another client are not listed.
    app.introduce_staff().await;
    let agents = app.get(Who::OtherClientAdmin, "/api/agents").await.expect(200);
    let ids: Vec<&str> = agents.body["items"].as_array().unwrap().iter().filter_map(|a| a["id"].as_str()).collect();
    assert_eq!(ids, vec!["admin-9"]);
}

both_backends!(another_clients_data_is_invisible, tenant_isolation);
