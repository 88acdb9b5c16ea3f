//! The demo desk's catalogue: its name, its ticket categories (with descriptions) and the shared
//! canned responses its staff start replies from. Seeded through the use cases; a run creates
//! only what is missing, so re-runs never duplicate anything.

use crate::tickets::{BILLING, BOATS, CATEGORIES, DIRECTORY, EVENTS, LMS, MEMBERSHIP};
use memberdesk_domain::category::name_key;
use memberdesk_domain::usecases::{CannedResponseInput, CategoryInput};
use memberdesk_domain::{Actor, CategoryId, Desk, DeskError};
use std::collections::BTreeMap;

/// What the member-facing picker says under each category.
const DESCRIPTIONS: [(&str, &str); 6] = [
    (BILLING, "Membership fees, invoices, refunds and payment methods"),
    (MEMBERSHIP, "Joining, renewing, membership types, transfers and leave of absence"),
    (EVENTS, "Regattas, socials, open days and event bookings"),
    (LMS, "The online learning portal: coaching courses, safety modules and certificates"),
    (DIRECTORY, "Your listing in the members' directory and privacy settings"),
    (BOATS, "Boat bookings, damage reports, oars, ergs and the boathouse"),
];

/// One shared canned response of the demo: title, category (if any) and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoCannedResponse {
    pub title: &'static str,
    /// One of [`crate::demo_categories`], or none for general-purpose text.
    pub category: Option<&'static str>,
    pub body: &'static str,
}

const CANNED: [DemoCannedResponse; 8] = [
    DemoCannedResponse {
        title: "Acknowledgement",
        category: None,
        body: "Hi {{member.firstName}},\n\nThanks for getting in touch with {{client.name}}. Your request \
               {{ticket.reference}} (\"{{ticket.subject}}\") is with our team and we will come back to you \
               within two working days.\n\nBest wishes,\n{{agent.name}}",
    },
    DemoCannedResponse {
        title: "Resolved: anything else?",
        category: None,
        body: "Hi {{member.firstName}},\n\nI'm glad we could sort this out. I've marked {{ticket.reference}} as \
               resolved; if anything else comes up, just reply here and it will reopen.\n\nAll the best,\n\
               {{agent.firstName}}\n{{client.name}}",
    },
    DemoCannedResponse {
        title: "Refund on its way",
        category: Some(BILLING),
        body: "Hi {{member.firstName}},\n\nI've issued the refund to the card you paid with. It usually shows \
               on your statement within 5–7 working days. Your reference is {{ticket.reference}}.\n\n\
               Kind regards,\n{{agent.name}}",
    },
    DemoCannedResponse {
        title: "How to renew your membership",
        category: Some(MEMBERSHIP),
        body: "Hi {{member.firstName}},\n\nYou can renew from the members' area: sign in with {{member.email}}, \
               open \"My membership\" and choose \"Renew\". Your membership stays active while the renewal is \
               processed.\n\nMany thanks,\n{{agent.name}}",
    },
    DemoCannedResponse {
        title: "Event booking confirmed",
        category: Some(EVENTS),
        body: "Hi {{member.firstName}},\n\nYour place is confirmed and you'll receive the joining details by \
               email a week before the event. See you there!\n\nBest wishes,\n{{agent.name}}",
    },
    DemoCannedResponse {
        title: "Learning portal: reset your password",
        category: Some(LMS),
        body: "Hi {{member.firstName}},\n\nThe learning portal has its own password. Use \"Forgot password\" on \
               its sign-in page with {{member.email}}; the link is valid for one hour. Your course progress is \
               kept.\n\nKind regards,\n{{agent.name}}",
    },
    DemoCannedResponse {
        title: "Directory listing updated",
        category: Some(DIRECTORY),
        body: "Hi {{member.firstName}},\n\nI've updated your entry in the members' directory; the change is \
               visible to other members straight away.\n\nAll the best,\n{{agent.name}}",
    },
    DemoCannedResponse {
        title: "Damage report received",
        category: Some(BOATS),
        body: "Hi {{member.firstName}},\n\nThank you for reporting this. The boat is marked out of use until our \
               boatman has inspected it, and the booking system will show it as unavailable. We'll update \
               {{ticket.reference}} once it's repaired.\n\nBest wishes,\n{{agent.name}}",
    },
];

/// The shared canned responses the demo desk starts with.
pub fn demo_canned_responses() -> Vec<DemoCannedResponse> {
    CANNED.to_vec()
}

/// Names the client, creates the categories and shared canned responses that are missing, and
/// returns each demo category's id by name.
pub(crate) async fn seed_catalog(
    desk: &Desk,
    admin: &Actor,
    client_name: &str,
) -> Result<BTreeMap<&'static str, CategoryId>, DeskError> {
    let profile = desk.client_profile(admin).await?;
    if profile.name.as_ref().map(|n| n.as_str()) != Some(client_name) {
        desk.set_client_name(admin, client_name).await?;
    }

    let existing = desk.list_categories(admin, true).await?;
    let mut ids = BTreeMap::new();
    for name in CATEGORIES {
        let id = match existing.iter().find(|c| c.name.key() == name_key(name)) {
            Some(category) => category.id,
            None => {
                let description = DESCRIPTIONS.iter().find(|(n, _)| *n == name).map(|(_, d)| (*d).to_owned());
                desk.create_category(admin, CategoryInput { name: name.to_owned(), description }).await?.id
            }
        };
        ids.insert(name, id);
    }

    let present = desk.list_canned_responses(admin, None, None).await?;
    for canned in CANNED {
        if present.iter().any(|c| c.is_shared() && c.title.as_str() == canned.title) {
            continue;
        }
        let input = CannedResponseInput {
            title: canned.title.to_owned(),
            body: canned.body.to_owned(),
            category_id: canned.category.and_then(|c| ids.get(c)).map(ToString::to_string),
            shared: true,
        };
        desk.create_canned_response(admin, input).await?;
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use memberdesk_domain::CannedBody;

    #[test]
    fn every_canned_response_is_a_valid_template_of_a_known_category() {
        for canned in CANNED {
            assert!(CannedBody::new(canned.body).is_ok(), "{}", canned.title);
            assert!(canned.category.is_none_or(|c| CATEGORIES.contains(&c)), "{}", canned.title);
        }
        for name in CATEGORIES {
            assert!(DESCRIPTIONS.iter().any(|(n, _)| *n == name), "{name} has a description");
        }
    }
}
