//! One pass of the outbox worker: claim rows under a lease, hand each to the consumers whose
//! topics match, and leave it done, skipped, retried later or failed.
//!
//! The loop around it (how often, stopping on shutdown) belongs to the composition root; this
//! holds only the rules, so that tests drive passes one by one with a clock they control.

use super::delivery::{ClaimedMessage, Delivery, DeliveryError, OutboxUpdate, RetryPolicy};
use super::ports::{OutboxConsumer, OutboxStore};
use crate::clock::Clock;
use crate::error::StoreError;
use std::sync::Arc;
use uuid::Uuid;

/// How one claimed row ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowOutcome {
    Done,
    /// Not delivered because a consumer is not configured: said loudly (the reason).
    Skipped(String),
    /// Failed this time; tried again from `available_at`.
    Retrying {
        attempts: i32,
        error: String,
    },
    /// Given up.
    Failed {
        attempts: i32,
        error: String,
    },
    /// Released unstarted (shutdown).
    Released,
    /// Its lease had expired and another worker took it meanwhile: this worker wrote nothing.
    LeaseLost,
}

/// What one pass did, row by row (for logs and tests).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PassReport {
    pub rows: Vec<(Uuid, String, RowOutcome)>,
}

impl PassReport {
    pub fn claimed(&self) -> usize {
        self.rows.len()
    }
    pub fn count(&self, matches: impl Fn(&RowOutcome) -> bool) -> usize {
        self.rows.iter().filter(|(_, _, outcome)| matches(outcome)).count()
    }
}

/// The outbox worker's rules, over its ports. Cheap to clone.
#[derive(Clone)]
pub struct OutboxWorker {
    store: Arc<dyn OutboxStore>,
    consumers: Vec<Arc<dyn OutboxConsumer>>,
    clock: Arc<dyn Clock>,
    policy: RetryPolicy,
}

impl OutboxWorker {
    pub fn new(
        store: Arc<dyn OutboxStore>,
        consumers: Vec<Arc<dyn OutboxConsumer>>,
        clock: Arc<dyn Clock>,
        policy: RetryPolicy,
    ) -> OutboxWorker {
        OutboxWorker { store, consumers, clock, policy }
    }

    /// The same worker with one more consumer (e.g. automatic assignment, which needs the desk
    /// that is built after the notifiers), run after the others.
    pub fn with_consumer(mut self, consumer: Arc<dyn OutboxConsumer>) -> OutboxWorker {
        self.consumers.push(consumer);
        self
    }

    pub fn policy(&self) -> RetryPolicy {
        self.policy
    }

    /// Claims a batch and delivers all of it.
    pub async fn run_once(&self) -> Result<PassReport, StoreError> {
        let claimed = self.claim().await?;
        let mut report = PassReport::default();
        for row in claimed {
            let outcome = self.deliver(&row).await?;
            report.rows.push((row.message.id, row.message.topic.clone(), outcome));
        }
        Ok(report)
    }

    /// Claims up to a batch of available rows, holding them for the policy's lease.
    pub async fn claim(&self) -> Result<Vec<ClaimedMessage>, StoreError> {
        let now = self.clock.now();
        self.store.claim_outbox(now, now + self.policy.lease, self.policy.batch_size).await
    }

    /// Delivers one claimed row through every consumer that wants its topic and has not
    /// finished with it on an earlier attempt, then records how it ended.
    pub async fn deliver(&self, row: &ClaimedMessage) -> Result<RowOutcome, StoreError> {
        let message = &row.message;
        // A worker that stalled past its lease leaves the row to whoever claimed it since.
        if self.clock.now() >= row.lease_until {
            return Ok(RowOutcome::LeaseLost);
        }
        let mut skipped: Vec<String> = Vec::new();
        let mut failure: Option<DeliveryError> = None;
        for consumer in &self.consumers {
            if !consumer.wants(&message.topic) || row.completed.iter().any(|c| c == consumer.name()) {
                continue;
            }
            match consumer.deliver(message).await {
                Ok(Delivery::Sent | Delivery::NotNeeded) => {
                    self.store.record_consumer(message.id, consumer.name(), self.clock.now()).await?;
                }
                Ok(Delivery::Skipped(reason)) => skipped.push(format!("{}: {reason}", consumer.name())),
                Err(error) => {
                    let error = match error {
                        DeliveryError::Transient(m) => DeliveryError::Transient(format!("{}: {m}", consumer.name())),
                        DeliveryError::Permanent(m) => DeliveryError::Permanent(format!("{}: {m}", consumer.name())),
                    };
                    // A permanent failure wins over a transient one: retrying cannot help.
                    if !matches!(failure, Some(DeliveryError::Permanent(_))) {
                        failure = Some(error);
                    }
                }
            }
        }
        let now = self.clock.now();
        let (update, outcome) = match failure {
            Some(DeliveryError::Transient(error)) if row.attempts < self.policy.max_attempts => {
                let available_at = now + self.policy.backoff(message.id, row.attempts);
                let outcome = RowOutcome::Retrying { attempts: row.attempts, error: error.clone() };
                (OutboxUpdate::Retry { available_at, error }, outcome)
            }
            Some(DeliveryError::Transient(error) | DeliveryError::Permanent(error)) => {
                let outcome = RowOutcome::Failed { attempts: row.attempts, error: error.clone() };
                (OutboxUpdate::Failed { error }, outcome)
            }
            None if !skipped.is_empty() => {
                let reason = skipped.join("; ");
                (OutboxUpdate::Skipped { at: now, reason: reason.clone() }, RowOutcome::Skipped(reason))
            }
            None => (OutboxUpdate::Done { at: now }, RowOutcome::Done),
        };
        if self.store.update_outbox(message.id, row.attempts, update).await? {
            Ok(outcome)
        } else {
            Ok(RowOutcome::LeaseLost)
        }
    }

    /// Gives a claimed row back unstarted (graceful shutdown): pending again at once, the
    /// claim not counted.
    pub async fn release(&self, row: &ClaimedMessage) -> Result<RowOutcome, StoreError> {
        if self.store.update_outbox(row.message.id, row.attempts, OutboxUpdate::Release).await? {
            Ok(RowOutcome::Released)
        } else {
            Ok(RowOutcome::LeaseLost)
        }
    }
}

#[cfg(all(test, feature = "mocks"))]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::ids::{ClientId, TicketId};
    use crate::notify::ports::{MockOutboxConsumer, MockOutboxStore};
    use crate::outbox::OutboxMessage;
    use chrono::{Duration, Utc};
    use mockall::predicate::*;

    fn claimed(topic: &str, attempts: i32, completed: &[&str]) -> ClaimedMessage {
        let now = Utc::now();
        ClaimedMessage {
            message: OutboxMessage {
                id: Uuid::now_v7(),
                client_id: ClientId::new("c"),
                ticket_id: Some(TicketId::new()),
                topic: topic.into(),
                payload: serde_json::json!({}),
                created_at: now,
            },
            attempts,
            lease_until: now + Duration::minutes(5),
            completed: completed.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn consumer(
        name: &'static str,
        topic: &'static str,
        result: Result<Delivery, DeliveryError>,
    ) -> MockOutboxConsumer {
        let mut consumer = MockOutboxConsumer::new();
        consumer.expect_name().return_const(name);
        consumer.expect_wants().returning(move |t| t == topic);
        consumer.expect_deliver().times(1).return_once(move |_| result);
        consumer
    }

    fn worker(store: MockOutboxStore, consumers: Vec<MockOutboxConsumer>) -> OutboxWorker {
        let consumers = consumers.into_iter().map(|c| Arc::new(c) as Arc<dyn OutboxConsumer>).collect();
        OutboxWorker::new(Arc::new(store), consumers, Arc::new(FixedClock::new(Utc::now())), RetryPolicy::default())
    }

    #[test]
    fn every_matching_consumer_delivers_and_the_row_is_done() {
        let row = claimed("ticket.created", 1, &[]);
        let mut store = MockOutboxStore::new();
        store.expect_record_consumer().times(2).returning(|_, _, _| Ok(()));
        store
            .expect_update_outbox()
            .with(eq(row.message.id), eq(1), function(|u| matches!(u, OutboxUpdate::Done { .. })))
            .times(1)
            .returning(|_, _, _| Ok(true));
        let mut other = MockOutboxConsumer::new();
        other.expect_name().return_const("other");
        other.expect_wants().returning(|_| false);
        other.expect_deliver().never();
        let worker = worker(
            store,
            vec![
                consumer("email", "ticket.created", Ok(Delivery::Sent)),
                consumer("crm", "ticket.created", Ok(Delivery::NotNeeded)),
                other,
            ],
        );
        assert_eq!(futures::executor::block_on(worker.deliver(&row)), Ok(RowOutcome::Done));
    }

    #[test]
    fn a_transient_failure_retries_after_a_backoff_and_keeps_what_was_delivered() {
        let row = claimed("ticket.status_changed", 2, &[]);
        let id = row.message.id;
        let mut store = MockOutboxStore::new();
        // The CRM delivered: recorded, so the retry runs only the email consumer.
        store.expect_record_consumer().with(eq(id), eq("crm"), always()).times(1).returning(|_, _, _| Ok(()));
        let policy = RetryPolicy::default();
        store
            .expect_update_outbox()
            .withf(move |i, attempts, update| {
                let OutboxUpdate::Retry { available_at, error } = update else { return false };
                let delay = *available_at - Utc::now();
                *i == id
                    && *attempts == 2
                    && error.contains("email: connection refused")
                    && delay > Duration::seconds(25)
                    && delay <= Duration::seconds(61)
            })
            .times(1)
            .returning(|_, _, _| Ok(true));
        let worker = OutboxWorker::new(
            Arc::new(store),
            vec![
                Arc::new(consumer(
                    "email",
                    "ticket.status_changed",
                    Err(DeliveryError::Transient("connection refused".into())),
                )),
                Arc::new(consumer("crm", "ticket.status_changed", Ok(Delivery::Sent))),
            ],
            Arc::new(FixedClock::new(Utc::now())),
            policy,
        );
        let outcome = futures::executor::block_on(worker.deliver(&row));
        assert!(matches!(outcome, Ok(RowOutcome::Retrying { attempts: 2, .. })), "{outcome:?}");
    }

    #[test]
    fn a_consumer_that_finished_on_an_earlier_attempt_is_not_run_again() {
        let row = claimed("ticket.created", 3, &["email"]);
        let mut store = MockOutboxStore::new();
        store.expect_record_consumer().times(1).returning(|_, _, _| Ok(()));
        store.expect_update_outbox().times(1).returning(|_, _, _| Ok(true));
        let mut email = MockOutboxConsumer::new();
        email.expect_name().return_const("email");
        email.expect_wants().returning(|_| true);
        email.expect_deliver().never();
        let worker = worker(store, vec![email, consumer("crm", "ticket.created", Ok(Delivery::Sent))]);
        assert_eq!(futures::executor::block_on(worker.deliver(&row)), Ok(RowOutcome::Done));
    }

    #[test]
    fn the_last_allowed_attempt_fails_the_row_and_a_permanent_error_fails_it_at_once() {
        let max = RetryPolicy::default().max_attempts;
        for (attempts, error) in [
            (max, DeliveryError::Transient("timeout".into())),
            (1, DeliveryError::Permanent("401 unauthorized".into())),
        ] {
            let row = claimed("ticket.created", attempts, &[]);
            let mut store = MockOutboxStore::new();
            store
                .expect_update_outbox()
                .with(always(), eq(attempts), function(|u| matches!(u, OutboxUpdate::Failed { .. })))
                .times(1)
                .returning(|_, _, _| Ok(true));
            let worker = worker(store, vec![consumer("crm", "ticket.created", Err(error))]);
            let outcome = futures::executor::block_on(worker.deliver(&row));
            assert!(matches!(outcome, Ok(RowOutcome::Failed { .. })), "{outcome:?}");
        }
    }

    #[test]
    fn an_unconfigured_channel_skips_the_row_loudly() {
        let row = claimed("ticket.created", 1, &[]);
        let mut store = MockOutboxStore::new();
        store
            .expect_update_outbox()
            .with(
                always(),
                eq(1),
                function(|u| matches!(u, OutboxUpdate::Skipped { reason, .. } if reason.contains("email: no SMTP"))),
            )
            .times(1)
            .returning(|_, _, _| Ok(true));
        let worker =
            worker(store, vec![consumer("email", "ticket.created", Ok(Delivery::Skipped("no SMTP server".into())))]);
        let outcome = futures::executor::block_on(worker.deliver(&row));
        assert!(matches!(outcome, Ok(RowOutcome::Skipped(_))), "{outcome:?}");
    }

    #[test]
    fn a_row_whose_lease_was_lost_reports_it_and_release_gives_rows_back() {
        let row = claimed("ticket.created", 1, &[]);
        let mut store = MockOutboxStore::new();
        store.expect_record_consumer().returning(|_, _, _| Ok(()));
        store
            .expect_update_outbox()
            .with(always(), always(), function(|u| matches!(u, OutboxUpdate::Done { .. })))
            .returning(|_, _, _| Ok(false));
        store
            .expect_update_outbox()
            .with(always(), eq(1), eq(OutboxUpdate::Release))
            .times(1)
            .returning(|_, _, _| Ok(true));
        let worker = worker(store, vec![consumer("email", "ticket.created", Ok(Delivery::Sent))]);
        assert_eq!(futures::executor::block_on(worker.deliver(&row)), Ok(RowOutcome::LeaseLost));
        assert_eq!(futures::executor::block_on(worker.release(&row)), Ok(RowOutcome::Released));
    }

    #[test]
    fn a_pass_claims_with_the_lease_of_the_policy() {
        let clock = Arc::new(FixedClock::new(Utc::now()));
        let now = clock.now();
        let mut store = MockOutboxStore::new();
        store
            .expect_claim_outbox()
            .with(eq(now), eq(now + Duration::minutes(5)), eq(20))
            .times(1)
            .returning(|_, _, _| Ok(vec![]));
        let worker = OutboxWorker::new(Arc::new(store), vec![], clock, RetryPolicy::default());
        assert_eq!(futures::executor::block_on(worker.run_once()).map(|r| r.claimed()), Ok(0));
    }
}
