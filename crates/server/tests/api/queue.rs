//! The queue: every filter, each sort with keyset pages, and the statistics.

use crate::both_backends;
use crate::support::{TestApp, Who};
use chrono::{Duration, TimeZone, Utc};
use serde_json::{Value, json};
use std::collections::HashSet;

/// Twelve tickets over twelve days: priorities cycle low/medium/high, every third is assigned
/// to agent-1, statuses spread over the workflow.
async fn seed(app: &TestApp) -> Vec<Value> {
    app.introduce_staff().await;
    let start = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).single().unwrap();
    let mut tickets = Vec::new();
    for n in 0..12 {
        app.clock.set(start + Duration::days(n));
        let priority = ["low", "medium", "high"][(n % 3) as usize];
        let subject = if n == 7 { "Rowing machine broken".to_owned() } else { format!("Question {n}") };
        let ticket = app.staff_ticket(&subject, priority).await;
        let id = ticket["id"].as_str().unwrap().to_owned();
        if n % 3 == 0 {
            app.put(Who::Admin, &format!("/api/tickets/{id}/assign"), json!({"assigneeId": "agent-1"}))
                .await
                .expect(200);
        }
        app.clock.advance(Duration::hours(2));
        match n % 4 {
            1 => {
                app.status(Who::User, &id, "in_progress").await.expect(200);
            }
            2 => {
                app.post(Who::User, &format!("/api/tickets/{id}/responses"), json!({"body": "Done for you."}))
                    .await
                    .expect(201);
                app.clock.advance(Duration::hours(2));
                app.status(Who::User, &id, "resolved").await.expect(200);
            }
            3 => {
                app.status(Who::User, &id, "waiting").await.expect(200);
            }
            _ => {}
        }
        tickets.push(app.get(Who::Admin, &format!("/api/tickets/{id}")).await.expect(200).body);
    }
    tickets
}

async fn total(app: &TestApp, query: &str) -> i64 {
    let reply = app.get(Who::Admin, &format!("/api/tickets?{query}")).await.expect(200);
    assert_eq!(reply.body["totalExact"], true, "small totals are exact");
    reply.body["total"].as_i64().unwrap()
}

async fn filters(app: TestApp) {
    let tickets = seed(&app).await;
    assert_eq!(total(&app, "").await, 12);
    assert_eq!(total(&app, "status=open").await, 3);
    assert_eq!(total(&app, "status=open&status=waiting").await, 6);
    assert_eq!(total(&app, "status=open,waiting").await, 6);
    assert_eq!(total(&app, "priority=high").await, 4);
    assert_eq!(total(&app, "assigneeId=agent-1").await, 4);
    assert_eq!(total(&app, "assigneeId=unassigned").await, 8);
    assert_eq!(total(&app, "createdFrom=2026-03-03&createdTo=2026-03-05").await, 3);
    assert_eq!(total(&app, "createdFrom=2026-03-03T09:00:00Z").await, 10);
    assert_eq!(total(&app, "q=ROWING%20machine").await, 1);
    assert_eq!(total(&app, "q=%25").await, 0, "LIKE wildcards are matched literally");
    assert_eq!(total(&app, "status=resolved&priority=high").await, 1);
    let unknown_category = "categoryId=0195f1a2-0000-7000-8000-000000000000";
    assert_eq!(total(&app, unknown_category).await, 0);

    // Every sort, both directions, pages of 5: each ticket exactly once, in order.
    for sort in ["createdAt:asc", "createdAt:desc", "updatedAt:asc", "updatedAt:desc", "priority:asc", "priority:desc"]
    {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..10 {
            let mut path = format!("/api/tickets?sort={sort}&limit=5");
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let page = app.get(Who::Admin, &path).await.expect(200);
            assert_eq!(page.body["total"], 12);
            for item in page.body["items"].as_array().unwrap() {
                seen.push(item.clone());
            }
            cursor = page.body["nextCursor"].as_str().map(str::to_owned);
            if cursor.is_none() {
                break;
            }
        }
        let ids: HashSet<&str> = seen.iter().filter_map(|t| t["id"].as_str()).collect();
        assert_eq!((seen.len(), ids.len()), (12, 12), "{sort}: every ticket exactly once");
        let key = |t: &Value| -> String {
            match sort.split(':').next().unwrap() {
                "priority" => ["low", "medium", "high"].iter().position(|p| t["priority"] == *p).unwrap().to_string(),
                field => t[field].as_str().unwrap().to_owned(),
            }
        };
        let keys: Vec<String> = seen.iter().map(key).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        if sort.ends_with("desc") {
            sorted.reverse();
        }
        assert_eq!(keys, sorted, "{sort} is ordered");
    }
    // A cursor from one sort is refused for another.
    let page = app.get(Who::Admin, "/api/tickets?sort=priority:asc&limit=5").await.expect(200);
    let cursor = page.body["nextCursor"].as_str().unwrap().to_owned();
    app.get(Who::Admin, &format!("/api/tickets?sort=createdAt:asc&cursor={cursor}")).await.expect(422);
    assert_eq!(tickets.len(), 12);
}

both_backends!(queue_filters_and_keyset_pages, filters);

async fn stats(app: TestApp) {
    seed(&app).await;
    app.clock.set(Utc.with_ymd_and_hms(2026, 3, 20, 9, 0, 0).single().unwrap());
    let stats = app.get(Who::User, "/api/tickets/queue").await.expect(200).body;
    assert_eq!(stats["total"], 12);
    assert_eq!(stats["byStatus"], json!({"open": 3, "in_progress": 3, "waiting": 3, "resolved": 3, "closed": 0}));
    assert_eq!(stats["byPriority"], json!({"low": 4, "medium": 4, "high": 4}));
    // Active and unassigned: 9 active tickets, of which n % 3 == 0 are assigned (n = 0, 3, 9 → but 6 is resolved).
    assert_eq!(stats["unassigned"], 6);
    // The oldest open ticket is from 1 March (n = 0): 19 days old.
    assert_eq!(stats["oldestOpenAgeSeconds"], 19 * 24 * 3600);
    // Resolved tickets (n = 2, 6, 10) were answered after 2 h and resolved after 4 h.
    assert_eq!(stats["firstResponse"]["count"], 3);
    assert_eq!(stats["firstResponse"]["medianSeconds"], 7200.0);
    assert_eq!(stats["resolution"]["meanSeconds"], 14400.0);
    let assigned: i64 = stats["byAssignee"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["key"] == "agent-1")
        .map(|g| g["count"].as_i64().unwrap())
        .sum();
    assert_eq!(assigned, 4);
    // The same filters as the list.
    let high = app.get(Who::Admin, "/api/tickets/queue?priority=high").await.expect(200).body;
    assert_eq!(high["total"], 4);
    app.get(Who::Admin, "/api/tickets/queue?status=nope").await.expect(422);
}

both_backends!(queue_statistics, stats);
