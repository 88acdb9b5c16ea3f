//! Canned responses and response templates: staff list them and fill them in for a ticket;
//! admins manage the shared ones, every staff user their own personal ones. Members have no
//! access at all. Filling one in sends nothing: the text goes to the reply editor.

use super::Desk;
use crate::access::{self, Action, Actor};
use crate::canned::{CannedBody, CannedFilter, CannedResponse, CannedTitle};
use crate::error::DeskError;
use crate::ids::{CannedResponseId, CategoryId, TicketId};
use crate::template::{self, TemplateValues};
use crate::validation::FieldErrors;

/// The longest `q` a list accepts.
const MAX_QUERY_CHARS: usize = 200;

/// A new canned response as the caller sent it, unvalidated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CannedResponseInput {
    pub title: String,
    pub body: String,
    pub category_id: Option<String>,
    /// Client-wide (admins only) rather than the caller's personal one.
    pub shared: bool,
}

/// The fields to change; `None` leaves a field as it is, `category_id: Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CannedResponsePatch {
    pub title: Option<String>,
    pub body: Option<String>,
    pub category_id: Option<Option<String>>,
}

impl Desk {
    /// The shared canned responses and the caller's personal ones, by title; narrowed to a
    /// category (`category_id`) and to a text found in the title or body (`q`).
    pub async fn list_canned_responses(
        &self,
        actor: &Actor,
        category_id: Option<&str>,
        q: Option<&str>,
    ) -> Result<Vec<CannedResponse>, DeskError> {
        access::authorize(actor, Action::UseCannedResponses)?;
        let mut errors = FieldErrors::new();
        let mut filter = CannedFilter::default();
        if let Some(value) = category_id.map(str::trim).filter(|v| !v.is_empty()) {
            filter.category_id =
                errors.check("categoryId", value.parse::<CategoryId>().map_err(|_| "must be a UUID".to_owned()));
        }
        if let Some(text) = q.map(str::trim).filter(|v| !v.is_empty()) {
            if text.chars().count() > MAX_QUERY_CHARS {
                errors.add("q", format!("must be at most {MAX_QUERY_CHARS} characters"));
            }
            filter.text = Some(text.to_lowercase());
        }
        errors.into_result()?;
        Ok(self.canned_responses.list_canned_responses(&actor.client_id, &actor.user_id, &filter).await?)
    }

    /// One canned response: shared, or the caller's own.
    pub async fn get_canned_response(&self, actor: &Actor, id: CannedResponseId) -> Result<CannedResponse, DeskError> {
        access::authorize(actor, Action::UseCannedResponses)?;
        let canned = self.load_canned(actor, id).await?;
        if !canned.is_shared() && canned.owner_id.as_ref() != Some(&actor.user_id) {
            return Err(someone_elses());
        }
        Ok(canned)
    }

    /// Saves a new canned response: the caller's personal one, or a shared one (admins only).
    /// The body is checked as a template: an unknown placeholder is a 422 naming it.
    pub async fn create_canned_response(
        &self,
        actor: &Actor,
        input: CannedResponseInput,
    ) -> Result<CannedResponse, DeskError> {
        access::authorize(actor, Action::ManagePersonalCannedResponses)?;
        if input.shared {
            access::authorize(actor, Action::ManageSharedCannedResponses)?;
        }
        let mut errors = FieldErrors::new();
        let title = errors.check("title", CannedTitle::new(&input.title));
        let body = errors.check("body", CannedBody::new(&input.body));
        let category_id = match input.category_id.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            Some(value) => self.usable_category(actor, value, None, &mut errors).await?,
            None => None,
        };
        let (Some(title), Some(body)) = (title, body) else { return Err(DeskError::Validation(errors)) };
        errors.into_result()?;
        let now = self.clock.now();
        let canned = CannedResponse {
            id: CannedResponseId::new(),
            client_id: actor.client_id.clone(),
            owner_id: if input.shared { None } else { Some(actor.user_id.clone()) },
            title,
            body,
            category_id,
            created_at: now,
            updated_at: now,
        };
        self.canned_responses.insert_canned_response(&canned).await?;
        Ok(canned)
    }

    /// Edits a canned response: admins the shared ones, everyone their own personal ones.
    pub async fn update_canned_response(
        &self,
        actor: &Actor,
        id: CannedResponseId,
        patch: CannedResponsePatch,
    ) -> Result<CannedResponse, DeskError> {
        access::authorize(actor, Action::ManagePersonalCannedResponses)?;
        let current = self.load_canned(actor, id).await?;
        authorize_change(actor, &current)?;
        if patch.title.is_none() && patch.body.is_none() && patch.category_id.is_none() {
            return Err(FieldErrors::single("body", "must set at least one of title, body, categoryId").into());
        }
        let mut errors = FieldErrors::new();
        let mut canned = current.clone();
        if let Some(title) = patch.title.as_deref().and_then(|t| errors.check("title", CannedTitle::new(t))) {
            canned.title = title;
        }
        if let Some(body) = patch.body.as_deref().and_then(|b| errors.check("body", CannedBody::new(b))) {
            canned.body = body;
        }
        match &patch.category_id {
            Some(Some(value)) if !value.trim().is_empty() => {
                canned.category_id =
                    self.usable_category(actor, value.trim(), current.category_id, &mut errors).await?;
            }
            Some(_) => canned.category_id = None,
            None => {}
        }
        errors.into_result()?;
        if canned == current {
            return Ok(current);
        }
        canned.updated_at = self.clock.now();
        if !self.canned_responses.update_canned_response(&canned).await? {
            return Err(DeskError::NotFound("canned response"));
        }
        Ok(canned)
    }

    /// Deletes a canned response: admins the shared ones, everyone their own personal ones.
    pub async fn delete_canned_response(&self, actor: &Actor, id: CannedResponseId) -> Result<(), DeskError> {
        access::authorize(actor, Action::ManagePersonalCannedResponses)?;
        let current = self.load_canned(actor, id).await?;
        authorize_change(actor, &current)?;
        if !self.canned_responses.delete_canned_response(&actor.client_id, id).await? {
            return Err(DeskError::NotFound("canned response"));
        }
        Ok(())
    }

    /// Fills a canned response in for a ticket, for the reply editor: the member's and the
    /// calling agent's names, the ticket's number, subject and status, the client's name.
    /// Nothing is sent or stored.
    pub async fn render_canned_response(
        &self,
        actor: &Actor,
        ticket_id: TicketId,
        id: CannedResponseId,
    ) -> Result<String, DeskError> {
        access::authorize(actor, Action::UseCannedResponses)?;
        let ticket = self.load_for(actor, ticket_id, Action::ViewTicket).await?;
        let canned = self.get_canned_response(actor, id).await?;
        let profile = self.clients.get_client_profile(&actor.client_id).await?;
        let values = TemplateValues::new(&ticket, actor, profile.display_name());
        // A stored body was validated when saved; should one not be (edited in the database),
        // say which placeholder is wrong rather than fail opaquely.
        template::render(canned.body.as_str(), &values)
            .map_err(|e| DeskError::Validation(FieldErrors::single("body", e.to_string())))
    }

    async fn load_canned(&self, actor: &Actor, id: CannedResponseId) -> Result<CannedResponse, DeskError> {
        self.canned_responses
            .get_canned_response(&actor.client_id, id)
            .await?
            .ok_or(DeskError::NotFound("canned response"))
    }

    /// A category of the client that a canned response may point at: an active one, or the
    /// one it already has (archived or not).
    async fn usable_category(
        &self,
        actor: &Actor,
        value: &str,
        current: Option<CategoryId>,
        errors: &mut FieldErrors,
    ) -> Result<Option<CategoryId>, DeskError> {
        match value.parse::<CategoryId>() {
            Ok(id) if Some(id) == current => Ok(Some(id)),
            Ok(id) if self.tickets.category_usable(&actor.client_id, id).await? => Ok(Some(id)),
            Ok(_) => {
                errors.add("categoryId", "is not an active category of this desk");
                Ok(None)
            }
            Err(_) => {
                errors.add("categoryId", "must be a UUID");
                Ok(None)
            }
        }
    }
}

fn someone_elses() -> DeskError {
    DeskError::Forbidden("use another staff user's personal canned response".into())
}

/// Shared ones are the admins'; a personal one is its owner's alone.
fn authorize_change(actor: &Actor, canned: &CannedResponse) -> Result<(), DeskError> {
    match &canned.owner_id {
        None => access::authorize(actor, Action::ManageSharedCannedResponses),
        Some(owner) if *owner == actor.user_id => Ok(()),
        Some(_) => Err(DeskError::Forbidden("change another staff user's personal canned response".into())),
    }
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
    use chrono::Utc;
    use futures::executor::block_on;
    use std::sync::Arc;

    fn actor(user: &str, role: Role) -> Actor {
        Actor::new(UserId::new(user), ClientId::new("c"), "N".into(), "n@example.org".into(), vec![role])
            .unwrap_or_else(|| unreachable!())
    }

    fn canned(owner: Option<&str>) -> CannedResponse {
        CannedResponse {
            id: CannedResponseId::new(),
            client_id: ClientId::new("c"),
            owner_id: owner.map(UserId::new),
            title: CannedTitle::new("Welcome").unwrap_or_else(|_| unreachable!()),
            body: CannedBody::new("Hi {{member.firstName}}").unwrap_or_else(|_| unreachable!()),
            category_id: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn desk(store: MockCannedResponseStore) -> Desk {
        Desk::new(DeskPorts {
            tickets: Arc::new(MockTicketStore::new()),
            users: Arc::new(MockUserDirectory::new()),
            clock: Arc::new(FixedClock::new(Utc::now())),
            categories: Arc::new(MockCategoryStore::new()),
            canned_responses: Arc::new(store),
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

    fn input(shared: bool) -> CannedResponseInput {
        CannedResponseInput { title: "Welcome".into(), body: "Hi {{member.name}}".into(), category_id: None, shared }
    }

    #[test]
    fn members_may_do_nothing() {
        let desk = desk(MockCannedResponseStore::new());
        let member = actor("m", Role::Member);
        assert!(matches!(block_on(desk.list_canned_responses(&member, None, None)), Err(DeskError::Forbidden(_))));
        assert!(matches!(block_on(desk.create_canned_response(&member, input(false))), Err(DeskError::Forbidden(_))));
        assert!(matches!(
            block_on(desk.render_canned_response(&member, TicketId::new(), CannedResponseId::new())),
            Err(DeskError::Forbidden(_))
        ));
    }

    #[test]
    fn users_keep_personal_ones_and_admins_shared_ones() {
        let mut store = MockCannedResponseStore::new();
        store.expect_insert_canned_response().times(2).returning(|_| Ok(()));
        let desk = desk(store);
        let user = actor("u", Role::ClientUser);
        assert!(matches!(block_on(desk.create_canned_response(&user, input(true))), Err(DeskError::Forbidden(_))));
        let personal = block_on(desk.create_canned_response(&user, input(false)));
        assert_eq!(personal.ok().and_then(|c| c.owner_id), Some(UserId::new("u")));
        let shared = block_on(desk.create_canned_response(&actor("a", Role::ClientAdmin), input(true)));
        assert_eq!(shared.map(|c| c.owner_id).ok(), Some(None));
    }

    #[test]
    fn someone_elses_personal_one_is_forbidden_even_to_admins() {
        let theirs = canned(Some("someone"));
        let mut store = MockCannedResponseStore::new();
        store.expect_get_canned_response().returning(move |_, _| Ok(Some(theirs.clone())));
        store.expect_update_canned_response().never();
        store.expect_delete_canned_response().never();
        let desk = desk(store);
        for who in [actor("a", Role::ClientAdmin), actor("u", Role::ClientUser)] {
            let id = CannedResponseId::new();
            let patch = CannedResponsePatch { title: Some("Mine now".into()), ..Default::default() };
            assert!(matches!(block_on(desk.update_canned_response(&who, id, patch)), Err(DeskError::Forbidden(_))));
            assert!(matches!(block_on(desk.delete_canned_response(&who, id)), Err(DeskError::Forbidden(_))));
            assert!(matches!(block_on(desk.get_canned_response(&who, id)), Err(DeskError::Forbidden(_))));
        }
    }

    #[test]
    fn users_may_not_change_shared_ones() {
        let shared = canned(None);
        let mut store = MockCannedResponseStore::new();
        store.expect_get_canned_response().returning(move |_, _| Ok(Some(shared.clone())));
        store.expect_delete_canned_response().never();
        let desk = desk(store);
        let user = actor("u", Role::ClientUser);
        assert!(block_on(desk.get_canned_response(&user, CannedResponseId::new())).is_ok());
        assert!(matches!(
            block_on(desk.delete_canned_response(&user, CannedResponseId::new())),
            Err(DeskError::Forbidden(_))
        ));
    }

    #[test]
    fn an_unknown_placeholder_is_refused_at_save_time() {
        let desk = desk(MockCannedResponseStore::new());
        let mut bad = input(false);
        bad.body = "Dear {{member.title}} {{member.name}}".into();
        match block_on(desk.create_canned_response(&actor("u", Role::ClientUser), bad)) {
            Err(DeskError::Validation(errors)) => {
                assert!(errors.get("body").unwrap_or_default().contains("{{member.title}}"));
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
}
