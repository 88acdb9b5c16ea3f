//! The demo desk: the Harbour City Rowing Association, its admin, two staff users, twelve
//! members and about sixty realistic support tickets.
//!
//! Everything is written through the domain's use cases ([`memberdesk_domain::Desk`]), never
//! into a store directly, so the demo data obeys exactly the rules real traffic does: access
//! checks, the workflow, history events, outbox rows and idempotency records.
//!
//! - [`demo_desk`]: the client and the identities (fixed ids, so tokens can be minted for them).
//! - [`seed`]: creates the tickets and plays their conversations, back-dated over the last six
//!   months by moving the desk's [`memberdesk_domain::FixedClock`]. Running it again adds
//!   nothing; a run that was interrupted is completed by the next one.
//! - [`demo_categories`] and [`demo_tickets`]: the categories (created by the seeder, with
//!   descriptions) and the category each demo ticket is raised in.
//! - [`demo_canned_responses`]: the shared canned responses the seeder creates.
//! - [`demo_articles`]: the published knowledge-base articles the seeder creates.
//!
//! The ticket scripts live in `tickets.rs` as one const table; `script.rs` turns a script into
//! timed use-case calls.

mod catalog;
mod knowledge;
mod script;
mod seed;
mod tickets;

use memberdesk_domain::{Actor, ClientId, DeskError, FieldErrors, Role, UserId};

pub use catalog::{DemoCannedResponse, demo_canned_responses};
pub use knowledge::{DemoArticle, demo_articles};
pub use seed::{SeedReport, seed};

/// The demo client's id (the `client_id` claim of the demo tokens).
pub const DEMO_CLIENT_ID: &str = "harbour-city-rowing";
/// The demo client's display name.
pub const DEMO_CLIENT_NAME: &str = "Harbour City Rowing Association";

/// One person of the demo desk, as the association platform's token would describe them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoIdentity {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
}

impl DemoIdentity {
    /// The actor a token for this identity produces, for the given client.
    pub fn actor(&self, client_id: &str) -> Actor {
        // `Actor::new` refuses only an empty role list, and an identity always has one role.
        Actor::new(
            UserId::new(self.user_id.as_str()),
            ClientId::new(client_id),
            self.name.clone(),
            self.email.clone(),
            vec![self.role],
        )
        .unwrap_or_else(|| unreachable!("a demo identity always has a role"))
    }

    /// The first word of the name, as people sign and greet.
    pub fn first_name(&self) -> &str {
        self.name.split_whitespace().next().unwrap_or(&self.name)
    }
}

/// The demo client and its people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoDesk {
    pub client_id: String,
    pub client_name: String,
    /// ROLE_CLIENT_ADMIN: assigns tickets and changes priorities.
    pub admin: DemoIdentity,
    /// Two ROLE_CLIENT_USER agents.
    pub staff: Vec<DemoIdentity>,
    /// Twelve members (ROLE_MEMBER) who raise the tickets.
    pub members: Vec<DemoIdentity>,
}

impl DemoDesk {
    /// Admin, then staff, then members.
    pub fn identities(&self) -> impl Iterator<Item = &DemoIdentity> {
        std::iter::once(&self.admin).chain(&self.staff).chain(&self.members)
    }

    /// The identity with this user id, if it belongs to the demo desk.
    pub fn identity(&self, user_id: &str) -> Option<&DemoIdentity> {
        self.identities().find(|i| i.user_id == user_id)
    }
}

/// (user id, name, email, job title) of the admin and the two staff users.
const ADMIN: (&str, &str, &str, &str) =
    ("hcra-admin-helen", "Helen Fraser", "helen.fraser@harbourcityrowing.example", "Club Secretary");
const STAFF: [(&str, &str, &str, &str); 2] = [
    (
        "hcra-staff-priya",
        "Priya Natarajan",
        "priya.natarajan@harbourcityrowing.example",
        "Membership & Finance Officer",
    ),
    ("hcra-staff-tom", "Tom Okafor", "tom.okafor@harbourcityrowing.example", "Boats & Coaching Coordinator"),
];
/// (user id, name, email) of the twelve members; the scripts refer to them by index.
const MEMBERS: [(&str, &str, &str); 12] = [
    ("hcra-member-01", "James Whitfield", "james.whitfield@example.com"),
    ("hcra-member-02", "Sofia Marquez", "sofia.marquez@example.com"),
    ("hcra-member-03", "Aidan O'Connell", "aidan.oconnell@example.net"),
    ("hcra-member-04", "Mei Lin Chen", "meilin.chen@example.org"),
    ("hcra-member-05", "Grace Adeyemi", "grace.adeyemi@example.com"),
    ("hcra-member-06", "Oliver Brandt", "oliver.brandt@example.net"),
    ("hcra-member-07", "Hannah Kowalski", "hannah.kowalski@example.com"),
    ("hcra-member-08", "Rahul Mehta", "rahul.mehta@example.com"),
    ("hcra-member-09", "Eilidh MacLeod", "eilidh.macleod@example.org"),
    ("hcra-member-10", "Daniel Sørensen", "daniel.sorensen@example.com"),
    ("hcra-member-11", "Chloe Dubois", "chloe.dubois@example.net"),
    ("hcra-member-12", "Marcus Reid", "marcus.reid@example.com"),
];

fn identity((user_id, name, email): (&str, &str, &str), role: Role) -> DemoIdentity {
    DemoIdentity { user_id: user_id.into(), name: name.into(), email: email.into(), role }
}

/// The demo client, its admin, two staff users and twelve members. The ids are fixed, so a
/// token minted for an identity today still works against a desk seeded yesterday.
pub fn demo_desk() -> DemoDesk {
    DemoDesk {
        client_id: DEMO_CLIENT_ID.into(),
        client_name: DEMO_CLIENT_NAME.into(),
        admin: identity((ADMIN.0, ADMIN.1, ADMIN.2), Role::ClientAdmin),
        staff: STAFF.iter().map(|s| identity((s.0, s.1, s.2), Role::ClientUser)).collect(),
        members: MEMBERS.iter().map(|m| identity(*m, Role::Member)).collect(),
    }
}

/// The ticket categories the demo scripts use, in the order a category picker would show them.
pub fn demo_categories() -> Vec<&'static str> {
    tickets::CATEGORIES.to_vec()
}

/// One scripted demo ticket, as far as other code may need to recognise it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoTicket {
    /// The idempotency key the seeder creates the ticket with (`demo-ticket-{n}`).
    pub key: String,
    pub subject: &'static str,
    /// One of [`demo_categories`].
    pub category: &'static str,
    /// The member the ticket is about.
    pub member_id: &'static str,
}

/// Every scripted ticket in creation order (oldest first), with its category.
pub fn demo_tickets() -> Vec<DemoTicket> {
    tickets::TOPICS
        .iter()
        .enumerate()
        .map(|(index, topic)| DemoTicket {
            key: script::ticket_key(index),
            subject: topic.subject,
            category: topic.category,
            member_id: MEMBERS.get(topic.member).map_or("", |m| m.0),
        })
        .collect()
}

/// The job title a staff identity signs with.
fn title_of(user_id: &str) -> &'static str {
    std::iter::once(&ADMIN).chain(&STAFF).find(|s| s.0 == user_id).map_or("Support team", |s| s.3)
}

/// An error for a script that names a person the demo desk does not have (a bug in the table).
fn unknown_person(what: &str) -> DeskError {
    DeskError::Validation(FieldErrors::single("demo", format!("the demo script names an unknown {what}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use memberdesk_domain::ticket::looks_like_email;
    use std::collections::HashSet;

    #[test]
    fn the_demo_desk_has_an_admin_two_staff_and_twelve_members() {
        let demo = demo_desk();
        assert_eq!(demo.client_id, "harbour-city-rowing");
        assert_eq!(demo.client_name, "Harbour City Rowing Association");
        assert_eq!(demo.admin.role, Role::ClientAdmin);
        assert_eq!(demo.staff.len(), 2);
        assert!(demo.staff.iter().all(|s| s.role == Role::ClientUser));
        assert_eq!(demo.members.len(), 12);
        assert!(demo.members.iter().all(|m| m.role == Role::Member));
        let ids: HashSet<&str> = demo.identities().map(|i| i.user_id.as_str()).collect();
        assert_eq!(ids.len(), 15, "ids are unique");
        assert!(demo.identities().all(|i| looks_like_email(&i.email)));
        assert!(demo.identities().all(|i| i.actor(&demo.client_id).client_id.as_str() == DEMO_CLIENT_ID));
        assert_eq!(demo.identity("hcra-staff-tom").map(DemoIdentity::first_name), Some("Tom"));
    }

    #[test]
    fn every_demo_ticket_has_a_known_category_and_member() {
        let categories = demo_categories();
        assert_eq!(categories, ["Billing", "Membership", "Events", "LMS", "Directory", "Boats & Equipment"]);
        let tickets = demo_tickets();
        assert!((55..=65).contains(&tickets.len()), "about sixty tickets, got {}", tickets.len());
        for ticket in &tickets {
            assert!(categories.contains(&ticket.category), "{}", ticket.subject);
            assert!(ticket.member_id.starts_with("hcra-member-"), "{}", ticket.subject);
        }
        for category in categories {
            assert!(tickets.iter().any(|t| t.category == category), "no ticket in {category}");
        }
        assert_eq!(tickets[0].key, "demo-ticket-1");
    }
}
