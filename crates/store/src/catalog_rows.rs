//! Rows of the catalogue tables (categories, canned responses, clients) and their translation
//! to and from the domain. As in `rows.rs`, reading a row back never panics: a value the domain
//! would refuse is a `StoreError::Other` naming the table and the row.

use crate::rows::{db_time, utc};
use crate::schema::{canned_responses, categories, clients};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use memberdesk_domain::category::Category;
use memberdesk_domain::{
    CannedBody, CannedResponse, CannedResponseId, CannedTitle, CategoryId, CategoryName, ClientId, ClientName,
    ClientProfile, StoreError, UserId,
};

fn corrupt(table: &str, id: &str, what: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("corrupt {table} row {id}: {what}"))
}

fn uuid<T: std::str::FromStr>(table: &str, id: &str, column: &str, value: &str) -> Result<T, StoreError> {
    value.parse().map_err(|_| corrupt(table, id, format_args!("{column} `{value}` is not a UUID")))
}

/// What the canned-response `q` filter searches: title and body, lower-cased.
pub(crate) fn canned_search_text(title: &str, body: &str) -> String {
    format!("{title}\n{body}").to_lowercase()
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = categories)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
#[diesel(treat_none_as_default_value = false)]
pub(crate) struct CategoryRow {
    pub id: String,
    pub client_id: String,
    pub name: String,
    pub name_key: String,
    pub description: Option<String>,
    pub sort_order: i32,
    pub archived: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What an edit writes (never the id, client, order or creation time).
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = categories)]
#[diesel(treat_none_as_null = true)]
pub(crate) struct CategoryChanges {
    pub name: String,
    pub name_key: String,
    pub description: Option<String>,
    pub archived: bool,
    pub updated_at: NaiveDateTime,
}

impl CategoryRow {
    pub(crate) fn from_domain(category: &Category) -> CategoryRow {
        CategoryRow {
            id: category.id.to_string(),
            client_id: category.client_id.0.clone(),
            name: category.name.as_str().to_owned(),
            name_key: category.name.key(),
            description: category.description.clone(),
            sort_order: category.sort_order,
            archived: category.archived,
            created_at: db_time(category.created_at),
            updated_at: db_time(category.updated_at),
        }
    }

    pub(crate) fn changes(&self) -> CategoryChanges {
        CategoryChanges {
            name: self.name.clone(),
            name_key: self.name_key.clone(),
            description: self.description.clone(),
            archived: self.archived,
            updated_at: self.updated_at,
        }
    }

    pub(crate) fn into_domain(self) -> Result<Category, StoreError> {
        const T: &str = "categories";
        Ok(Category {
            id: uuid(T, &self.id, "id", &self.id)?,
            name: CategoryName::new(&self.name).map_err(|e| corrupt(T, &self.id, format_args!("name: {e}")))?,
            client_id: ClientId::new(self.client_id),
            description: self.description,
            sort_order: self.sort_order,
            archived: self.archived,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
        })
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = canned_responses)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
#[diesel(treat_none_as_default_value = false)]
pub(crate) struct CannedResponseRow {
    pub id: String,
    pub client_id: String,
    pub owner_id: Option<String>,
    pub title: String,
    pub title_key: String,
    pub body: String,
    pub search_text: String,
    pub category_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What an edit writes (never the id, client, owner or creation time).
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = canned_responses)]
#[diesel(treat_none_as_null = true)]
pub(crate) struct CannedResponseChanges {
    pub title: String,
    pub title_key: String,
    pub body: String,
    pub search_text: String,
    pub category_id: Option<String>,
    pub updated_at: NaiveDateTime,
}

impl CannedResponseRow {
    pub(crate) fn from_domain(canned: &CannedResponse) -> CannedResponseRow {
        let (title, body) = (canned.title.as_str(), canned.body.as_str());
        CannedResponseRow {
            id: canned.id.to_string(),
            client_id: canned.client_id.0.clone(),
            owner_id: canned.owner_id.as_ref().map(|o| o.0.clone()),
            title: title.to_owned(),
            title_key: title.to_lowercase(),
            body: body.to_owned(),
            search_text: canned_search_text(title, body),
            category_id: canned.category_id.map(|c| c.to_string()),
            created_at: db_time(canned.created_at),
            updated_at: db_time(canned.updated_at),
        }
    }

    pub(crate) fn changes(&self) -> CannedResponseChanges {
        CannedResponseChanges {
            title: self.title.clone(),
            title_key: self.title_key.clone(),
            body: self.body.clone(),
            search_text: self.search_text.clone(),
            category_id: self.category_id.clone(),
            updated_at: self.updated_at,
        }
    }

    pub(crate) fn into_domain(self) -> Result<CannedResponse, StoreError> {
        const T: &str = "canned_responses";
        let category_id = match &self.category_id {
            Some(c) => Some(uuid::<CategoryId>(T, &self.id, "category_id", c)?),
            None => None,
        };
        Ok(CannedResponse {
            id: uuid::<CannedResponseId>(T, &self.id, "id", &self.id)?,
            title: CannedTitle::new(&self.title).map_err(|e| corrupt(T, &self.id, format_args!("title: {e}")))?,
            body: CannedBody::new(&self.body).map_err(|e| corrupt(T, &self.id, format_args!("body: {e}")))?,
            client_id: ClientId::new(self.client_id),
            owner_id: self.owner_id.map(UserId::new),
            category_id,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
        })
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = clients)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct ClientRow {
    pub id: String,
    pub name: String,
    pub updated_at: NaiveDateTime,
}

impl ClientRow {
    pub(crate) fn into_profile(self) -> Result<ClientProfile, StoreError> {
        let name = ClientName::new(&self.name).map_err(|e| corrupt("clients", &self.id, format_args!("name: {e}")))?;
        Ok(ClientProfile {
            client_id: ClientId::new(self.id),
            name: Some(name),
            updated_at: Some(utc(self.updated_at)),
        })
    }
}
