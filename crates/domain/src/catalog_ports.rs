//! The ports of the desk's catalogue: ticket categories, canned responses and the client's
//! profile. Re-exported from [`crate::ports`]; held as `Arc<dyn …>`, hence `async_trait`. With
//! the `mocks` feature, mockall implements each (`MockCategoryStore`, …).

use crate::canned::{CannedFilter, CannedResponse};
use crate::category::Category;
use crate::client::{ClientName, ClientProfile};
use crate::error::StoreError;
use crate::ids::{CannedResponseId, CategoryId, ClientId, UserId};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// The client's ticket categories.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait CategoryStore: Send + Sync {
    /// The client's categories by `sort_order`, then name; archived ones only when asked.
    async fn list_categories(&self, client: &ClientId, include_archived: bool) -> Result<Vec<Category>, StoreError>;

    async fn get_category(&self, client: &ClientId, id: CategoryId) -> Result<Option<Category>, StoreError>;

    /// Inserts a category at the end of the client's order (the `sort_order` passed in is
    /// ignored) and returns it as stored. A name whose key another category of the client
    /// already has is `StoreError::Duplicate("category")` and writes nothing.
    async fn insert_category(&self, category: Category) -> Result<Category, StoreError>;

    /// Writes name, description, archived flag and `updated_at` of an existing category of
    /// the client. `Ok(false)` when there is none; a taken name is `Duplicate("category")`.
    async fn update_category(&self, category: &Category) -> Result<bool, StoreError>;

    /// Sets `sort_order` to the position in `ids` (0, 1, …) for each of the client's
    /// categories listed, in one transaction, stamping `updated_at`.
    async fn reorder_categories(
        &self,
        client: &ClientId,
        ids: &[CategoryId],
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
}

/// The client's canned responses (shared and personal).
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait CannedResponseStore: Send + Sync {
    /// The shared canned responses of the client and the personal ones of `viewer`, by title
    /// (case-insensitively), then id, narrowed by the filter.
    async fn list_canned_responses(
        &self,
        client: &ClientId,
        viewer: &UserId,
        filter: &CannedFilter,
    ) -> Result<Vec<CannedResponse>, StoreError>;

    /// Any canned response of the client, whoever owns it (access is the use case's call).
    async fn get_canned_response(
        &self,
        client: &ClientId,
        id: CannedResponseId,
    ) -> Result<Option<CannedResponse>, StoreError>;

    async fn insert_canned_response(&self, canned: &CannedResponse) -> Result<(), StoreError>;

    /// Writes title, body, category and `updated_at`. `Ok(false)` when there is none.
    async fn update_canned_response(&self, canned: &CannedResponse) -> Result<bool, StoreError>;

    /// `Ok(false)` when there is none.
    async fn delete_canned_response(&self, client: &ClientId, id: CannedResponseId) -> Result<bool, StoreError>;
}

/// The client's own settings.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait ClientStore: Send + Sync {
    /// The profile; a client never named has `name: None`.
    async fn get_client_profile(&self, client: &ClientId) -> Result<ClientProfile, StoreError>;

    /// Inserts or replaces the client's name.
    async fn set_client_name(&self, client: &ClientId, name: &ClientName, at: DateTime<Utc>) -> Result<(), StoreError>;
}
