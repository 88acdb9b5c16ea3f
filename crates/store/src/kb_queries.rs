//! The knowledge base's queries (issue 8), written once for both backends like `queries.rs`:
//! [`kb_queries!`] is expanded by `pg.rs` and `sqlite.rs` into a `kb` module of theirs. Only the
//! full-text search differs ([`pg_candidates`], [`sqlite_candidates`]); both take the domain's
//! [`SearchQuery`] — plain lower-case words, nothing else survives its parsing — turn it into
//! their engine's syntax, and hand the ranked candidates to [`memberdesk_domain::kb::rank`],
//! which scores them the same way on both backends.

use crate::kb_rows::CandidateRow;
use diesel::QueryResult;
use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use memberdesk_domain::kb::{MatchMode, SearchQuery};

/// How many of the engine's best matches are scored, per result asked for: the domain's score
/// may reorder them, so it sees more than it returns.
pub(crate) const CANDIDATES_PER_RESULT: u32 = 4;
pub(crate) const MAX_CANDIDATES: u32 = 200;

/// The text for `websearch_to_tsquery`: the words (all must match), or the words joined by
/// `or`. The words are letters and digits only, and never `or`/`and`/`not` (stopwords), so no
/// operator can be smuggled in.
pub(crate) fn websearch_text(query: &SearchQuery) -> String {
    let joiner = match query.mode() {
        MatchMode::AllTerms => " ",
        MatchMode::AnyTerm => " or ",
    };
    query.terms().join(joiner)
}

/// An FTS5 query: each word a quoted string (so nothing in it is syntax), all of them (implicit
/// AND) or any (`OR`).
pub(crate) fn fts5_text(query: &SearchQuery) -> String {
    let joiner = match query.mode() {
        MatchMode::AllTerms => " ",
        MatchMode::AnyTerm => " OR ",
    };
    query.terms().iter().map(|t| format!("\"{}\"", t.replace('"', "\"\""))).collect::<Vec<_>>().join(joiner)
}

/// PostgreSQL: the client's published articles whose `search_vector` matches, by
/// `ts_rank_cd` with the default weights (title A 1.0, tags B 0.4, body C 0.2).
pub(crate) async fn pg_candidates(
    conn: &mut AsyncPgConnection,
    client: &str,
    query: &SearchQuery,
    limit: i64,
) -> QueryResult<Vec<CandidateRow>> {
    diesel::sql_query(
        "SELECT a.id, a.title, a.tags, a.body, \
                ts_rank_cd('{0.1, 0.2, 0.4, 1.0}'::float4[], a.search_vector, q.query)::float8 AS engine_rank \
         FROM kb_articles a, websearch_to_tsquery('english'::regconfig, $2) AS q(query) \
         WHERE a.client_id = $1 AND a.published AND a.search_vector @@ q.query \
         ORDER BY engine_rank DESC, a.updated_at DESC, a.id \
         LIMIT $3",
    )
    .bind::<Text, _>(client)
    .bind::<Text, _>(websearch_text(query))
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await
}

/// SQLite: the client's published articles that `kb_articles_fts` matches, by `bm25` with the
/// column weights title 10, tags 5, body 1 (negated: larger is better).
pub(crate) async fn sqlite_candidates(
    conn: &mut crate::sqlite::SqliteConn,
    client: &str,
    query: &SearchQuery,
    limit: i64,
) -> QueryResult<Vec<CandidateRow>> {
    diesel::sql_query(
        "SELECT a.id AS id, a.title AS title, a.tags AS tags, a.body AS body, \
                -bm25(kb_articles_fts, 10.0, 5.0, 1.0) AS engine_rank \
         FROM kb_articles_fts JOIN kb_articles a ON a.seq = kb_articles_fts.rowid \
         WHERE kb_articles_fts MATCH ? AND a.client_id = ? AND a.published = 1 \
         ORDER BY engine_rank DESC, a.updated_at DESC, a.id \
         LIMIT ?",
    )
    .bind::<Text, _>(fts5_text(query))
    .bind::<Text, _>(client)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await
}

/// Expands the knowledge base's query functions into `mod kb` for one connection type.
///
/// - `conn`: the async connection type, as a path that resolves from anywhere;
/// - `candidates`: [`pg_candidates`] or [`sqlite_candidates`].
macro_rules! kb_queries {
    (conn = $Conn:ty, candidates = $candidates:path $(,)?) => {
        pub(crate) mod kb {
            #[allow(unused_imports)]
            use $crate::kb_queries::prelude::*;

            type Conn = $Conn;

            pub(crate) async fn search_articles(
                conn: &mut Conn,
                client: &ClientId,
                query: &SearchQuery,
                limit: u32,
            ) -> Result<Vec<ArticleHit>, StoreError> {
                if query.is_empty() || limit == 0 {
                    return Ok(Vec::new());
                }
                let wanted = limit.saturating_mul(CANDIDATES_PER_RESULT).min(MAX_CANDIDATES);
                let rows = $candidates(conn, client.as_str(), query, i64::from(wanted)).await.map_err(translate)?;
                let candidates = rows.into_iter().map(CandidateRow::into_domain).collect::<Result<Vec<_>, _>>()?;
                Ok(rank(query, candidates, usize::try_from(limit).unwrap_or(usize::MAX)))
            }

            pub(crate) async fn insert_article(conn: &mut Conn, article: Article) -> Result<(), StoreError> {
                let row = ArticleRow::from_domain(&article)?;
                diesel::insert_into(kb_articles::table).values(&row).execute(conn).await.map(|_| ()).map_err(translate)
            }

            pub(crate) async fn get_article(
                conn: &mut Conn,
                client: &ClientId,
                id: ArticleId,
            ) -> Result<Option<Article>, StoreError> {
                kb_articles::table
                    .filter(kb_articles::client_id.eq(client.as_str()))
                    .filter(kb_articles::id.eq(id.to_string()))
                    .select(ArticleRow::as_select())
                    .first::<ArticleRow>(conn)
                    .await
                    .optional()
                    .map_err(translate)?
                    .map(ArticleRow::into_domain)
                    .transpose()
            }

            pub(crate) async fn list_articles(
                conn: &mut Conn,
                client: &ClientId,
                published_only: bool,
            ) -> Result<Vec<Article>, StoreError> {
                let mut query = kb_articles::table
                    .filter(kb_articles::client_id.eq(client.as_str()))
                    .select(ArticleRow::as_select())
                    .order_by(kb_articles::seq.asc())
                    .into_boxed();
                if published_only {
                    query = query.filter(kb_articles::published.eq(true));
                }
                query
                    .load::<ArticleRow>(conn)
                    .await
                    .map_err(translate)?
                    .into_iter()
                    .map(ArticleRow::into_domain)
                    .collect()
            }

            pub(crate) async fn update_article(
                conn: &mut Conn,
                article: Article,
                expected_version: i64,
            ) -> Result<(), StoreError> {
                let row = ArticleRow::from_domain(&article)?;
                let updated = diesel::update(
                    kb_articles::table
                        .filter(kb_articles::client_id.eq(&row.client_id))
                        .filter(kb_articles::id.eq(&row.id))
                        .filter(kb_articles::version.eq(expected_version)),
                )
                .set(&row.changes())
                .execute(conn)
                .await
                .map_err(translate)?;
                if updated == 0 { Err(StoreError::VersionConflict) } else { Ok(()) }
            }

            pub(crate) async fn delete_article(
                conn: &mut Conn,
                client: ClientId,
                id: ArticleId,
            ) -> Result<bool, StoreError> {
                diesel::delete(
                    kb_articles::table
                        .filter(kb_articles::client_id.eq(client.0))
                        .filter(kb_articles::id.eq(id.to_string())),
                )
                .execute(conn)
                .await
                .map(|deleted| deleted > 0)
                .map_err(translate)
            }
        }
    };
}
pub(crate) use kb_queries;

/// What every expansion of [`kb_queries!`] uses.
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub(crate) use super::{CANDIDATES_PER_RESULT, MAX_CANDIDATES};
    pub(crate) use crate::error::translate;
    pub(crate) use crate::kb_rows::{ArticleRow, CandidateRow};
    pub(crate) use crate::kb_schema::kb_articles;
    pub(crate) use diesel::prelude::*;
    pub(crate) use diesel_async::RunQueryDsl;
    pub(crate) use memberdesk_domain::kb::{Article, ArticleHit, SearchQuery, rank};
    pub(crate) use memberdesk_domain::{ArticleId, ClientId, StoreError};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_queries_are_plain_words() {
        let all = SearchQuery::parse("Renewing \"membership\" OR -fees*", MatchMode::AllTerms);
        assert_eq!(websearch_text(&all), "renewing membership fees");
        assert_eq!(fts5_text(&all), "\"renewing\" \"membership\" \"fees\"");
        let any = SearchQuery::parse("locker keys", MatchMode::AnyTerm);
        assert_eq!(websearch_text(&any), "locker or keys");
        assert_eq!(fts5_text(&any), "\"locker\" OR \"keys\"");
    }
}
