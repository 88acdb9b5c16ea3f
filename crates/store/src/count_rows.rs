//! `SELECT COUNT(*) FROM (<query>) AS counted`: counts the rows of any query, including one
//! with a `LIMIT` (which a plain `.count()` would apply to the single aggregate row instead).
//! Used to count queue matches up to a cap cheaply; works on both backends.

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::BigInt;

#[derive(Debug, Clone, Copy)]
pub(crate) struct CountRows<Q>(pub Q);

impl<Q> QueryId for CountRows<Q> {
    type QueryId = ();
    // The inner query is boxed (built at run time), so there is no static id to cache by.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q> Query for CountRows<Q> {
    type SqlType = BigInt;
}

impl<Q, DB> QueryFragment<DB> for CountRows<Q>
where
    DB: Backend,
    Q: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("SELECT COUNT(*) FROM (");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(") AS counted");
        Ok(())
    }
}
