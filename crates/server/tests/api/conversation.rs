//! Replies, internal notes, the workflow and history, as members and staff see them.

use crate::both_backends;
use crate::support::{TestApp, Who};
use serde_json::json;

async fn notes_never_reach_members(app: TestApp) {
    let id = app.member_ticket("Invoice copy needed").await;
    let path = format!("/api/tickets/{id}");
    app.post(Who::User, &format!("{path}/responses"), json!({"kind": "note", "body": "SECRET-NOTE member owes fees"}))
        .await
        .expect(201);
    app.post(Who::User, &format!("{path}/responses"), json!({"kind": "reply", "body": "Here is your invoice."}))
        .await
        .expect(201);

    // Staff see both, in order.
    let staff = app.get(Who::Admin, &path).await.expect(200);
    let kinds: Vec<&str> =
        staff.body["responses"].as_array().unwrap().iter().filter_map(|r| r["kind"].as_str()).collect();
    assert_eq!(kinds, vec!["note", "reply"]);
    let staff_history = app.get(Who::Admin, &format!("{path}/history")).await.expect(200);
    assert!(staff_history.text.contains("note_added"));

    // The member sees the reply only, nowhere the note.
    for member_path in [path.clone(), format!("{path}/history"), "/api/tickets".to_owned()] {
        let reply = app.get(Who::Member, &member_path).await.expect(200);
        assert!(!reply.text.contains("SECRET-NOTE"), "{member_path} leaks the note: {}", reply.text);
        assert!(!reply.text.contains("note"), "{member_path} mentions notes: {}", reply.text);
    }
    let member_view = app.get(Who::Member, &path).await.expect(200);
    assert_eq!(member_view.body["responses"].as_array().map(Vec::len), Some(1));
    // A member cannot write one either.
    app.post(Who::Member, &format!("{path}/responses"), json!({"kind": "note", "body": "x"})).await.expect(403);
}

both_backends!(internal_notes_are_invisible_to_members, notes_never_reach_members);

async fn workflow_end_to_end(app: TestApp) {
    let id = app.member_ticket("Regatta entry missing").await;
    let path = format!("/api/tickets/{id}");

    // open → waiting is allowed; waiting → open is not, and the 409 names what is.
    app.status(Who::User, &id, "waiting").await.expect(200);
    let refused = app.status(Who::User, &id, "open").await.expect(409);
    assert_eq!(refused.body["code"], "invalid_transition");
    assert_eq!(refused.body["allowed"], json!(["in_progress", "resolved", "closed"]));

    // The member's reply moves a waiting ticket back to in progress.
    app.post(Who::Member, &format!("{path}/responses"), json!({"body": "Here is my entry number."})).await.expect(201);
    let ticket = app.get(Who::Admin, &path).await.expect(200);
    assert_eq!(ticket.body["status"], "in_progress");
    assert!(ticket.body["firstRespondedAt"].is_null(), "a member reply is not a first response");

    // The first public staff reply is the first response; a note is not.
    app.post(Who::User, &format!("{path}/responses"), json!({"kind": "note", "body": "Checking the entry list"}))
        .await
        .expect(201);
    assert!(app.get(Who::Admin, &path).await.body["firstRespondedAt"].is_null());
    app.clock.advance(chrono::Duration::minutes(30));
    app.post(Who::User, &format!("{path}/responses"), json!({"body": "Found it, you're entered."})).await.expect(201);
    let answered = app.get(Who::Admin, &path).await.expect(200);
    assert!(answered.body["firstRespondedAt"].is_string());

    // Resolve, then the member answers: reopened to in progress, resolvedAt cleared.
    app.status(Who::User, &id, "resolved").await.expect(200);
    assert!(app.get(Who::Admin, &path).await.body["resolvedAt"].is_string());
    app.post(Who::Member, &format!("{path}/responses"), json!({"body": "Actually, one more thing."})).await.expect(201);
    let reopened = app.get(Who::Admin, &path).await.expect(200);
    assert_eq!(reopened.body["status"], "in_progress");
    assert!(reopened.body["resolvedAt"].is_null());

    // The member closes their ticket; closed is final, and a reply says to open a new ticket.
    app.status(Who::Member, &id, "closed").await.expect(200);
    let closed = app.get(Who::Admin, &path).await.expect(200);
    assert!(closed.body["closedAt"].is_string());
    assert_eq!(closed.body["allowedStatuses"], json!([]));
    let refused = app.post(Who::Member, &format!("{path}/responses"), json!({"body": "Hello?"})).await.expect(409);
    assert_eq!(refused.body["code"], "ticket_closed");
    assert!(refused.body["detail"].as_str().unwrap_or_default().contains("new ticket"));
    app.status(Who::Admin, &id, "in_progress").await.expect(409);

    // History has every change with actor and old/new values, in order.
    let history = app.get(Who::Admin, &format!("{path}/history")).await.expect(200);
    let types: Vec<&str> =
        history.body["items"].as_array().unwrap().iter().filter_map(|e| e["type"].as_str()).collect();
    assert_eq!(
        types,
        vec![
            "created",
            "status_changed",
            "replied",
            "status_changed",
            "note_added",
            "replied",
            "status_changed",
            "replied",
            "status_changed",
            "status_changed"
        ]
    );
    let first_move = &history.body["items"][1];
    assert_eq!(first_move["from"], "open");
    assert_eq!(first_move["to"], "waiting");
    assert_eq!(first_move["actor"]["id"], "agent-1");
    // The member's history has the same entries less the note.
    let member_history = app.get(Who::Member, &format!("{path}/history")).await.expect(200);
    assert_eq!(member_history.body["items"].as_array().map(Vec::len), Some(types.len() - 1));
}

both_backends!(workflow_replies_and_history, workflow_end_to_end);

async fn assignment_and_edits(app: TestApp) {
    app.introduce_staff().await;
    let id = app.member_ticket("Learn to Row course access").await;
    let path = format!("/api/tickets/{id}");
    let assigned = app.put(Who::Admin, &format!("{path}/assign"), json!({"assigneeId": "agent-1"})).await.expect(200);
    assert_eq!(assigned.body["assigneeId"], "agent-1");
    // Only staff can be assignees; a member or unknown id is a validation error.
    let bad = app.put(Who::Admin, &format!("{path}/assign"), json!({"assigneeId": "member-1"})).await.expect(422);
    assert!(bad.body["errors"]["assigneeId"].is_string());
    app.put(Who::Admin, &format!("{path}/assign"), json!({"assigneeId": "nobody"})).await.expect(422);
    // Unassign.
    let unassigned = app.put(Who::Admin, &format!("{path}/assign"), json!({"assigneeId": null})).await.expect(200);
    assert!(unassigned.body["assigneeId"].is_null());
    // Staff edit subject and description; admins change priority.
    let edited = app
        .put(Who::User, &path, json!({"subject": "LMS: course access", "description": "Cannot open module 2."}))
        .await
        .expect(200);
    assert_eq!(edited.body["subject"], "LMS: course access");
    let prioritised = app.put(Who::Admin, &path, json!({"priority": "high"})).await.expect(200);
    assert_eq!(prioritised.body["priority"], "high");
    // Members cannot pick a priority when they raise a ticket.
    let created = app
        .post(Who::Member, "/api/tickets", json!({"subject": "Urgent!!", "description": "Please", "priority": "high"}))
        .await
        .expect(201);
    assert_eq!(created.body["priority"], "medium");
    assert_eq!(created.body["member"]["id"], "member-1");
    // Numbers are per client and human-readable.
    assert_eq!(created.body["reference"], format!("#{}", created.body["number"]));
    let history = app.get(Who::Admin, &format!("{path}/history")).await.expect(200);
    let types: Vec<&str> =
        history.body["items"].as_array().unwrap().iter().filter_map(|e| e["type"].as_str()).collect();
    assert_eq!(
        types,
        vec![
            "created",
            "assignee_changed",
            "assignee_changed",
            "subject_changed",
            "description_changed",
            "priority_changed"
        ]
    );
}

both_backends!(assignment_and_ticket_edits, assignment_and_edits);
