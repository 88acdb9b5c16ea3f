//! The knowledge base's part of the store contract: articles round-trip, updates are guarded
//! by the version, and full-text search ranks, stems, stays within the client, skips drafts
//! and never fails on odd input. Included by `contract.rs`, whose `contract!` runs each test on
//! both backends.

use super::{at, client};
use memberdesk_domain::kb::{Article, ArticleBody, ArticleTitle, MatchMode, SearchQuery};
use memberdesk_domain::kb_ports::KnowledgeBase;
use memberdesk_domain::{ArticleId, ClientId, StoreError};
use memberdesk_store::{Backend, Store};
use memberdesk_testkit::fresh_store;

contract!(
    articles_round_trip_every_field,
    article_updates_are_guarded_by_the_version,
    concurrent_article_updates_let_exactly_one_win,
    search_ranks_title_matches_first,
    search_stems_words,
    search_stays_within_the_client_and_skips_drafts,
    hostile_queries_find_nothing_and_never_fail,
    search_follows_edits_and_deletes,
    drafts_find_articles_by_any_word,
);

fn article(client_id: &ClientId, title: &str, tags: &[&str], body: &str) -> Article {
    Article {
        id: ArticleId::new(),
        client_id: client_id.clone(),
        title: ArticleTitle::new(title).unwrap(),
        body: ArticleBody::new(body).unwrap(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        published: true,
        created_at: at(0),
        updated_at: at(0),
        version: 1,
    }
}

async fn insert(store: &Store, article: Article) -> Article {
    store.insert_article(&article).await.unwrap();
    article
}

async fn search(store: &Store, client_id: &ClientId, text: &str) -> Vec<(String, f64)> {
    let query = SearchQuery::parse(text, MatchMode::AllTerms);
    let hits = store.search_articles(client_id, &query, 10).await.unwrap();
    for hit in &hits {
        assert!((0.0..=1.0).contains(&hit.score), "{hit:?}");
    }
    hits.into_iter().map(|h| (h.title, h.score)).collect()
}

fn titles(hits: &[(String, f64)]) -> Vec<&str> {
    hits.iter().map(|(t, _)| t.as_str()).collect()
}

async fn articles_round_trip_every_field(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let mut draft = article(&acme, "Zoë's guide — ünïcödé", &["fees", "a tag with spaces"], "Line one\nLine \"two\"");
    draft.published = false;
    draft.created_at = at(1);
    draft.updated_at = at(2);
    let draft = insert(&store, draft).await;
    let published = insert(&store, article(&acme, "Lockers", &[], "Keys at the desk.")).await;
    assert_eq!(store.get_article(&acme, draft.id).await.unwrap(), Some(draft.clone()));
    assert_eq!(store.get_article(&client("other"), draft.id).await.unwrap(), None);
    assert_eq!(store.get_article(&acme, ArticleId::new()).await.unwrap(), None);

    let mut all = store.list_articles(&acme, false).await.unwrap();
    all.sort_by_key(|a| a.id);
    assert_eq!(all, [draft.clone(), published.clone()]);
    assert_eq!(store.list_articles(&acme, true).await.unwrap(), std::slice::from_ref(&published));
    assert!(store.list_articles(&client("other"), false).await.unwrap().is_empty());

    // The same id twice is refused.
    assert_eq!(store.insert_article(&published).await, Err(StoreError::Duplicate("article".into())));

    assert!(!store.delete_article(&client("other"), draft.id).await.unwrap(), "not another client's");
    assert!(store.delete_article(&acme, draft.id).await.unwrap());
    assert!(!store.delete_article(&acme, draft.id).await.unwrap());
    assert_eq!(store.get_article(&acme, draft.id).await.unwrap(), None);
}

async fn article_updates_are_guarded_by_the_version(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let stored = insert(&store, article(&acme, "Lockers", &["keys"], "Keys at the desk.")).await;
    let mut next = stored.clone();
    next.title = ArticleTitle::new("Lockers and keys").unwrap();
    next.body = ArticleBody::new("Keys from the boathouse office.").unwrap();
    next.tags = vec![];
    next.published = false;
    next.updated_at = at(60);
    next.version = 2;
    store.update_article(&next, 1).await.unwrap();
    assert_eq!(store.get_article(&acme, stored.id).await.unwrap(), Some(next.clone()));

    // A writer still holding version 1 loses and writes nothing.
    let mut stale = stored.clone();
    stale.title = ArticleTitle::new("Stale").unwrap();
    stale.version = 2;
    assert_eq!(store.update_article(&stale, 1).await, Err(StoreError::VersionConflict));
    // Another client cannot write it, whatever the version.
    let mut foreign = next.clone();
    foreign.client_id = client("other");
    foreign.version = 3;
    assert_eq!(store.update_article(&foreign, 2).await, Err(StoreError::VersionConflict));
    assert_eq!(store.get_article(&acme, stored.id).await.unwrap(), Some(next));
}

async fn concurrent_article_updates_let_exactly_one_win(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let stored = insert(&store, article(&acme, "Lockers", &[], "Keys at the desk.")).await;
    let store = std::sync::Arc::new(store);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..8 {
        let (store, mut next) = (store.clone(), stored.clone());
        next.body = ArticleBody::new(&format!("Edit {i}")).unwrap();
        next.version = 2;
        tasks.spawn(async move { store.update_article(&next, 1).await });
    }
    let results = tasks.join_all().await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    assert!(results.iter().all(|r| r.is_ok() || *r == Err(StoreError::VersionConflict)), "{results:?}");
    let now = store.get_article(&acme, stored.id).await.unwrap().unwrap();
    assert_eq!(now.version, 2);
    // The search index followed the one that won, and only it.
    let hits = store.search_articles(&acme, &SearchQuery::parse("edit", MatchMode::AllTerms), 10).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].snippet, now.body.as_str());
}

async fn search_ranks_title_matches_first(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    // The body-only match mentions the word more often and is newer: only its place counts.
    let mut body_only = article(
        &acme,
        "Lockers and keys",
        &["lockers"],
        "Lockers are let for the season. Refunds for lockers follow the refund policy; refund requests go to the office.",
    );
    body_only.updated_at = at(100);
    insert(&store, body_only).await;
    insert(
        &store,
        article(&acme, "Refunds and cancellations", &["billing"], "Cancel a week ahead and get your money back."),
    )
    .await;
    insert(&store, article(&acme, "Booking boats", &["boats"], "Book through the app.")).await;
    let hits = search(&store, &acme, "refund").await;
    assert_eq!(titles(&hits), ["Refunds and cancellations", "Lockers and keys"]);
    assert!(hits[0].1 > hits[1].1, "{hits:?}");
    assert!(hits[0].1 >= 0.75, "a title match of every word scores high: {hits:?}");

    // A tag match sits between.
    insert(&store, article(&acme, "Membership fees", &["refund"], "What a year costs.")).await;
    let hits = search(&store, &acme, "refund").await;
    assert_eq!(titles(&hits), ["Refunds and cancellations", "Membership fees", "Lockers and keys"]);

    // Snippets show the matching part of the body; the limit is respected.
    let query = SearchQuery::parse("refund", MatchMode::AllTerms);
    let hits = store.search_articles(&acme, &query, 2).await.unwrap();
    assert_eq!(hits.len(), 2);
    let all = store.search_articles(&acme, &query, 10).await.unwrap();
    let lockers = all.iter().find(|h| h.title == "Lockers and keys").unwrap();
    assert!(lockers.snippet.starts_with("Refunds for lockers"), "{lockers:?}");
    assert_eq!(lockers.tags, ["lockers"]);
}

async fn search_stems_words(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    insert(&store, article(&acme, "Membership renewal", &[], "Your membership runs for a year.")).await;
    insert(&store, article(&acme, "Booking sessions", &[], "Sessions are booked online.")).await;
    assert_eq!(titles(&search(&store, &acme, "renewing").await), ["Membership renewal"]);
    assert_eq!(titles(&search(&store, &acme, "renewed memberships").await), ["Membership renewal"]);
    assert_eq!(titles(&search(&store, &acme, "book session").await), ["Booking sessions"]);
    // Every word must be found.
    assert!(search(&store, &acme, "renewal sessions").await.is_empty());
}

async fn search_stays_within_the_client_and_skips_drafts(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let (acme, other) = (client("acme"), client("other"));
    insert(&store, article(&acme, "Lockers", &[], "Keys at the desk.")).await;
    insert(&store, article(&other, "Lockers", &[], "Keys at the other desk.")).await;
    let mut draft = article(&acme, "Locker prices", &[], "Draft.");
    draft.published = false;
    insert(&store, draft).await;
    let hits = store.search_articles(&acme, &SearchQuery::parse("lockers", MatchMode::AllTerms), 10).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].snippet, "Keys at the desk.");
    assert!(search(&store, &client("nobody"), "lockers").await.is_empty());
}

async fn hostile_queries_find_nothing_and_never_fail(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    insert(&store, article(&acme, "Lockers OR keys", &["not"], "Keys (and lockers) at the desk: \"ask\" -us *now*."))
        .await;
    for text in ["", " ", "\"", "*", "OR", "-", ")", "(", "AND", "NOT", "NEAR", "\"\"", "title:", "^", "{", "a\"b", "'"]
    {
        let query = SearchQuery::parse(text, MatchMode::AllTerms);
        let found = store.search_articles(&acme, &query, 10).await;
        assert!(found.is_ok(), "{text:?}: {found:?}");
        let any = SearchQuery::parse(text, MatchMode::AnyTerm);
        assert!(store.search_articles(&acme, &any, 10).await.is_ok(), "{text:?}");
    }
    // Operators around real words are just punctuation.
    for text in ["keys OR", "\"keys", "keys*", "-keys", "(keys)", "keys:", "lockers AND keys", "keys^", "{keys}"] {
        let hits = search(&store, &acme, text).await;
        assert_eq!(titles(&hits), ["Lockers OR keys"], "{text:?}");
    }
}

async fn search_follows_edits_and_deletes(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let stored = insert(&store, article(&acme, "Lockers", &[], "Keys at the desk.")).await;
    let mut next = stored.clone();
    next.title = ArticleTitle::new("Weather cancellations").unwrap();
    next.body = ArticleBody::new("Outings are cancelled in high wind.").unwrap();
    next.version = 2;
    store.update_article(&next, 1).await.unwrap();
    assert!(search(&store, &acme, "lockers").await.is_empty());
    assert_eq!(titles(&search(&store, &acme, "wind").await), ["Weather cancellations"]);
    let mut unpublished = next.clone();
    unpublished.published = false;
    unpublished.version = 3;
    store.update_article(&unpublished, 2).await.unwrap();
    assert!(search(&store, &acme, "wind").await.is_empty());
    assert!(store.delete_article(&acme, stored.id).await.unwrap());
    assert!(search(&store, &acme, "wind").await.is_empty());
}

async fn drafts_find_articles_by_any_word(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let lockers =
        insert(&store, article(&acme, "Lockers and keys", &["keys"], "Lost keys are replaced for a fee.")).await;
    insert(&store, article(&acme, "Booking boats", &[], "Book through the app.")).await;
    let found = store.search_knowledge(&acme, "Hi, I lost my locker key yesterday, can you help?", 3).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].id, lockers.id.to_string());
    assert!(found[0].score > 0.5 && found[0].score <= 1.0, "{found:?}");
    assert!(store.search_knowledge(&acme, "", 3).await.unwrap().is_empty());
}
