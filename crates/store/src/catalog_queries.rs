//! The catalogue's queries (categories, canned responses, the client's profile), written once
//! for both backends like `queries.rs`: [`catalog_queries!`] is expanded by `pg.rs` and
//! `sqlite.rs` into a `catalog` module of theirs.

/// Expands the catalogue's query functions into `mod catalog` for one connection type.
///
/// - `conn`: the async connection type, as a path that resolves from anywhere
///   (`diesel_async::AsyncPgConnection`, `crate::sqlite::SqliteConn`);
/// - `write_transaction`: its method that runs a closure in a write transaction.
macro_rules! catalog_queries {
    (conn = $Conn:ty, write_transaction = $write_tx:ident $(,)?) => {
        pub(crate) mod catalog {
            #[allow(unused_imports)]
            use $crate::catalog_queries::prelude::*;

            type Conn = $Conn;

            pub(crate) async fn list_categories(
                conn: &mut Conn,
                client: &ClientId,
                include_archived: bool,
            ) -> Result<Vec<Category>, StoreError> {
                let mut query = categories::table
                    .filter(categories::client_id.eq(client.0.clone()))
                    .select(CategoryRow::as_select())
                    .order_by((categories::sort_order.asc(), categories::name_key.asc(), categories::id.asc()))
                    .into_boxed();
                if !include_archived {
                    query = query.filter(categories::archived.eq(false));
                }
                query
                    .load::<CategoryRow>(conn)
                    .await
                    .map_err(translate)?
                    .into_iter()
                    .map(CategoryRow::into_domain)
                    .collect()
            }

            pub(crate) async fn get_category(
                conn: &mut Conn,
                client: &ClientId,
                id: CategoryId,
            ) -> Result<Option<Category>, StoreError> {
                categories::table
                    .filter(categories::client_id.eq(client.0.as_str()))
                    .filter(categories::id.eq(id.to_string()))
                    .select(CategoryRow::as_select())
                    .first::<CategoryRow>(conn)
                    .await
                    .optional()
                    .map_err(translate)?
                    .map(CategoryRow::into_domain)
                    .transpose()
            }

            pub(crate) async fn insert_category(conn: &mut Conn, category: Category) -> Result<Category, StoreError> {
                let mut row = CategoryRow::from_domain(&category);
                let stored = conn
                    .$write_tx(async |conn: &mut Conn| {
                        // At the end of the client's order.
                        let last: Option<i32> = categories::table
                            .filter(categories::client_id.eq(&row.client_id))
                            .select(diesel::dsl::max(categories::sort_order))
                            .first(conn)
                            .await?;
                        row.sort_order = last.map_or(0, |n| n.saturating_add(1));
                        diesel::insert_into(categories::table).values(&row).execute(conn).await?;
                        Ok::<CategoryRow, TxError>(row)
                    })
                    .await?;
                stored.into_domain()
            }

            pub(crate) async fn update_category(conn: &mut Conn, category: Category) -> Result<bool, StoreError> {
                let row = CategoryRow::from_domain(&category);
                diesel::update(
                    categories::table
                        .filter(categories::client_id.eq(&row.client_id))
                        .filter(categories::id.eq(&row.id)),
                )
                .set(&row.changes())
                .execute(conn)
                .await
                .map(|updated| updated > 0)
                .map_err(translate)
            }

            pub(crate) async fn reorder_categories(
                conn: &mut Conn,
                client: ClientId,
                ids: Vec<CategoryId>,
                at: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                let at = db_time(at);
                conn.$write_tx(async |conn: &mut Conn| {
                    for (position, id) in ids.iter().enumerate() {
                        let position = i32::try_from(position).unwrap_or(i32::MAX);
                        diesel::update(
                            categories::table
                                .filter(categories::client_id.eq(client.0.as_str()))
                                .filter(categories::id.eq(id.to_string())),
                        )
                        .set((categories::sort_order.eq(position), categories::updated_at.eq(at)))
                        .execute(conn)
                        .await?;
                    }
                    Ok::<(), TxError>(())
                })
                .await?;
                Ok(())
            }

            pub(crate) async fn list_canned_responses(
                conn: &mut Conn,
                client: &ClientId,
                viewer: &UserId,
                filter: &CannedFilter,
            ) -> Result<Vec<CannedResponse>, StoreError> {
                let mut query = canned_responses::table
                    .filter(canned_responses::client_id.eq(client.0.clone()))
                    .filter(
                        canned_responses::owner_id
                            .is_null()
                            .or(canned_responses::owner_id.assume_not_null().eq(viewer.0.clone())),
                    )
                    .select(CannedResponseRow::as_select())
                    .order_by((canned_responses::title_key.asc(), canned_responses::id.asc()))
                    .into_boxed();
                if let Some(category) = filter.category_id {
                    query = query.filter(canned_responses::category_id.assume_not_null().eq(category.to_string()));
                }
                if let Some(text) = filter.text.as_deref().filter(|t| !t.is_empty()) {
                    query = query.filter(canned_responses::search_text.like(contains_pattern(text)).escape('\\'));
                }
                query
                    .load::<CannedResponseRow>(conn)
                    .await
                    .map_err(translate)?
                    .into_iter()
                    .map(CannedResponseRow::into_domain)
                    .collect()
            }

            pub(crate) async fn get_canned_response(
                conn: &mut Conn,
                client: &ClientId,
                id: CannedResponseId,
            ) -> Result<Option<CannedResponse>, StoreError> {
                canned_responses::table
                    .filter(canned_responses::client_id.eq(client.0.as_str()))
                    .filter(canned_responses::id.eq(id.to_string()))
                    .select(CannedResponseRow::as_select())
                    .first::<CannedResponseRow>(conn)
                    .await
                    .optional()
                    .map_err(translate)?
                    .map(CannedResponseRow::into_domain)
                    .transpose()
            }

            pub(crate) async fn insert_canned_response(
                conn: &mut Conn,
                canned: CannedResponse,
            ) -> Result<(), StoreError> {
                let row = CannedResponseRow::from_domain(&canned);
                diesel::insert_into(canned_responses::table)
                    .values(&row)
                    .execute(conn)
                    .await
                    .map(|_| ())
                    .map_err(translate)
            }

            pub(crate) async fn update_canned_response(
                conn: &mut Conn,
                canned: CannedResponse,
            ) -> Result<bool, StoreError> {
                let row = CannedResponseRow::from_domain(&canned);
                diesel::update(
                    canned_responses::table
                        .filter(canned_responses::client_id.eq(&row.client_id))
                        .filter(canned_responses::id.eq(&row.id)),
                )
                .set(&row.changes())
                .execute(conn)
                .await
                .map(|updated| updated > 0)
                .map_err(translate)
            }

            pub(crate) async fn delete_canned_response(
                conn: &mut Conn,
                client: ClientId,
                id: CannedResponseId,
            ) -> Result<bool, StoreError> {
                diesel::delete(
                    canned_responses::table
                        .filter(canned_responses::client_id.eq(client.0))
                        .filter(canned_responses::id.eq(id.to_string())),
                )
                .execute(conn)
                .await
                .map(|deleted| deleted > 0)
                .map_err(translate)
            }

            pub(crate) async fn get_client_profile(
                conn: &mut Conn,
                client: &ClientId,
            ) -> Result<ClientProfile, StoreError> {
                let row = clients::table
                    .filter(clients::id.eq(client.0.as_str()))
                    .select(ClientRow::as_select())
                    .first::<ClientRow>(conn)
                    .await
                    .optional()
                    .map_err(translate)?;
                match row {
                    Some(row) => row.into_profile(),
                    None => Ok(ClientProfile { client_id: client.clone(), name: None, updated_at: None }),
                }
            }

            pub(crate) async fn set_client_name(
                conn: &mut Conn,
                client: ClientId,
                name: ClientName,
                at: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                let row = ClientRow { id: client.0, name: name.as_str().to_owned(), updated_at: db_time(at) };
                diesel::insert_into(clients::table)
                    .values(&row)
                    .on_conflict(clients::id)
                    .do_update()
                    .set((clients::name.eq(&row.name), clients::updated_at.eq(row.updated_at)))
                    .execute(conn)
                    .await
                    .map(|_| ())
                    .map_err(translate)
            }
        }
    };
}
pub(crate) use catalog_queries;

/// What every expansion of [`catalog_queries!`] uses.
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub(crate) use crate::catalog_rows::{CannedResponseRow, CategoryRow, ClientRow};
    pub(crate) use crate::error::{TxError, translate};
    pub(crate) use crate::queries::contains_pattern;
    pub(crate) use crate::rows::db_time;
    pub(crate) use crate::schema::{canned_responses, categories, clients};
    pub(crate) use chrono::{DateTime, Utc};
    pub(crate) use diesel::prelude::*;
    pub(crate) use diesel_async::{AsyncConnection, RunQueryDsl};
    pub(crate) use memberdesk_domain::category::Category;
    pub(crate) use memberdesk_domain::{
        CannedFilter, CannedResponse, CannedResponseId, CategoryId, ClientId, ClientName, ClientProfile, StoreError,
        UserId,
    };
}
