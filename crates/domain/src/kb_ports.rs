//! The knowledge-base port (issue 8): a client's help articles, searched with real full-text
//! ranking by the store (PostgreSQL tsvector + GIN, SQLite FTS5) and drawn on by drafts.

use crate::ai::KnowledgeSnippet;
use crate::error::StoreError;
use crate::ids::ClientId;
use async_trait::async_trait;

/// A client's knowledge base.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait KnowledgeBase: Send + Sync {
    /// The client's published articles best matching `query`, best first, at most `limit`,
    /// each with its score normalised to 0..=1 (1 = best). An empty or meaningless query
    /// matches nothing.
    async fn search_knowledge(
        &self,
        client: &ClientId,
        query: &str,
        limit: u32,
    ) -> Result<Vec<KnowledgeSnippet>, StoreError>;
}

/// For desks without a knowledge base (handler tests): nothing is ever found.
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
}
