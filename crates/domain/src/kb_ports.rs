//! The knowledge-base port (issue 8): a client's help articles, searched with real full-text
//! ranking by the store (PostgreSQL tsvector + GIN, SQLite FTS5) and drawn on by drafts.

use crate::ai::KnowledgeSnippet;
use crate::error::StoreError;
use crate::ids::{ArticleId, ClientId};
use crate::kb::{Article, ArticleHit, MatchMode, SearchQuery};
use async_trait::async_trait;

/// A client's knowledge base. Every method is scoped to one client: another client's article
/// is never read, changed or found.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait KnowledgeBase: Send + Sync {
    /// The client's published articles best matching `query`, best first, at most `limit`,
    /// each with its score normalised to 0..=1 (1 = best). An empty or meaningless query
    /// matches nothing.
    ///
    /// The drafts' entry point: the text (a ticket's) is searched for any of its words
    /// ([`MatchMode::AnyTerm`]) through [`KnowledgeBase::search_articles`].
    async fn search_knowledge(
        &self,
        client: &ClientId,
        query: &str,
        limit: u32,
    ) -> Result<Vec<KnowledgeSnippet>, StoreError> {
        let query = SearchQuery::parse(query, MatchMode::AnyTerm);
        Ok(self.search_articles(client, &query, limit).await?.into_iter().map(KnowledgeSnippet::from).collect())
    }

    /// The client's published articles matching `query`, ranked by [`crate::kb::rank`] over the
    /// engine's candidates: best first, at most `limit`, scores in 0..=1. An empty query finds
    /// nothing; no query is ever an error.
    async fn search_articles(
        &self,
        client: &ClientId,
        query: &SearchQuery,
        limit: u32,
    ) -> Result<Vec<ArticleHit>, StoreError>;

    /// Saves a new article (version 1).
    async fn insert_article(&self, article: &Article) -> Result<(), StoreError>;

    /// One article of the client, published or not.
    async fn get_article(&self, client: &ClientId, id: ArticleId) -> Result<Option<Article>, StoreError>;

    /// The client's articles (only the published ones with `published_only`), in no particular
    /// order.
    async fn list_articles(&self, client: &ClientId, published_only: bool) -> Result<Vec<Article>, StoreError>;

    /// Replaces an article's title, body, tags, published flag, update time and version if it
    /// is still at `expected_version`; otherwise (changed, deleted or another client's)
    /// `VersionConflict` and nothing is written.
    async fn update_article(&self, article: &Article, expected_version: i64) -> Result<(), StoreError>;

    /// Deletes an article; `false` when the client has no such article.
    async fn delete_article(&self, client: &ClientId, id: ArticleId) -> Result<bool, StoreError>;
}

/// For desks without a knowledge base (handler tests): nothing is kept, nothing is found.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoKnowledgeBase;

#[async_trait]
impl KnowledgeBase for NoKnowledgeBase {
    async fn search_knowledge(
        &self,
        _client: &ClientId,
        _query: &str,
        _limit: u32,
    ) -> Result<Vec<KnowledgeSnippet>, StoreError> {
        Ok(Vec::new())
    }

    async fn search_articles(
        &self,
        _client: &ClientId,
        _query: &SearchQuery,
        _limit: u32,
    ) -> Result<Vec<ArticleHit>, StoreError> {
        Ok(Vec::new())
    }

    async fn insert_article(&self, _article: &Article) -> Result<(), StoreError> {
        Ok(())
    }

    async fn get_article(&self, _client: &ClientId, _id: ArticleId) -> Result<Option<Article>, StoreError> {
        Ok(None)
    }

    async fn list_articles(&self, _client: &ClientId, _published_only: bool) -> Result<Vec<Article>, StoreError> {
        Ok(Vec::new())
    }

    async fn update_article(&self, _article: &Article, _expected_version: i64) -> Result<(), StoreError> {
        Err(StoreError::VersionConflict)
    }

    async fn delete_article(&self, _client: &ClientId, _id: ArticleId) -> Result<bool, StoreError> {
        Ok(false)
    }
}
