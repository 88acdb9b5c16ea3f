//! The JSON shapes (camelCase) of the catalogue: ticket categories, canned responses and the
//! client's settings. Re-exported from [`crate::dto`].

use chrono::{DateTime, Utc};
use memberdesk_domain::usecases::{CannedResponseInput, CannedResponsePatch, CategoryInput, CategoryPatch};
use memberdesk_domain::{CannedResponse, Category, ClientProfile};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// `null` and a value are `Some`; an absent field (with `#[serde(default)]`) stays `None`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

// ---------------------------------------------------------------------------------------------
// Categories
// ---------------------------------------------------------------------------------------------

/// A ticket category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CategoryDto {
    pub id: Uuid,
    #[schema(example = "Billing")]
    pub name: String,
    pub description: Option<String>,
    /// Position in the picker, smallest first.
    pub sort_order: i32,
    /// Hidden from members and from new tickets; tickets keep it.
    pub archived: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Category> for CategoryDto {
    fn from(c: &Category) -> Self {
        CategoryDto {
            id: c.id.0,
            name: c.name.as_str().to_owned(),
            description: c.description.clone(),
            sort_order: c.sort_order,
            archived: c.archived,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// Categories in picker order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CategoryListDto {
    pub items: Vec<CategoryDto>,
}

impl CategoryListDto {
    pub fn of(categories: &[Category]) -> CategoryListDto {
        CategoryListDto { items: categories.iter().map(Into::into).collect() }
    }
}

/// `GET /api/tickets/categories` options.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct CategoryListParams {
    /// Staff only: also list archived categories (members always get the active ones).
    pub include_archived: Option<bool>,
}

/// A new category.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateCategoryRequest {
    /// 1–80 characters; unique per client (trimmed, case-insensitive).
    #[serde(default)]
    #[schema(required = true, example = "Billing")]
    pub name: String,
    /// At most 500 characters.
    pub description: Option<String>,
}

impl From<CreateCategoryRequest> for CategoryInput {
    fn from(r: CreateCategoryRequest) -> Self {
        CategoryInput { name: r.name, description: r.description }
    }
}

/// Fields to change; absent fields stay as they are. At least one is needed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCategoryRequest {
    pub name: Option<String>,
    /// A description, or `null` to clear it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// `true` archives, `false` unarchives.
    pub archived: Option<bool>,
}

impl From<UpdateCategoryRequest> for CategoryPatch {
    fn from(r: UpdateCategoryRequest) -> Self {
        CategoryPatch { name: r.name, description: r.description, archived: r.archived }
    }
}

/// The order of all the client's categories.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReorderCategoriesRequest {
    /// Every category id of the client (archived ones too), each once, in the new order.
    #[schema(value_type = Vec<Uuid>)]
    pub ids: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// Canned responses
// ---------------------------------------------------------------------------------------------

/// A canned response (response template).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CannedResponseDto {
    pub id: Uuid,
    #[schema(example = "Password reset")]
    pub title: String,
    /// May hold placeholders such as `{{member.firstName}}`.
    #[schema(
        example = "Hi {{member.firstName}},\n\nYou can reset your password from the sign-in page.\n\n{{agent.name}}"
    )]
    pub body: String,
    pub category_id: Option<Uuid>,
    /// Client-wide (managed by admins) rather than someone's personal one.
    pub shared: bool,
    /// The staff user a personal canned response belongs to; `null` when shared.
    pub owner_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&CannedResponse> for CannedResponseDto {
    fn from(c: &CannedResponse) -> Self {
        CannedResponseDto {
            id: c.id.0,
            title: c.title.as_str().to_owned(),
            body: c.body.as_str().to_owned(),
            category_id: c.category_id.map(|id| id.0),
            shared: c.is_shared(),
            owner_id: c.owner_id.as_ref().map(|o| o.as_str().to_owned()),
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// Canned responses by title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CannedResponseListDto {
    pub items: Vec<CannedResponseDto>,
}

/// `GET /api/tickets/canned-responses` filters.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct CannedResponseListParams {
    /// Only the canned responses of this category.
    #[param(value_type = Option<Uuid>)]
    pub category_id: Option<String>,
    /// Text found in the title or body (case-insensitive, at most 200 characters).
    pub q: Option<String>,
}

/// A new canned response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateCannedResponseRequest {
    /// One line, 1–120 characters.
    #[serde(default)]
    #[schema(required = true)]
    pub title: String,
    /// 1–20 000 characters; placeholders must be known ones.
    #[serde(default)]
    #[schema(required = true)]
    pub body: String,
    /// An active category of the client.
    #[schema(value_type = Option<Uuid>)]
    pub category_id: Option<String>,
    /// `true`: client-wide (admins only); `false` (default): the caller's personal one.
    pub shared: Option<bool>,
}

impl From<CreateCannedResponseRequest> for CannedResponseInput {
    fn from(r: CreateCannedResponseRequest) -> Self {
        CannedResponseInput {
            title: r.title,
            body: r.body,
            category_id: r.category_id,
            shared: r.shared.unwrap_or(false),
        }
    }
}

/// Fields to change; absent fields stay as they are. At least one is needed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCannedResponseRequest {
    pub title: Option<String>,
    pub body: Option<String>,
    /// A category id, or `null` to clear it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub category_id: Option<Option<String>>,
}

impl From<UpdateCannedResponseRequest> for CannedResponsePatch {
    fn from(r: UpdateCannedResponseRequest) -> Self {
        CannedResponsePatch { title: r.title, body: r.body, category_id: r.category_id }
    }
}

/// A canned response filled in for a ticket, for the reply editor (nothing was sent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RenderedCannedResponseDto {
    #[schema(example = "Hi Mia,\n\nYou can reset your password from the sign-in page.\n\nUma User")]
    pub body: String,
}

// ---------------------------------------------------------------------------------------------
// Client settings
// ---------------------------------------------------------------------------------------------

/// The client as the desk knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClientSettingsDto {
    pub client_id: String,
    /// The name an admin set, if any.
    pub name: Option<String>,
    /// What `{{client.name}}` shows: the name, or the client id when none is set.
    pub display_name: String,
    pub updated_at: Option<DateTime<Utc>>,
}

impl From<&ClientProfile> for ClientSettingsDto {
    fn from(p: &ClientProfile) -> Self {
        ClientSettingsDto {
            client_id: p.client_id.as_str().to_owned(),
            name: p.name.as_ref().map(|n| n.as_str().to_owned()),
            display_name: p.display_name().to_owned(),
            updated_at: p.updated_at,
        }
    }
}

/// The client's new display name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateClientSettingsRequest {
    /// 1–120 characters.
    #[serde(default)]
    #[schema(required = true, example = "Harbour City Rowing Association")]
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patches_tell_null_from_absent() {
        let parse = |t: &str| serde_json::from_str::<UpdateCategoryRequest>(t).map(|r| r.description).ok();
        assert_eq!(parse(r#"{"description": null}"#), Some(Some(None)));
        assert_eq!(parse(r#"{"archived": false}"#), Some(None));
        let parse = |t: &str| serde_json::from_str::<UpdateCannedResponseRequest>(t).map(|r| r.category_id).ok();
        assert_eq!(parse(r#"{"categoryId": null}"#), Some(Some(None)));
        assert_eq!(parse(r#"{"title": "x"}"#), Some(None));
    }
}
