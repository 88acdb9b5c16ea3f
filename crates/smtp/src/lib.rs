//! memberdesk's mail adapter: the domain's [`Mailer`] port over SMTP, with lettre.
//!
//! The server is named by a URL in lettre's form:
//!
//! | URL                                           | connection                         |
//! |-----------------------------------------------|------------------------------------|
//! | `smtp://host:25`                              | plain (a local relay, tests)       |
//! | `smtp://user:pass@host:587?tls=required`      | STARTTLS, refused without it       |
//! | `smtp://host:587?tls=opportunistic`           | STARTTLS when offered              |
//! | `smtps://user:pass@host:465`                  | TLS from the first byte            |
//!
//! The sender is `MEMBERDESK_MAIL_FROM` (`support@example.org` or `Desk <support@example.org>`);
//! each message shows the client's name as the sender's name, with that address. Messages are
//! `multipart/alternative` (plain text, then HTML) with the Message-ID, `In-Reply-To` and
//! `References` the domain composed, and `Auto-Submitted: auto-generated` so that
//! out-of-office replies are not sent back.
//!
//! Failures are classified for the outbox: a permanent SMTP reply (5xx) is
//! `DeliveryError::Permanent`; everything else (connection refused, timeouts, 4xx) is
//! `DeliveryError::Transient` and retried with backoff. Error messages never show the URL's
//! password.

use async_trait::async_trait;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox as LettreMailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use memberdesk_domain::notify::{DeliveryError, EmailMessage, Mailer};
use std::time::Duration;

/// How long one SMTP command may take.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Why the mail settings cannot be used. Never shows a password.
#[derive(Debug, thiserror::Error)]
pub enum SmtpSetupError {
    #[error(
        "MEMBERDESK_SMTP_URL is not a usable SMTP URL ({0}); use smtp://host:25, smtp://user:pass@host:587?tls=required or smtps://user:pass@host:465"
    )]
    Url(String),
    #[error(
        "MEMBERDESK_MAIL_FROM is not an email address ({0}); use e.g. support@example.org or \"Desk <support@example.org>\""
    )]
    From(String),
    #[error("MEMBERDESK_MAIL_FROM must be set when MEMBERDESK_SMTP_URL is")]
    MissingFrom,
}

/// Sends the desk's mail through one SMTP server.
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: LettreMailbox,
    /// The server, for logs: host and port, without credentials.
    server: String,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer").field("server", &self.server).field("from", &self.from.email).finish()
    }
}

impl SmtpMailer {
    /// Builds the mailer from the URL and the sender. Connects only when sending.
    pub fn new(url: &str, from: &str) -> Result<SmtpMailer, SmtpSetupError> {
        let from: LettreMailbox = from.trim().parse().map_err(|e| SmtpSetupError::From(format!("{e}")))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.trim())
            .map_err(|e| SmtpSetupError::Url(redact(&e.to_string(), url)))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(SmtpMailer { transport, from, server: server_of(url) })
    }

    /// `host:port` of the server, for logs.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The message as it goes on the wire.
    pub fn build(&self, email: &EmailMessage) -> Result<Message, DeliveryError> {
        let from = LettreMailbox::new(Some(email.from_name.clone()), self.from.email.clone());
        let mut builder = Message::builder()
            .from(from)
            .subject(email.subject.clone())
            .message_id(Some(email.message_id.clone()))
            .in_reply_to(email.in_reply_to.clone());
        for reference in &email.references {
            builder = builder.references(reference.clone());
        }
        for to in &email.to {
            let address =
                to.email.trim().parse().map_err(|e| {
                    DeliveryError::Permanent(format!("recipient {:?} is not an address: {e}", to.email))
                })?;
            builder = builder.to(LettreMailbox::new(Some(to.name.clone()).filter(|n| !n.is_empty()), address));
        }
        let mut message = builder
            .multipart(MultiPart::alternative_plain_html(email.text.clone(), email.html.clone()))
            .map_err(|e| DeliveryError::Permanent(format!("cannot build the message: {e}")))?;
        let headers = message.headers_mut();
        headers.insert_raw(HeaderValue::new(
            HeaderName::new_from_ascii_str("Auto-Submitted"),
            "auto-generated".to_owned(),
        ));
        headers.insert_raw(HeaderValue::new(HeaderName::new_from_ascii_str("X-Memberdesk-Topic"), email.topic.clone()));
        Ok(message)
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, email: &EmailMessage) -> Result<(), DeliveryError> {
        let message = self.build(email)?;
        match self.transport.send(message).await {
            Ok(_) => {
                tracing::debug!(message_id = %email.message_id, server = %self.server, "email sent");
                Ok(())
            }
            Err(e) if e.is_permanent() => {
                Err(DeliveryError::Permanent(format!("SMTP server {} refused the message: {e}", self.server)))
            }
            Err(e) => Err(DeliveryError::Transient(format!("SMTP server {}: {e}", self.server))),
        }
    }
}

/// `host:port` from an SMTP URL, without user or password.
fn server_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    authority.rsplit_once('@').map_or(authority, |(_, host)| host).to_owned()
}

/// The message with the URL's password (if any) replaced.
fn redact(message: &str, url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    match authority.rsplit_once('@').and_then(|(user_info, _)| user_info.split_once(':')) {
        Some((_, password)) if !password.is_empty() => message.replace(password, "***"),
        _ => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use memberdesk_domain::notify::Mailbox;

    fn email() -> EmailMessage {
        EmailMessage {
            message_id: "<0190-abc@memberdesk>".into(),
            in_reply_to: "<0190-root@memberdesk>".into(),
            references: vec!["<0190-root@memberdesk>".into()],
            from_name: "Harbour City Rowing".into(),
            to: vec![Mailbox { name: "Mia Member".into(), email: "mia@members.example".into() }],
            subject: "[#7] Locker key".into(),
            text: "Hello Mia".into(),
            html: "<p>Hello Mia</p>".into(),
            topic: "ticket.created".into(),
        }
    }

    #[test]
    fn the_three_url_forms_are_accepted_and_bad_ones_refused() {
        for url in ["smtp://127.0.0.1:2525", "smtp://u:p@mail.example:587?tls=required", "smtps://u:p@mail.example:465"]
        {
            assert!(SmtpMailer::new(url, "support@example.org").is_ok(), "{url}");
        }
        assert!(matches!(SmtpMailer::new("http://x", "support@example.org"), Err(SmtpSetupError::Url(_))));
        assert!(matches!(SmtpMailer::new("smtp://x:25", "not an address"), Err(SmtpSetupError::From(_))));
    }

    #[test]
    fn errors_and_logs_never_show_the_password() {
        assert_eq!(server_of("smtps://user:s3cret@mail.example:465"), "mail.example:465");
        assert_eq!(redact("bad url smtps://user:s3cret@x", "smtps://user:s3cret@x"), "bad url smtps://user:***@x");
        let debug = format!("{:?}", SmtpMailer::new("smtps://user:s3cret@mail.example:465", "a@b.example").unwrap());
        assert!(!debug.contains("s3cret"));
    }

    #[test]
    fn the_message_carries_threading_headers_and_both_parts() {
        let mailer = SmtpMailer::new("smtp://127.0.0.1:2525", "Desk <desk@harbour.example>").unwrap();
        let wire = String::from_utf8(mailer.build(&email()).unwrap().formatted()).unwrap();
        assert!(wire.contains("Message-ID: <0190-abc@memberdesk>"), "{wire}");
        assert!(wire.contains("In-Reply-To: <0190-root@memberdesk>"));
        assert!(wire.contains("References: <0190-root@memberdesk>"));
        assert!(wire.contains("From: \"Harbour City Rowing\" <desk@harbour.example>"));
        assert!(wire.contains("Subject: [#7] Locker key"));
        assert!(wire.contains("multipart/alternative"));
        assert!(wire.contains("text/plain") && wire.contains("text/html"));
        assert!(wire.contains("Auto-Submitted: auto-generated"));
    }
}
