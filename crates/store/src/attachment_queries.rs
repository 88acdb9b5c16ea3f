//! Attachment metadata: the row, its translation, and the queries, written once for both
//! backends like `queries.rs` ([`attachment_queries!`] is expanded by `pg.rs` and `sqlite.rs`).
//!
//! Rows are inserted by `write_commit` inside the transaction that inserts their response, so
//! a response and its attachments commit together or not at all. Reading a conversation loads
//! the attachments of all its responses in one query (`response_id IN (…)`), never one query
//! per response.

use crate::rows::{db_time, utc};
use crate::schema::attachments;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use memberdesk_domain::ports::Commit;
use memberdesk_domain::{Attachment, AttachmentId, ClientId, Response, ResponseId, StoreError, TicketId};
use std::collections::HashMap;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = attachments)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
#[diesel(treat_none_as_default_value = false)]
pub(crate) struct AttachmentRow {
    pub id: String,
    pub client_id: String,
    pub ticket_id: String,
    pub response_id: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub storage_key: String,
    pub created_at: NaiveDateTime,
}

fn corrupt(id: &str, what: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("corrupt attachments row {id}: {what}"))
}

fn parse_uuid<T: std::str::FromStr>(id: &str, column: &str, value: &str) -> Result<T, StoreError> {
    value.parse().map_err(|_| corrupt(id, format_args!("{column} `{value}` is not a UUID")))
}

impl AttachmentRow {
    pub(crate) fn from_domain(attachment: &Attachment) -> Result<AttachmentRow, StoreError> {
        let size = i64::try_from(attachment.size)
            .map_err(|_| StoreError::Other(format!("attachment {} is too large to record", attachment.id)))?;
        Ok(AttachmentRow {
            id: attachment.id.to_string(),
            client_id: attachment.client_id.0.clone(),
            ticket_id: attachment.ticket_id.to_string(),
            response_id: attachment.response_id.to_string(),
            filename: attachment.filename.clone(),
            content_type: attachment.content_type.clone(),
            size,
            sha256: attachment.sha256.clone(),
            storage_key: attachment.storage_key.clone(),
            created_at: db_time(attachment.created_at),
        })
    }

    pub(crate) fn into_domain(self) -> Result<Attachment, StoreError> {
        let id = &self.id;
        Ok(Attachment {
            id: parse_uuid::<AttachmentId>(id, "id", id)?,
            ticket_id: parse_uuid::<TicketId>(id, "ticket_id", &self.ticket_id)?,
            response_id: parse_uuid::<ResponseId>(id, "response_id", &self.response_id)?,
            client_id: ClientId::new(self.client_id.clone()),
            size: u64::try_from(self.size).map_err(|_| corrupt(id, format_args!("size {}", self.size)))?,
            filename: self.filename,
            content_type: self.content_type,
            sha256: self.sha256,
            storage_key: self.storage_key,
            created_at: utc(self.created_at),
        })
    }
}

/// The attachment rows a commit adds: every attachment of every response in it.
pub(crate) fn commit_attachment_rows(commit: &Commit) -> Result<Vec<AttachmentRow>, StoreError> {
    commit.responses.iter().flat_map(|r| r.attachments.iter()).map(AttachmentRow::from_domain).collect()
}

/// Puts each attachment row on its response, keeping the order the rows came in.
pub(crate) fn attach(responses: &mut [Response], rows: Vec<AttachmentRow>) -> Result<(), StoreError> {
    let index: HashMap<ResponseId, usize> = responses.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    for row in rows {
        let attachment = row.into_domain()?;
        if let Some(&i) = index.get(&attachment.response_id) {
            responses[i].attachments.push(attachment);
        }
    }
    Ok(())
}

/// Expands the attachment queries for one connection type (see `queries.rs`); they sit beside
/// the functions of `backend_queries!`, which call them.
macro_rules! attachment_queries {
    (conn = $Conn:ty $(,)?) => {
        /// Inserts a commit's attachment rows (inside its transaction).
        async fn write_attachments(
            conn: &mut $Conn,
            rows: &[$crate::attachment_queries::AttachmentRow],
        ) -> Result<(), $crate::error::TxError> {
            use diesel_async::RunQueryDsl;
            for row in rows {
                diesel::insert_into($crate::schema::attachments::table).values(row).execute(conn).await?;
            }
            Ok(())
        }

        /// Fills in the attachments of the responses, with one query for all of them.
        async fn with_attachments(
            conn: &mut $Conn,
            client: &memberdesk_domain::ClientId,
            mut responses: Vec<memberdesk_domain::Response>,
        ) -> Result<Vec<memberdesk_domain::Response>, memberdesk_domain::StoreError> {
            use diesel::prelude::*;
            use diesel_async::RunQueryDsl;
            use $crate::attachment_queries::AttachmentRow;
            use $crate::schema::attachments::dsl as a;
            if responses.is_empty() {
                return Ok(responses);
            }
            let ids: Vec<String> = responses.iter().map(|r| r.id.to_string()).collect();
            let rows = a::attachments
                .filter(a::client_id.eq(client.0.clone()))
                .filter(a::response_id.eq_any(ids))
                .order_by((a::response_id.asc(), a::created_at.asc(), a::id.asc()))
                .select(AttachmentRow::as_select())
                .load::<AttachmentRow>(conn)
                .await
                .map_err($crate::error::translate)?;
            $crate::attachment_queries::attach(&mut responses, rows)?;
            Ok(responses)
        }

        pub(crate) async fn get_attachment(
            conn: &mut $Conn,
            client: &memberdesk_domain::ClientId,
            id: memberdesk_domain::AttachmentId,
        ) -> Result<Option<memberdesk_domain::Attachment>, memberdesk_domain::StoreError> {
            use diesel::prelude::*;
            use diesel_async::RunQueryDsl;
            use $crate::attachment_queries::AttachmentRow;
            use $crate::schema::attachments::dsl as a;
            a::attachments
                .filter(a::id.eq(id.to_string()))
                .filter(a::client_id.eq(client.0.as_str()))
                .select(AttachmentRow::as_select())
                .first::<AttachmentRow>(conn)
                .await
                .optional()
                .map_err($crate::error::translate)?
                .map(AttachmentRow::into_domain)
                .transpose()
        }
    };
}
pub(crate) use attachment_queries;
