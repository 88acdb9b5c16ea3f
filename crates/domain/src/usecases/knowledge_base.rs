//! The knowledge base: admins write, edit, publish and delete articles; staff list, read and
//! search them. Members have no access: 403 on the list and search, and 404 on one article —
//! as for any staff-only thing that names an id, its existence is not revealed. Staff users
//! see published articles only; admins see drafts (unpublished) too. Search finds published
//! articles only, for everyone.

use super::Desk;
use crate::access::{self, Action, Actor};
use crate::error::{DeskError, StoreError};
use crate::ids::ArticleId;
use crate::kb::{self, Article, ArticleBody, ArticleHit, ArticleTitle, MatchMode, SearchQuery};
use crate::validation::FieldErrors;

/// Results per search unless the caller asks for another number (at most [`MAX_SEARCH_LIMIT`]).
pub const DEFAULT_SEARCH_LIMIT: u32 = 10;
pub const MAX_SEARCH_LIMIT: u32 = 50;
/// The longest search text.
pub const MAX_SEARCH_CHARS: usize = 200;
/// How often a change without `If-Match` is decided again after a concurrent edit won.
const MAX_ATTEMPTS: usize = 5;

/// A new article as the caller sent it, unvalidated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleInput {
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
    pub published: bool,
}

/// The fields to change; `None` leaves a field as it is (`tags: Some(vec![])` clears them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticlePatch {
    pub title: Option<String>,
    pub body: Option<String>,
    pub tags: Option<Vec<String>>,
    pub published: Option<bool>,
}

/// A patch that passed validation.
struct ValidPatch {
    title: Option<ArticleTitle>,
    body: Option<ArticleBody>,
    tags: Option<Vec<String>>,
    published: Option<bool>,
}

impl ValidPatch {
    fn parse(patch: ArticlePatch) -> Result<ValidPatch, DeskError> {
        if patch.title.is_none() && patch.body.is_none() && patch.tags.is_none() && patch.published.is_none() {
            return Err(FieldErrors::single("body", "must set at least one of title, body, tags, published").into());
        }
        let mut errors = FieldErrors::new();
        let title = patch.title.as_deref().and_then(|t| errors.check("title", ArticleTitle::new(t)));
        let body = patch.body.as_deref().and_then(|b| errors.check("body", ArticleBody::new(b)));
        let tags = patch.tags.as_deref().and_then(|t| kb::parse_tags(t, "tags", &mut errors));
        errors.into_result()?;
        Ok(ValidPatch { title, body, tags, published: patch.published })
    }

    fn apply(&self, article: &mut Article) {
        if let Some(title) = &self.title {
            article.title = title.clone();
        }
        if let Some(body) = &self.body {
            article.body = body.clone();
        }
        if let Some(tags) = &self.tags {
            article.tags = tags.clone();
        }
        if let Some(published) = self.published {
            article.published = published;
        }
    }
}

impl Desk {
    /// The client's articles by title (staff). Published ones only, unless an admin asks for
    /// the unpublished ones too (`include_unpublished`; ignored for staff users).
    pub async fn list_articles(&self, actor: &Actor, include_unpublished: bool) -> Result<Vec<Article>, DeskError> {
        access::authorize(actor, Action::ViewKnowledgeBase)?;
        let all = include_unpublished && access::role_allows(actor, Action::ManageKnowledgeBase);
        let mut articles = self.knowledge.list_articles(&actor.client_id, !all).await?;
        articles.sort_by_cached_key(|a| (a.title.as_str().to_lowercase(), a.id));
        Ok(articles)
    }

    /// One article: staff a published one, admins any. Members and other clients: not found.
    pub async fn get_article(&self, actor: &Actor, id: ArticleId) -> Result<Article, DeskError> {
        if !access::role_allows(actor, Action::ViewKnowledgeBase) {
            return Err(DeskError::NotFound("article"));
        }
        match self.knowledge.get_article(&actor.client_id, id).await? {
            Some(article) if article.published || access::role_allows(actor, Action::ManageKnowledgeBase) => {
                Ok(article)
            }
            _ => Err(DeskError::NotFound("article")),
        }
    }

    /// Writes a new article (admins), published or not. Every invalid field is reported at once.
    pub async fn create_article(&self, actor: &Actor, input: ArticleInput) -> Result<Article, DeskError> {
        access::authorize(actor, Action::ManageKnowledgeBase)?;
        let mut errors = FieldErrors::new();
        let title = errors.check("title", ArticleTitle::new(&input.title));
        let body = errors.check("body", ArticleBody::new(&input.body));
        let tags = kb::parse_tags(&input.tags, "tags", &mut errors);
        let (Some(title), Some(body), Some(tags)) = (title, body, tags) else {
            return Err(DeskError::Validation(errors));
        };
        let now = self.clock.now();
        let article = Article {
            id: ArticleId::new(),
            client_id: actor.client_id.clone(),
            title,
            body,
            tags,
            published: input.published,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        self.knowledge.insert_article(&article).await?;
        Ok(article)
    }

    /// Changes an article (admins). With `expected_version` (`If-Match`) a stale version is
    /// `StaleVersion`; without, a concurrent edit is re-read and the patch applied to it. A patch
    /// that changes nothing writes nothing (the version stays).
    pub async fn update_article(
        &self,
        actor: &Actor,
        id: ArticleId,
        patch: ArticlePatch,
        expected_version: Option<i64>,
    ) -> Result<Article, DeskError> {
        access::authorize(actor, Action::ManageKnowledgeBase)?;
        let patch = ValidPatch::parse(patch)?;
        for _ in 0..MAX_ATTEMPTS {
            let current = self.get_article(actor, id).await?;
            if let Some(expected) = expected_version
                && expected != current.version
            {
                return Err(DeskError::StaleVersion { expected, current: current.version });
            }
            let mut next = current.clone();
            patch.apply(&mut next);
            if next == current {
                return Ok(current);
            }
            next.version = current.version + 1;
            next.updated_at = self.clock.now();
            match self.knowledge.update_article(&next, current.version).await {
                Ok(()) => return Ok(next),
                Err(StoreError::VersionConflict) => {
                    if let Some(expected) = expected_version {
                        let now = self.get_article(actor, id).await?;
                        return Err(DeskError::StaleVersion { expected, current: now.version });
                    }
                }
                Err(other) => return Err(other.into()),
            }
        }
        Err(DeskError::Contended)
    }

    /// Deletes an article (admins).
    pub async fn delete_article(&self, actor: &Actor, id: ArticleId) -> Result<(), DeskError> {
        access::authorize(actor, Action::ManageKnowledgeBase)?;
        if !self.knowledge.delete_article(&actor.client_id, id).await? {
            return Err(DeskError::NotFound("article"));
        }
        Ok(())
    }

    /// Searches the client's published articles (staff): every word of `q` must be found
    /// (stemmed: "renewing" finds "renewal"); best first, scores in 0..=1. `q` is required
    /// (1–200 characters); `limit` is 1–50 (default 10). A text with no searchable word
    /// (only punctuation, operators or stopwords) finds nothing — it is never an error.
    pub async fn search_articles(
        &self,
        actor: &Actor,
        q: Option<&str>,
        limit: Option<&str>,
    ) -> Result<Vec<ArticleHit>, DeskError> {
        access::authorize(actor, Action::ViewKnowledgeBase)?;
        let mut errors = FieldErrors::new();
        let text = q.map(str::trim).unwrap_or_default();
        if text.is_empty() {
            errors.add("q", "is required: the words to search for");
        } else if text.chars().count() > MAX_SEARCH_CHARS {
            errors.add("q", format!("must be at most {MAX_SEARCH_CHARS} characters"));
        }
        let limit = match limit.map(str::trim).filter(|l| !l.is_empty()) {
            None => Some(DEFAULT_SEARCH_LIMIT),
            Some(raw) => errors.check(
                "limit",
                raw.parse::<u32>()
                    .ok()
                    .filter(|n| (1..=MAX_SEARCH_LIMIT).contains(n))
                    .ok_or_else(|| format!("must be a whole number from 1 to {MAX_SEARCH_LIMIT}")),
            ),
        };
        errors.into_result()?;
        let query = SearchQuery::parse(text, MatchMode::AllTerms);
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let limit = limit.unwrap_or(DEFAULT_SEARCH_LIMIT);
        Ok(self.knowledge.search_articles(&actor.client_id, &query, limit).await?)
    }
}

#[cfg(all(test, feature = "mocks"))]
mod tests {
    use super::*;
    use crate::access::Role;
    use crate::ids::{ClientId, UserId};
    use crate::kb_ports::MockKnowledgeBase;
    use crate::usecases::{DeskPorts, mock_ports};
    use chrono::Utc;
    use futures::executor::block_on;
    use std::sync::Arc;

    fn actor(user: &str, role: Role) -> Actor {
        Actor::new(UserId::new(user), ClientId::new("c"), "N".into(), "n@example.org".into(), vec![role])
            .unwrap_or_else(|| unreachable!())
    }

    fn admin() -> Actor {
        actor("a", Role::ClientAdmin)
    }

    fn article(published: bool) -> Article {
        Article {
            id: ArticleId::new(),
            client_id: ClientId::new("c"),
            title: ArticleTitle::new("Renewing your membership").unwrap_or_else(|_| unreachable!()),
            body: ArticleBody::new("Renew online.").unwrap_or_else(|_| unreachable!()),
            tags: vec!["renewal".into()],
            published,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 3,
        }
    }

    fn desk(store: MockKnowledgeBase) -> Desk {
        Desk::new(DeskPorts { knowledge: Arc::new(store), ..mock_ports() })
    }

    fn input() -> ArticleInput {
        ArticleInput { title: "Lockers".into(), body: "Keys at the desk.".into(), tags: vec![], published: true }
    }

    #[test]
    fn members_get_403_on_lists_and_search_and_404_on_an_article() {
        let desk = desk(MockKnowledgeBase::new());
        let member = actor("m", Role::Member);
        assert!(matches!(block_on(desk.list_articles(&member, false)), Err(DeskError::Forbidden(_))));
        assert!(matches!(block_on(desk.search_articles(&member, Some("fees"), None)), Err(DeskError::Forbidden(_))));
        assert!(matches!(block_on(desk.get_article(&member, ArticleId::new())), Err(DeskError::NotFound("article"))));
        assert!(matches!(block_on(desk.create_article(&member, input())), Err(DeskError::Forbidden(_))));
        assert!(matches!(block_on(desk.delete_article(&member, ArticleId::new())), Err(DeskError::Forbidden(_))));
    }

    #[test]
    fn only_admins_write() {
        let mut store = MockKnowledgeBase::new();
        store.expect_insert_article().times(1).returning(|_| Ok(()));
        let desk = desk(store);
        let user = actor("u", Role::ClientUser);
        assert!(matches!(block_on(desk.create_article(&user, input())), Err(DeskError::Forbidden(_))));
        let patch = ArticlePatch { published: Some(false), ..Default::default() };
        assert!(matches!(
            block_on(desk.update_article(&user, ArticleId::new(), patch, None)),
            Err(DeskError::Forbidden(_))
        ));
        assert!(matches!(block_on(desk.delete_article(&user, ArticleId::new())), Err(DeskError::Forbidden(_))));
        let created = block_on(desk.create_article(&admin(), input())).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((created.version, created.client_id.as_str(), created.published), (1, "c", true));
    }

    #[test]
    fn every_invalid_field_is_reported_at_once() {
        let desk = desk(MockKnowledgeBase::new());
        let bad = ArticleInput {
            title: "two\nlines".into(),
            body: " ".into(),
            tags: vec!["ok".into(), "x".repeat(41)],
            published: false,
        };
        match block_on(desk.create_article(&admin(), bad)) {
            Err(DeskError::Validation(errors)) => {
                assert!(errors.get("title").is_some() && errors.get("body").is_some(), "{errors}");
                assert!(errors.get("tags[1]").is_some(), "{errors}");
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
        let empty = block_on(desk.update_article(&admin(), ArticleId::new(), ArticlePatch::default(), None));
        assert!(matches!(empty, Err(DeskError::Validation(_))));
    }

    #[test]
    fn users_see_published_articles_and_admins_drafts_too() {
        let draft = article(false);
        let mut store = MockKnowledgeBase::new();
        store.expect_get_article().returning(move |_, _| Ok(Some(draft.clone())));
        store.expect_list_articles().withf(|_, published_only| *published_only).times(2).returning(|_, _| Ok(vec![]));
        store.expect_list_articles().withf(|_, published_only| !*published_only).times(1).returning(|_, _| Ok(vec![]));
        let desk = desk(store);
        let user = actor("u", Role::ClientUser);
        assert!(matches!(block_on(desk.get_article(&user, ArticleId::new())), Err(DeskError::NotFound(_))));
        assert!(block_on(desk.get_article(&admin(), ArticleId::new())).is_ok());
        assert!(block_on(desk.list_articles(&user, true)).is_ok(), "a user asking for drafts gets published ones");
        assert!(block_on(desk.list_articles(&admin(), false)).is_ok());
        assert!(block_on(desk.list_articles(&admin(), true)).is_ok());
    }

    #[test]
    fn an_update_is_guarded_by_the_version() {
        let current = article(true);
        let id = current.id;
        let mut store = MockKnowledgeBase::new();
        let read = current.clone();
        store.expect_get_article().returning(move |_, _| Ok(Some(read.clone())));
        store
            .expect_update_article()
            .withf(|next, expected| *expected == 3 && next.version == 4 && !next.published)
            .times(1)
            .returning(|_, _| Ok(()));
        let desk = desk(store);
        let patch = || ArticlePatch { published: Some(false), ..Default::default() };
        match block_on(desk.update_article(&admin(), id, patch(), Some(2))) {
            Err(DeskError::StaleVersion { expected: 2, current: 3 }) => {}
            other => panic!("expected a stale version, got {other:?}"),
        }
        let updated = block_on(desk.update_article(&admin(), id, patch(), Some(3))).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(updated.version, 4);
        let unchanged = ArticlePatch { title: Some(current.title.as_str().into()), ..Default::default() };
        let same = block_on(desk.update_article(&admin(), id, unchanged, None)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(same.version, 3, "nothing changed, nothing written");
    }

    #[test]
    fn a_lost_race_without_if_match_is_decided_again() {
        let mut store = MockKnowledgeBase::new();
        let first = article(true);
        let id = first.id;
        let mut second = first.clone();
        second.version = 4;
        let mut reads = vec![second, first];
        store.expect_get_article().returning(move |_, _| Ok(reads.pop()));
        let mut outcomes = vec![Ok(()), Err(StoreError::VersionConflict)];
        store.expect_update_article().times(2).returning(move |_, _| outcomes.pop().unwrap_or(Ok(())));
        let desk = desk(store);
        let patch = ArticlePatch { body: Some("Renew online or at the boathouse.".into()), ..Default::default() };
        let updated = block_on(desk.update_article(&admin(), id, patch, None)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(updated.version, 5);
    }

    #[test]
    fn search_checks_its_parameters_and_never_errs_on_odd_text() {
        let mut store = MockKnowledgeBase::new();
        store
            .expect_search_articles()
            .withf(|_, query, limit| query.terms() == ["renewing"] && *limit == 10)
            .times(1)
            .returning(|_, _, _| Ok(vec![]));
        let desk = desk(store);
        let user = actor("u", Role::ClientUser);
        assert!(block_on(desk.search_articles(&user, Some(" renewing "), None)).is_ok());
        for (q, limit, field) in [
            (None, None, "q"),
            (Some("  "), None, "q"),
            (Some(&*"q".repeat(201)), None, "q"),
            (Some("fees"), Some("0"), "limit"),
            (Some("fees"), Some("51"), "limit"),
            (Some("fees"), Some("ten"), "limit"),
        ] {
            match block_on(desk.search_articles(&user, q, limit)) {
                Err(DeskError::Validation(errors)) => assert!(errors.get(field).is_some(), "{errors}"),
                other => panic!("expected a validation error on {field}, got {other:?}"),
            }
        }
        for hostile in ["\"", "*", "OR", "-", ")", "the"] {
            assert_eq!(block_on(desk.search_articles(&user, Some(hostile), Some("50"))).ok(), Some(vec![]));
        }
    }

    #[test]
    fn drafts_search_for_any_word_through_the_same_port() {
        let mut store = MockKnowledgeBase::new();
        store
            .expect_search_articles()
            .withf(|_, query, _| query.mode() == MatchMode::AnyTerm && query.terms() == ["locker", "key"])
            .returning(|_, _, _| {
                Ok(vec![ArticleHit {
                    id: ArticleId::new(),
                    title: "Lockers".into(),
                    snippet: "Keys at the desk.".into(),
                    tags: vec![],
                    score: 0.9,
                }])
            });
        // The port's own `search_knowledge` is what drafts call; the mock keeps the default.
        struct Port(MockKnowledgeBase);
        #[async_trait::async_trait]
        impl crate::kb_ports::KnowledgeBase for Port {
            async fn search_articles(
                &self,
                c: &ClientId,
                q: &SearchQuery,
                l: u32,
            ) -> Result<Vec<ArticleHit>, StoreError> {
                self.0.search_articles(c, q, l).await
            }
            async fn insert_article(&self, a: &Article) -> Result<(), StoreError> {
                self.0.insert_article(a).await
            }
            async fn get_article(&self, c: &ClientId, id: ArticleId) -> Result<Option<Article>, StoreError> {
                self.0.get_article(c, id).await
            }
            async fn list_articles(&self, c: &ClientId, p: bool) -> Result<Vec<Article>, StoreError> {
                self.0.list_articles(c, p).await
            }
            async fn update_article(&self, a: &Article, v: i64) -> Result<(), StoreError> {
                self.0.update_article(a, v).await
            }
            async fn delete_article(&self, c: &ClientId, id: ArticleId) -> Result<bool, StoreError> {
                self.0.delete_article(c, id).await
            }
        }
        let port = Port(store);
        let found =
            block_on(crate::kb_ports::KnowledgeBase::search_knowledge(&port, &ClientId::new("c"), "My locker key?", 3));
        let found = found.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((found.len(), found[0].title.as_str(), found[0].score), (1, "Lockers", 0.9));
    }
}
