//! Assignment (issue 6) end to end: agents, rules, round-robin and least-loaded through the
//! outbox worker, waiting and backlog draining, manual assignment beyond capacity, the history,
//! the role checks of every new endpoint; and, on PostgreSQL, 200 tickets created at once
//! through two instances sharing one database.

use crate::support::{CLIENT, SECRET, TestApp, Who};
use memberdesk_domain::FixedClock;
use memberdesk_domain::notify::OutboxWorker;
use memberdesk_server::{Application, Config};
use memberdesk_store::{Backend, Store};
use memberdesk_testkit::TestDatabase;
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// One desk instance whose outbox worker the test drives (no background loop).
struct Instance {
    base: String,
    http: reqwest::Client,
    worker: OutboxWorker,
}

struct Desk {
    instances: Vec<Instance>,
    db: TestDatabase,
}

async fn start_instance(store: Store, url: &str, clock: Arc<FixedClock>) -> Instance {
    let files = std::env::temp_dir().join(format!("memberdesk-assign-{}", uuid::Uuid::now_v7()));
    let mut config = Config::new(url, "127.0.0.1:0".parse().unwrap(), SECRET);
    config.attachments = memberdesk_attachments::StorageLocation::Directory(files);
    config.sla_check_interval = None;
    config.notifications.poll_interval = None;
    let app = Application::start(store, &config, clock).expect("app starts");
    let base = format!("http://{}", app.addr());
    let worker = app.outbox_worker().clone();
    tokio::spawn(app.run_until_stopped());
    let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
    Instance { base, http, worker }
}

impl Desk {
    /// `instances` desks over one fresh database.
    async fn spawn(backend: Backend, instances: usize) -> Desk {
        let (store, db) = memberdesk_testkit::fresh_store(backend).await;
        let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
        let mut list = vec![start_instance(store, db.url(), clock.clone()).await];
        for _ in 1..instances {
            let store = Store::connect(db.url()).await.expect("second connection");
            list.push(start_instance(store, db.url(), clock.clone()).await);
        }
        Desk { instances: list, db }
    }

    fn at(&self, i: usize) -> &Instance {
        &self.instances[i % self.instances.len()]
    }

    /// Runs outbox passes on every instance until none claims anything.
    async fn settle(&self) {
        loop {
            let mut claimed = 0;
            for instance in &self.instances {
                claimed += instance.worker.run_once().await.expect("outbox pass").claimed();
            }
            if claimed == 0 {
                return;
            }
        }
    }

    async fn call(&self, as_: &As, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        self.at(0).call(as_, method, path, body).await
    }
}

/// Who calls: a user of a client with one role (any id, unlike the harness' fixed cast).
#[derive(Clone)]
struct As {
    client: &'static str,
    id: String,
    role: &'static str,
}

fn admin() -> As {
    As { client: CLIENT, id: "admin-1".into(), role: "ROLE_CLIENT_ADMIN" }
}
fn staff(id: &str) -> As {
    As { client: CLIENT, id: id.into(), role: "ROLE_CLIENT_USER" }
}
fn member() -> As {
    As { client: CLIENT, id: "member-1".into(), role: "ROLE_MEMBER" }
}
fn outsider() -> As {
    As { client: "riverside", id: "admin-9".into(), role: "ROLE_CLIENT_ADMIN" }
}

impl Instance {
    async fn call(&self, as_: &As, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let claims = memberdesk_http::auth::Claims {
            sub: as_.id.clone(),
            client_id: as_.client.into(),
            roles: vec![as_.role.into()],
            name: format!("Name {}", as_.id),
            email: format!("{}@example.org", as_.id),
            exp: chrono::Utc::now().timestamp() + 3600,
        };
        let token = memberdesk_http::auth::issue_token(SECRET, &claims).unwrap();
        let mut request = self.http.request(method, format!("{}{}", self.base, path)).bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn create_ticket(&self, subject: &str, priority: &str) -> String {
        let (status, body) = self
            .call(
                &admin(),
                Method::POST,
                "/api/tickets",
                Some(json!({
                    "subject": subject,
                    "description": "Raised by phone.",
                    "priority": priority,
                    "member": {"id": "member-1", "name": "Mia Member", "email": "mia@members.example"}
                })),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body["id"].as_str().unwrap().to_owned()
    }
}

/// Makes the agents known (the directory learns staff from their tokens).
async fn introduce(desk: &Desk, agents: &[&str]) {
    desk.call(&admin(), Method::GET, "/api/agents", None).await;
    for agent in agents {
        let (status, _) = desk.call(&staff(agent), Method::GET, "/api/agents", None).await;
        assert_eq!(status, 200);
    }
}

async fn set_agent(desk: &Desk, agent: &str, body: Value) {
    let (status, reply) = desk.call(&admin(), Method::PUT, &format!("/api/agents/{agent}"), Some(body)).await;
    assert_eq!(status, 200, "{reply}");
}

async fn set_rules(desk: &Desk, rules: Value) {
    let (status, reply) =
        desk.call(&admin(), Method::PUT, "/api/settings/assignment-rules", Some(json!({ "rules": rules }))).await;
    assert_eq!(status, 200, "{reply}");
}

async fn ticket(desk: &Desk, id: &str) -> Value {
    let (status, body) = desk.call(&admin(), Method::GET, &format!("/api/tickets/{id}"), None).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn assignee(desk: &Desk, id: &str) -> Option<String> {
    ticket(desk, id).await["assigneeId"].as_str().map(str::to_owned)
}

/// Loads as `GET /api/agents` shows them.
async fn loads(desk: &Desk) -> BTreeMap<String, (u64, Value)> {
    let (status, body) = desk.call(&admin(), Method::GET, "/api/agents", None).await;
    assert_eq!(status, 200, "{body}");
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_str().unwrap().to_owned(), (a["load"].as_u64().unwrap(), a["capacity"].clone())))
        .collect()
}

/// How many of the tickets each agent holds (`None`: unassigned).
async fn holders(desk: &Desk, ids: &[String]) -> BTreeMap<Option<String>, usize> {
    let mut counts = BTreeMap::new();
    for id in ids {
        *counts.entry(assignee(desk, id).await).or_insert(0) += 1;
    }
    counts
}

async fn history_assignments(desk: &Desk, id: &str) -> Vec<Value> {
    let (status, body) = desk.call(&admin(), Method::GET, &format!("/api/tickets/{id}/history"), None).await;
    assert_eq!(status, 200, "{body}");
    body["items"].as_array().unwrap().iter().filter(|e| e["type"] == "assignee_changed").cloned().collect()
}

macro_rules! assignment_both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                ($body)(Desk::spawn(Backend::Postgres, 1).await).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                ($body)(Desk::spawn(Backend::Sqlite, 1).await).await;
            }
        }
    };
}

assignment_both!(round_robin_takes_turns_and_the_history_names_rule_and_strategy, |desk: Desk| async move {
    introduce(&desk, &["ann", "bob", "cat"]).await;
    set_rules(&desk, json!([{ "name": "Everyone", "pool": ["ann", "bob", "cat"], "strategy": "round_robin" }])).await;
    let mut ids = Vec::new();
    for i in 0..7 {
        ids.push(desk.at(0).create_ticket(&format!("Question {i}"), "medium").await);
    }
    // The request does not assign: the outbox worker does.
    assert_eq!(assignee(&desk, &ids[0]).await, None);
    desk.settle().await;
    let expected = ["ann", "bob", "cat", "ann", "bob", "cat", "ann"];
    for (id, agent) in ids.iter().zip(expected) {
        assert_eq!(assignee(&desk, id).await.as_deref(), Some(agent));
    }
    let events = history_assignments(&desk, &ids[1]).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["to"], "bob");
    assert_eq!(events[0]["actor"]["id"], "system");
    assert_eq!(
        events[0]["assignedBy"],
        json!({"by": "rule", "ruleIndex": 0, "ruleName": "Everyone", "strategy": "round_robin"})
    );
    let loads = loads(&desk).await;
    assert_eq!(loads["ann"].0, 3);
    assert_eq!(loads["bob"].0, 2);
    assert_eq!(loads["cat"].0, 2);
    // Re-running the worker changes nothing (at least once, idempotent).
    desk.settle().await;
    assert_eq!(holders(&desk, &ids).await.get(&Some("ann".into())), Some(&3));
});

assignment_both!(least_loaded_skips_unavailable_and_full_then_the_backlog_drains, |desk: Desk| async move {
    introduce(&desk, &["ann", "bob", "cat"]).await;
    set_agent(&desk, "ann", json!({"capacity": 1})).await;
    set_agent(&desk, "bob", json!({"available": false})).await;
    set_agent(&desk, "cat", json!({"capacity": 2})).await;
    set_rules(&desk, json!([{ "name": "Balance", "pool": ["ann", "bob", "cat"], "strategy": "least_loaded" }])).await;
    desk.settle().await;
    let low = desk.at(0).create_ticket("low one", "low").await;
    let first = desk.at(0).create_ticket("first", "medium").await;
    let second = desk.at(0).create_ticket("second", "medium").await;
    let third = desk.at(0).create_ticket("third", "medium").await;
    let urgent = desk.at(0).create_ticket("urgent", "high").await;
    desk.settle().await;
    // Least loaded, ties to the one assigned longest ago: low → ann (id order among never
    // assigned), first → cat, second → cat; ann and cat are full, bob is off: the rest waits.
    assert_eq!(assignee(&desk, &low).await.as_deref(), Some("ann"));
    assert_eq!(assignee(&desk, &first).await.as_deref(), Some("cat"));
    assert_eq!(assignee(&desk, &second).await.as_deref(), Some("cat"));
    assert_eq!(assignee(&desk, &third).await, None);
    assert_eq!(assignee(&desk, &urgent).await, None);
    let now = loads(&desk).await;
    assert_eq!((now["ann"].0, now["bob"].0, now["cat"].0), (1, 0, 2));

    // Capacity frees (ann's ticket resolved): the most urgent waiting ticket goes first.
    let (status, body) = desk
        .call(&admin(), Method::PUT, &format!("/api/tickets/{low}/status"), Some(json!({"status": "resolved"})))
        .await;
    assert_eq!(status, 200, "{body}");
    desk.settle().await;
    assert_eq!(assignee(&desk, &urgent).await.as_deref(), Some("ann"));
    assert_eq!(assignee(&desk, &third).await, None);

    // An agent comes back: the last waiting ticket goes to them.
    let (status, body) =
        desk.call(&staff("bob"), Method::PUT, "/api/agents/bob", Some(json!({"available": true}))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["available"], true);
    desk.settle().await;
    assert_eq!(assignee(&desk, &third).await.as_deref(), Some("bob"));

    // Capacity raised: a new ticket that waited (everyone full) is assigned.
    set_agent(&desk, "bob", json!({"capacity": 1})).await;
    let fourth = desk.at(0).create_ticket("fourth", "medium").await;
    desk.settle().await;
    assert_eq!(assignee(&desk, &fourth).await, None);
    set_agent(&desk, "cat", json!({"capacity": 3})).await;
    desk.settle().await;
    assert_eq!(assignee(&desk, &fourth).await.as_deref(), Some("cat"));
    for (agent, (load, capacity)) in loads(&desk).await {
        if let Some(capacity) = capacity.as_u64() {
            assert!(load <= capacity, "{agent}: {load} > {capacity}");
        }
    }
});

assignment_both!(a_single_agent_rule_and_unmatched_tickets, |desk: Desk| async move {
    introduce(&desk, &["ann", "bob"]).await;
    set_rules(
        &desk,
        json!([
            { "name": "Refunds", "keywords": ["refund*"], "agent": "bob" },
            { "name": "Urgent", "priorities": ["high"], "pool": ["ann"], "strategy": "least_loaded" }
        ]),
    )
    .await;
    let refund = desk.at(0).create_ticket("Refunded twice", "low").await;
    let other = desk.at(0).create_ticket("Hello", "low").await;
    desk.settle().await;
    assert_eq!(assignee(&desk, &refund).await.as_deref(), Some("bob"));
    assert_eq!(assignee(&desk, &other).await, None);
    let events = history_assignments(&desk, &refund).await;
    assert_eq!(events[0]["assignedBy"]["strategy"], "single_agent");
    assert_eq!(events[0]["assignedBy"]["ruleName"], "Refunds");
    let (_, rules) = desk.call(&staff("ann"), Method::GET, "/api/settings/assignment-rules", None).await;
    assert_eq!(rules["rules"][1]["pool"], json!(["ann"]));
});

assignment_both!(a_manual_assignment_wins_and_says_it_exceeds_capacity, |desk: Desk| async move {
    introduce(&desk, &["ann"]).await;
    set_agent(&desk, "ann", json!({"capacity": 0, "available": false})).await;
    let id = desk.at(0).create_ticket("Give it to Ann", "medium").await;
    let (status, body) = desk
        .call(&admin(), Method::PUT, &format!("/api/tickets/{id}/assign"), Some(json!({"assigneeId": "ann"})))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["assigneeId"], "ann");
    assert_eq!(body["exceedsCapacity"], true);
    assert_eq!(body["assignment"]["loadAfter"], 1);
    assert_eq!(body["assignment"]["capacity"], 0);
    assert_eq!(body["assignment"]["agentUnavailable"], true);
    let events = history_assignments(&desk, &id).await;
    assert_eq!(events.last().unwrap()["assignedBy"], json!({"by": "manual", "adminId": "admin-1"}));
    assert_eq!(loads(&desk).await["ann"].0, 1);
    // Within capacity, it says so too.
    set_agent(&desk, "ann", json!({"capacity": 5})).await;
    let id = desk.at(0).create_ticket("Another", "medium").await;
    let (_, body) = desk
        .call(&admin(), Method::PUT, &format!("/api/tickets/{id}/assign"), Some(json!({"assigneeId": "ann"})))
        .await;
    assert_eq!(body["exceedsCapacity"], false);
    assert_eq!(body["assignment"]["loadAfter"], 2);
});

assignment_both!(every_new_endpoint_checks_roles, |desk: Desk| async move {
    introduce(&desk, &["ann", "bob"]).await;
    let put = |as_: As, path: &'static str, body: Value| {
        let desk = &desk;
        async move { desk.call(&as_, Method::PUT, path, Some(body)).await.0 }
    };
    let get = |as_: As, path: &'static str| {
        let desk = &desk;
        async move { desk.call(&as_, Method::GET, path, None).await.0 }
    };
    // GET /api/agents: staff only.
    assert_eq!(get(admin(), "/api/agents").await, 200);
    assert_eq!(get(staff("ann"), "/api/agents").await, 200);
    assert_eq!(get(member(), "/api/agents").await, 403);
    // PUT /api/agents/{id}.
    assert_eq!(put(admin(), "/api/agents/ann", json!({"capacity": 3, "categories": []})).await, 200);
    assert_eq!(put(staff("ann"), "/api/agents/ann", json!({"available": false})).await, 200);
    assert_eq!(put(staff("ann"), "/api/agents/ann", json!({"capacity": 9})).await, 403);
    assert_eq!(put(staff("ann"), "/api/agents/bob", json!({"available": false})).await, 403);
    assert_eq!(put(member(), "/api/agents/ann", json!({"available": false})).await, 403);
    assert_eq!(put(outsider(), "/api/agents/ann", json!({"available": false})).await, 404);
    assert_eq!(put(admin(), "/api/agents/nobody", json!({"available": false})).await, 404);
    assert_eq!(put(admin(), "/api/agents/member-1", json!({"available": false})).await, 404);
    let (status, body) = desk.call(&admin(), Method::PUT, "/api/agents/ann", Some(json!({"capacity": -1}))).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["errors"]["capacity"].is_string(), "{body}");
    let (status, body) =
        desk.call(&admin(), Method::PUT, "/api/agents/ann", Some(json!({"categories": [uuid::Uuid::now_v7()]}))).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["errors"]["categories[0]"].is_string(), "{body}");
    let (_, agents) = desk.call(&admin(), Method::GET, "/api/agents", None).await;
    let ann = agents["items"].as_array().unwrap().iter().find(|a| a["id"] == "ann").unwrap().clone();
    assert_eq!(
        (ann["available"].clone(), ann["capacity"].clone(), ann["load"].clone()),
        (json!(false), json!(3), json!(0))
    );
    // The outsider's directory does not hold our agents.
    let (_, theirs) = desk.call(&outsider(), Method::GET, "/api/agents", None).await;
    assert!(theirs["items"].as_array().unwrap().iter().all(|a| a["id"] != "ann"), "{theirs}");

    // GET/PUT /api/settings/assignment-rules.
    let rules = json!({"rules": [{ "name": "All", "pool": ["ann", "bob"], "strategy": "round_robin" }]});
    assert_eq!(get(staff("ann"), "/api/settings/assignment-rules").await, 200);
    assert_eq!(get(member(), "/api/settings/assignment-rules").await, 403);
    assert_eq!(put(staff("ann"), "/api/settings/assignment-rules", rules.clone()).await, 403);
    assert_eq!(put(member(), "/api/settings/assignment-rules", rules.clone()).await, 403);
    assert_eq!(put(admin(), "/api/settings/assignment-rules", rules.clone()).await, 200);
    // Another client's admin cannot name our agents (they are not theirs).
    let (status, body) =
        desk.call(&outsider(), Method::PUT, "/api/settings/assignment-rules", Some(rules.clone())).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["errors"]["rules[0].pool[0]"].is_string(), "{body}");
    let (_, theirs) = desk.call(&outsider(), Method::GET, "/api/settings/assignment-rules", None).await;
    assert_eq!(theirs["rules"], json!([]));
    // Validation, with field paths.
    let (status, body) = desk
        .call(
            &admin(),
            Method::PUT,
            "/api/settings/assignment-rules",
            Some(json!({"rules": [
                { "name": "", "pool": ["ann"], "strategy": "round_robin" },
                { "name": "X", "pool": ["ann", "ghost"], "strategy": "sideways" }
            ]})),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["errors"]["rules[0].name"].is_string(), "{body}");
    assert!(body["errors"]["rules[1].strategy"].is_string(), "{body}");
    let (status, body) = desk
        .call(
            &admin(),
            Method::PUT,
            "/api/settings/assignment-rules",
            Some(json!({"rules": [{ "name": "X", "pool": ["ann", "ghost"], "strategy": "least_loaded" }]})),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["errors"]["rules[0].pool[1]"].is_string(), "{body}");
    let (_, stored) = desk.call(&admin(), Method::GET, "/api/settings/assignment-rules", None).await;
    let rule = &stored["rules"][0];
    assert_eq!(
        (&rule["name"], &rule["pool"], &rule["strategy"]),
        (&json!("All"), &json!(["ann", "bob"]), &json!("round_robin"))
    );
    assert_eq!(stored["rules"].as_array().map(Vec::len), Some(1));
});

/// No token: 401 on every new endpoint (the harness' `NoToken`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_token_is_401_on_every_new_endpoint() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    for (method, path) in [
        (Method::GET, "/api/agents"),
        (Method::PUT, "/api/agents/agent-1"),
        (Method::GET, "/api/settings/assignment-rules"),
        (Method::PUT, "/api/settings/assignment-rules"),
    ] {
        let body = (method == Method::PUT).then(|| json!({"available": true}));
        app.call(Who::NoToken, method, path, body).await.expect(401);
    }
}

/// 200 tickets created at once, from many tasks, through two instances on one PostgreSQL,
/// each running its own outbox passes at the same time: every agent gets ⌊n/k⌋..⌈n/k⌉,
/// nobody goes above capacity, and the backlog drains when capacity frees.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_share_the_work_fairly_on_postgres() {
    let desk = Arc::new(Desk::spawn(Backend::Postgres, 2).await);
    let agents = ["ann", "bob", "cat", "dan"];
    introduce(&desk, &agents).await;
    for agent in agents {
        set_agent(&desk, agent, json!({"capacity": 60})).await;
    }
    set_rules(&desk, json!([{ "name": "Team", "pool": agents, "strategy": "round_robin" }])).await;
    desk.settle().await;

    // Both instances' workers run while the tickets are created.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut workers = Vec::new();
    for i in 0..2 {
        let (desk, stop) = (desk.clone(), stop.clone());
        workers.push(tokio::spawn(async move {
            loop {
                let claimed = desk.at(i).worker.run_once().await.expect("outbox pass").claimed();
                if claimed == 0 {
                    if stop.load(std::sync::atomic::Ordering::SeqCst) {
                        return;
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        }));
    }
    let create = |count: usize, offset: usize| {
        let desk = desk.clone();
        async move {
            let mut tasks = Vec::new();
            for task in 0..20 {
                let desk = desk.clone();
                tasks.push(tokio::spawn(async move {
                    let mut ids = Vec::new();
                    for i in (task..count).step_by(20) {
                        ids.push(desk.at(i).create_ticket(&format!("Ticket {}", offset + i), "medium").await);
                    }
                    ids
                }));
            }
            let mut ids = Vec::new();
            for task in tasks {
                ids.extend(task.await.unwrap());
            }
            ids
        }
    };
    let ids = create(200, 0).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for worker in workers {
        worker.await.unwrap();
    }
    desk.settle().await;
    let counts = holders(&desk, &ids).await;
    assert_eq!(counts.get(&None), None, "{counts:?}");
    for agent in agents {
        assert_eq!(counts.get(&Some(agent.to_owned())), Some(&50), "{counts:?}");
    }
    let cursor = desk.db.count_rows("assignment_cursors", "turns = 200").await;
    assert_eq!(cursor, 1);

    // Everyone full at 50: 20 more tickets, concurrently, all wait; nobody goes above.
    for agent in agents {
        set_agent(&desk, agent, json!({"capacity": 50})).await;
    }
    let more = create(20, 200).await;
    let (a, b) = tokio::join!(
        async {
            for _ in 0..5 {
                desk.at(0).worker.run_once().await.unwrap();
            }
        },
        async {
            for _ in 0..5 {
                desk.at(1).worker.run_once().await.unwrap();
            }
        }
    );
    let _ = (a, b);
    desk.settle().await;
    assert_eq!(holders(&desk, &more).await.get(&None), Some(&20));
    assert_eq!(desk.db.count_rows("assignment_backlog", "true").await, 20);
    for (agent, (load, _)) in loads(&desk).await {
        assert!(load <= 50, "{agent} has {load}");
    }

    // Ten of ann's tickets resolved (through both instances): ten waiting tickets go to ann.
    let mut anns = Vec::new();
    for id in &ids {
        if assignee(&desk, id).await.as_deref() == Some("ann") {
            anns.push(id.clone());
        }
    }
    for (i, id) in anns.iter().take(10).enumerate() {
        let (status, body) = desk
            .at(i)
            .call(&admin(), Method::PUT, &format!("/api/tickets/{id}/status"), Some(json!({"status": "resolved"})))
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let (_, _) = tokio::join!(desk.at(0).worker.run_once(), desk.at(1).worker.run_once());
    desk.settle().await;
    let after = holders(&desk, &more).await;
    assert_eq!(after.get(&Some("ann".to_owned())), Some(&10), "{after:?}");
    assert_eq!(after.get(&None), Some(&10), "{after:?}");
    // Capacity raised for bob: the rest drains to him.
    set_agent(&desk, "bob", json!({"capacity": 70})).await;
    desk.settle().await;
    let after = holders(&desk, &more).await;
    assert_eq!(after.get(&Some("bob".to_owned())), Some(&10), "{after:?}");
    assert_eq!(after.get(&None), None, "{after:?}");
    let loads = loads(&desk).await;
    assert_eq!(loads["ann"].0, 50);
    assert_eq!(loads["bob"].0, 60);
}

assignment_both!(a_category_change_is_decided_again_and_agents_keep_to_their_categories, |desk: Desk| async move {
    introduce(&desk, &["ann", "bob"]).await;
    let category = |name: &'static str| {
        let desk = &desk;
        async move {
            let (status, body) =
                desk.call(&admin(), Method::POST, "/api/tickets/categories", Some(json!({"name": name}))).await;
            assert_eq!(status, 201, "{body}");
            body["id"].as_str().unwrap().to_owned()
        }
    };
    let billing = category("Billing").await;
    let events = category("Events").await;
    // bob handles billing only; ann everything.
    set_agent(&desk, "bob", json!({"categories": [billing]})).await;
    set_rules(
        &desk,
        json!([
            { "name": "Billing", "categories": [billing], "pool": ["bob", "ann"], "strategy": "round_robin" },
            { "name": "Events", "categories": [events], "pool": ["bob", "ann"], "strategy": "least_loaded" }
        ]),
    )
    .await;
    let id = desk.at(0).create_ticket("No category yet", "medium").await;
    desk.settle().await;
    assert_eq!(assignee(&desk, &id).await, None, "no rule matches an uncategorized ticket");

    // The category changes: decided again through the outbox.
    let (status, body) =
        desk.call(&admin(), Method::PUT, &format!("/api/tickets/{id}"), Some(json!({"categoryId": events}))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["assigneeId"], Value::Null, "the request does not assign");
    desk.settle().await;
    // bob does not handle events: ann gets it.
    assert_eq!(assignee(&desk, &id).await.as_deref(), Some("ann"));
    let history = history_assignments(&desk, &id).await;
    assert_eq!(history.last().unwrap()["assignedBy"]["ruleName"], "Events");
    assert_eq!(history.last().unwrap()["assignedBy"]["strategy"], "least_loaded");

    // Moved to billing: ann is in the billing pool and handles every category, so it stays.
    desk.call(&admin(), Method::PUT, &format!("/api/tickets/{id}"), Some(json!({"categoryId": billing}))).await;
    desk.settle().await;
    assert_eq!(assignee(&desk, &id).await.as_deref(), Some("ann"));

    // A manual assignment is never moved by a category change.
    desk.call(&admin(), Method::PUT, &format!("/api/tickets/{id}/assign"), Some(json!({"assigneeId": "bob"}))).await;
    desk.call(&admin(), Method::PUT, &format!("/api/tickets/{id}"), Some(json!({"categoryId": events}))).await;
    desk.settle().await;
    assert_eq!(assignee(&desk, &id).await.as_deref(), Some("bob"));
});
