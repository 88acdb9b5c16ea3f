//! SLA policies: per priority a first-response and a resolution target, counted in business
//! time on a calendar or around the clock, and the share of a target at which it is at risk.

use super::calendar::{BusinessCalendar, CalendarInput};
use crate::ticket::{Priority, allowed_values_message};
use crate::validation::FieldErrors;
use chrono::Duration;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

/// A target in whole minutes: at least 1, at most 365 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct TargetMinutes(u32);

impl TargetMinutes {
    pub const MAX: u32 = 365 * 24 * 60;

    pub fn new(minutes: i64) -> Result<TargetMinutes, String> {
        match u32::try_from(minutes) {
            Ok(m) if (1..=Self::MAX).contains(&m) => Ok(TargetMinutes(m)),
            _ if minutes <= 0 => Err(format!("must be a positive number of minutes (got {minutes})")),
            _ => Err(format!("must be at most {} minutes (365 days)", Self::MAX)),
        }
    }
    pub fn minutes(self) -> u32 {
        self.0
    }
    pub fn duration(self) -> Duration {
        Duration::minutes(i64::from(self.0))
    }
}

/// The two targets of one priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaTargets {
    pub first_response: TargetMinutes,
    pub resolution: TargetMinutes,
}

/// Targets for each priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriorityTargets {
    pub low: SlaTargets,
    pub medium: SlaTargets,
    pub high: SlaTargets,
}

impl PriorityTargets {
    pub fn get(&self, priority: Priority) -> SlaTargets {
        match priority {
            Priority::Low => self.low,
            Priority::Medium => self.medium,
            Priority::High => self.high,
        }
    }
}

/// How a policy's targets are counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaCounting {
    /// Only time inside the calendar's opening hours counts.
    #[default]
    BusinessHours,
    /// Every minute counts (the calendar, if any, is kept but not used).
    AroundTheClock,
}

impl SlaCounting {
    pub const ALL: [SlaCounting; 2] = [SlaCounting::BusinessHours, SlaCounting::AroundTheClock];

    pub fn as_str(self) -> &'static str {
        match self {
            SlaCounting::BusinessHours => "business_hours",
            SlaCounting::AroundTheClock => "around_the_clock",
        }
    }
    pub fn parse(value: &str) -> Result<SlaCounting, String> {
        SlaCounting::ALL
            .into_iter()
            .find(|c| c.as_str() == value)
            .ok_or_else(|| allowed_values_message(value, SlaCounting::ALL.map(SlaCounting::as_str)))
    }
}

impl fmt::Display for SlaCounting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The share of a target after which it is `at_risk`: strictly between 0 and 1, default 0.8.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct AtRiskShare(f64);

impl AtRiskShare {
    pub const DEFAULT: AtRiskShare = AtRiskShare(0.8);

    pub fn new(share: f64) -> Result<AtRiskShare, String> {
        if share.is_finite() && share > 0.0 && share < 1.0 {
            Ok(AtRiskShare(share))
        } else {
            Err(format!("must be a share strictly between 0 and 1, such as 0.8 (got {share})"))
        }
    }
    pub fn value(self) -> f64 {
        self.0
    }
    /// The part of `target` after which it is at risk, to the millisecond; always positive and
    /// below `target` for targets of a minute or more.
    pub fn of(self, target: Duration) -> Duration {
        let millis = target.num_milliseconds() as f64 * self.0;
        Duration::milliseconds(millis.round() as i64)
    }
}

impl Default for AtRiskShare {
    fn default() -> Self {
        AtRiskShare::DEFAULT
    }
}

/// A client's SLA policy. Build it with [`SlaPolicy::new`] or [`SlaPolicy::from_input`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "SlaPolicyInput", into = "SlaPolicyInput")]
pub struct SlaPolicy {
    targets: PriorityTargets,
    counting: SlaCounting,
    calendar: Option<BusinessCalendar>,
    at_risk_share: AtRiskShare,
}

/// A business-hours target may need at most this many weeks of the calendar's nominal hours.
pub const MAX_WEEKS_TO_REACH: i32 = 520;

static AROUND_THE_CLOCK: LazyLock<BusinessCalendar> = LazyLock::new(BusinessCalendar::twenty_four_seven);

impl SlaPolicy {
    /// Counting in business hours needs a calendar; around the clock keeps one if given.
    pub fn new(
        targets: PriorityTargets,
        counting: SlaCounting,
        calendar: Option<BusinessCalendar>,
        at_risk_share: AtRiskShare,
    ) -> Result<SlaPolicy, FieldErrors> {
        let mut errors = FieldErrors::new();
        match (counting, &calendar) {
            (SlaCounting::BusinessHours, None) => errors.add("calendar", "is required when counting business hours"),
            (SlaCounting::BusinessHours, Some(calendar)) => {
                // A target must be reachable in reasonable time on the calendar (a calendar open
                // one minute a week would put a 365-day target in the year 12000).
                let limit = calendar.weekly_open() * MAX_WEEKS_TO_REACH;
                for priority in Priority::ALL {
                    let t = targets.get(priority);
                    for (name, target) in
                        [("firstResponseMinutes", t.first_response), ("resolutionMinutes", t.resolution)]
                    {
                        if target.duration() > limit {
                            errors.add(
                                &format!("targets.{priority}.{name}"),
                                format!(
                                    "takes more than {} years of the calendar's opening hours ({} minutes a week)",
                                    MAX_WEEKS_TO_REACH / 52,
                                    calendar.weekly_open().num_minutes()
                                ),
                            );
                        }
                    }
                }
            }
            (SlaCounting::AroundTheClock, _) => {}
        }
        errors.into_result()?;
        Ok(SlaPolicy { targets, counting, calendar, at_risk_share })
    }

    /// A policy counted around the clock, without a calendar.
    pub fn around_the_clock(targets: PriorityTargets, at_risk_share: AtRiskShare) -> SlaPolicy {
        SlaPolicy { targets, counting: SlaCounting::AroundTheClock, calendar: None, at_risk_share }
    }

    /// Validates a policy from the API, naming every bad field: `targets.high.firstResponseMinutes`,
    /// `targets.urgent`, `counting`, `atRiskShare`, `calendar`, `calendar.timeZone`,
    /// `calendar.hours.monday[1]`, …
    pub fn from_input(input: &SlaPolicyInput) -> Result<SlaPolicy, FieldErrors> {
        let mut errors = FieldErrors::new();

        for key in input.targets.keys() {
            if Priority::parse(key).is_err() {
                errors.add(&format!("targets.{key}"), allowed_values_message(key, Priority::ALL.map(Priority::as_str)));
            }
        }
        let mut target_for = |priority: Priority| -> Option<SlaTargets> {
            let field = format!("targets.{priority}");
            let Some(raw) = input.targets.get(priority.as_str()) else {
                errors.add(&field, "is required: firstResponseMinutes and resolutionMinutes");
                return None;
            };
            let mut minutes = |name: &str, value: Option<i64>| {
                let path = format!("{field}.{name}");
                match value {
                    None => {
                        errors.add(&path, "is required");
                        None
                    }
                    Some(v) => errors.check(&path, TargetMinutes::new(v)),
                }
            };
            let first_response = minutes("firstResponseMinutes", raw.first_response_minutes);
            let resolution = minutes("resolutionMinutes", raw.resolution_minutes);
            Some(SlaTargets { first_response: first_response?, resolution: resolution? })
        };
        let (low, medium, high) = (target_for(Priority::Low), target_for(Priority::Medium), target_for(Priority::High));

        let counting = match &input.counting {
            None => Some(SlaCounting::default()),
            Some(raw) => errors.check("counting", SlaCounting::parse(raw.trim())),
        };
        let at_risk_share = match input.at_risk_share {
            None => Some(AtRiskShare::default()),
            Some(raw) => errors.check("atRiskShare", AtRiskShare::new(raw)),
        };
        let calendar = match &input.calendar {
            None => {
                if counting == Some(SlaCounting::BusinessHours) {
                    errors.add("calendar", "is required when counting business hours");
                }
                None
            }
            Some(raw) => BusinessCalendar::validate(raw, "calendar", &mut errors),
        };

        if !errors.is_empty() {
            return Err(errors);
        }
        match (low, medium, high, counting, at_risk_share) {
            (Some(low), Some(medium), Some(high), Some(counting), Some(at_risk_share)) => {
                SlaPolicy::new(PriorityTargets { low, medium, high }, counting, calendar, at_risk_share)
            }
            _ => Err(FieldErrors::single("targets", "are not valid")),
        }
    }

    pub fn targets(&self) -> &PriorityTargets {
        &self.targets
    }
    pub fn targets_for(&self, priority: Priority) -> SlaTargets {
        self.targets.get(priority)
    }
    pub fn counting(&self) -> SlaCounting {
        self.counting
    }
    /// The calendar as configured (also kept when counting around the clock).
    pub fn calendar(&self) -> Option<&BusinessCalendar> {
        self.calendar.as_ref()
    }
    /// The calendar the clock counts on: the policy's calendar in business hours, or one that is
    /// always open.
    pub fn counting_calendar(&self) -> &BusinessCalendar {
        match (self.counting, &self.calendar) {
            (SlaCounting::BusinessHours, Some(calendar)) => calendar,
            _ => &AROUND_THE_CLOCK,
        }
    }
    pub fn at_risk_share(&self) -> AtRiskShare {
        self.at_risk_share
    }

    /// The raw form, as the API shows it.
    pub fn to_input(&self) -> SlaPolicyInput {
        let targets = Priority::ALL
            .into_iter()
            .map(|p| {
                let t = self.targets.get(p);
                let raw = TargetsInput {
                    first_response_minutes: Some(i64::from(t.first_response.minutes())),
                    resolution_minutes: Some(i64::from(t.resolution.minutes())),
                };
                (p.as_str().to_owned(), raw)
            })
            .collect();
        SlaPolicyInput {
            targets,
            counting: Some(self.counting.as_str().to_owned()),
            calendar: self.calendar.as_ref().map(BusinessCalendar::to_input),
            at_risk_share: Some(self.at_risk_share.value()),
        }
    }
}

/// A policy as the API sends it.
///
/// ```json
/// { "targets": { "low":    { "firstResponseMinutes": 480, "resolutionMinutes": 4800 },
///                "medium": { "firstResponseMinutes": 240, "resolutionMinutes": 2400 },
///                "high":   { "firstResponseMinutes": 60,  "resolutionMinutes": 480 } },
///   "counting": "business_hours",
///   "calendar": { "timeZone": "Europe/London", "hours": { "monday": [{ "start": "09:00", "end": "17:30" }] } },
///   "atRiskShare": 0.8 }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlaPolicyInput {
    /// Keyed by priority (`low`, `medium`, `high`); all three are required.
    #[serde(default)]
    pub targets: BTreeMap<String, TargetsInput>,
    /// `business_hours` (default) or `around_the_clock`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counting: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<CalendarInput>,
    /// Default 0.8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_risk_share: Option<f64>,
}

/// Minutes are signed here so that a negative target is a 422 naming the field, not a 400.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetsInput {
    #[serde(default)]
    pub first_response_minutes: Option<i64>,
    #[serde(default)]
    pub resolution_minutes: Option<i64>,
}

impl TargetsInput {
    pub fn new(first_response_minutes: i64, resolution_minutes: i64) -> TargetsInput {
        TargetsInput {
            first_response_minutes: Some(first_response_minutes),
            resolution_minutes: Some(resolution_minutes),
        }
    }
}

impl TryFrom<SlaPolicyInput> for SlaPolicy {
    type Error = FieldErrors;
    fn try_from(input: SlaPolicyInput) -> Result<Self, Self::Error> {
        SlaPolicy::from_input(&input)
    }
}

impl From<SlaPolicy> for SlaPolicyInput {
    fn from(policy: SlaPolicy) -> Self {
        policy.to_input()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sla::calendar::{IntervalInput, WeeklyHoursInput};

    fn office() -> CalendarInput {
        let day = vec![IntervalInput::new("09:00", "17:00")];
        CalendarInput {
            time_zone: "Europe/London".into(),
            hours: WeeklyHoursInput { monday: day.clone(), friday: day, ..WeeklyHoursInput::default() },
            holidays: vec![],
        }
    }

    fn valid() -> SlaPolicyInput {
        SlaPolicyInput {
            targets: [
                ("low".to_owned(), TargetsInput::new(480, 4800)),
                ("medium".to_owned(), TargetsInput::new(240, 2400)),
                ("high".to_owned(), TargetsInput::new(60, 480)),
            ]
            .into_iter()
            .collect(),
            counting: None,
            calendar: Some(office()),
            at_risk_share: None,
        }
    }

    fn errors_of(input: &SlaPolicyInput) -> FieldErrors {
        SlaPolicy::from_input(input).err().unwrap_or_default()
    }

    #[test]
    fn a_valid_policy_with_defaults() {
        let policy = SlaPolicy::from_input(&valid()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(policy.counting(), SlaCounting::BusinessHours);
        assert_eq!(policy.at_risk_share(), AtRiskShare(0.8));
        assert_eq!(policy.targets_for(Priority::High).first_response.minutes(), 60);
        assert_eq!(policy.targets_for(Priority::Low).resolution.duration(), Duration::minutes(4800));
        assert_eq!(policy.counting_calendar().time_zone(), chrono_tz::Tz::Europe__London);
        // Round trip through the raw form and through JSON.
        assert_eq!(SlaPolicy::from_input(&policy.to_input()).as_ref(), Ok(&policy));
        let json = serde_json::to_string(&policy).unwrap_or_default();
        assert!(json.contains("\"firstResponseMinutes\":60") && json.contains("\"atRiskShare\":0.8"), "{json}");
        assert_eq!(serde_json::from_str::<SlaPolicy>(&json).ok(), Some(policy));
    }

    #[test]
    fn around_the_clock_needs_no_calendar_and_ignores_one() {
        let mut input = valid();
        input.counting = Some("around_the_clock".into());
        input.calendar = None;
        let policy = SlaPolicy::from_input(&input).unwrap_or_else(|e| panic!("{e}"));
        assert!(policy.counting_calendar().is_always_open());
        input.calendar = Some(office());
        let policy = SlaPolicy::from_input(&input).unwrap_or_else(|e| panic!("{e}"));
        assert!(policy.counting_calendar().is_always_open());
        assert!(policy.calendar().is_some(), "kept for when the client switches back");
    }

    #[test]
    fn bad_targets_name_priority_and_field() {
        let mut input = valid();
        input.targets.insert("high".into(), TargetsInput::new(-5, 0));
        input.targets.insert("medium".into(), TargetsInput::new(60, i64::from(TargetMinutes::MAX) + 1));
        input.targets.insert("low".into(), TargetsInput { first_response_minutes: Some(10), resolution_minutes: None });
        input.targets.insert("urgent".into(), TargetsInput::new(1, 1));
        let errors = errors_of(&input);
        assert!(errors.get("targets.high.firstResponseMinutes").is_some_and(|m| m.contains("positive")), "{errors}");
        assert!(errors.get("targets.high.resolutionMinutes").is_some_and(|m| m.contains("positive")), "{errors}");
        assert!(errors.get("targets.medium.resolutionMinutes").is_some_and(|m| m.contains("365 days")), "{errors}");
        assert!(errors.get("targets.low.resolutionMinutes").is_some_and(|m| m.contains("required")), "{errors}");
        assert!(errors.get("targets.urgent").is_some_and(|m| m.contains("low, medium, high")), "{errors}");
        assert_eq!(errors.iter().count(), 5, "{errors}");

        let mut input = valid();
        input.targets.remove("medium");
        assert!(errors_of(&input).get("targets.medium").is_some());
        assert_eq!(
            TargetMinutes::new(i64::MAX).map(TargetMinutes::minutes).err().map(|m| m.contains("at most")),
            Some(true)
        );
        assert_eq!(TargetMinutes::new(525_600).map(TargetMinutes::minutes), Ok(525_600));
    }

    #[test]
    fn bad_share_counting_and_calendar_name_the_field() {
        for share in [0.0, 1.0, -0.2, 1.5, f64::NAN, f64::INFINITY] {
            let mut input = valid();
            input.at_risk_share = Some(share);
            assert!(errors_of(&input).get("atRiskShare").is_some(), "{share}");
        }
        let mut input = valid();
        input.at_risk_share = Some(0.5);
        assert_eq!(SlaPolicy::from_input(&input).map(|p| p.at_risk_share().value()), Ok(0.5));

        let mut input = valid();
        input.counting = Some("sometimes".into());
        assert!(errors_of(&input).get("counting").is_some_and(|m| m.contains("around_the_clock")));

        let mut input = valid();
        input.calendar = None;
        assert!(errors_of(&input).get("calendar").is_some_and(|m| m.contains("required")));

        let mut input = valid();
        let mut calendar = office();
        calendar.time_zone = "Atlantis/Capital".into();
        calendar.hours.monday.push(IntervalInput::new("16:00", "18:00"));
        input.calendar = Some(calendar);
        let errors = errors_of(&input);
        assert!(errors.get("calendar.timeZone").is_some(), "{errors}");
        assert!(errors.get("calendar.hours.monday[1]").is_some_and(|m| m.contains("overlaps")), "{errors}");
    }

    #[test]
    fn targets_unreachable_on_a_sparse_calendar_are_refused() {
        // Open one hour a week: 520 hours is the most a target may be.
        let mut input = valid();
        let mut calendar = office();
        calendar.hours.monday = vec![IntervalInput::new("09:00", "10:00")];
        calendar.hours.friday = vec![];
        input.calendar = Some(calendar);
        input.targets.insert("low".into(), TargetsInput::new(520 * 60, 520 * 60 + 1));
        let errors = errors_of(&input);
        assert!(errors.get("targets.low.firstResponseMinutes").is_none(), "{errors}");
        assert!(errors.get("targets.low.resolutionMinutes").is_some_and(|m| m.contains("10 years")), "{errors}");
        // Around the clock the same targets are fine.
        input.counting = Some("around_the_clock".into());
        assert!(SlaPolicy::from_input(&input).is_ok());
    }

    #[test]
    fn at_risk_share_of_a_target() {
        assert_eq!(AtRiskShare::DEFAULT.of(Duration::minutes(100)), Duration::minutes(80));
        assert_eq!(AtRiskShare(0.5).of(Duration::minutes(1)), Duration::seconds(30));
    }
}
