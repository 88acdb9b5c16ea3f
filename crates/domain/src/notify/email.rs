//! Which event mails whom, and the message itself.
//!
//! | topic                     | to                                   | unless                               |
//! |---------------------------|--------------------------------------|--------------------------------------|
//! | `ticket.created`          | the member (acknowledgement, number) |                                      |
//! | `ticket.replied`          | the member                           | the reply is the member's own        |
//! | `ticket.status_changed`   | the member                           |                                      |
//! | `ticket.assignee_changed` | the new assignee                     | unassigned, or they assigned themselves |
//! | `ticket.sla_warning`      | the assignee and the client's admins |                                      |
//! | `ticket.sla_breached`     | the assignee and the client's admins |                                      |
//!
//! Internal notes (`ticket.note_added`) never produce mail: the notifier does not even listen
//! to them. Every message has the subject `[#1042] …`, the client's name as sender name, a
//! Message-ID made from the event id (`<event-uuid@memberdesk>`, so a redelivery is the same
//! message), and `In-Reply-To`/`References` naming the ticket's root id
//! (`<ticket-uuid@memberdesk>`), so mail clients thread all of a ticket's messages.

use super::delivery::{Delivery, DeliveryError};
use super::ports::{Mailer, OutboxConsumer};
use super::templates::{self, Template, Vars};
use crate::access::Role;
use crate::ids::{ResponseId, TicketId, UserId};
use crate::outbox::OutboxMessage;
use crate::ports::{ClientStore, TicketStore, UserDirectory};
use crate::response::ResponseKind;
use crate::ticket::{Status, Ticket};
use async_trait::async_trait;
use serde::Deserialize;
use std::sync::Arc;
use uuid::Uuid;

/// The domain of the desk's Message-IDs.
pub const MESSAGE_ID_DOMAIN: &str = "memberdesk";

/// The topics the email notifier acts on.
pub const EMAIL_TOPICS: [&str; 6] = [
    "ticket.created",
    "ticket.replied",
    "ticket.status_changed",
    "ticket.assignee_changed",
    "ticket.sla_warning",
    "ticket.sla_breached",
];

/// A name and an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    pub name: String,
    pub email: String,
}

/// A composed email; the mail adapter adds the sender's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailMessage {
    /// `<event-uuid@memberdesk>`.
    pub message_id: String,
    /// The ticket's root id, `<ticket-uuid@memberdesk>`.
    pub in_reply_to: String,
    pub references: Vec<String>,
    /// Shown as the sender's name: the client's name.
    pub from_name: String,
    pub to: Vec<Mailbox>,
    /// `[#1042] …`.
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The outbox topic it was made for.
    pub topic: String,
}

/// `<uuid@memberdesk>`.
pub fn message_id(id: Uuid) -> String {
    format!("<{id}@{MESSAGE_ID_DOMAIN}>")
}

/// The id every message of a ticket refers to, so that they thread.
pub fn thread_root(ticket: TicketId) -> String {
    message_id(ticket.0)
}

/// The parts of an event's payload the notifier reads (the payload is the serialised
/// [`crate::TicketEvent`], plus `recipients` on SLA alerts). Read loosely, so that topics this
/// crate version does not model as a `Change` still come through.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Envelope {
    actor_id: Option<UserId>,
    actor_name: Option<String>,
    change: serde_json::Value,
    /// Who an SLA alert goes to (user ids), when the SLA worker named them.
    recipients: Option<Vec<UserId>>,
}

impl Envelope {
    fn parse(message: &OutboxMessage) -> Result<Envelope, DeliveryError> {
        serde_json::from_value(message.payload.clone())
            .map_err(|e| DeliveryError::Permanent(format!("unreadable payload of {}: {e}", message.topic)))
    }

    fn change_field<T: serde::de::DeserializeOwned>(&self, name: &str) -> Option<T> {
        self.change.get(name).cloned().and_then(|v| serde_json::from_value(v).ok())
    }
}

/// The email consumer: composes the message an event calls for and hands it to the mailer.
pub struct EmailNotifier {
    tickets: Arc<dyn TicketStore>,
    users: Arc<dyn UserDirectory>,
    clients: Arc<dyn ClientStore>,
    /// `None`: no SMTP server configured; messages are skipped (loudly).
    mailer: Option<Arc<dyn Mailer>>,
    /// Where members and staff log in, shown in the messages when set.
    portal_url: Option<String>,
}

impl EmailNotifier {
    pub fn new(
        tickets: Arc<dyn TicketStore>,
        users: Arc<dyn UserDirectory>,
        clients: Arc<dyn ClientStore>,
        mailer: Option<Arc<dyn Mailer>>,
        portal_url: Option<String>,
    ) -> EmailNotifier {
        EmailNotifier { tickets, users, clients, mailer, portal_url }
    }

    /// The message the outbox message calls for, or `None` when it calls for none.
    pub async fn compose(&self, message: &OutboxMessage) -> Result<Option<EmailMessage>, DeliveryError> {
        let Some(ticket_id) = message.ticket_id else { return Ok(None) };
        let envelope = Envelope::parse(message)?;
        let Some(ticket) = self.tickets.get_ticket(&message.client_id, ticket_id).await? else { return Ok(None) };
        let profile = self.clients.get_client_profile(&message.client_id).await?;
        let client_name = profile.display_name().to_owned();
        let mut vars = self.ticket_vars(&ticket, &client_name);
        vars.set("actor.name", envelope.actor_name.clone().unwrap_or_default());
        let member = || Mailbox { name: ticket.member.name.clone(), email: ticket.member.email.clone() };

        let (template, to, subject): (&Template, Vec<Mailbox>, String) = match message.topic.as_str() {
            "ticket.created" => (&templates::TICKET_CREATED, vec![member()], member_subject(&ticket)),
            "ticket.replied" => {
                let Some(response_id) = envelope.change_field::<ResponseId>("responseId") else { return Ok(None) };
                let Some(response) = self.tickets.get_response(&message.client_id, response_id).await? else {
                    return Ok(None);
                };
                if response.kind != ResponseKind::Reply || !response.by_staff() {
                    return Ok(None);
                }
                vars.set("author.name", response.author.name.clone()).set("reply.body", response.body.clone());
                vars.set(
                    "reply.attachments",
                    match response.attachments.len() {
                        0 => String::new(),
                        1 => "One file is attached to this reply; you can download it in the member portal.".into(),
                        n => {
                            format!("{n} files are attached to this reply; you can download them in the member portal.")
                        }
                    },
                );
                (&templates::STAFF_REPLIED, vec![member()], member_subject(&ticket))
            }
            "ticket.status_changed" => {
                let Some(to) = envelope.change_field::<Status>("to") else { return Ok(None) };
                let (explanation, how_to_answer) = status_texts(to, &vars);
                vars.set("ticket.status", member_status(to)).set("status.explanation", explanation);
                vars.set("status.how_to_answer", how_to_answer);
                (&templates::STATUS_CHANGED, vec![member()], member_subject(&ticket))
            }
            "ticket.assignee_changed" => {
                let Some(agent_id) = envelope.change_field::<Option<UserId>>("to").flatten() else { return Ok(None) };
                if envelope.actor_id.as_ref() == Some(&agent_id) {
                    return Ok(None);
                }
                let Some(agent) = self.users.get_user(&message.client_id, &agent_id).await? else { return Ok(None) };
                if agent.email.trim().is_empty() {
                    return Ok(None);
                }
                vars.set("agent.name", agent.name.clone());
                let subject = format!("{} Assigned to you: {}", tag(&ticket), ticket.subject.as_str());
                (&templates::ASSIGNED, vec![Mailbox { name: agent.name, email: agent.email }], subject)
            }
            topic @ ("ticket.sla_warning" | "ticket.sla_breached") => {
                let target = envelope
                    .change_field::<String>("target")
                    .map(|t| t.replace('_', " "))
                    .unwrap_or_else(|| "SLA".to_owned());
                let breached = topic == "ticket.sla_breached";
                let headline = if breached {
                    format!("Ticket {} has breached its {target} target.", ticket.reference())
                } else {
                    format!(
                        "The {target} target of ticket {} is at risk: it is close to its deadline.",
                        ticket.reference()
                    )
                };
                vars.set("sla.headline", headline);
                let to = self.sla_recipients(&ticket, envelope.recipients.as_deref()).await?;
                let what = if breached { "SLA breached" } else { "SLA warning" };
                let subject = format!("{} {what}: {}", tag(&ticket), ticket.subject.as_str());
                (&templates::SLA_ALERT, to, subject)
            }
            _ => return Ok(None),
        };
        let to: Vec<Mailbox> = to.into_iter().filter(|m| !m.email.trim().is_empty()).collect();
        if to.is_empty() {
            return Ok(None);
        }
        let root = thread_root(ticket.id);
        Ok(Some(EmailMessage {
            message_id: message_id(message.id),
            in_reply_to: root.clone(),
            references: vec![root],
            from_name: client_name,
            to,
            subject,
            text: template.text(&vars),
            html: template.html(&vars),
            topic: message.topic.clone(),
        }))
    }

    fn ticket_vars(&self, ticket: &Ticket, client_name: &str) -> Vars {
        let mut vars = Vars::new();
        vars.set("client.name", client_name)
            .set("member.name", ticket.member.name.clone())
            .set("member.email", ticket.member.email.clone())
            .set("ticket.reference", ticket.reference())
            .set("ticket.subject", ticket.subject.as_str())
            .set("ticket.status", ticket.status.as_str().replace('_', " "))
            .set("ticket.priority", ticket.priority.as_str())
            .set("ticket.assignee", ticket.assignee_id.as_ref().map_or("nobody yet".to_owned(), |a| a.to_string()))
            .set("portal.suffix", self.portal_url.as_ref().map_or(String::new(), |url| format!(" ({url})")));
        vars
    }

    /// The SLA worker's named recipients, else the assignee and the client's admins; staff of
    /// the client with an address only, each once.
    async fn sla_recipients(&self, ticket: &Ticket, named: Option<&[UserId]>) -> Result<Vec<Mailbox>, DeliveryError> {
        let staff = self.users.list_staff(&ticket.client_id).await?;
        let mut recipients: Vec<Mailbox> = Vec::new();
        for user in &staff {
            let wanted = match named {
                Some(ids) => ids.contains(&user.id),
                None => ticket.assignee_id.as_ref() == Some(&user.id) || user.roles.contains(&Role::ClientAdmin),
            };
            if wanted && !recipients.iter().any(|m| m.email.eq_ignore_ascii_case(&user.email)) {
                recipients.push(Mailbox { name: user.name.clone(), email: user.email.clone() });
            }
        }
        Ok(recipients)
    }
}

fn tag(ticket: &Ticket) -> String {
    format!("[{}]", ticket.reference())
}

/// What the member's messages are called: `[#1042] <subject>`, the same for all of them, so
/// that mail clients that thread by subject agree with those that thread by References.
fn member_subject(ticket: &Ticket) -> String {
    format!("{} {}", tag(ticket), ticket.subject.as_str())
}

fn member_status(status: Status) -> &'static str {
    match status {
        Status::Open => "open",
        Status::InProgress => "in progress",
        Status::Waiting => "waiting for your answer",
        Status::Resolved => "resolved",
        Status::Closed => "closed",
    }
}

/// What the new status means for the member, and how they answer.
fn status_texts(status: Status, vars: &Vars) -> (String, String) {
    let reference = vars.get("ticket.reference").unwrap_or_default();
    let portal = vars.get("portal.suffix").unwrap_or_default();
    let answer = format!(
        "How to answer: please do not reply to this email; replies to it are not read. To answer us or add \
         information, log in to the member portal{portal} and open your request {reference}."
    );
    match status {
        Status::Open => ("Your request is open again and back in our queue.".into(), answer),
        Status::InProgress => ("We are working on your request.".into(), answer),
        Status::Waiting => {
            ("We need something from you before we can go on: please read our last reply.".into(), answer)
        }
        Status::Resolved => (
            "We consider your request resolved. If something is still not right, answer on the request in the \
             member portal and it will be reopened."
                .into(),
            answer,
        ),
        Status::Closed => (
            "Your request is closed and takes no more answers.".into(),
            format!("If you need more help, please open a new request in the member portal{portal}."),
        ),
    }
}

#[async_trait]
impl OutboxConsumer for EmailNotifier {
    fn name(&self) -> &'static str {
        "email"
    }

    fn wants(&self, topic: &str) -> bool {
        EMAIL_TOPICS.contains(&topic)
    }

    async fn deliver(&self, message: &OutboxMessage) -> Result<Delivery, DeliveryError> {
        let Some(email) = self.compose(message).await? else { return Ok(Delivery::NotNeeded) };
        match &self.mailer {
            Some(mailer) => {
                mailer.send(&email).await?;
                Ok(Delivery::Sent)
            }
            None => Ok(Delivery::Skipped(format!(
                "no SMTP server is configured (MEMBERDESK_SMTP_URL); {} to {} not sent",
                email.message_id,
                email.to.iter().map(|m| m.email.as_str()).collect::<Vec<_>>().join(", ")
            ))),
        }
    }
}

#[cfg(all(test, feature = "mocks"))]
mod tests {
    use super::*;
    use crate::client::ClientProfile;
    use crate::ids::ClientId;
    use crate::notify::ports::MockMailer;
    use crate::ports::{MockClientStore, MockTicketStore, MockUserDirectory};
    use crate::user::DirectoryUser;
    use chrono::Utc;
    use serde_json::json;

    fn ticket(assignee: Option<&str>) -> Ticket {
        let now = Utc::now();
        serde_json::from_value(json!({
            "id": TicketId::new(), "client_id": "harbour", "number": 1042, "subject": "Boat <trailer>",
            "description": "d", "status": "in_progress", "priority": "high", "category_id": null,
            "member": {"id": "member-1", "name": "Mia Member", "email": "mia@members.example"},
            "assignee_id": assignee, "created_at": now, "updated_at": now, "first_responded_at": null,
            "resolved_at": null, "closed_at": null, "version": 3
        }))
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn staff(id: &str, role: Role, email: &str) -> DirectoryUser {
        DirectoryUser {
            id: UserId::new(id),
            client_id: ClientId::new("harbour"),
            name: format!("Name of {id}"),
            email: email.into(),
            roles: vec![role],
            last_seen_at: Utc::now(),
        }
    }

    fn message(ticket: &Ticket, topic: &str, payload: serde_json::Value) -> OutboxMessage {
        OutboxMessage {
            id: Uuid::now_v7(),
            client_id: ticket.client_id.clone(),
            ticket_id: Some(ticket.id),
            topic: topic.into(),
            payload,
            created_at: Utc::now(),
        }
    }

    fn notifier(ticket: Ticket, users: MockUserDirectory, mailer: Option<MockMailer>) -> EmailNotifier {
        let mut tickets = MockTicketStore::new();
        tickets.expect_get_ticket().returning(move |_, _| Ok(Some(ticket.clone())));
        let mut clients = MockClientStore::new();
        clients.expect_get_client_profile().returning(|client| {
            Ok(ClientProfile {
                client_id: client.clone(),
                name: crate::ClientName::new("Harbour").ok(),
                updated_at: None,
            })
        });
        EmailNotifier::new(
            Arc::new(tickets),
            Arc::new(users),
            Arc::new(clients),
            mailer.map(|m| Arc::new(m) as Arc<dyn Mailer>),
            None,
        )
    }

    #[test]
    fn an_sla_breach_mails_the_assignee_and_the_admins_once_each() {
        let t = ticket(Some("agent-1"));
        let mut users = MockUserDirectory::new();
        users.expect_list_staff().returning(|_| {
            Ok(vec![
                staff("admin-1", Role::ClientAdmin, "alex@harbour.example"),
                staff("agent-1", Role::ClientUser, "uma@harbour.example"),
                staff("agent-2", Role::ClientUser, "noel@harbour.example"),
                staff("admin-2", Role::ClientAdmin, "ALEX@harbour.example"),
            ])
        });
        let mut mailer = MockMailer::new();
        mailer
            .expect_send()
            .withf(|m| {
                let to: Vec<&str> = m.to.iter().map(|r| r.email.as_str()).collect();
                to == ["alex@harbour.example", "uma@harbour.example"]
                    && m.subject == "[#1042] SLA breached: Boat <trailer>"
                    && m.text.contains("Ticket #1042 has breached its first response target.")
                    && m.html.contains("Boat &lt;trailer&gt;")
            })
            .times(1)
            .returning(|_| Ok(()));
        let notifier = notifier(t.clone(), users, Some(mailer));
        let payload = json!({"actor_id": "system", "change": {"type": "sla_breached", "target": "first_response"}});
        let delivered = futures::executor::block_on(notifier.deliver(&message(&t, "ticket.sla_breached", payload)));
        assert_eq!(delivered, Ok(Delivery::Sent));
    }

    #[test]
    fn the_sla_workers_named_recipients_win() {
        let t = ticket(None);
        let mut users = MockUserDirectory::new();
        users.expect_list_staff().returning(|_| {
            Ok(vec![
                staff("admin-1", Role::ClientAdmin, "alex@harbour.example"),
                staff("agent-2", Role::ClientUser, "noel@harbour.example"),
            ])
        });
        let notifier = notifier(t.clone(), users, None);
        let payload = json!({"change": {"type": "sla_warning", "target": "resolution"}, "recipients": ["agent-2"]});
        let email = futures::executor::block_on(notifier.compose(&message(&t, "ticket.sla_warning", payload)));
        let email = email.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("an email"));
        assert_eq!(email.to, [Mailbox { name: "Name of agent-2".into(), email: "noel@harbour.example".into() }]);
        assert_eq!(email.subject, "[#1042] SLA warning: Boat <trailer>");
        assert!(email.text.contains("The resolution target of ticket #1042 is at risk"));
    }

    #[test]
    fn self_assignment_and_unassignment_mail_nobody_and_no_smtp_skips_loudly() {
        let t = ticket(Some("agent-1"));
        let notifier = notifier(t.clone(), MockUserDirectory::new(), None);
        for payload in [
            json!({"actor_id": "agent-1", "change": {"type": "assignee_changed", "from": null, "to": "agent-1"}}),
            json!({"actor_id": "admin-1", "change": {"type": "assignee_changed", "from": "agent-1", "to": null}}),
        ] {
            let delivered =
                futures::executor::block_on(notifier.deliver(&message(&t, "ticket.assignee_changed", payload)));
            assert_eq!(delivered, Ok(Delivery::NotNeeded));
        }
        let created = message(&t, "ticket.created", json!({"change": {"type": "created"}}));
        let delivered = futures::executor::block_on(notifier.deliver(&created));
        assert!(
            matches!(&delivered, Ok(Delivery::Skipped(reason)) if reason.contains("MEMBERDESK_SMTP_URL")),
            "{delivered:?}"
        );
        assert!(!notifier.wants("ticket.note_added"), "notes never mail");
    }
}
