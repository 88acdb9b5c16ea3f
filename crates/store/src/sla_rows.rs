//! The SLA's rows: a ticket's SLA columns (embedded in `TicketRow` and `TicketChanges`) and
//! the versions of the clients' SLA settings, with their translation to and from the domain.

use crate::rows::{db_time, utc};
use crate::schema::{sla_policies, tickets};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use memberdesk_domain::query::{no_sla_due, sla_due_sort_key};
use memberdesk_domain::sla::{
    EscalationActions, EscalationInput, RecordedSla, SlaPeriods, SlaPolicy, SlaPolicyId, SlaPolicyInput, SlaSettings,
    SlaState, TicketSla,
};
use memberdesk_domain::{ClientId, StoreError, UserId};

fn corrupt(table: &str, id: &str, what: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("corrupt {table} row {id}: {what}"))
}

/// A ticket's SLA columns.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = tickets)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
#[diesel(treat_none_as_default_value = false)]
#[diesel(treat_none_as_null = true)]
pub(crate) struct SlaColumns {
    pub sla_policy_id: Option<String>,
    pub sla_periods: String,
    pub sla_first_response_state: Option<String>,
    pub sla_resolution_state: Option<String>,
    pub sla_due_at: NaiveDateTime,
    pub sla_next_check_at: Option<NaiveDateTime>,
    pub sla_recorded: i16,
    pub sla_first_response_seconds: Option<i64>,
    pub sla_resolution_seconds: Option<i64>,
    pub escalated: bool,
}

impl SlaColumns {
    pub(crate) fn from_domain(sla: &TicketSla) -> SlaColumns {
        SlaColumns {
            sla_policy_id: sla.policy_id.map(|p| p.to_string()),
            // Periods are plain data; serialising them cannot fail.
            sla_periods: serde_json::to_string(&sla.periods).unwrap_or_else(|_| "{}".to_owned()),
            sla_first_response_state: sla.first_response.map(|s| s.as_str().to_owned()),
            sla_resolution_state: sla.resolution.map(|s| s.as_str().to_owned()),
            sla_due_at: db_time(sla_due_sort_key(sla.due_at)),
            sla_next_check_at: sla.next_check_at.map(db_time),
            sla_recorded: sla.recorded.bits(),
            sla_first_response_seconds: sla.first_response_seconds,
            sla_resolution_seconds: sla.resolution_seconds,
            escalated: sla.escalated,
        }
    }

    /// `id` names the ticket in errors.
    pub(crate) fn to_domain(&self, id: &str) -> Result<TicketSla, StoreError> {
        const T: &str = "tickets";
        let state = |column: &str, value: &Option<String>| -> Result<Option<SlaState>, StoreError> {
            value
                .as_deref()
                .map(|v| SlaState::parse(v).map_err(|e| corrupt(T, id, format_args!("{column}: {e}"))))
                .transpose()
        };
        let due_at = utc(self.sla_due_at);
        Ok(TicketSla {
            policy_id: self
                .sla_policy_id
                .as_deref()
                .map(|p| p.parse::<SlaPolicyId>().map_err(|_| corrupt(T, id, format_args!("sla_policy_id `{p}`"))))
                .transpose()?,
            periods: serde_json::from_str::<SlaPeriods>(&self.sla_periods)
                .map_err(|e| corrupt(T, id, format_args!("sla_periods: {e}")))?,
            first_response: state("sla_first_response_state", &self.sla_first_response_state)?,
            resolution: state("sla_resolution_state", &self.sla_resolution_state)?,
            due_at: (due_at < no_sla_due()).then_some(due_at),
            next_check_at: self.sla_next_check_at.map(utc),
            recorded: RecordedSla::from_bits(self.sla_recorded),
            escalated: self.escalated,
            first_response_seconds: self.sla_first_response_seconds,
            resolution_seconds: self.sla_resolution_seconds,
            status: None,
        })
    }
}

/// One version of a client's SLA settings.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sla_policies)]
#[diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
#[diesel(treat_none_as_default_value = false)]
pub(crate) struct SlaPolicyRow {
    pub id: String,
    pub client_id: String,
    pub policy: String,
    pub escalation: String,
    pub created_at: NaiveDateTime,
    pub created_by: String,
}

impl SlaPolicyRow {
    pub(crate) fn from_domain(settings: &SlaSettings) -> Result<SlaPolicyRow, StoreError> {
        let json = |what: &str, value: Result<String, serde_json::Error>| {
            value.map_err(|e| StoreError::Other(format!("cannot serialise the {what} of {}: {e}", settings.id)))
        };
        Ok(SlaPolicyRow {
            id: settings.id.to_string(),
            client_id: settings.client_id.0.clone(),
            policy: json("SLA policy", serde_json::to_string(&settings.policy.to_input()))?,
            escalation: json("escalation actions", serde_json::to_string(&settings.escalation.to_input()))?,
            created_at: db_time(settings.created_at),
            created_by: settings.created_by.0.clone(),
        })
    }

    /// Validates again on the way out: nothing invalid is handed to the domain.
    pub(crate) fn into_domain(self) -> Result<SlaSettings, StoreError> {
        const T: &str = "sla_policies";
        let id = &self.id;
        let input: SlaPolicyInput =
            serde_json::from_str(&self.policy).map_err(|e| corrupt(T, id, format_args!("policy: {e}")))?;
        let policy = SlaPolicy::from_input(&input).map_err(|e| corrupt(T, id, format_args!("policy: {e}")))?;
        let escalation: EscalationInput =
            serde_json::from_str(&self.escalation).map_err(|e| corrupt(T, id, format_args!("escalation: {e}")))?;
        let escalation = EscalationActions::from_input(Some(&escalation))
            .map_err(|e| corrupt(T, id, format_args!("escalation: {e}")))?;
        Ok(SlaSettings {
            id: id.parse().map_err(|_| corrupt(T, id, "id is not a UUID"))?,
            client_id: ClientId::new(self.client_id),
            policy,
            escalation,
            created_at: utc(self.created_at),
            created_by: UserId::new(self.created_by),
        })
    }
}
