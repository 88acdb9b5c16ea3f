//! The CRM adapters against a real local HTTP server (wiremock): request shapes, the webhook
//! signature (recomputed here), and how answers count (5xx retried, 4xx not).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use memberdesk_crm::{CrmClients, sign};
use memberdesk_domain::notify::crm::{CrmActivity, CrmRecorded, CrmTicket};
use memberdesk_domain::notify::{CrmAdapters, CrmConfig, DeliveryError};
use memberdesk_domain::{ClientId, FixedClock, Priority, Status, TicketId};
use serde_json::{Value, json};
use std::sync::Arc;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const SECRET: &str = "whsec-0123456789abcdef";

fn activity(topic: &str, status: Status) -> CrmActivity {
    let at = Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap();
    CrmActivity {
        event_id: uuid::Uuid::now_v7(),
        topic: topic.into(),
        occurred_at: at,
        client_id: ClientId::new("harbour"),
        client_name: "Harbour City Rowing".into(),
        ticket: CrmTicket {
            id: TicketId::new(),
            number: 1042,
            reference: "#1042".into(),
            subject: "Locker key lost".into(),
            status,
            priority: Priority::High,
            member_id: "member-1".into(),
            member_name: "Mia Member".into(),
            member_email: "mia@members.example".into(),
            created_at: at,
            updated_at: at,
        },
        from_status: (topic == "ticket.status_changed").then_some(Status::InProgress),
        to_status: (topic == "ticket.status_changed").then_some(status),
    }
}

fn clients() -> CrmClients {
    CrmClients::new(Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()))).unwrap()
}

fn hubspot(server: &MockServer) -> CrmConfig {
    CrmConfig::HubSpot { base_url: server.uri(), api_key: "pat-test-token".into() }
}

#[tokio::test]
async fn hubspot_finds_the_contact_and_creates_an_associated_note() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/crm/v3/objects/contacts/search"))
        .and(header("authorization", "Bearer pat-test-token"))
        .and(body_partial_json(json!({
            "filterGroups": [{"filters": [{"propertyName": "email", "operator": "EQ", "value": "mia@members.example"}]}]
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total": 1, "results": [{"id": "501"}]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/crm/v3/objects/notes"))
        .and(header("authorization", "Bearer pat-test-token"))
        .and(body_partial_json(json!({
            "associations": [{"to": {"id": "501"},
                              "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 202}]}]
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "9001"})))
        .expect(1)
        .mount(&server)
        .await;

    let adapter = clients().adapter(&hubspot(&server)).unwrap();
    let recorded = adapter.record(&activity("ticket.created", Status::Open), None).await.unwrap();
    assert_eq!(recorded, CrmRecorded::Recorded { note_id: Some("9001".into()) });

    let requests = server.received_requests().await.unwrap();
    let note: Value = requests.iter().find(|r| r.url.path() == "/crm/v3/objects/notes").unwrap().body_json().unwrap();
    let body = note["properties"]["hs_note_body"].as_str().unwrap();
    assert!(body.contains("#1042") && body.contains("Locker key lost") && body.contains("Status: open"), "{body}");
    assert!(note["properties"]["hs_timestamp"].as_str().unwrap().starts_with("2026-11-27T09:30:00"));
}

#[tokio::test]
async fn hubspot_updates_the_remembered_note_and_recreates_a_deleted_one() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/crm/v3/objects/notes/9001"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "9001"})))
        .expect(1)
        .mount(&server)
        .await;
    let adapter = clients().adapter(&hubspot(&server)).unwrap();
    let recorded = adapter.record(&activity("ticket.status_changed", Status::Resolved), Some("9001".into())).await;
    assert_eq!(recorded, Ok(CrmRecorded::Recorded { note_id: Some("9001".into()) }));
    let requests = server.received_requests().await.unwrap();
    let patch: Value = requests[0].body_json().unwrap();
    assert!(patch["properties"]["hs_note_body"].as_str().unwrap().contains("Status: resolved"));

    // Deleted in the CRM (404): found the contact again and wrote a new note.
    let server = MockServer::start().await;
    Mock::given(method("PATCH")).respond_with(ResponseTemplate::new(404)).mount(&server).await;
    Mock::given(method("POST"))
        .and(path("/crm/v3/objects/contacts/search"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"results": [{"id": "501"}]})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/crm/v3/objects/notes"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "9002"})))
        .mount(&server)
        .await;
    let adapter = clients().adapter(&hubspot(&server)).unwrap();
    let recorded = adapter.record(&activity("ticket.status_changed", Status::Closed), Some("9001".into())).await;
    assert_eq!(recorded, Ok(CrmRecorded::Recorded { note_id: Some("9002".into()) }));
}

#[tokio::test]
async fn hubspot_without_a_contact_records_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/crm/v3/objects/contacts/search"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total": 0, "results": []})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/crm/v3/objects/notes"))
        .respond_with(ResponseTemplate::new(201))
        .expect(0)
        .mount(&server)
        .await;
    let adapter = clients().adapter(&hubspot(&server)).unwrap();
    assert_eq!(adapter.record(&activity("ticket.created", Status::Open), None).await, Ok(CrmRecorded::NoContact));
}

#[tokio::test]
async fn server_errors_are_retried_client_errors_are_not() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let adapter = clients().adapter(&hubspot(&server)).unwrap();
    let first = adapter.record(&activity("ticket.created", Status::Open), None).await;
    assert!(matches!(&first, Err(DeliveryError::Transient(m)) if m.contains("503")), "{first:?}");
    let second = adapter.record(&activity("ticket.created", Status::Open), None).await;
    assert!(matches!(&second, Err(DeliveryError::Permanent(m)) if m.contains("401")), "{second:?}");
    assert!(!format!("{first:?}{second:?}").contains("pat-test-token"));

    // Nobody listening: transient.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let adapter = clients().adapter(&CrmConfig::Webhook { url, secret: SECRET.into() }).unwrap();
    let refused = adapter.record(&activity("ticket.created", Status::Open), None).await;
    assert!(matches!(refused, Err(DeliveryError::Transient(_))), "{refused:?}");
}

#[tokio::test]
async fn the_webhook_posts_the_event_signed_over_timestamp_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hooks/memberdesk"))
        .and(header("content-type", "application/json"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let config = CrmConfig::Webhook { url: format!("{}/hooks/memberdesk", server.uri()), secret: SECRET.into() };
    let adapter = clients().adapter(&config).unwrap();
    let event = activity("ticket.status_changed", Status::Resolved);
    assert_eq!(adapter.record(&event, None).await, Ok(CrmRecorded::Recorded { note_id: None }));

    let requests = server.received_requests().await.unwrap();
    let request: &Request = &requests[0];
    let header_of = |name: &str| request.headers.get(name).unwrap().to_str().unwrap().to_owned();
    let timestamp: i64 = header_of("x-memberdesk-timestamp").parse().unwrap();
    assert_eq!(timestamp, Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap().timestamp());
    assert_eq!(header_of("x-memberdesk-event-id"), event.event_id.to_string());
    // The receiver's check: recompute over the raw body, compare.
    assert_eq!(header_of("x-memberdesk-signature"), sign(SECRET, timestamp, &request.body));
    assert_ne!(header_of("x-memberdesk-signature"), sign("another-secret-0123456789", timestamp, &request.body));

    let body: Value = request.body_json().unwrap();
    assert_eq!(body["id"], json!(event.event_id));
    assert_eq!(body["type"], "ticket.status_changed");
    assert_eq!(body["client"], json!({"id": "harbour", "name": "Harbour City Rowing"}));
    assert_eq!(body["ticket"]["reference"], "#1042");
    assert_eq!(body["ticket"]["subject"], "Locker key lost");
    assert_eq!(body["ticket"]["status"], "resolved");
    assert_eq!(body["ticket"]["memberEmail"], "mia@members.example");
    assert_eq!(body["change"], json!({"from": "in_progress", "to": "resolved"}));
}
