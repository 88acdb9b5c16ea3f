//! The catalogue's ports on [`Store`]: categories, canned responses, the client's profile.
//! Declared after the `read!`/`write!` macros of the crate root, which it uses.

use crate::{Inner, Store, bounded, detached, pg, sqlite};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use memberdesk_domain::category::Category;
use memberdesk_domain::ports::{CannedResponseStore, CategoryStore, ClientStore};
use memberdesk_domain::{
    CannedFilter, CannedResponse, CannedResponseId, CategoryId, ClientId, ClientName, ClientProfile, StoreError, UserId,
};

#[async_trait]
impl CategoryStore for Store {
    async fn list_categories(&self, client: &ClientId, include_archived: bool) -> Result<Vec<Category>, StoreError> {
        read!(self, catalog::list_categories(client, include_archived))
    }

    async fn get_category(&self, client: &ClientId, id: CategoryId) -> Result<Option<Category>, StoreError> {
        read!(self, catalog::get_category(client, id))
    }

    async fn insert_category(&self, category: Category) -> Result<Category, StoreError> {
        write!(self, catalog::insert_category(category))
    }

    async fn update_category(&self, category: &Category) -> Result<bool, StoreError> {
        let category = category.clone();
        write!(self, catalog::update_category(category))
    }

    async fn reorder_categories(
        &self,
        client: &ClientId,
        ids: &[CategoryId],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (client, ids) = (client.clone(), ids.to_vec());
        write!(self, catalog::reorder_categories(client, ids, at))
    }
}

#[async_trait]
impl CannedResponseStore for Store {
    async fn list_canned_responses(
        &self,
        client: &ClientId,
        viewer: &UserId,
        filter: &CannedFilter,
    ) -> Result<Vec<CannedResponse>, StoreError> {
        read!(self, catalog::list_canned_responses(client, viewer, filter))
    }

    async fn get_canned_response(
        &self,
        client: &ClientId,
        id: CannedResponseId,
    ) -> Result<Option<CannedResponse>, StoreError> {
        read!(self, catalog::get_canned_response(client, id))
    }

    async fn insert_canned_response(&self, canned: &CannedResponse) -> Result<(), StoreError> {
        let canned = canned.clone();
        write!(self, catalog::insert_canned_response(canned))
    }

    async fn update_canned_response(&self, canned: &CannedResponse) -> Result<bool, StoreError> {
        let canned = canned.clone();
        write!(self, catalog::update_canned_response(canned))
    }

    async fn delete_canned_response(&self, client: &ClientId, id: CannedResponseId) -> Result<bool, StoreError> {
        let client = client.clone();
        write!(self, catalog::delete_canned_response(client, id))
    }
}

#[async_trait]
impl ClientStore for Store {
    async fn get_client_profile(&self, client: &ClientId) -> Result<ClientProfile, StoreError> {
        read!(self, catalog::get_client_profile(client))
    }

    async fn set_client_name(&self, client: &ClientId, name: &ClientName, at: DateTime<Utc>) -> Result<(), StoreError> {
        let (client, name) = (client.clone(), name.clone());
        write!(self, catalog::set_client_name(client, name, at))
    }
}
