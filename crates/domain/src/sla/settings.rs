//! A client's SLA settings: the policy (targets, counting, calendar, at-risk share) and what
//! happens when a target breaches (escalation actions). Every change is a new version; a
//! ticket is measured under the version in force when it was raised (see `docs/sla.md`).

use super::policy::{SlaPolicy, SlaPolicyInput};
use crate::ids::{ClientId, UserId};
use crate::validation::FieldErrors;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// One version of a client's SLA settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SlaPolicyId(pub Uuid);

impl SlaPolicyId {
    /// A fresh, time-ordered id.
    pub fn new() -> SlaPolicyId {
        SlaPolicyId(Uuid::now_v7())
    }
}

impl Default for SlaPolicyId {
    fn default() -> Self {
        SlaPolicyId::new()
    }
}

impl fmt::Display for SlaPolicyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for SlaPolicyId {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(SlaPolicyId)
    }
}

/// What the escalation worker does when a target of a ticket breaches while it is still
/// running. Each breach is recorded once, so each action happens once per breach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EscalationActions {
    /// Set the ticket's `escalated` flag (the queue filters on it).
    pub flag_escalated: bool,
    /// Raise the priority one step (low → medium → high); targets are recomputed for it.
    pub raise_priority: bool,
    /// Reassign the ticket to this staff user.
    pub reassign_to: Option<UserId>,
    /// Name the assignee and the client's admins as recipients of the `ticket.sla_warning`
    /// and `ticket.sla_breached` outbox messages.
    pub notify: bool,
}

impl Default for EscalationActions {
    /// Flag and notify; keep priority and assignee.
    fn default() -> Self {
        EscalationActions { flag_escalated: true, raise_priority: false, reassign_to: None, notify: true }
    }
}

/// Escalation actions as the API sends them; an absent field takes its default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EscalationInput {
    #[serde(default)]
    pub flag_escalated: Option<bool>,
    #[serde(default)]
    pub raise_priority: Option<bool>,
    #[serde(default)]
    pub reassign_to: Option<String>,
    #[serde(default)]
    pub notify: Option<bool>,
}

/// The settings as the API sends them: the policy's fields plus `escalation`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlaSettingsInput {
    #[serde(flatten)]
    pub policy: SlaPolicyInput,
    #[serde(default)]
    pub escalation: Option<EscalationInput>,
}

/// One version of a client's SLA settings, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SlaSettings {
    pub id: SlaPolicyId,
    pub client_id: ClientId,
    pub policy: SlaPolicy,
    pub escalation: EscalationActions,
    pub created_at: DateTime<Utc>,
    /// The admin who saved this version.
    pub created_by: UserId,
}

impl EscalationActions {
    /// Validates the shape (the escalation agent's being staff is checked by the use case).
    /// Errors are on `escalation.<field>`.
    pub fn from_input(input: Option<&EscalationInput>) -> Result<EscalationActions, FieldErrors> {
        let defaults = EscalationActions::default();
        let Some(input) = input else { return Ok(defaults) };
        let reassign_to = match input.reassign_to.as_deref().map(str::trim) {
            None => None,
            Some("") => {
                return Err(FieldErrors::single("escalation.reassignTo", "must be a staff user's id or null"));
            }
            Some(id) if id.chars().count() > 200 => {
                return Err(FieldErrors::single("escalation.reassignTo", "must be at most 200 characters"));
            }
            Some(id) => Some(UserId::new(id)),
        };
        Ok(EscalationActions {
            flag_escalated: input.flag_escalated.unwrap_or(defaults.flag_escalated),
            raise_priority: input.raise_priority.unwrap_or(defaults.raise_priority),
            reassign_to,
            notify: input.notify.unwrap_or(defaults.notify),
        })
    }

    pub fn to_input(&self) -> EscalationInput {
        EscalationInput {
            flag_escalated: Some(self.flag_escalated),
            raise_priority: Some(self.raise_priority),
            reassign_to: self.reassign_to.as_ref().map(|u| u.as_str().to_owned()),
            notify: Some(self.notify),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_escalation_takes_the_defaults() {
        assert_eq!(EscalationActions::from_input(None), Ok(EscalationActions::default()));
        let partial = EscalationInput { raise_priority: Some(true), ..EscalationInput::default() };
        let actions = EscalationActions::from_input(Some(&partial)).unwrap_or_default();
        assert!(actions.raise_priority && actions.flag_escalated && actions.notify);
        assert_eq!(EscalationActions::from_input(Some(&actions.to_input())), Ok(actions));
    }

    #[test]
    fn an_empty_agent_names_the_field() {
        let input = EscalationInput { reassign_to: Some("  ".into()), ..EscalationInput::default() };
        let errors = EscalationActions::from_input(Some(&input)).err().unwrap_or_default();
        assert!(errors.get("escalation.reassignTo").is_some());
    }

    #[test]
    fn settings_input_flattens_the_policy() {
        let json = r#"{"targets": {"low": {"firstResponseMinutes": 1, "resolutionMinutes": 2}},
                       "counting": "around_the_clock", "escalation": {"notify": false}}"#;
        let input: SlaSettingsInput = serde_json::from_str(json).unwrap_or_default();
        assert_eq!(input.policy.counting.as_deref(), Some("around_the_clock"));
        assert_eq!(input.policy.targets.len(), 1);
        assert_eq!(input.escalation.and_then(|e| e.notify), Some(false));
    }
}
