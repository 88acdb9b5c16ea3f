//! Delivering the outbox: notifications by email and notes in the member's CRM.
//!
//! Every change to a ticket leaves one outbox row per history event, written in the change's
//! transaction (see [`crate::outbox`]). This module holds what happens to those rows next, as
//! rules with no infrastructure:
//!
//! - [`delivery`]: the row's life (`pending` → `done` / `skipped` / `failed`), the retry policy
//!   (exponential backoff with jitter, a limit), what a consumer reports;
//! - [`ports`]: the outbox as workers and admins see it ([`OutboxStore`]), the consumers
//!   ([`OutboxConsumer`]), the mail transport ([`Mailer`]), the CRM ([`CrmAdapter`]s) and the
//!   clients' CRM settings ([`CrmStore`]);
//! - [`worker`]: one pass of the outbox worker (claim with a lease, hand each row to the
//!   consumers whose topics match, mark it), driven by the composition root's loop;
//! - [`email`] and [`templates`]: which event mails whom, and the messages themselves;
//! - [`crm`]: the CRM settings and the CRM consumer.
//!
//! Delivery is at least once. A consumer that delivered is recorded per row, so a row retried
//! because another consumer failed does not deliver twice; emails carry a Message-ID derived
//! from the event, so a redelivery after a crash is recognisably the same message.

pub mod crm;
pub mod delivery;
pub mod email;
pub mod ports;
pub mod templates;
pub mod worker;

pub use crm::{CrmConfig, CrmNotifier, CrmSettings, CrmSettingsInput};
pub use delivery::{
    ClaimedMessage, Delivery, DeliveryError, OutboxFilter, OutboxPage, OutboxRecord, OutboxStatus, OutboxUpdate,
    RetryPolicy,
};
pub use email::{EmailMessage, EmailNotifier, Mailbox};
pub use ports::{CrmAdapter, CrmAdapters, CrmStore, Mailer, NoNotifications, OutboxConsumer, OutboxStore};
pub use worker::{OutboxWorker, PassReport, RowOutcome};
