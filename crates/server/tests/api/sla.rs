//! SLAs end to end: the settings endpoints (roles, tenancy, validation), the `sla` block of
//! tickets, the escalation worker driven by the controllable clock (warning then breach, each
//! once; escalation actions once), pauses while waiting, what counts as a first response, the
//! queue's SLA filter, sort and report, and two workers racing on one database.

use crate::both_backends;
use crate::support::{TestApp, Who};
use chrono::{DateTime, Duration, TimeZone, Utc};
use memberdesk_domain::usecases::SlaPassReport;
use serde_json::{Value, json};
use std::sync::Arc;

/// Monday 2 March 2026, `h:m` UTC.
fn monday(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).single().unwrap()
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// Weekdays 08:00–18:00 UTC; high 2 h / 8 h, medium 4 h / 16 h, low 8 h / 40 h.
fn policy() -> Value {
    let day = json!([{"start": "08:00", "end": "18:00"}]);
    json!({
        "targets": {
            "low": {"firstResponseMinutes": 480, "resolutionMinutes": 2400},
            "medium": {"firstResponseMinutes": 240, "resolutionMinutes": 960},
            "high": {"firstResponseMinutes": 120, "resolutionMinutes": 480}
        },
        "counting": "business_hours",
        "calendar": {
            "timeZone": "UTC",
            "hours": {"monday": day, "tuesday": day, "wednesday": day, "thursday": day, "friday": day},
            "holidays": ["2026-12-25"]
        },
        "atRiskShare": 0.8,
        "escalation": {"flagEscalated": true, "raisePriority": true, "reassignTo": "agent-1", "notify": true}
    })
}

async fn with_policy(app: &TestApp) {
    app.introduce_staff().await;
    app.put(Who::Admin, "/api/settings/sla", policy()).await.expect(200);
}

async fn pass(app: &TestApp) -> SlaPassReport {
    let report = memberdesk_server::workers::sla::run_once(&app.desk).await.expect("SLA pass");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    report
}

async fn ticket(app: &TestApp, id: &str) -> Value {
    app.get(Who::Admin, &format!("/api/tickets/{id}")).await.expect(200).body
}

/// The history entries' types, in order.
async fn history(app: &TestApp, who: Who, id: &str) -> Vec<String> {
    let body = app.get(who, &format!("/api/tickets/{id}/history")).await.expect(200).body;
    body["items"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap().to_owned()).collect()
}

fn count(types: &[String], name: &str) -> usize {
    types.iter().filter(|t| *t == name).count()
}

both_backends!(settings_roles_and_tenancy, |app: TestApp| async move {
    app.introduce_staff().await;
    let path = "/api/settings/sla";
    assert_eq!(app.get(Who::Admin, path).await.expect(200).body, json!({"enabled": false}), "no SLA, said plainly");

    app.put(Who::User, path, policy()).await.expect(403);
    app.put(Who::Member, path, policy()).await.expect(403);
    app.get(Who::Member, path).await.expect(403);
    app.put(Who::NoToken, path, policy()).await.expect(401);
    app.get(Who::NoToken, path).await.expect(401);
    assert_eq!(app.get(Who::Admin, path).await.body["enabled"], false, "refused writes change nothing");

    let saved = app.put(Who::Admin, path, policy()).await.expect(200).body;
    assert_eq!(saved["enabled"], true);
    assert_eq!(saved["targets"]["high"], json!({"firstResponseMinutes": 120, "resolutionMinutes": 480}));
    assert_eq!(saved["calendar"]["timeZone"], "UTC");
    assert_eq!(saved["escalation"]["reassignTo"], "agent-1");
    assert_eq!(saved["updatedBy"], "admin-1");
    let read = app.get(Who::User, path).await.expect(200).body;
    assert_eq!(read, saved, "staff read what the admin saved");

    // Another client sees its own (none) and cannot change this one's.
    assert_eq!(app.get(Who::OtherClientAdmin, path).await.expect(200).body, json!({"enabled": false}));
    let mut theirs = policy();
    theirs["escalation"] = json!({"notify": false});
    app.put(Who::OtherClientAdmin, path, theirs).await.expect(200);
    assert_eq!(app.get(Who::Admin, path).await.body, saved);
});

both_backends!(settings_validation_names_the_fields, |app: TestApp| async move {
    app.introduce_staff().await;
    let path = "/api/settings/sla";
    let refused = |body: Value, field: &'static str| {
        let app = &app;
        async move {
            let reply = app.put(Who::Admin, path, body).await.expect(422);
            assert_eq!(reply.body["code"], "validation_failed", "{}", reply.text);
            assert!(reply.body["errors"][field].is_string(), "{field} in {}", reply.text);
        }
    };
    let mut overlapping = policy();
    overlapping["calendar"]["hours"]["monday"] =
        json!([{"start": "08:00", "end": "12:00"}, {"start": "11:00", "end": "13:00"}]);
    refused(overlapping, "calendar.hours.monday[1]").await;
    let mut inverted = policy();
    inverted["calendar"]["hours"]["friday"] = json!([{"start": "18:00", "end": "08:00"}]);
    refused(inverted, "calendar.hours.friday[0]").await;
    let mut zone = policy();
    zone["calendar"]["timeZone"] = json!("Mars/Olympus_Mons");
    refused(zone, "calendar.timeZone").await;
    let mut negative = policy();
    negative["targets"]["high"]["firstResponseMinutes"] = json!(-5);
    refused(negative, "targets.high.firstResponseMinutes").await;
    let mut no_agent = policy();
    no_agent["escalation"]["reassignTo"] = json!("member-1");
    refused(no_agent, "escalation.reassignTo").await;
    let mut share = policy();
    share["atRiskShare"] = json!(1.5);
    refused(share, "atRiskShare").await;

    assert_eq!(app.get(Who::Admin, path).await.body, json!({"enabled": false}), "nothing was saved");
});

both_backends!(a_breach_is_recorded_once_and_escalated_once, |app: TestApp| async move {
    app.clock.set(monday(7, 0));
    with_policy(&app).await;
    app.clock.set(monday(8, 0));
    let created = app.staff_ticket("Boat trailer booking lost", "medium").await;
    let id = created["id"].as_str().unwrap().to_owned();
    // Medium: first response 4 business hours, due 12:00, at risk from 11:12.
    let sla = &created["sla"]["firstResponse"];
    assert_eq!(sla["state"], "pending");
    assert_eq!(sla["dueAt"], rfc3339(monday(12, 0)));
    assert_eq!(sla["atRiskAt"], rfc3339(monday(11, 12)));
    assert_eq!(sla["remainingSeconds"], 4 * 3600);
    assert_eq!(created["escalated"], false);

    assert_eq!(pass(&app).await.checked, 0, "nothing is due yet");
    app.clock.set(monday(11, 20));
    let report = pass(&app).await;
    assert_eq!((report.warnings, report.breaches), (1, 0));
    assert_eq!(ticket(&app, &id).await["sla"]["firstResponse"]["state"], "at_risk");
    assert_eq!(pass(&app).await.warnings, 0, "a second pass records nothing");

    app.clock.set(monday(12, 1));
    let report = pass(&app).await;
    assert_eq!((report.warnings, report.breaches), (0, 1));
    let after = ticket(&app, &id).await;
    assert_eq!(after["sla"]["firstResponse"]["state"], "breached");
    assert_eq!(after["escalated"], true);
    assert_eq!(after["priority"], "high", "raised one step");
    // Now measured as high (2 h from 08:00): due 10:00, 2 h 1 min used, 2 h 1 min − 2 h over.
    assert_eq!(after["sla"]["firstResponse"]["dueAt"], rfc3339(monday(10, 0)));
    assert_eq!(after["sla"]["firstResponse"]["overdueSeconds"], 121 * 60);
    assert_eq!(after["assigneeId"], "agent-1", "reassigned to the escalation agent");
    // Now high: resolution 8 business hours from 08:00, due 16:00.
    assert_eq!(after["sla"]["resolution"]["dueAt"], rfc3339(monday(16, 0)));

    for _ in 0..3 {
        assert_eq!(pass(&app).await.breaches, 0, "the breach is recorded once");
    }
    let types = history(&app, Who::Admin, &id).await;
    assert_eq!(count(&types, "sla_warning"), 1, "{types:?}");
    assert_eq!(count(&types, "sla_breached"), 1, "{types:?}");
    assert_eq!(count(&types, "escalated"), 1, "{types:?}");
    assert_eq!(count(&types, "priority_changed"), 1, "{types:?}");
    assert_eq!(count(&types, "assignee_changed"), 1, "{types:?}");
    let entries = app.get(Who::Admin, &format!("/api/tickets/{id}/history")).await.body;
    let breach = entries["items"].as_array().unwrap().iter().find(|e| e["type"] == "sla_breached").unwrap();
    assert_eq!(breach["target"], "first_response");
    assert_eq!(breach["actor"], json!({"id": "system", "name": "memberdesk"}));
    // Members never see the desk's SLA bookkeeping.
    let member_types = history(&app, Who::Member, &id).await;
    assert_eq!(count(&member_types, "sla_breached") + count(&member_types, "sla_warning"), 0, "{member_types:?}");
    let mine = app.get(Who::Member, &format!("/api/tickets/{id}")).await.expect(200).body;
    assert_eq!((mine["sla"].clone(), mine["escalated"].clone()), (Value::Null, json!(false)));

    // Later the resolution (now high: at risk from 14:24) warns, once.
    app.clock.set(monday(14, 30));
    assert_eq!(pass(&app).await.warnings, 1);
    assert_eq!(pass(&app).await.warnings, 0);

    // The queue finds it by SLA state and by the escalated flag, and reports it.
    let other = app.staff_ticket("Calm question", "low").await;
    let breached = app.get(Who::User, "/api/tickets?slaState=breached").await.expect(200).body;
    assert_eq!(breached["total"], 1);
    assert_eq!(breached["items"][0]["id"], id.as_str());
    let escalated = app.get(Who::User, "/api/tickets?escalated=true").await.expect(200).body;
    assert_eq!(escalated["total"], 1);
    let by_due = app.get(Who::User, "/api/tickets?sort=slaDueAt").await.expect(200).body;
    assert_eq!(by_due["items"][0]["id"], id.as_str(), "the overdue ticket first");
    assert_eq!(by_due["items"][1]["id"], other["id"]);
    let latest_first = app.get(Who::User, "/api/tickets?sort=slaDueAt:desc").await.expect(200).body;
    assert_eq!(latest_first["items"][0]["id"], other["id"]);
    app.get(Who::User, "/api/tickets?slaState=late").await.expect(422);

    let stats = app.get(Who::User, "/api/tickets/queue").await.expect(200).body;
    let overall = &stats["sla"]["overall"];
    assert_eq!(overall["tickets"], 2);
    assert_eq!(overall["firstResponse"]["breached"], 1);
    assert_eq!(overall["resolution"]["atRisk"], 1);
    let high = stats["sla"]["byPriority"].as_array().unwrap().iter().find(|g| g["key"] == "high").unwrap();
    assert_eq!(high["firstResponse"]["breached"], 1);
    let agent = stats["sla"]["byAgent"].as_array().unwrap().iter().find(|g| g["key"] == "agent-1").unwrap();
    assert_eq!(agent["tickets"], 1);
});

both_backends!(waiting_pauses_the_clock, |app: TestApp| async move {
    app.clock.set(monday(7, 0));
    with_policy(&app).await;
    // The example: created 08:00, 2-hour target, waiting 09:00–10:05: due 11:05.
    app.clock.set(monday(8, 0));
    let id = app.staff_ticket("Locker key", "high").await["id"].as_str().unwrap().to_owned();
    app.clock.set(monday(9, 0));
    app.status(Who::User, &id, "waiting").await.expect(200);
    app.clock.set(monday(9, 30));
    let waiting = ticket(&app, &id).await;
    assert_eq!(waiting["sla"]["firstResponse"]["paused"], true);
    assert_eq!(waiting["sla"]["firstResponse"]["remainingSeconds"], 3600);
    assert_eq!(waiting["sla"]["firstResponse"]["dueAt"], rfc3339(monday(10, 30)), "projected from now");
    // Nothing is due while paused, not even past the original due time (10:00).
    app.clock.set(monday(10, 1));
    assert_eq!(pass(&app).await.checked, 0);
    assert_eq!(ticket(&app, &id).await["sla"]["firstResponse"]["state"], "pending");

    app.clock.set(monday(10, 5));
    app.status(Who::User, &id, "in_progress").await.expect(200);
    let resumed = ticket(&app, &id).await;
    assert_eq!(resumed["sla"]["firstResponse"]["paused"], false);
    assert_eq!(resumed["sla"]["firstResponse"]["dueAt"], rfc3339(monday(11, 5)), "moved by the wait");
    assert_eq!(resumed["sla"]["resolution"]["dueAt"], rfc3339(monday(17, 5)));
});

both_backends!(the_first_public_staff_reply_meets_first_response, |app: TestApp| async move {
    app.clock.set(monday(7, 0));
    with_policy(&app).await;
    app.clock.set(monday(8, 0));
    let id = app.member_ticket("Membership card").await;
    let responses = format!("/api/tickets/{id}/responses");
    app.clock.set(monday(8, 30));
    app.post(Who::User, &responses, json!({"kind": "note", "body": "Checking the printer."})).await.expect(201);
    app.post(Who::Member, &responses, json!({"body": "Any news?"})).await.expect(201);
    let pending = ticket(&app, &id).await;
    assert_eq!(pending["sla"]["firstResponse"]["state"], "pending", "notes and the member's replies do not count");
    assert_eq!(pending["sla"]["firstResponse"]["completedAt"], Value::Null);

    app.clock.set(monday(9, 0));
    app.post(Who::User, &responses, json!({"body": "Your card is on its way."})).await.expect(201);
    let answered = ticket(&app, &id).await;
    let first_response = &answered["sla"]["firstResponse"];
    assert_eq!(first_response["state"], "met");
    assert_eq!(first_response["completedAt"], rfc3339(monday(9, 0)));
    assert_eq!(first_response["elapsedSeconds"], 3600);

    // Past the first-response due time nothing is owed for it.
    app.clock.set(monday(13, 0));
    let report = pass(&app).await;
    assert_eq!(report.breaches, 0);
    assert_eq!(ticket(&app, &id).await["escalated"], false);

    // Resolving meets the resolution target; the report counts both, with business times.
    app.status(Who::User, &id, "resolved").await.expect(200);
    let stats = app.get(Who::Admin, "/api/tickets/queue").await.expect(200).body;
    let overall = &stats["sla"]["overall"];
    assert_eq!(overall["firstResponse"]["met"], 1);
    assert_eq!(overall["firstResponse"]["time"]["medianSeconds"], 3600.0);
    assert_eq!(overall["resolution"]["met"], 1);
    assert_eq!(overall["resolution"]["time"]["p90Seconds"], 5.0 * 3600.0);
});

both_backends!(a_desk_without_policy_has_no_sla, |app: TestApp| async move {
    let id = app.member_ticket("No promises").await;
    let body = ticket(&app, &id).await;
    assert_eq!(body["sla"], Value::Null);
    assert_eq!(body["escalated"], false);
    app.clock.advance(Duration::days(30));
    assert_eq!(pass(&app).await.checked, 0);
    // A policy saved later applies to new tickets, not to this one.
    with_policy(&app).await;
    assert_eq!(ticket(&app, &id).await["sla"], Value::Null);
    let new = app.member_ticket("Promised").await;
    assert!(ticket(&app, &new).await["sla"].is_object());
});

both_backends!(two_workers_record_each_event_once, |app: TestApp| async move {
    app.clock.set(monday(7, 0));
    with_policy(&app).await;
    app.clock.set(monday(8, 0));
    let mut ids = Vec::new();
    for n in 0..50 {
        ids.push(app.staff_ticket(&format!("Race {n}"), "medium").await["id"].as_str().unwrap().to_owned());
    }
    // A second instance over the same database, with its own connections and the same clock.
    let store = memberdesk_store::Store::connect(app.database_url()).await.unwrap();
    let attachments = Arc::new(memberdesk_attachments::ObjectStorage::in_memory());
    let second = memberdesk_server::application::desk_over(store, attachments, app.clock.clone());

    // Past every first-response due time (12:00): each ticket owes one breach.
    app.clock.set(monday(12, 30));
    let (a, b) = tokio::join!(
        memberdesk_server::workers::sla::run_once(&app.desk),
        memberdesk_server::workers::sla::run_once(&second)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a.failed.is_empty() && b.failed.is_empty(), "{:?} {:?}", a.failed, b.failed);
    assert_eq!(a.breaches + b.breaches, 50, "one breach per ticket in all: {a:?} {b:?}");
    for id in &ids {
        let types = history(&app, Who::Admin, id).await;
        assert_eq!(count(&types, "sla_breached"), 1, "{id}: {types:?}");
        assert_eq!(count(&types, "escalated"), 1, "{id}: {types:?}");
        assert_eq!(count(&types, "priority_changed"), 1, "{id}: {types:?}");
    }
    let (a, b) = tokio::join!(
        memberdesk_server::workers::sla::run_once(&app.desk),
        memberdesk_server::workers::sla::run_once(&second)
    );
    assert_eq!(a.unwrap().breaches + b.unwrap().breaches, 0);
    let breached = app.get(Who::Admin, "/api/tickets?slaState=breached&limit=100").await.expect(200).body;
    assert_eq!(breached["total"], 50);
    assert_eq!(breached["items"][0]["assigneeId"], "agent-1");
});
