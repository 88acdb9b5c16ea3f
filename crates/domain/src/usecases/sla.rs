//! SLAs: the client's settings, the `sla` block of the tickets the desk hands out, and the
//! escalation worker's check of one ticket (see `docs/sla.md`).
//!
//! - Every commit of a ticket with an SLA recomputes its snapshot ([`Desk::refresh_sla`]), so
//!   the store's indexes (next check, states, next due time) follow the ticket.
//! - The worker claims tickets whose next check has come and calls [`Desk::check_sla`], which
//!   records `sla_warning` / `sla_breached` events at most once per target and ticket: the
//!   recorded flags travel in the same version-guarded commit as the events, so of two workers
//!   evaluating one ticket only one commits, and the other, re-reading, finds nothing owed.

use super::{Desk, MAX_ATTEMPTS};
use crate::access::{self, Action, Actor, Role, SYSTEM_USER_ID, SYSTEM_USER_NAME};
use crate::error::{DeskError, StoreError};
use crate::event::{Change, TicketEvent};
use crate::ids::{ClientId, EventId, TicketId, UserId};
use crate::outbox::OutboxMessage;
use crate::ports::Commit;
use crate::sla::settings::{EscalationActions, SlaPolicyId, SlaSettings, SlaSettingsInput};
use crate::sla::ticket_sla::{DueSlaEvent, due_events, refresh, status_of};
use crate::sla::{SlaPolicy, SlaTarget};
use crate::ticket::{Priority, Ticket};
use crate::validation::FieldErrors;
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeSet;

/// How long a claimed ticket is kept from other workers while one checks it. A worker that
/// dies mid-check leaves it to be claimed again after this.
const CLAIM_LEASE_SECONDS: i64 = 120;
/// A pass claims batches until none is left, at most this many (a ticket whose check owes a
/// further event is due again at once and may be claimed again in the same pass).
const MAX_BATCHES_PER_PASS: usize = 100;

/// What one check of one ticket committed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlaCheck {
    /// The history entries written (SLA events and escalation actions); empty when nothing
    /// was owed.
    pub changes: Vec<Change>,
}

/// What one pass of the escalation worker did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlaPassReport {
    /// Tickets claimed and checked (a ticket checked twice counts twice).
    pub checked: usize,
    pub warnings: usize,
    pub breaches: usize,
    /// Tickets whose check failed, with the reason (for logs); they are checked again once
    /// their claim lapses.
    pub failed: Vec<(TicketId, String)>,
}

impl Desk {
    /// The client's SLA settings in force, or `None` when it has no SLA (staff).
    pub async fn sla_settings(&self, actor: &Actor) -> Result<Option<SlaSettings>, DeskError> {
        access::authorize(actor, Action::ViewClientSettings)?;
        Ok(self.sla.current_sla_settings(&actor.client_id).await?)
    }

    /// Saves new SLA settings (admins). Tickets raised from now on are measured under them;
    /// tickets already raised keep the version they were raised under. The escalation actions
    /// apply to every breach from now on.
    pub async fn set_sla_settings(&self, actor: &Actor, input: &SlaSettingsInput) -> Result<SlaSettings, DeskError> {
        access::authorize(actor, Action::ManageClientSettings)?;
        let mut errors = FieldErrors::new();
        let policy = SlaPolicy::from_input(&input.policy).map_err(|e| merge(&mut errors, e)).ok();
        let escalation =
            EscalationActions::from_input(input.escalation.as_ref()).map_err(|e| merge(&mut errors, e)).ok();
        if let Some(agent) = escalation.as_ref().and_then(|e| e.reassign_to.as_ref())
            && !self.users.get_user(&actor.client_id, agent).await?.is_some_and(|u| u.is_staff())
        {
            errors.add("escalation.reassignTo", "is not a staff user of this desk");
        }
        let (Some(policy), Some(escalation)) = (policy, escalation) else {
            return Err(DeskError::Validation(errors));
        };
        errors.into_result()?;
        let settings = SlaSettings {
            id: SlaPolicyId::new(),
            client_id: actor.client_id.clone(),
            policy,
            escalation,
            created_at: self.clock.now(),
            created_by: actor.user_id.clone(),
        };
        self.sla.insert_sla_settings(&settings).await?;
        Ok(settings)
    }

    /// Puts a new ticket under the client's settings in force, if there are any.
    pub(super) async fn start_sla(&self, ticket: &mut Ticket, now: DateTime<Utc>) -> Result<(), DeskError> {
        if let Some(settings) = self.sla.current_sla_settings(&ticket.client_id).await? {
            ticket.sla.policy_id = Some(settings.id);
            refresh(&settings.policy, ticket, now);
        }
        Ok(())
    }

    /// Recomputes the SLA snapshot of a ticket about to be committed.
    pub(super) async fn refresh_sla(&self, ticket: &mut Ticket, now: DateTime<Utc>) -> Result<(), DeskError> {
        if let Some(settings) = self.pinned_settings(ticket).await? {
            refresh(&settings.policy, ticket, now);
        }
        Ok(())
    }

    /// The settings version a ticket is measured under.
    async fn pinned_settings(&self, ticket: &Ticket) -> Result<Option<SlaSettings>, DeskError> {
        let Some(id) = ticket.sla.policy_id else { return Ok(None) };
        Ok(self.sla.sla_settings_versions(&ticket.client_id, &[id]).await?.into_iter().next())
    }

    /// Fills in the `sla` status of tickets for the reader: staff see it (computed at the
    /// desk's clock, with one read of the settings versions involved, however many tickets);
    /// members see nothing of the SLA.
    pub(super) async fn present(&self, actor: &Actor, tickets: &mut [Ticket]) -> Result<(), DeskError> {
        if !actor.is_staff() {
            for ticket in tickets.iter_mut() {
                ticket.sla = ticket.sla.hidden();
            }
            return Ok(());
        }
        let ids: BTreeSet<SlaPolicyId> = tickets.iter().filter_map(|t| t.sla.policy_id).collect();
        if ids.is_empty() {
            return Ok(());
        }
        let ids: Vec<SlaPolicyId> = ids.into_iter().collect();
        let versions = self.sla.sla_settings_versions(&actor.client_id, &ids).await?;
        let now = self.clock.now();
        for ticket in tickets.iter_mut() {
            if let Some(settings) = versions.iter().find(|v| Some(v.id) == ticket.sla.policy_id) {
                ticket.sla.status = Some(status_of(&settings.policy, ticket, now));
            }
        }
        Ok(())
    }

    pub(super) async fn present_one(&self, actor: &Actor, ticket: Ticket) -> Result<Ticket, DeskError> {
        let mut tickets = [ticket];
        self.present(actor, &mut tickets).await?;
        let [ticket] = tickets;
        Ok(ticket)
    }

    /// Checks one ticket's SLA at the desk's clock, as the desk itself (no person acts): records
    /// the warnings and breaches owed, applies the escalation actions of a breach, and writes
    /// the new snapshot. Checking again writes no further event.
    pub async fn check_sla(&self, client: &ClientId, id: TicketId) -> Result<SlaCheck, DeskError> {
        for _ in 0..MAX_ATTEMPTS {
            let Some(mut ticket) = self.tickets.get_ticket(client, id).await? else {
                return Ok(SlaCheck::default());
            };
            let now = self.clock.now();
            let Some(pinned) = self.pinned_settings(&ticket).await? else {
                // No SLA (any more): make sure nobody claims it again.
                if ticket.sla.next_check_at.take().is_some() && !self.sla.write_sla_snapshot(&ticket).await? {
                    continue;
                }
                return Ok(SlaCheck::default());
            };
            let status = refresh(&pinned.policy, &mut ticket, now);
            let owed = due_events(&status, ticket.sla.recorded);
            if owed.is_empty() {
                if self.sla.write_sla_snapshot(&ticket).await? {
                    return Ok(SlaCheck::default());
                }
                continue;
            }

            // What to do on a breach is the client's current practice, not the pinned one's.
            let escalation = match self.sla.current_sla_settings(client).await? {
                Some(current) => current.escalation,
                None => pinned.escalation.clone(),
            };
            let agent = match &escalation.reassign_to {
                Some(agent) if owed.iter().any(|e| matches!(e, DueSlaEvent::Breach(_))) => {
                    self.users.get_user(client, agent).await?.filter(|u| u.is_staff()).map(|u| u.id)
                }
                _ => None,
            };
            let assignee_before = ticket.assignee_id.clone();
            let mut changes = Vec::new();
            for event in owed {
                match event {
                    DueSlaEvent::Warning(target) => {
                        ticket.sla.recorded.set_warned(target);
                        changes.push(Change::SlaWarning { target });
                    }
                    DueSlaEvent::Breach(target) => {
                        ticket.sla.recorded.set_warned(target);
                        ticket.sla.recorded.set_breached(target);
                        changes.push(Change::SlaBreached { target });
                        // Only a target still running is escalated: a late reply or resolution
                        // is recorded as a breach, but there is nothing left to chase.
                        if target.of(&status).completed_at.is_none() && ticket.status.is_active() {
                            escalate(&mut ticket, target, &escalation, agent.as_ref(), &mut changes);
                        }
                    }
                }
            }
            // A raised priority has tighter targets: measure again (what that owes is due at once).
            refresh(&pinned.policy, &mut ticket, now);

            let recipients = if escalation.notify {
                let mut recipients: BTreeSet<UserId> =
                    [assignee_before, ticket.assignee_id.clone()].into_iter().flatten().collect();
                recipients.extend(
                    self.users
                        .list_staff(client)
                        .await?
                        .into_iter()
                        .filter(|u| u.roles.contains(&Role::ClientAdmin))
                        .map(|u| u.id),
                );
                recipients.into_iter().collect()
            } else {
                Vec::new()
            };
            let current_version = ticket.version;
            ticket.version = current_version + 1;
            ticket.updated_at = now;
            let commit = system_commit(&ticket, now, &changes, &recipients);
            match self.tickets.update_ticket(&ticket, current_version, commit).await {
                Ok(()) => return Ok(SlaCheck { changes }),
                Err(StoreError::VersionConflict) => continue,
                Err(other) => return Err(other.into()),
            }
        }
        Err(DeskError::Contended)
    }

    /// One pass of the escalation worker: claims the tickets whose next SLA check has come, in
    /// batches of `batch`, and checks each, until none is left. Failures are reported, not
    /// fatal; only a failure to claim ends the pass with an error.
    pub async fn run_sla_checks(&self, batch: u32) -> Result<SlaPassReport, DeskError> {
        let mut report = SlaPassReport::default();
        for _ in 0..MAX_BATCHES_PER_PASS {
            let now = self.clock.now();
            let claimed =
                self.sla.claim_sla_checks(now, now + Duration::seconds(CLAIM_LEASE_SECONDS), batch.max(1)).await?;
            if claimed.is_empty() {
                break;
            }
            for claim in claimed {
                report.checked += 1;
                match self.check_sla(&claim.client_id, claim.ticket_id).await {
                    Ok(check) => {
                        for change in &check.changes {
                            match change {
                                Change::SlaWarning { .. } => report.warnings += 1,
                                Change::SlaBreached { .. } => report.breaches += 1,
                                _ => {}
                            }
                        }
                    }
                    Err(error) => report.failed.push((claim.ticket_id, error.to_string())),
                }
            }
        }
        Ok(report)
    }
}

/// What a member may see of a ticket the desk just wrote.
pub(super) fn visible_to(actor: &Actor, mut ticket: Ticket) -> Ticket {
    if !actor.is_staff() {
        ticket.sla = ticket.sla.hidden();
    }
    ticket
}

/// The escalation actions of one breach.
fn escalate(
    ticket: &mut Ticket,
    target: SlaTarget,
    actions: &EscalationActions,
    agent: Option<&UserId>,
    changes: &mut Vec<Change>,
) {
    if actions.flag_escalated && !ticket.sla.escalated {
        ticket.sla.escalated = true;
        changes.push(Change::Escalated { target });
    }
    if actions.raise_priority {
        let raised = match ticket.priority {
            Priority::Low => Some(Priority::Medium),
            Priority::Medium => Some(Priority::High),
            Priority::High => None,
        };
        if let Some(to) = raised {
            let from = std::mem::replace(&mut ticket.priority, to);
            changes.push(Change::PriorityChanged { from, to });
        }
    }
    if let Some(agent) = agent
        && ticket.assignee_id.as_ref() != Some(agent)
    {
        let from = ticket.assignee_id.replace(agent.clone());
        changes.push(Change::AssigneeChanged { from, to: Some(agent.clone()), assigned_by: None });
    }
}

/// The desk's own commit: events by the system actor, one outbox row each; the SLA events'
/// rows name their recipients (`recipients`: user ids) for the notifications worker.
fn system_commit(ticket: &Ticket, now: DateTime<Utc>, changes: &[Change], recipients: &[UserId]) -> Commit {
    let events: Vec<TicketEvent> = changes
        .iter()
        .map(|change| TicketEvent {
            id: EventId::new(),
            ticket_id: ticket.id,
            client_id: ticket.client_id.clone(),
            actor_id: UserId::new(SYSTEM_USER_ID),
            actor_name: SYSTEM_USER_NAME.to_owned(),
            at: now,
            change: change.clone(),
        })
        .collect();
    let outbox = events
        .iter()
        .map(|event| {
            let mut message = OutboxMessage::for_event(event);
            if matches!(event.change, Change::SlaWarning { .. } | Change::SlaBreached { .. })
                && let serde_json::Value::Object(payload) = &mut message.payload
            {
                payload.insert("recipients".into(), serde_json::json!(recipients));
            }
            message
        })
        .collect();
    Commit { events, outbox, ..Commit::default() }
}

fn merge(into: &mut FieldErrors, errors: FieldErrors) {
    for (field, message) in errors.iter() {
        into.add(field, message.clone());
    }
}

#[cfg(all(test, feature = "mocks"))]
#[path = "sla_tests.rs"]
mod tests;
