//! Who may do what: the specification's capability matrix, extended to members.
//!
//! | action                              | admin | user | member            |
//! |-------------------------------------|-------|------|-------------------|
//! | create a ticket                     | yes   | yes  | own               |
//! | view / list tickets                 | all   | all  | own only          |
//! | reply                               | yes   | yes  | own tickets       |
//! | internal note                       | yes   | yes  | no                |
//! | change status                       | yes   | yes  | close own only    |
//! | assign / unassign                   | yes   | no   | no                |
//! | change priority                     | yes   | no   | no                |
//! | edit subject/description/category   | yes   | yes  | no                |
//! | queue statistics, agents list       | yes   | yes  | no                |
//! | ticket history                      | yes   | yes  | own, without notes|
//! | list categories                     | all   | all  | active only       |
//! | create/edit/order/archive categories| yes   | no   | no                |
//! | list/use canned responses           | yes   | yes  | no                |
//! | personal canned responses (own)     | yes   | yes  | no                |
//! | shared canned responses             | yes   | no   | no                |
//! | view client settings                | yes   | yes  | no                |
//! | change client settings              | yes   | no   | no                |
//! | outbox (list, retry), CRM settings  | yes   | no   | no                |
//! | knowledge base: list, read, search  | yes   | yes  | no (404 on one)   |
//! | knowledge base: write, publish      | yes   | no   | no                |
//!
//! A ticket of another client — or, for a member, another member's ticket — is reported as
//! not found, so its existence is never revealed.

use crate::error::DeskError;
use crate::ids::{ClientId, UserId};
use crate::ticket::{Status, Ticket};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    #[serde(rename = "ROLE_CLIENT_ADMIN")]
    ClientAdmin,
    #[serde(rename = "ROLE_CLIENT_USER")]
    ClientUser,
    #[serde(rename = "ROLE_MEMBER")]
    Member,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::ClientAdmin, Role::ClientUser, Role::Member];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::ClientAdmin => "ROLE_CLIENT_ADMIN",
            Role::ClientUser => "ROLE_CLIENT_USER",
            Role::Member => "ROLE_MEMBER",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == value)
    }
}

/// The user id the desk itself acts under (the SLA worker's events). No [`Actor`] has it: a
/// token whose `sub` is this id is refused like a token without a role, so nobody can act as,
/// or pass for, the desk.
pub const SYSTEM_USER_ID: &str = "system";
/// The name shown for the desk's own history entries.
pub const SYSTEM_USER_NAME: &str = "memberdesk";

/// The person behind a request, as the token says. Built only by the auth adapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub client_id: ClientId,
    pub name: String,
    pub email: String,
    roles: Vec<Role>,
}

impl Actor {
    /// An actor needs at least one known role; unknown role names are dropped by the caller.
    /// The desk's own id ([`SYSTEM_USER_ID`]) is no actor.
    pub fn new(user_id: UserId, client_id: ClientId, name: String, email: String, roles: Vec<Role>) -> Option<Actor> {
        if roles.is_empty() || user_id.as_str() == SYSTEM_USER_ID {
            return None;
        }
        Some(Actor { user_id, client_id, name, email, roles })
    }

    /// The desk itself acting for `client_id` (automatic summary regeneration): staff without
    /// admin rights, under [`SYSTEM_USER_ID`]. Only the domain makes one; no token can.
    pub(crate) fn system(client_id: ClientId) -> Actor {
        Actor {
            user_id: UserId::new(SYSTEM_USER_ID),
            client_id,
            name: SYSTEM_USER_NAME.to_owned(),
            email: String::new(),
            roles: vec![Role::ClientUser],
        }
    }

    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn is_admin(&self) -> bool {
        self.has(Role::ClientAdmin)
    }

    /// Support staff of the client: ROLE_CLIENT_ADMIN or ROLE_CLIENT_USER.
    pub fn is_staff(&self) -> bool {
        self.is_admin() || self.has(Role::ClientUser)
    }

    /// The highest role held; a token with several roles acts with the strongest.
    pub fn primary_role(&self) -> Role {
        if self.is_admin() {
            Role::ClientAdmin
        } else if self.is_staff() {
            Role::ClientUser
        } else {
            Role::Member
        }
    }
}

/// Everything the access matrix rules on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    CreateTicket,
    ViewTicket,
    Reply,
    AddNote,
    ChangeStatus(Status),
    Assign,
    ChangePriority,
    EditTicket,
    ViewHistory,
    ViewQueueStats,
    ListAgents,
    ViewCategories,
    ManageCategories,
    /// List canned responses and render them for a ticket.
    UseCannedResponses,
    /// Create, edit and delete one's own personal canned responses.
    ManagePersonalCannedResponses,
    /// Create, edit and delete the client-wide (shared) canned responses.
    ManageSharedCannedResponses,
    ViewClientSettings,
    ManageClientSettings,
    /// See and retry the client's outbox; read and change its CRM settings.
    ManageNotifications,
    /// List, read and search the knowledge base's articles.
    ViewKnowledgeBase,
    /// Create, edit, publish and delete knowledge-base articles.
    ManageKnowledgeBase,
}

impl Action {
    fn describe(self) -> &'static str {
        match self {
            Action::CreateTicket => "create tickets",
            Action::ViewTicket => "view this ticket",
            Action::Reply => "reply to this ticket",
            Action::AddNote => "add internal notes",
            Action::ChangeStatus(_) => "change the status of this ticket",
            Action::Assign => "assign tickets",
            Action::ChangePriority => "change ticket priority",
            Action::EditTicket => "edit tickets",
            Action::ViewHistory => "view this ticket's history",
            Action::ViewQueueStats => "view queue statistics",
            Action::ListAgents => "list agents",
            Action::ViewCategories => "list ticket categories",
            Action::ManageCategories => "manage ticket categories",
            Action::UseCannedResponses => "use canned responses",
            Action::ManagePersonalCannedResponses => "manage canned responses",
            Action::ManageSharedCannedResponses => "manage shared canned responses",
            Action::ViewClientSettings => "view the desk's settings",
            Action::ManageClientSettings => "change the desk's settings",
            Action::ManageNotifications => "manage notifications and CRM settings",
            Action::ViewKnowledgeBase => "use the knowledge base",
            Action::ManageKnowledgeBase => "manage knowledge-base articles",
        }
    }
}

/// May `actor` do `action` at all, whatever the ticket? (role rules only)
pub fn role_allows(actor: &Actor, action: Action) -> bool {
    match actor.primary_role() {
        Role::ClientAdmin => true,
        Role::ClientUser => !matches!(
            action,
            Action::Assign
                | Action::ChangePriority
                | Action::ManageCategories
                | Action::ManageSharedCannedResponses
                | Action::ManageClientSettings
                | Action::ManageNotifications
                | Action::ManageKnowledgeBase
        ),
        Role::Member => matches!(
            action,
            Action::CreateTicket
                | Action::ViewTicket
                | Action::Reply
                | Action::ChangeStatus(Status::Closed)
                | Action::ViewHistory
                | Action::ViewCategories
        ),
    }
}

/// Can the actor see this ticket at all? Tenancy first, then a member's own tickets only.
pub fn can_see(actor: &Actor, ticket: &Ticket) -> bool {
    ticket.client_id == actor.client_id && (actor.is_staff() || ticket.member.id == actor.user_id)
}

/// Rules on an action that needs no ticket (creating, queue statistics, agents).
pub fn authorize(actor: &Actor, action: Action) -> Result<(), DeskError> {
    if role_allows(actor, action) {
        Ok(())
    } else {
        Err(DeskError::Forbidden(format!("your role may not {}", action.describe())))
    }
}

/// Rules on an action on a ticket. A ticket the actor may not see is `NotFound`, never
/// `Forbidden`, so that its existence does not leak.
pub fn authorize_on(actor: &Actor, action: Action, ticket: &Ticket) -> Result<(), DeskError> {
    if !can_see(actor, ticket) {
        return Err(DeskError::NotFound("ticket"));
    }
    authorize(actor, action)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_fixtures::{actor, ticket};
    use proptest::prelude::*;

    const ACTIONS: [Action; 25] = [
        Action::CreateTicket,
        Action::ViewTicket,
        Action::Reply,
        Action::AddNote,
        Action::ChangeStatus(Status::Open),
        Action::ChangeStatus(Status::InProgress),
        Action::ChangeStatus(Status::Waiting),
        Action::ChangeStatus(Status::Resolved),
        Action::ChangeStatus(Status::Closed),
        Action::Assign,
        Action::ChangePriority,
        Action::EditTicket,
        Action::ViewHistory,
        Action::ViewQueueStats,
        Action::ListAgents,
        Action::ViewCategories,
        Action::ManageCategories,
        Action::UseCannedResponses,
        Action::ManagePersonalCannedResponses,
        Action::ManageSharedCannedResponses,
        Action::ViewClientSettings,
        Action::ManageClientSettings,
        Action::ManageNotifications,
        Action::ViewKnowledgeBase,
        Action::ManageKnowledgeBase,
    ];

    /// The matrix of the issue, written out row by row: (action, admin, user, member).
    #[test]
    fn matrix_matches_the_specification() {
        use Action::*;
        let rows: [(Action, bool, bool, bool); ACTIONS.len()] = [
            (CreateTicket, true, true, true),
            (ViewTicket, true, true, true),
            (Reply, true, true, true),
            (AddNote, true, true, false),
            (ChangeStatus(Status::Open), true, true, false),
            (ChangeStatus(Status::InProgress), true, true, false),
            (ChangeStatus(Status::Waiting), true, true, false),
            (ChangeStatus(Status::Resolved), true, true, false),
            (ChangeStatus(Status::Closed), true, true, true),
            (Assign, true, false, false),
            (ChangePriority, true, false, false),
            (EditTicket, true, true, false),
            (ViewHistory, true, true, true),
            (ViewQueueStats, true, true, false),
            (ListAgents, true, true, false),
            (ViewCategories, true, true, true),
            (ManageCategories, true, false, false),
            (UseCannedResponses, true, true, false),
            (ManagePersonalCannedResponses, true, true, false),
            (ManageSharedCannedResponses, true, false, false),
            (ViewClientSettings, true, true, false),
            (ManageClientSettings, true, false, false),
            (ManageNotifications, true, false, false),
            (ViewKnowledgeBase, true, true, false),
            (ManageKnowledgeBase, true, false, false),
        ];
        // Every action has its row.
        for action in ACTIONS {
            assert!(rows.iter().any(|(a, ..)| *a == action), "no row for {action:?}");
        }
        for (action, admin, user, member) in rows {
            assert_eq!(role_allows(&actor("c", "a", Role::ClientAdmin), action), admin, "admin {action:?}");
            assert_eq!(role_allows(&actor("c", "u", Role::ClientUser), action), user, "user {action:?}");
            assert_eq!(role_allows(&actor("c", "m", Role::Member), action), member, "member {action:?}");
        }
    }

    #[test]
    fn members_see_only_their_own_tickets() {
        let own = ticket("c", "m");
        let other = ticket("c", "someone-else");
        let member = actor("c", "m", Role::Member);
        assert!(authorize_on(&member, Action::ViewTicket, &own).is_ok());
        assert!(matches!(authorize_on(&member, Action::ViewTicket, &other), Err(DeskError::NotFound(_))));
        assert!(matches!(authorize_on(&member, Action::AddNote, &own), Err(DeskError::Forbidden(_))));
    }

    #[test]
    fn a_token_with_no_known_role_is_no_actor() {
        assert!(Actor::new(UserId::new("x"), ClientId::new("c"), "n".into(), "e".into(), vec![]).is_none());
    }

    #[test]
    fn nobody_acts_as_the_desk_itself() {
        let system = Actor::new(
            UserId::new(SYSTEM_USER_ID),
            ClientId::new("c"),
            "n".into(),
            "e".into(),
            vec![Role::ClientAdmin],
        );
        assert!(system.is_none());
    }

    fn any_role() -> impl Strategy<Value = Role> {
        prop::sample::select(Role::ALL.to_vec())
    }

    proptest! {
        /// Another client's ticket is not found for every role and every action.
        #[test]
        fn another_clients_ticket_is_always_not_found(role in any_role(), index in 0usize..ACTIONS.len()) {
            let foreign = ticket("other-client", "m");
            let result = authorize_on(&actor("c", "m", role), ACTIONS[index], &foreign);
            prop_assert!(matches!(result, Err(DeskError::NotFound(_))));
        }

        /// Extra roles never take rights away: admin+member acts as an admin.
        #[test]
        fn the_strongest_role_wins(index in 0usize..ACTIONS.len()) {
            let both = Actor::new(UserId::new("a"), ClientId::new("c"), "n".into(), "e".into(), vec![Role::Member, Role::ClientAdmin])
                .unwrap_or_else(|| unreachable!());
            prop_assert!(role_allows(&both, ACTIONS[index]));
        }
    }
}
