//! The AI settings' and draft usage log's port on [`Store`] (issue 8). Declared after the
//! `read!`/`write!` macros of the crate root, which it uses (`ai_drafts::…` names what
//! `ai_drafts_queries!` expands into `pg::ai_drafts` and `sqlite::ai_drafts`).

use crate::ai_drafts_queries::{AiSettingsRow, DraftRow};
use crate::{Inner, Store, bounded, detached, pg, sqlite};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use memberdesk_domain::ai::{AiSettings, DraftUsageRow};
use memberdesk_domain::ai_ports::{AiStore, DraftRecord, DraftUse};
use memberdesk_domain::{ClientId, DraftId, StoreError};

#[async_trait]
impl AiStore for Store {
    async fn ai_settings(&self, client: &ClientId) -> Result<Option<AiSettings>, StoreError> {
        read!(self, ai_drafts::ai_settings(client))
    }

    async fn put_ai_settings(&self, client: &ClientId, settings: &AiSettings) -> Result<(), StoreError> {
        let row = AiSettingsRow::from_domain(client, settings)?;
        write!(self, ai_drafts::put_ai_settings(row))
    }

    async fn record_draft(&self, draft: &DraftRecord) -> Result<(), StoreError> {
        let row = DraftRow::from_domain(draft);
        write!(self, ai_drafts::record_draft(row))
    }

    async fn get_draft(&self, client: &ClientId, id: DraftId) -> Result<Option<DraftRecord>, StoreError> {
        read!(self, ai_drafts::get_draft(client, id))
    }

    async fn mark_draft_used(&self, client: &ClientId, id: DraftId, used: &DraftUse) -> Result<bool, StoreError> {
        let (client, used) = (client.clone(), used.clone());
        write!(self, ai_drafts::mark_draft_used(client, id, used))
    }

    async fn draft_usage(
        &self,
        client: &ClientId,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Vec<DraftUsageRow>, StoreError> {
        read!(self, ai_drafts::draft_usage(client, from, to))
    }
}
