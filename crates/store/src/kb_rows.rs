//! Knowledge-base rows as both backends store them, and their translation to and from the
//! domain. Tags are kept as a JSON array of strings.

use crate::kb_schema::kb_articles;
use crate::rows::{db_time, utc};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Double, Text};
use memberdesk_domain::kb::{Article, ArticleBody, ArticleTitle, SearchCandidate};
use memberdesk_domain::{ClientId, StoreError};

fn corrupt(id: &str, what: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("corrupt kb_articles row {id}: {what}"))
}

fn tags_json(tags: &[String]) -> Result<String, StoreError> {
    serde_json::to_string(tags).map_err(|e| StoreError::Other(format!("cannot store tags: {e}")))
}

fn parse_tags(id: &str, json: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(json).map_err(|_| corrupt(id, "tags are not a JSON array of strings"))
}

fn parse_id(id: &str) -> Result<memberdesk_domain::ArticleId, StoreError> {
    id.parse().map_err(|_| corrupt(id, "id is not a UUID"))
}

/// Everything but `seq`, which the database numbers.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = kb_articles)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct ArticleRow {
    pub id: String,
    pub client_id: String,
    pub title: String,
    pub body: String,
    pub tags: String,
    pub published: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

/// What an update writes: everything but the identity (id, client, creation time).
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = kb_articles)]
pub(crate) struct ArticleChanges {
    pub title: String,
    pub body: String,
    pub tags: String,
    pub published: bool,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

impl ArticleRow {
    pub(crate) fn from_domain(article: &Article) -> Result<ArticleRow, StoreError> {
        Ok(ArticleRow {
            id: article.id.to_string(),
            client_id: article.client_id.0.clone(),
            title: article.title.as_str().to_owned(),
            body: article.body.as_str().to_owned(),
            tags: tags_json(&article.tags)?,
            published: article.published,
            created_at: db_time(article.created_at),
            updated_at: db_time(article.updated_at),
            version: article.version,
        })
    }

    pub(crate) fn changes(&self) -> ArticleChanges {
        ArticleChanges {
            title: self.title.clone(),
            body: self.body.clone(),
            tags: self.tags.clone(),
            published: self.published,
            updated_at: self.updated_at,
            version: self.version,
        }
    }

    pub(crate) fn into_domain(self) -> Result<Article, StoreError> {
        Ok(Article {
            id: parse_id(&self.id)?,
            client_id: ClientId::new(self.client_id),
            title: ArticleTitle::new(&self.title).map_err(|e| corrupt(&self.id, format_args!("title {e}")))?,
            body: ArticleBody::new(&self.body).map_err(|e| corrupt(&self.id, format_args!("body {e}")))?,
            tags: parse_tags(&self.id, &self.tags)?,
            published: self.published,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
            version: self.version,
        })
    }
}

/// A row of either backend's full-text search: a published article and the engine's rank.
#[derive(Debug, QueryableByName)]
pub(crate) struct CandidateRow {
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Text)]
    pub tags: String,
    #[diesel(sql_type = Text)]
    pub body: String,
    #[diesel(sql_type = Double)]
    pub engine_rank: f64,
}

impl CandidateRow {
    pub(crate) fn into_domain(self) -> Result<SearchCandidate, StoreError> {
        Ok(SearchCandidate {
            id: parse_id(&self.id)?,
            tags: parse_tags(&self.id, &self.tags)?,
            title: self.title,
            body: self.body,
            rank: self.engine_rank,
        })
    }
}
