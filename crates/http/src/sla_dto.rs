//! The JSON shapes (camelCase) of SLAs: a ticket's `sla` block, the client's SLA settings
//! (`/api/settings/sla`) and the SLA section of the queue statistics. Re-exported from
//! [`crate::dto`].

use crate::dto::{DurationStatsDto, PriorityDto};
use chrono::{DateTime, Utc};
use memberdesk_domain::Ticket;
use memberdesk_domain::sla::{
    CalendarInput, EscalationActions, EscalationInput, IntervalInput, SlaGroupReport, SlaPolicyInput, SlaReport,
    SlaReportGroup, SlaSettings, SlaSettingsInput, SlaState, SlaTarget, SlaTargetReport, TargetStatus, TargetsInput,
    WeeklyHoursInput,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------
// A ticket's SLA
// ---------------------------------------------------------------------------------------------

/// Where an SLA target stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SlaStateDto {
    Pending,
    AtRisk,
    Met,
    Breached,
}

impl From<SlaState> for SlaStateDto {
    fn from(state: SlaState) -> Self {
        match state {
            SlaState::Pending => SlaStateDto::Pending,
            SlaState::AtRisk => SlaStateDto::AtRisk,
            SlaState::Met => SlaStateDto::Met,
            SlaState::Breached => SlaStateDto::Breached,
        }
    }
}

/// One of a ticket's two SLA targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SlaTargetDto {
    FirstResponse,
    Resolution,
}

impl From<SlaTarget> for SlaTargetDto {
    fn from(target: SlaTarget) -> Self {
        match target {
            SlaTarget::FirstResponse => SlaTargetDto::FirstResponse,
            SlaTarget::Resolution => SlaTargetDto::Resolution,
        }
    }
}

/// One target of a ticket, at the time of the response. Seconds are counted time: business
/// time when the policy counts business hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SlaTargetStatusDto {
    pub state: SlaStateDto,
    /// The deadline; while paused, when it would be if the clock resumed now.
    pub due_at: DateTime<Utc>,
    /// When the target is (or became) at risk.
    pub at_risk_at: DateTime<Utc>,
    /// Counted time left before the deadline (0 once used up).
    pub remaining_seconds: i64,
    /// Counted time past the deadline (0 when not past it).
    pub overdue_seconds: i64,
    /// Counted time used so far (or until completion).
    pub elapsed_seconds: i64,
    /// The target for the ticket's current priority.
    pub target_seconds: i64,
    /// The clock stands still: the ticket is waiting on the member.
    pub paused: bool,
    /// The first public staff reply, or the resolution in force; `null` while running.
    pub completed_at: Option<DateTime<Utc>>,
}

impl From<&TargetStatus> for SlaTargetStatusDto {
    fn from(t: &TargetStatus) -> Self {
        SlaTargetStatusDto {
            state: t.state.into(),
            due_at: t.due_at,
            at_risk_at: t.warn_at,
            remaining_seconds: t.remaining.num_seconds(),
            overdue_seconds: t.overdue.num_seconds(),
            elapsed_seconds: t.elapsed.num_seconds(),
            target_seconds: t.target.num_seconds(),
            paused: t.paused,
            completed_at: t.completed_at,
        }
    }
}

/// A ticket's SLA: both targets. `null` for a ticket without SLA (its client had no policy
/// when it was raised) and for members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TicketSlaDto {
    pub first_response: SlaTargetStatusDto,
    pub resolution: SlaTargetStatusDto,
}

impl TicketSlaDto {
    pub fn of(ticket: &Ticket) -> Option<TicketSlaDto> {
        ticket
            .sla
            .status
            .as_ref()
            .map(|s| TicketSlaDto { first_response: (&s.first_response).into(), resolution: (&s.resolution).into() })
    }
}

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

/// The targets of one priority, in minutes (1–525 600).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SlaTargetsDto {
    #[serde(default)]
    #[schema(required = true, example = 60)]
    pub first_response_minutes: Option<i64>,
    #[serde(default)]
    #[schema(required = true, example = 480)]
    pub resolution_minutes: Option<i64>,
}

/// An opening interval, `[start, end)`, local time `HH:MM` (`end` may be `24:00`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OpeningIntervalDto {
    #[serde(default)]
    #[schema(example = "09:00")]
    pub start: String,
    #[serde(default)]
    #[schema(example = "17:30")]
    pub end: String,
}

/// Opening intervals per weekday (several a day allowed, no overlaps); a missing day is closed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WeeklyHoursDto {
    #[serde(default)]
    pub monday: Vec<OpeningIntervalDto>,
    #[serde(default)]
    pub tuesday: Vec<OpeningIntervalDto>,
    #[serde(default)]
    pub wednesday: Vec<OpeningIntervalDto>,
    #[serde(default)]
    pub thursday: Vec<OpeningIntervalDto>,
    #[serde(default)]
    pub friday: Vec<OpeningIntervalDto>,
    #[serde(default)]
    pub saturday: Vec<OpeningIntervalDto>,
    #[serde(default)]
    pub sunday: Vec<OpeningIntervalDto>,
    /// Any other key is refused as an unknown weekday (422).
    #[serde(flatten, default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schema(ignore)]
    pub unknown: BTreeMap<String, serde_json::Value>,
}

/// A business calendar: IANA time zone, weekly hours, holidays (dates in that zone).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SlaCalendarDto {
    #[serde(default)]
    #[schema(required = true, example = "Europe/London")]
    pub time_zone: String,
    #[serde(default)]
    pub hours: WeeklyHoursDto,
    #[serde(default)]
    #[schema(example = json!(["2026-12-25"]))]
    pub holidays: Vec<String>,
}

/// What happens when a target breaches while the ticket still waits for it. Absent fields take
/// their defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EscalationDto {
    /// Flag the ticket as escalated (default true).
    #[serde(default)]
    pub flag_escalated: Option<bool>,
    /// Raise the priority one step (default false).
    #[serde(default)]
    pub raise_priority: Option<bool>,
    /// Reassign to this staff user (default none).
    #[serde(default)]
    pub reassign_to: Option<String>,
    /// Name the assignee and the admins as recipients of the warning and breach messages
    /// (default true).
    #[serde(default)]
    pub notify: Option<bool>,
}

/// `PUT /api/settings/sla`: the policy and its escalation actions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateSlaSettingsRequest {
    /// Keyed by priority: `low`, `medium` and `high`, all three.
    #[serde(default)]
    #[schema(required = true)]
    pub targets: BTreeMap<String, SlaTargetsDto>,
    /// `business_hours` (default) or `around_the_clock`.
    #[serde(default)]
    pub counting: Option<String>,
    /// Required when counting business hours.
    #[serde(default)]
    pub calendar: Option<SlaCalendarDto>,
    /// The share of a target after which it is at risk, strictly between 0 and 1 (default 0.8).
    #[serde(default)]
    pub at_risk_share: Option<f64>,
    #[serde(default)]
    pub escalation: Option<EscalationDto>,
}

fn interval_in(i: OpeningIntervalDto) -> IntervalInput {
    IntervalInput { start: i.start, end: i.end }
}
fn interval_out(i: &IntervalInput) -> OpeningIntervalDto {
    OpeningIntervalDto { start: i.start.clone(), end: i.end.clone() }
}

impl From<SlaCalendarDto> for CalendarInput {
    fn from(c: SlaCalendarDto) -> Self {
        let days = |d: Vec<OpeningIntervalDto>| d.into_iter().map(interval_in).collect();
        CalendarInput {
            time_zone: c.time_zone,
            hours: WeeklyHoursInput {
                monday: days(c.hours.monday),
                tuesday: days(c.hours.tuesday),
                wednesday: days(c.hours.wednesday),
                thursday: days(c.hours.thursday),
                friday: days(c.hours.friday),
                saturday: days(c.hours.saturday),
                sunday: days(c.hours.sunday),
                unknown: c.hours.unknown,
            },
            holidays: c.holidays,
        }
    }
}

impl From<&CalendarInput> for SlaCalendarDto {
    fn from(c: &CalendarInput) -> Self {
        let days = |d: &Vec<IntervalInput>| d.iter().map(interval_out).collect();
        SlaCalendarDto {
            time_zone: c.time_zone.clone(),
            hours: WeeklyHoursDto {
                monday: days(&c.hours.monday),
                tuesday: days(&c.hours.tuesday),
                wednesday: days(&c.hours.wednesday),
                thursday: days(&c.hours.thursday),
                friday: days(&c.hours.friday),
                saturday: days(&c.hours.saturday),
                sunday: days(&c.hours.sunday),
                unknown: BTreeMap::new(),
            },
            holidays: c.holidays.clone(),
        }
    }
}

impl From<UpdateSlaSettingsRequest> for SlaSettingsInput {
    fn from(r: UpdateSlaSettingsRequest) -> Self {
        SlaSettingsInput {
            policy: SlaPolicyInput {
                targets: r
                    .targets
                    .into_iter()
                    .map(|(priority, t)| {
                        (
                            priority,
                            TargetsInput {
                                first_response_minutes: t.first_response_minutes,
                                resolution_minutes: t.resolution_minutes,
                            },
                        )
                    })
                    .collect(),
                counting: r.counting,
                calendar: r.calendar.map(Into::into),
                at_risk_share: r.at_risk_share,
            },
            escalation: r.escalation.map(|e| EscalationInput {
                flag_escalated: e.flag_escalated,
                raise_priority: e.raise_priority,
                reassign_to: e.reassign_to,
                notify: e.notify,
            }),
        }
    }
}

/// The escalation actions in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EscalationActionsDto {
    pub flag_escalated: bool,
    pub raise_priority: bool,
    pub reassign_to: Option<String>,
    pub notify: bool,
}

impl From<&EscalationActions> for EscalationActionsDto {
    fn from(e: &EscalationActions) -> Self {
        EscalationActionsDto {
            flag_escalated: e.flag_escalated,
            raise_priority: e.raise_priority,
            reassign_to: e.reassign_to.as_ref().map(|u| u.as_str().to_owned()),
            notify: e.notify,
        }
    }
}

/// `GET /api/settings/sla`. A client without SLA gets `{"enabled": false}` and nothing else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SlaSettingsDto {
    /// Whether the client has an SLA. New tickets are measured under these settings.
    pub enabled: bool,
    /// The version in force (every save makes a new one; tickets keep theirs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<BTreeMap<String, SlaTargetsDto>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counting: Option<String>,
    /// Kept also when counting around the clock (unused then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<SlaCalendarDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_risk_share: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation: Option<EscalationActionsDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    /// The admin who saved them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<String>,
}

impl SlaSettingsDto {
    pub fn of(settings: Option<&SlaSettings>) -> SlaSettingsDto {
        let Some(s) = settings else {
            return SlaSettingsDto {
                enabled: false,
                id: None,
                targets: None,
                counting: None,
                calendar: None,
                at_risk_share: None,
                escalation: None,
                updated_at: None,
                updated_by: None,
            };
        };
        let input = s.policy.to_input();
        SlaSettingsDto {
            enabled: true,
            id: Some(s.id.0),
            targets: Some(
                input
                    .targets
                    .iter()
                    .map(|(p, t)| {
                        (
                            p.clone(),
                            SlaTargetsDto {
                                first_response_minutes: t.first_response_minutes,
                                resolution_minutes: t.resolution_minutes,
                            },
                        )
                    })
                    .collect(),
            ),
            counting: input.counting.clone(),
            calendar: input.calendar.as_ref().map(Into::into),
            at_risk_share: input.at_risk_share,
            escalation: Some((&s.escalation).into()),
            updated_at: Some(s.created_at),
            updated_by: Some(s.created_by.as_str().to_owned()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------

/// One target over a group of tickets with an SLA.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SlaTargetReportDto {
    /// Counted time to completion (business time under business hours), over the tickets that
    /// completed the target.
    pub time: DurationStatsDto,
    pub met: i64,
    pub breached: i64,
    pub at_risk: i64,
    pub pending: i64,
}

impl From<&SlaTargetReport> for SlaTargetReportDto {
    fn from(r: &SlaTargetReport) -> Self {
        SlaTargetReportDto {
            time: (&r.time).into(),
            met: r.met,
            breached: r.breached,
            at_risk: r.at_risk,
            pending: r.pending,
        }
    }
}

/// Both targets over a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SlaGroupReportDto {
    /// Tickets with an SLA in the group.
    pub tickets: i64,
    pub first_response: SlaTargetReportDto,
    pub resolution: SlaTargetReportDto,
}

impl From<&SlaGroupReport> for SlaGroupReportDto {
    fn from(r: &SlaGroupReport) -> Self {
        SlaGroupReportDto {
            tickets: r.tickets,
            first_response: (&r.first_response).into(),
            resolution: (&r.resolution).into(),
        }
    }
}

/// A group of the category breakdown (`key: null` is "no category").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SlaCategoryGroupDto {
    pub key: Option<Uuid>,
    #[serde(flatten)]
    pub report: SlaGroupReportDto,
}

/// A group of the priority breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SlaPriorityGroupDto {
    pub key: PriorityDto,
    #[serde(flatten)]
    pub report: SlaGroupReportDto,
}

/// A group of the agent (assignee) breakdown (`key: null` is "unassigned").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SlaAgentGroupDto {
    pub key: Option<String>,
    #[serde(flatten)]
    pub report: SlaGroupReportDto,
}

/// SLA figures over the tickets the filters select (tickets with an SLA only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SlaReportDto {
    pub overall: SlaGroupReportDto,
    pub by_category: Vec<SlaCategoryGroupDto>,
    /// Every priority, low to high.
    pub by_priority: Vec<SlaPriorityGroupDto>,
    pub by_agent: Vec<SlaAgentGroupDto>,
}

impl From<&SlaReport> for SlaReportDto {
    fn from(r: &SlaReport) -> Self {
        fn groups<K, T>(list: &[SlaReportGroup<K>], build: impl Fn(&K, SlaGroupReportDto) -> T) -> Vec<T> {
            list.iter().map(|g| build(&g.key, (&g.report).into())).collect()
        }
        SlaReportDto {
            overall: (&r.overall).into(),
            by_category: groups(&r.by_category, |k, report| SlaCategoryGroupDto { key: k.map(|c| c.0), report }),
            by_priority: groups(&r.by_priority, |k, report| SlaPriorityGroupDto { key: (*k).into(), report }),
            by_agent: groups(&r.by_agent, |k, report| SlaAgentGroupDto {
                key: k.as_ref().map(|u| u.as_str().to_owned()),
                report,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_settings_say_so_and_nothing_else() {
        let json = serde_json::to_value(SlaSettingsDto::of(None)).unwrap_or_default();
        assert_eq!(json, serde_json::json!({"enabled": false}));
    }

    #[test]
    fn a_request_keeps_unknown_days_for_the_domain_to_refuse() {
        let body = r#"{"targets": {}, "calendar": {"timeZone": "UTC", "hours": {"funday": []}}}"#;
        let request: UpdateSlaSettingsRequest = serde_json::from_str(body).unwrap_or_default();
        let input = SlaSettingsInput::from(request);
        assert!(input.policy.calendar.is_some_and(|c| c.hours.unknown.contains_key("funday")));
    }
}
