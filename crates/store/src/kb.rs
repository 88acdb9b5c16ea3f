//! The knowledge-base port on [`Store`] (issue 8). Declared after the `read!`/`write!` macros
//! of the crate root, which it uses (`kb::…` names what `kb_queries!` expands into `pg::kb` and
//! `sqlite::kb`).

use crate::{Inner, Store, bounded, detached, pg, sqlite};
use async_trait::async_trait;
use memberdesk_domain::kb::{Article, ArticleHit, SearchQuery};
use memberdesk_domain::kb_ports::KnowledgeBase;
use memberdesk_domain::{ArticleId, ClientId, StoreError};

#[async_trait]
impl KnowledgeBase for Store {
    async fn search_articles(
        &self,
        client: &ClientId,
        query: &SearchQuery,
        limit: u32,
    ) -> Result<Vec<ArticleHit>, StoreError> {
        read!(self, kb::search_articles(client, query, limit))
    }

    async fn insert_article(&self, article: &Article) -> Result<(), StoreError> {
        let article = article.clone();
        write!(self, kb::insert_article(article))
    }

    async fn get_article(&self, client: &ClientId, id: ArticleId) -> Result<Option<Article>, StoreError> {
        read!(self, kb::get_article(client, id))
    }

    async fn list_articles(&self, client: &ClientId, published_only: bool) -> Result<Vec<Article>, StoreError> {
        read!(self, kb::list_articles(client, published_only))
    }

    async fn update_article(&self, article: &Article, expected_version: i64) -> Result<(), StoreError> {
        let article = article.clone();
        write!(self, kb::update_article(article, expected_version))
    }

    async fn delete_article(&self, client: &ClientId, id: ArticleId) -> Result<bool, StoreError> {
        let client = client.clone();
        write!(self, kb::delete_article(client, id))
    }
}
