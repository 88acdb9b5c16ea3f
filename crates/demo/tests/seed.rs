//! Seeds the demo desk into a Desk over a small in-memory store and checks what comes out:
//! the spread of the data, that a second run adds nothing, and that an interrupted run is
//! completed by the next one.

use async_trait::async_trait;
use chrono::{DateTime, Duration, TimeZone, Utc};
use futures::executor::block_on;
use memberdesk_demo::{
    SeedReport, demo_articles, demo_canned_responses, demo_categories, demo_desk, demo_tickets, seed,
};
use memberdesk_domain::ArticleId;
use memberdesk_domain::kb::{Article, ArticleHit, SearchCandidate, SearchQuery};
use memberdesk_domain::kb_ports::KnowledgeBase;
use memberdesk_domain::ports::{
    CannedResponseStore, CategoryStore, ClientStore, Commit, IdempotencyRecord, TicketStore, UserDirectory,
};
use memberdesk_domain::{
    CannedFilter, CannedResponse, CannedResponseId, Category, CategoryId, Change, ClientId, ClientName, ClientProfile,
    Clock, Cursor, Desk, DeskError, DeskPorts, DirectoryUser, FixedClock, Page, Priority, QueueStats, Response,
    ResponseId, ResponseKind, Role, Sort, Status, StoreError, Ticket, TicketEvent, TicketFilter, TicketId, UserId,
};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

// ---------------------------------------------------------------------------------------------
// A minimal in-memory store: what the seeder's use cases need, with the same guarantees as the
// real stores (version check, idempotency uniqueness, one "transaction" per call), plus a way to
// make every write after the n-th fail, to interrupt a seed.

#[derive(Default)]
struct State {
    tickets: BTreeMap<TicketId, Ticket>,
    numbers: BTreeMap<ClientId, i64>,
    responses: Vec<(ClientId, Response)>,
    events: Vec<TicketEvent>,
    outbox: usize,
    idempotency: Vec<IdempotencyRecord>,
    users: BTreeMap<(ClientId, UserId), DirectoryUser>,
    categories: Vec<Category>,
    canned: Vec<CannedResponse>,
    client_names: BTreeMap<ClientId, ClientName>,
    articles: Vec<Article>,
    writes: usize,
    fail_after_writes: Option<usize>,
}

impl State {
    /// Counts a write and refuses it when the store has been told to fail from here on.
    fn write(&mut self) -> Result<(), StoreError> {
        self.writes += 1;
        match self.fail_after_writes {
            Some(limit) if self.writes > limit => Err(StoreError::Unavailable("injected failure".into())),
            _ => Ok(()),
        }
    }

    fn check_idempotency(&self, commit: &Commit) -> Result<(), StoreError> {
        if let Some(record) = &commit.idempotency {
            let taken = self
                .idempotency
                .iter()
                .any(|r| r.client_id == record.client_id && r.user_id == record.user_id && r.key == record.key);
            if taken {
                return Err(StoreError::Duplicate("idempotency_key".into()));
            }
        }
        Ok(())
    }

    fn apply(&mut self, client: &ClientId, commit: Commit) {
        self.responses.extend(commit.responses.into_iter().map(|r| (client.clone(), r)));
        self.events.extend(commit.events);
        self.outbox += commit.outbox.len();
        self.idempotency.extend(commit.idempotency);
    }
}

#[derive(Default)]
struct MemoryStore(Mutex<State>);

impl MemoryStore {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[async_trait]
impl TicketStore for MemoryStore {
    async fn insert_ticket(&self, mut ticket: Ticket, commit: Commit) -> Result<Ticket, StoreError> {
        let mut state = self.state();
        state.check_idempotency(&commit)?;
        state.write()?;
        let number = state.numbers.entry(ticket.client_id.clone()).or_insert(1000);
        *number += 1;
        ticket.number = *number;
        state.tickets.insert(ticket.id, ticket.clone());
        state.apply(&ticket.client_id, commit);
        Ok(ticket)
    }

    async fn update_ticket(&self, ticket: &Ticket, expected_version: i64, commit: Commit) -> Result<(), StoreError> {
        let mut state = self.state();
        let current = state.tickets.get(&ticket.id).map(|t| t.version);
        if current != Some(expected_version) {
            return Err(StoreError::VersionConflict);
        }
        state.check_idempotency(&commit)?;
        state.write()?;
        state.tickets.insert(ticket.id, ticket.clone());
        state.apply(&ticket.client_id, commit);
        Ok(())
    }

    async fn get_ticket(&self, client: &ClientId, id: TicketId) -> Result<Option<Ticket>, StoreError> {
        Ok(self.state().tickets.get(&id).filter(|t| &t.client_id == client).cloned())
    }

    async fn list_responses(
        &self,
        client: &ClientId,
        ticket: TicketId,
        include_notes: bool,
    ) -> Result<Vec<Response>, StoreError> {
        Ok(self
            .state()
            .responses
            .iter()
            .filter(|(c, r)| c == client && r.ticket_id == ticket && (include_notes || r.kind.is_public()))
            .map(|(_, r)| r.clone())
            .collect())
    }

    async fn get_response(&self, client: &ClientId, id: ResponseId) -> Result<Option<Response>, StoreError> {
        Ok(self.state().responses.iter().find(|(c, r)| c == client && r.id == id).map(|(_, r)| r.clone()))
    }

    async fn get_attachment(
        &self,
        client: &ClientId,
        id: memberdesk_domain::AttachmentId,
    ) -> Result<Option<memberdesk_domain::Attachment>, StoreError> {
        let state = self.state();
        let mut all = state.responses.iter().filter(|(c, _)| c == client).flat_map(|(_, r)| r.attachments.iter());
        Ok(all.find(|a| a.id == id).cloned())
    }

    async fn list_events(
        &self,
        client: &ClientId,
        ticket: TicketId,
        include_internal: bool,
    ) -> Result<Vec<TicketEvent>, StoreError> {
        Ok(self
            .state()
            .events
            .iter()
            .filter(|e| &e.client_id == client && e.ticket_id == ticket && (include_internal || !e.is_internal()))
            .cloned()
            .collect())
    }

    async fn list_tickets(
        &self,
        _client: &ClientId,
        _filter: &TicketFilter,
        _sort: Sort,
        _after: Option<&Cursor>,
        _limit: u32,
    ) -> Result<Page<Ticket>, StoreError> {
        Err(StoreError::Other("the seeder does not list tickets".into()))
    }

    async fn queue_stats(&self, _client: &ClientId, _filter: &TicketFilter) -> Result<QueueStats, StoreError> {
        Err(StoreError::Other("the seeder does not read queue statistics".into()))
    }

    async fn category_usable(&self, client: &ClientId, id: CategoryId) -> Result<bool, StoreError> {
        Ok(self.state().categories.iter().any(|c| &c.client_id == client && c.id == id && !c.archived))
    }

    async fn find_idempotency(
        &self,
        client: &ClientId,
        user: &UserId,
        key: &str,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        Ok(self
            .state()
            .idempotency
            .iter()
            .find(|r| &r.client_id == client && &r.user_id == user && r.key == key)
            .cloned())
    }

    async fn ping(&self) -> Result<(), StoreError> {
        Ok(())
    }
}

#[async_trait]
impl UserDirectory for MemoryStore {
    async fn upsert_user(&self, user: &DirectoryUser) -> Result<(), StoreError> {
        let mut state = self.state();
        state.write()?;
        state.users.insert((user.client_id.clone(), user.id.clone()), user.clone());
        Ok(())
    }

    async fn get_user(&self, client: &ClientId, id: &UserId) -> Result<Option<DirectoryUser>, StoreError> {
        Ok(self.state().users.get(&(client.clone(), id.clone())).cloned())
    }

    async fn list_staff(&self, client: &ClientId) -> Result<Vec<DirectoryUser>, StoreError> {
        let mut staff: Vec<DirectoryUser> =
            self.state().users.values().filter(|u| &u.client_id == client && u.is_staff()).cloned().collect();
        staff.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(staff)
    }
}

#[async_trait]
impl CategoryStore for MemoryStore {
    async fn list_categories(&self, client: &ClientId, include_archived: bool) -> Result<Vec<Category>, StoreError> {
        let state = self.state();
        Ok(state
            .categories
            .iter()
            .filter(|c| &c.client_id == client && (include_archived || !c.archived))
            .cloned()
            .collect())
    }

    async fn get_category(&self, client: &ClientId, id: CategoryId) -> Result<Option<Category>, StoreError> {
        Ok(self.state().categories.iter().find(|c| &c.client_id == client && c.id == id).cloned())
    }

    async fn insert_category(&self, mut category: Category) -> Result<Category, StoreError> {
        let mut state = self.state();
        state.write()?;
        let same_client = state.categories.iter().filter(|c| c.client_id == category.client_id);
        if same_client.clone().any(|c| c.name.key() == category.name.key()) {
            return Err(StoreError::Duplicate("category".into()));
        }
        category.sort_order = i32::try_from(same_client.count()).unwrap_or(i32::MAX);
        state.categories.push(category.clone());
        Ok(category)
    }

    async fn update_category(&self, _category: &Category) -> Result<bool, StoreError> {
        Err(StoreError::Other("the seeder does not edit categories".into()))
    }

    async fn reorder_categories(
        &self,
        _client: &ClientId,
        _ids: &[CategoryId],
        _at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        Err(StoreError::Other("the seeder does not reorder categories".into()))
    }
}

#[async_trait]
impl CannedResponseStore for MemoryStore {
    async fn list_canned_responses(
        &self,
        client: &ClientId,
        viewer: &UserId,
        _filter: &CannedFilter,
    ) -> Result<Vec<CannedResponse>, StoreError> {
        let state = self.state();
        Ok(state
            .canned
            .iter()
            .filter(|c| &c.client_id == client && c.owner_id.as_ref().is_none_or(|o| o == viewer))
            .cloned()
            .collect())
    }

    async fn get_canned_response(
        &self,
        client: &ClientId,
        id: CannedResponseId,
    ) -> Result<Option<CannedResponse>, StoreError> {
        Ok(self.state().canned.iter().find(|c| &c.client_id == client && c.id == id).cloned())
    }

    async fn insert_canned_response(&self, canned: &CannedResponse) -> Result<(), StoreError> {
        let mut state = self.state();
        state.write()?;
        state.canned.push(canned.clone());
        Ok(())
    }

    async fn update_canned_response(&self, _canned: &CannedResponse) -> Result<bool, StoreError> {
        Err(StoreError::Other("the seeder does not edit canned responses".into()))
    }

    async fn delete_canned_response(&self, _client: &ClientId, _id: CannedResponseId) -> Result<bool, StoreError> {
        Err(StoreError::Other("the seeder does not delete canned responses".into()))
    }
}

#[async_trait]
impl ClientStore for MemoryStore {
    async fn get_client_profile(&self, client: &ClientId) -> Result<ClientProfile, StoreError> {
        let name = self.state().client_names.get(client).cloned();
        Ok(ClientProfile { client_id: client.clone(), name, updated_at: None })
    }

    async fn set_client_name(
        &self,
        client: &ClientId,
        name: &ClientName,
        _at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut state = self.state();
        state.write()?;
        state.client_names.insert(client.clone(), name.clone());
        Ok(())
    }
}

/// Articles in a list; search finds those holding any word of the query (the real full-text
/// search is the store's, tested by its contract), ranked by the domain like the stores do.
#[async_trait]
impl KnowledgeBase for MemoryStore {
    async fn search_articles(
        &self,
        client: &ClientId,
        query: &SearchQuery,
        limit: u32,
    ) -> Result<Vec<ArticleHit>, StoreError> {
        let candidates = self
            .state()
            .articles
            .iter()
            .filter(|a| &a.client_id == client && a.published)
            .filter(|a| {
                let text = format!("{} {} {}", a.title.as_str(), a.tags.join(" "), a.body.as_str()).to_lowercase();
                query.terms().iter().any(|t| text.contains(t.as_str()))
            })
            .map(|a| SearchCandidate {
                id: a.id,
                title: a.title.as_str().to_owned(),
                tags: a.tags.clone(),
                body: a.body.as_str().to_owned(),
                rank: 1.0,
            })
            .collect();
        Ok(memberdesk_domain::kb::rank(query, candidates, limit as usize))
    }

    async fn insert_article(&self, article: &Article) -> Result<(), StoreError> {
        let mut state = self.state();
        state.write()?;
        state.articles.push(article.clone());
        Ok(())
    }

    async fn get_article(&self, client: &ClientId, id: ArticleId) -> Result<Option<Article>, StoreError> {
        Ok(self.state().articles.iter().find(|a| &a.client_id == client && a.id == id).cloned())
    }

    async fn list_articles(&self, client: &ClientId, published_only: bool) -> Result<Vec<Article>, StoreError> {
        Ok(self
            .state()
            .articles
            .iter()
            .filter(|a| &a.client_id == client && (a.published || !published_only))
            .cloned()
            .collect())
    }

    async fn update_article(&self, _article: &Article, _expected_version: i64) -> Result<(), StoreError> {
        Err(StoreError::Other("the seeder never edits articles".into()))
    }

    async fn delete_article(&self, _client: &ClientId, _id: ArticleId) -> Result<bool, StoreError> {
        Err(StoreError::Other("the seeder never deletes articles".into()))
    }
}

// ---------------------------------------------------------------------------------------------

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 10, 30, 0).single().unwrap_or_default()
}

struct Fixture {
    store: Arc<MemoryStore>,
    clock: Arc<FixedClock>,
    desk: Desk,
}

fn fixture() -> Fixture {
    let store = Arc::new(MemoryStore::default());
    let clock = Arc::new(FixedClock::new(now()));
    let desk = Desk::new(DeskPorts {
        tickets: store.clone(),
        users: store.clone(),
        clock: clock.clone(),
        categories: store.clone(),
        canned_responses: store.clone(),
        clients: store.clone(),
        attachments: Arc::new(NoFiles),
        outbox: Arc::new(memberdesk_domain::notify::NoNotifications),
        crm: Arc::new(memberdesk_domain::notify::NoNotifications),
        sla: Arc::new(memberdesk_domain::sla_ports::NoSla),
        assignment: Arc::new(memberdesk_domain::assignment_ports::NoAssignment),
        summaries: Arc::new(memberdesk_domain::ai_ports::NoSummaries),
        ai: Arc::new(memberdesk_domain::ai_ports::NoAiStore),
        knowledge: store.clone(),
    });
    Fixture { store, clock, desk }
}

impl Fixture {
    fn seed_at(&self, at: DateTime<Utc>) -> Result<SeedReport, DeskError> {
        block_on(seed(&self.desk, &self.clock, at))
    }

    /// Everything the seed wrote that must not grow on a second run, in a comparable form.
    fn snapshot(&self) -> Snapshot {
        let state = self.store.state();
        let mut tickets: Vec<_> = state
            .tickets
            .values()
            .map(|t| (t.number, t.subject.as_str().to_owned(), t.status, t.priority, t.assignee_id.clone()))
            .collect();
        tickets.sort();
        let mut responses: Vec<_> = state.responses.iter().map(|(_, r)| (r.kind.as_str(), r.body.clone())).collect();
        responses.sort();
        let mut events: Vec<_> = state.events.iter().map(|e| e.change.name()).collect();
        events.sort();
        let mut categories: Vec<_> =
            state.categories.iter().map(|c| (c.sort_order, c.name.as_str().to_owned())).collect();
        categories.sort();
        let category_name = |id: Option<CategoryId>| {
            state.categories.iter().find(|c| Some(c.id) == id).map(|c| c.name.as_str().to_owned())
        };
        let mut canned: Vec<_> =
            state.canned.iter().map(|c| (c.title.as_str().to_owned(), category_name(c.category_id))).collect();
        canned.sort();
        let client_names = state.client_names.values().map(|n| n.as_str().to_owned()).collect();
        let mut articles: Vec<_> =
            state.articles.iter().map(|a| (a.title.as_str().to_owned(), a.published, a.version)).collect();
        articles.sort();
        Snapshot {
            tickets,
            responses,
            events,
            outbox: state.outbox,
            users: state.users.len(),
            categories,
            canned,
            client_names,
            articles,
        }
    }
}

type TicketRow = (i64, String, Status, Priority, Option<UserId>);

#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    tickets: Vec<TicketRow>,
    responses: Vec<(&'static str, String)>,
    events: Vec<&'static str>,
    outbox: usize,
    users: usize,
    categories: Vec<(i32, String)>,
    canned: Vec<(String, Option<String>)>,
    client_names: Vec<String>,
    articles: Vec<(String, bool, i64)>,
}

#[test]
fn seeding_fills_a_realistic_desk() {
    let f = fixture();
    let report = f.seed_at(now());
    assert!(matches!(report, Ok(SeedReport { created_tickets: 60, already_seeded: false })), "{report:?}");
    assert_eq!(f.clock.now(), now(), "the clock is set back to now");

    let demo = demo_desk();
    let state = f.store.state();
    let tickets: Vec<&Ticket> = state.tickets.values().collect();
    assert_eq!(tickets.len(), demo_tickets().len());
    assert_eq!(tickets.len(), 60);

    let statuses: BTreeMap<Status, usize> = count(tickets.iter().map(|t| t.status));
    assert_eq!(statuses.keys().copied().collect::<Vec<_>>(), Status::ALL.to_vec(), "{statuses:?}");
    assert!(statuses.values().all(|n| *n >= 4), "every status is well represented: {statuses:?}");
    let priorities: BTreeMap<Priority, usize> = count(tickets.iter().map(|t| t.priority));
    assert_eq!(priorities.keys().copied().collect::<Vec<_>>(), Priority::ALL.to_vec(), "{priorities:?}");
    assert!(priorities.values().all(|n| *n >= 5), "{priorities:?}");

    for staff in &demo.staff {
        let id = UserId::new(staff.user_id.as_str());
        let assigned = tickets.iter().filter(|t| t.assignee_id.as_ref() == Some(&id)).count();
        assert!(assigned >= 5, "{} has {assigned} tickets", staff.name);
    }
    let unassigned = tickets.iter().filter(|t| t.assignee_id.is_none()).count();
    assert!(unassigned >= 5, "{unassigned} unassigned");
    assert!(tickets.iter().filter(|t| t.status.is_active()).any(|t| t.assignee_id.is_none()));

    // Created across the last six months, numbered in creation order.
    let oldest = tickets.iter().map(|t| t.created_at).min().unwrap_or_default();
    let newest = tickets.iter().map(|t| t.created_at).max().unwrap_or_default();
    assert!(now() - oldest > Duration::days(170), "oldest {oldest}");
    assert!(now() - newest < Duration::days(1), "newest {newest}");
    let months: BTreeSet<String> = tickets.iter().map(|t| t.created_at.format("%Y-%m").to_string()).collect();
    assert!(months.len() >= 6, "{months:?}");
    let mut by_number = tickets.clone();
    by_number.sort_by_key(|t| t.number);
    assert!(by_number.windows(2).all(|w| w[0].created_at < w[1].created_at));

    // Realistic timings: first responses within minutes to days, nothing after now.
    for t in &tickets {
        assert!(t.updated_at <= now() && t.created_at < t.updated_at || t.version == 1, "#{}", t.number);
        if let Some(first) = t.first_responded_at {
            let wait = first - t.created_at;
            assert!(wait > Duration::minutes(10) && wait < Duration::days(4), "#{}: first response {wait}", t.number);
        }
        if let Some(resolved) = t.resolved_at {
            let took = resolved - t.created_at;
            assert!(took > Duration::hours(1) && took < Duration::days(21), "#{}: resolution {took}", t.number);
        }
        match t.status {
            Status::Resolved => assert!(t.resolved_at.is_some() && t.closed_at.is_none()),
            Status::Closed => assert!(t.resolved_at.is_some() && t.closed_at.is_some()),
            _ => assert!(t.resolved_at.is_none() && t.closed_at.is_none()),
        }
    }
    let answered = tickets.iter().filter(|t| t.first_responded_at.is_some()).count();
    assert!((40..60).contains(&answered), "some tickets still await a first response: {answered}");

    // Conversations: replies from both sides, internal notes, staff signing with their name.
    let notes = state.responses.iter().filter(|(_, r)| r.kind == ResponseKind::Note).count();
    let replies: Vec<&Response> =
        state.responses.iter().map(|(_, r)| r).filter(|r| r.kind == ResponseKind::Reply).collect();
    assert!(notes >= 30, "{notes} notes");
    assert!(replies.len() >= 120, "{} replies", replies.len());
    assert!(replies.iter().any(|r| r.author.role == Role::Member));
    for reply in replies.iter().filter(|r| r.by_staff()) {
        assert!(reply.body.contains(&format!("\n{}\n", reply.author.name)), "signed: {}", reply.body);
    }
    for r in state.responses.iter().map(|(_, r)| r) {
        let ticket = state.tickets.get(&r.ticket_id).map(|t| t.created_at).unwrap_or_default();
        assert!(r.created_at > ticket && r.created_at <= now());
    }

    // The history has every kind of move the workflow allows the seeder.
    let kinds: BTreeSet<&str> = state.events.iter().map(|e| e.change.name()).collect();
    for kind in ["created", "replied", "note_added", "status_changed", "priority_changed", "assignee_changed"] {
        assert!(kinds.contains(kind), "no {kind} event");
    }
    // Reopened by a member's reply, and tickets raised by staff on a member's behalf.
    assert!(
        state
            .events
            .iter()
            .any(|e| matches!(e.change, Change::StatusChanged { from: Status::Resolved, to: Status::InProgress })
                && !e.actor_id.as_str().starts_with("hcra-staff"))
    );
    let on_behalf = state
        .events
        .iter()
        .filter(|e| matches!(e.change, Change::Created { .. }))
        .filter(|e| state.tickets.get(&e.ticket_id).is_some_and(|t| t.member.id != e.actor_id))
        .count();
    assert!(on_behalf >= 3, "{on_behalf} tickets raised on a member's behalf");

    // The client is named; its categories exist in picker order, and every ticket is in the
    // category its script names; the shared canned responses exist, each once.
    assert_eq!(state.client_names.values().map(|n| n.as_str()).collect::<Vec<_>>(), [demo.client_name.as_str()]);
    let names: Vec<&str> = state.categories.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, demo_categories());
    assert!(state.categories.iter().all(|c| c.description.is_some() && !c.archived));
    for script in demo_tickets() {
        let ticket = tickets.iter().find(|t| t.subject.as_str() == script.subject);
        let category = ticket.and_then(|t| t.category_id).and_then(|id| state.categories.iter().find(|c| c.id == id));
        assert_eq!(category.map(|c| c.name.as_str()), Some(script.category), "{}", script.subject);
    }
    assert_eq!(state.canned.len(), demo_canned_responses().len());
    assert!(state.canned.iter().all(CannedResponse::is_shared));
    assert!(
        state.canned.iter().any(|c| c.category_id.is_some()) && state.canned.iter().any(|c| c.category_id.is_none())
    );

    // The knowledge base has the demo's help articles, each once and published.
    let titles: Vec<&str> = state.articles.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, demo_articles().iter().map(|a| a.title).collect::<Vec<_>>());
    assert!(state.articles.iter().all(|a| a.published && a.version == 1 && !a.tags.is_empty()));
    assert!(state.articles.iter().all(|a| a.client_id.as_str() == demo.client_id));
    drop(state);
    let helper = demo.staff[0].actor(&demo.client_id);
    let found = block_on(f.desk.search_articles(&helper, Some("lost locker key"), None)).unwrap_or_default();
    assert_eq!(found.first().map(|h| h.title.as_str()), Some("Lockers and keys"), "{found:?}");
    let state = f.store.state();

    // Every staff user is in the directory, for the assignee picker.
    let staff_ids: BTreeSet<&str> = state.users.values().filter(|u| u.is_staff()).map(|u| u.id.as_str()).collect();
    assert_eq!(staff_ids.len(), 3, "admin and two staff users");
    assert_eq!(state.users.len(), 15);
}

#[test]
fn a_second_seed_adds_nothing() {
    let f = fixture();
    assert!(f.seed_at(now()).is_ok());
    let first = f.snapshot();

    let again = f.seed_at(now());
    assert!(matches!(again, Ok(SeedReport { created_tickets: 0, already_seeded: true })), "{again:?}");
    assert_eq!(f.snapshot(), first);

    // A day later (the usual case for `memberdesk demo` run twice) it still adds nothing.
    let later = now() + Duration::days(1);
    assert!(matches!(f.seed_at(later), Ok(SeedReport { created_tickets: 0, already_seeded: true })));
    assert_eq!(f.snapshot(), first);
    assert_eq!(f.clock.now(), later);
}

#[test]
fn an_interrupted_seed_is_completed_by_the_next_run() {
    let complete = fixture();
    assert!(complete.seed_at(now()).is_ok());
    let expected = complete.snapshot();
    let total_writes = complete.store.state().writes;

    // Stop during user sync, on the first ticket, mid-conversation and near the end.
    for stop_after in [3, 15, 16, 17, total_writes / 3, total_writes / 2 + 1, total_writes - 2] {
        let f = fixture();
        f.store.state().fail_after_writes = Some(stop_after);
        let interrupted = f.seed_at(now());
        assert!(
            matches!(interrupted, Err(DeskError::Store(StoreError::Unavailable(_)))),
            "stop after {stop_after}: {interrupted:?}"
        );
        assert_eq!(f.clock.now(), now(), "the clock is set back even when seeding fails");

        f.store.state().fail_after_writes = None;
        let resumed = f.seed_at(now());
        assert!(resumed.is_ok(), "stop after {stop_after}: {resumed:?}");
        assert_eq!(f.snapshot(), expected, "stop after {stop_after}");
    }
}

#[test]
fn members_never_see_the_internal_notes() {
    let f = fixture();
    assert!(f.seed_at(now()).is_ok());
    let demo = demo_desk();
    let ids: Vec<TicketId> = f.store.state().tickets.keys().copied().collect();
    let mut seen_notes = 0;
    for id in ids {
        let member_id = f.store.state().tickets.get(&id).map(|t| t.member.id.clone());
        let Some(member) =
            demo.members.iter().find(|m| Some(m.user_id.as_str()) == member_id.as_ref().map(UserId::as_str))
        else {
            panic!("every demo ticket belongs to a demo member");
        };
        let as_member = block_on(f.desk.get_ticket(&member.actor(&demo.client_id), id));
        let as_staff = block_on(f.desk.get_ticket(&demo.staff[0].actor(&demo.client_id), id));
        let (Ok(as_member), Ok(as_staff)) = (as_member, as_staff) else { panic!("both may read ticket {id}") };
        assert!(as_member.responses.iter().all(|r| r.kind == ResponseKind::Reply));
        seen_notes += as_staff.responses.iter().filter(|r| r.kind == ResponseKind::Note).count();
    }
    assert!(seen_notes > 0);
}

fn count<K: Ord>(items: impl Iterator<Item = K>) -> BTreeMap<K, usize> {
    let mut counts = BTreeMap::new();
    for item in items {
        *counts.entry(item).or_insert(0) += 1;
    }
    counts
}

/// The seeder attaches no files: storing one is a failure.
struct NoFiles;

#[async_trait]
impl memberdesk_domain::ports::AttachmentStorage for NoFiles {
    async fn put(&self, key: &str, _bytes: Vec<u8>) -> Result<(), memberdesk_domain::StorageError> {
        Err(memberdesk_domain::StorageError::Other(format!("the seeder stores no files ({key})")))
    }
    async fn get(&self, key: &str) -> Result<Vec<u8>, memberdesk_domain::StorageError> {
        Err(memberdesk_domain::StorageError::NotFound(key.to_owned()))
    }
    async fn delete(&self, _key: &str) -> Result<(), memberdesk_domain::StorageError> {
        Ok(())
    }
}
