//! Ticket categories: everyone lists them (members the active ones, in order, for their ticket
//! form); only admins create, edit, order, archive and unarchive them.

use super::Desk;
use crate::access::{self, Action, Actor};
use crate::category::{self, Category, CategoryName};
use crate::error::{DeskError, StoreError};
use crate::ids::CategoryId;
use crate::validation::FieldErrors;
use std::collections::BTreeSet;

/// A new category as the caller sent it, unvalidated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CategoryInput {
    pub name: String,
    pub description: Option<String>,
}

/// The fields to change; `None` leaves a field as it is. `description: Some(None)` clears it;
/// `archived: Some(false)` unarchives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CategoryPatch {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub archived: Option<bool>,
}

impl Desk {
    /// The client's categories in picker order. Members always get the active ones only;
    /// staff get the archived ones too when they ask (`include_archived`).
    pub async fn list_categories(&self, actor: &Actor, include_archived: bool) -> Result<Vec<Category>, DeskError> {
        access::authorize(actor, Action::ViewCategories)?;
        let include_archived = include_archived && actor.is_staff();
        let mut categories = self.categories.list_categories(&actor.client_id, include_archived).await?;
        category::sort_for_display(&mut categories);
        Ok(categories)
    }

    /// One category: staff any of the client's, members only an active one.
    pub async fn get_category(&self, actor: &Actor, id: CategoryId) -> Result<Category, DeskError> {
        access::authorize(actor, Action::ViewCategories)?;
        match self.categories.get_category(&actor.client_id, id).await? {
            Some(category) if actor.is_staff() || !category.archived => Ok(category),
            _ => Err(DeskError::NotFound("category")),
        }
    }

    /// Adds a category at the end of the order (admins only).
    pub async fn create_category(&self, actor: &Actor, input: CategoryInput) -> Result<Category, DeskError> {
        access::authorize(actor, Action::ManageCategories)?;
        let mut errors = FieldErrors::new();
        let name = errors.check("name", CategoryName::new(&input.name));
        let description = match input.description.as_deref() {
            Some(text) => errors.check("description", category::parse_description(text)).flatten(),
            None => None,
        };
        let Some(name) = name else { return Err(DeskError::Validation(errors)) };
        errors.into_result()?;
        self.refuse_taken_name(actor, &name, None).await?;

        let now = self.clock.now();
        let new = Category {
            id: CategoryId::new(),
            client_id: actor.client_id.clone(),
            name,
            description,
            sort_order: 0,
            archived: false,
            created_at: now,
            updated_at: now,
        };
        let name = new.name.clone();
        match self.categories.insert_category(new).await {
            Ok(stored) => Ok(stored),
            Err(StoreError::Duplicate(rule)) if rule == "category" => Err(name_taken(&name, false)),
            Err(other) => Err(other.into()),
        }
    }

    /// Renames, describes, archives or unarchives a category (admins only). Archiving keeps
    /// every ticket and its category; the category only leaves the picker and new tickets.
    pub async fn update_category(
        &self,
        actor: &Actor,
        id: CategoryId,
        patch: CategoryPatch,
    ) -> Result<Category, DeskError> {
        access::authorize(actor, Action::ManageCategories)?;
        if patch.name.is_none() && patch.description.is_none() && patch.archived.is_none() {
            return Err(FieldErrors::single("body", "must set at least one of name, description, archived").into());
        }
        let mut errors = FieldErrors::new();
        let name = match patch.name.as_deref() {
            Some(value) => errors.check("name", CategoryName::new(value)),
            None => None,
        };
        let description = match &patch.description {
            Some(Some(text)) => errors.check("description", category::parse_description(text)),
            Some(None) => Some(None),
            None => None,
        };
        errors.into_result()?;

        let current =
            self.categories.get_category(&actor.client_id, id).await?.ok_or(DeskError::NotFound("category"))?;
        let mut category = current.clone();
        if let Some(name) = name {
            if name.key() != current.name.key() {
                self.refuse_taken_name(actor, &name, Some(id)).await?;
            }
            category.name = name;
        }
        if let Some(description) = description {
            category.description = description;
        }
        if let Some(archived) = patch.archived {
            category.archived = archived;
        }
        if category == current {
            return Ok(current);
        }
        category.updated_at = self.clock.now();
        match self.categories.update_category(&category).await {
            Ok(true) => Ok(category),
            Ok(false) => Err(DeskError::NotFound("category")),
            Err(StoreError::Duplicate(rule)) if rule == "category" => Err(name_taken(&category.name, false)),
            Err(other) => Err(other.into()),
        }
    }

    /// Archives a category (admins only); archiving an archived category changes nothing.
    pub async fn archive_category(&self, actor: &Actor, id: CategoryId) -> Result<Category, DeskError> {
        self.update_category(actor, id, CategoryPatch { archived: Some(true), ..CategoryPatch::default() }).await
    }

    /// Sets the order of all the client's categories at once (admins only). `ids` must list
    /// every category of the client — archived ones included — exactly once.
    pub async fn reorder_categories(&self, actor: &Actor, ids: &[String]) -> Result<Vec<Category>, DeskError> {
        access::authorize(actor, Action::ManageCategories)?;
        let mut order = Vec::with_capacity(ids.len());
        let mut seen = BTreeSet::new();
        for (index, raw) in ids.iter().enumerate() {
            let Ok(id) = raw.trim().parse::<CategoryId>() else {
                return Err(FieldErrors::single("ids", format!("item {} (`{raw}`) is not a UUID", index + 1)).into());
            };
            if !seen.insert(id) {
                return Err(FieldErrors::single("ids", format!("lists {id} more than once")).into());
            }
            order.push(id);
        }
        let existing: BTreeSet<CategoryId> =
            self.categories.list_categories(&actor.client_id, true).await?.iter().map(|c| c.id).collect();
        let unknown: Vec<String> = seen.difference(&existing).map(ToString::to_string).collect();
        let missing: Vec<String> = existing.difference(&seen).map(ToString::to_string).collect();
        if !unknown.is_empty() || !missing.is_empty() {
            let mut problems = Vec::new();
            if !unknown.is_empty() {
                problems.push(format!("not categories of this desk: {}", unknown.join(", ")));
            }
            if !missing.is_empty() {
                problems.push(format!("missing: {}", missing.join(", ")));
            }
            return Err(FieldErrors::single(
                "ids",
                format!(
                    "must list every category of this desk (archived ones too) exactly once; {}",
                    problems.join("; ")
                ),
            )
            .into());
        }
        self.categories.reorder_categories(&actor.client_id, &order, self.clock.now()).await?;
        self.list_categories(actor, true).await
    }

    /// A 409 on `name` when another category of the client has the same name key.
    async fn refuse_taken_name(
        &self,
        actor: &Actor,
        name: &CategoryName,
        except: Option<CategoryId>,
    ) -> Result<(), DeskError> {
        let key = name.key();
        let all = self.categories.list_categories(&actor.client_id, true).await?;
        match all.iter().find(|c| Some(c.id) != except && c.name.key() == key) {
            Some(taken) => Err(name_taken(&taken.name, taken.archived)),
            None => Ok(()),
        }
    }
}

fn name_taken(name: &CategoryName, archived: bool) -> DeskError {
    let message = if archived {
        format!("an archived category is already named \"{}\"; unarchive it instead", name.as_str())
    } else {
        format!("a category named \"{}\" already exists", name.as_str())
    };
    DeskError::Conflict(FieldErrors::single("name", message))
}

#[cfg(all(test, feature = "mocks"))]
mod tests {
    use super::*;
    use crate::access::Role;
    use crate::clock::FixedClock;
    use crate::ids::{ClientId, UserId};
    use crate::ports::{
        MockCannedResponseStore, MockCategoryStore, MockClientStore, MockTicketStore, MockUserDirectory,
    };
    use crate::usecases::DeskPorts;
    use chrono::{TimeZone, Utc};
    use futures::executor::block_on;
    use std::sync::Arc;

    fn actor(role: Role) -> Actor {
        Actor::new(UserId::new("u"), ClientId::new("c"), "N".into(), "n@example.org".into(), vec![role])
            .unwrap_or_else(|| unreachable!())
    }

    fn category(name: &str, archived: bool) -> Category {
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_default();
        Category {
            id: CategoryId::new(),
            client_id: ClientId::new("c"),
            name: CategoryName::new(name).unwrap_or_else(|_| unreachable!()),
            description: None,
            sort_order: 0,
            archived,
            created_at: at,
            updated_at: at,
        }
    }

    fn desk(categories: MockCategoryStore) -> Desk {
        Desk::new(DeskPorts {
            tickets: Arc::new(MockTicketStore::new()),
            users: Arc::new(MockUserDirectory::new()),
            clock: Arc::new(FixedClock::new(Utc::now())),
            categories: Arc::new(categories),
            canned_responses: Arc::new(MockCannedResponseStore::new()),
            clients: Arc::new(MockClientStore::new()),
            attachments: Arc::new(crate::ports::MockAttachmentStorage::new()),
            outbox: Arc::new(crate::notify::ports::MockOutboxStore::new()),
            crm: Arc::new(crate::notify::ports::MockCrmStore::new()),
            sla: Arc::new(crate::ports::MockSlaStore::new()),
            assignment: Arc::new(crate::assignment_ports::NoAssignment),
            summaries: Arc::new(crate::ai_ports::NoSummaries),
            ai: Arc::new(crate::ai_ports::NoAiStore),
            knowledge: Arc::new(crate::kb_ports::NoKnowledgeBase),
        })
    }

    #[test]
    fn only_admins_manage_and_nothing_is_touched_otherwise() {
        // No expectations: any store call would panic.
        let desk = desk(MockCategoryStore::new());
        for role in [Role::ClientUser, Role::Member] {
            let a = actor(role);
            let input = CategoryInput { name: "Billing".into(), description: None };
            assert!(matches!(block_on(desk.create_category(&a, input)), Err(DeskError::Forbidden(_))));
            assert!(matches!(block_on(desk.archive_category(&a, CategoryId::new())), Err(DeskError::Forbidden(_))));
            assert!(matches!(block_on(desk.reorder_categories(&a, &[])), Err(DeskError::Forbidden(_))));
        }
    }

    #[test]
    fn members_never_get_archived_categories() {
        let mut store = MockCategoryStore::new();
        store.expect_list_categories().withf(|_, include| !include).times(1).returning(|_, _| Ok(vec![]));
        let desk = desk(store);
        assert!(block_on(desk.list_categories(&actor(Role::Member), true)).is_ok());
    }

    #[test]
    fn a_taken_name_is_a_conflict_on_name_whatever_its_case() {
        let mut store = MockCategoryStore::new();
        store.expect_list_categories().returning(|_, _| Ok(vec![category("Billing", false), category("Old", true)]));
        store.expect_insert_category().never();
        let desk = desk(store);
        let admin = actor(Role::ClientAdmin);
        for (name, archived) in [(" BILLING ", false), ("old", true)] {
            let input = CategoryInput { name: name.into(), description: None };
            match block_on(desk.create_category(&admin, input)) {
                Err(DeskError::Conflict(errors)) => {
                    let message = errors.get("name").unwrap_or_default();
                    assert_eq!(message.contains("unarchive"), archived, "{message}");
                }
                other => panic!("expected a conflict, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_race_lost_to_the_unique_rule_is_a_conflict_too() {
        let mut store = MockCategoryStore::new();
        store.expect_list_categories().returning(|_, _| Ok(vec![]));
        store.expect_insert_category().returning(|_| Err(StoreError::Duplicate("category".into())));
        let desk = desk(store);
        let input = CategoryInput { name: "Billing".into(), description: None };
        assert!(matches!(
            block_on(desk.create_category(&actor(Role::ClientAdmin), input)),
            Err(DeskError::Conflict(e)) if e.get("name").is_some()
        ));
    }

    #[test]
    fn invalid_names_are_validation_errors() {
        let desk = desk(MockCategoryStore::new());
        for name in ["", "   ", &"x".repeat(81)] {
            let input = CategoryInput { name: name.into(), description: None };
            assert!(matches!(
                block_on(desk.create_category(&actor(Role::ClientAdmin), input)),
                Err(DeskError::Validation(e)) if e.get("name").is_some()
            ));
        }
    }

    #[test]
    fn reordering_needs_every_category_exactly_once() {
        let (a, b) = (category("A", false), category("B", true));
        let (a_id, b_id) = (a.id.to_string(), b.id.to_string());
        let mut store = MockCategoryStore::new();
        let all = vec![a, b];
        store.expect_list_categories().returning(move |_, _| Ok(all.clone()));
        store.expect_reorder_categories().times(1).returning(|_, _, _| Ok(()));
        let desk = desk(store);
        let admin = actor(Role::ClientAdmin);
        let refused = |ids: Vec<String>| matches!(block_on(desk.reorder_categories(&admin, &ids)), Err(DeskError::Validation(e)) if e.get("ids").is_some());
        assert!(refused(vec![a_id.clone()]), "missing one");
        assert!(refused(vec![a_id.clone(), b_id.clone(), CategoryId::new().to_string()]), "an unknown one");
        assert!(refused(vec![a_id.clone(), a_id.clone(), b_id.clone()]), "a repeat");
        assert!(refused(vec![a_id.clone(), "nope".into()]), "not a UUID");
        assert!(block_on(desk.reorder_categories(&admin, &[b_id, a_id])).is_ok());
    }
}
