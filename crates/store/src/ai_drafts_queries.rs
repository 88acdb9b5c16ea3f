//! The AI settings' and the draft usage log's queries (issue 8), written once for both backends
//! like `queries.rs`: [`ai_drafts_queries!`] is expanded by `pg.rs` and `sqlite.rs` into an
//! `ai_drafts` module of theirs. The rows and their conversions are here too.

use crate::ai_drafts_schema::{ai_drafts, ai_settings};
use crate::rows::{db_time, utc};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use memberdesk_domain::ai::{AiSettings, GeneratedBy, Terminology, Tone};
use memberdesk_domain::ai_ports::{DraftRecord, DraftUse};
use memberdesk_domain::{ClientId, StoreError, UserId};

fn corrupt(table: &str, id: &str, what: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("corrupt {table} row {id}: {what}"))
}

/// A client's AI settings row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = ai_settings)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct AiSettingsRow {
    pub client_id: String,
    pub enabled: bool,
    pub default_tone: String,
    pub style_instructions: String,
    pub terminology: String,
}

impl AiSettingsRow {
    pub(crate) fn from_domain(client: &ClientId, settings: &AiSettings) -> Result<AiSettingsRow, StoreError> {
        let terminology = serde_json::to_string(&settings.terminology)
            .map_err(|e| StoreError::Other(format!("the terminology could not be written as JSON: {e}")))?;
        Ok(AiSettingsRow {
            client_id: client.0.clone(),
            enabled: settings.enabled,
            default_tone: settings.default_tone.as_str().to_owned(),
            style_instructions: settings.style_instructions.clone(),
            terminology,
        })
    }

    pub(crate) fn into_domain(self) -> Result<AiSettings, StoreError> {
        let default_tone = Tone::parse(&self.default_tone).map_err(|e| corrupt("ai_settings", &self.client_id, e))?;
        let terminology: Terminology = serde_json::from_str(&self.terminology)
            .map_err(|e| corrupt("ai_settings", &self.client_id, format_args!("terminology: {e}")))?;
        Ok(AiSettings { enabled: self.enabled, default_tone, style_instructions: self.style_instructions, terminology })
    }
}

/// One logged draft.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ai_drafts)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct DraftRow {
    pub id: String,
    pub client_id: String,
    pub ticket_id: String,
    pub agent_id: String,
    pub agent_name: String,
    pub tone: String,
    pub generated_by: String,
    pub draft: String,
    pub confidence: f64,
    pub created_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub response_id: Option<String>,
    pub edit_ratio: Option<f64>,
}

impl DraftRow {
    pub(crate) fn from_domain(d: &DraftRecord) -> DraftRow {
        DraftRow {
            id: d.id.to_string(),
            client_id: d.client_id.0.clone(),
            ticket_id: d.ticket_id.to_string(),
            agent_id: d.agent_id.0.clone(),
            agent_name: d.agent_name.clone(),
            tone: d.tone.as_str().to_owned(),
            generated_by: d.generated_by.as_str().to_owned(),
            draft: d.draft.clone(),
            confidence: d.confidence,
            created_at: db_time(d.created_at),
            used_at: d.used.as_ref().map(|u| db_time(u.used_at)),
            response_id: d.used.as_ref().map(|u| u.response_id.to_string()),
            edit_ratio: d.used.as_ref().map(|u| u.edit_ratio),
        }
    }

    pub(crate) fn into_domain(self) -> Result<DraftRecord, StoreError> {
        let id = self.id.clone();
        let uuid =
            |column: &str, value: &str| corrupt("ai_drafts", &id, format_args!("{column} `{value}` is not a UUID"));
        let tone = Tone::parse(&self.tone).map_err(|e| corrupt("ai_drafts", &id, e))?;
        let generated_by = match self.generated_by.as_str() {
            "ai" => GeneratedBy::Ai,
            "builtin" => GeneratedBy::Builtin,
            other => return Err(corrupt("ai_drafts", &id, format_args!("generated_by `{other}`"))),
        };
        let used = match (self.used_at, self.response_id, self.edit_ratio) {
            (Some(used_at), Some(response), Some(edit_ratio)) => Some(DraftUse {
                response_id: response.parse().map_err(|_| uuid("response_id", &response))?,
                edit_ratio,
                used_at: utc(used_at),
            }),
            _ => None,
        };
        Ok(DraftRecord {
            id: self.id.parse().map_err(|_| uuid("id", &self.id))?,
            client_id: ClientId::new(self.client_id),
            ticket_id: self.ticket_id.parse().map_err(|_| uuid("ticket_id", &self.ticket_id))?,
            agent_id: UserId::new(self.agent_id),
            agent_name: self.agent_name,
            tone,
            generated_by,
            draft: self.draft,
            confidence: self.confidence,
            created_at: utc(self.created_at),
            used,
        })
    }
}

/// Expands the AI settings and draft log queries into `mod ai_drafts` for one connection type.
macro_rules! ai_drafts_queries {
    (conn = $Conn:ty $(,)?) => {
        pub(crate) mod ai_drafts {
            #[allow(unused_imports)]
            use $crate::ai_drafts_queries::prelude::*;

            type Conn = $Conn;

            pub(crate) async fn ai_settings(
                conn: &mut Conn,
                client: &ClientId,
            ) -> Result<Option<AiSettings>, StoreError> {
                ai_settings::table
                    .filter(ai_settings::client_id.eq(client.0.as_str()))
                    .select(AiSettingsRow::as_select())
                    .first::<AiSettingsRow>(conn)
                    .await
                    .optional()
                    .map_err(translate)?
                    .map(AiSettingsRow::into_domain)
                    .transpose()
            }

            pub(crate) async fn put_ai_settings(conn: &mut Conn, row: AiSettingsRow) -> Result<(), StoreError> {
                diesel::insert_into(ai_settings::table)
                    .values(&row)
                    .on_conflict(ai_settings::client_id)
                    .do_update()
                    .set(&row)
                    .execute(conn)
                    .await
                    .map_err(translate)?;
                Ok(())
            }

            pub(crate) async fn record_draft(conn: &mut Conn, row: DraftRow) -> Result<(), StoreError> {
                diesel::insert_into(ai_drafts::table).values(&row).execute(conn).await.map_err(translate)?;
                Ok(())
            }

            pub(crate) async fn get_draft(
                conn: &mut Conn,
                client: &ClientId,
                id: DraftId,
            ) -> Result<Option<DraftRecord>, StoreError> {
                ai_drafts::table
                    .filter(ai_drafts::client_id.eq(client.0.as_str()))
                    .filter(ai_drafts::id.eq(id.to_string()))
                    .select(DraftRow::as_select())
                    .first::<DraftRow>(conn)
                    .await
                    .optional()
                    .map_err(translate)?
                    .map(DraftRow::into_domain)
                    .transpose()
            }

            /// Only a draft not used yet is marked: the first reply posted from it counts.
            pub(crate) async fn mark_draft_used(
                conn: &mut Conn,
                client: ClientId,
                id: DraftId,
                used: DraftUse,
            ) -> Result<bool, StoreError> {
                let updated = diesel::update(
                    ai_drafts::table
                        .filter(ai_drafts::client_id.eq(client.0.as_str()))
                        .filter(ai_drafts::id.eq(id.to_string()))
                        .filter(ai_drafts::used_at.is_null()),
                )
                .set((
                    ai_drafts::used_at.eq(Some(db_time(used.used_at))),
                    ai_drafts::response_id.eq(Some(used.response_id.to_string())),
                    ai_drafts::edit_ratio.eq(Some(used.edit_ratio.clamp(0.0, 1.0))),
                ))
                .execute(conn)
                .await
                .map_err(translate)?;
                Ok(updated == 1)
            }

            pub(crate) async fn draft_usage(
                conn: &mut Conn,
                client: &ClientId,
                from: Option<DateTime<Utc>>,
                to: Option<DateTime<Utc>>,
            ) -> Result<Vec<DraftUsageRow>, StoreError> {
                let mut query = ai_drafts::table
                    .filter(ai_drafts::client_id.eq(client.0.as_str()))
                    .order_by((ai_drafts::created_at.asc(), ai_drafts::id.asc()))
                    .select((ai_drafts::agent_id, ai_drafts::agent_name, ai_drafts::used_at, ai_drafts::edit_ratio))
                    .into_boxed();
                if let Some(from) = from {
                    query = query.filter(ai_drafts::created_at.ge(db_time(from)));
                }
                if let Some(to) = to {
                    query = query.filter(ai_drafts::created_at.lt(db_time(to)));
                }
                let rows = query
                    .load::<(String, String, Option<chrono::NaiveDateTime>, Option<f64>)>(conn)
                    .await
                    .map_err(translate)?;
                Ok(rows
                    .into_iter()
                    .map(|(agent_id, agent_name, used_at, edit_ratio)| DraftUsageRow {
                        agent_id,
                        agent_name,
                        used: used_at.is_some(),
                        edit_ratio,
                    })
                    .collect())
            }
        }
    };
}
pub(crate) use ai_drafts_queries;

/// What every expansion of [`ai_drafts_queries!`] uses.
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub(crate) use super::{AiSettingsRow, DraftRow};
    pub(crate) use crate::ai_drafts_schema::{ai_drafts, ai_settings};
    pub(crate) use crate::error::translate;
    pub(crate) use crate::rows::db_time;
    pub(crate) use chrono::{DateTime, Utc};
    pub(crate) use diesel::prelude::*;
    pub(crate) use diesel_async::RunQueryDsl;
    pub(crate) use memberdesk_domain::ai::{AiSettings, DraftUsageRow};
    pub(crate) use memberdesk_domain::ai_ports::{DraftRecord, DraftUse};
    pub(crate) use memberdesk_domain::{ClientId, DraftId, StoreError};
}
