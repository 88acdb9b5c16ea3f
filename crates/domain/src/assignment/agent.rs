//! Agents: every staff user of a client, with availability, an optional capacity and the
//! categories they handle, plus the load and last assignment time the strategies read.

use crate::ids::{CategoryId, UserId};
use crate::ticket::Status;
use crate::validation::FieldErrors;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The most active tickets (open, in progress, waiting) an agent takes from automatic
/// assignment: 0–1000. Zero means "assign me nothing automatically".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Capacity(u32);

impl Capacity {
    pub const MAX: u32 = 1000;

    pub fn new(value: i64) -> Result<Capacity, String> {
        match u32::try_from(value) {
            Ok(v) if v <= Self::MAX => Ok(Capacity(v)),
            _ if value < 0 => Err(format!("must be 0 or more (got {value})")),
            _ => Err(format!("must be at most {} active tickets", Self::MAX)),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<i64> for Capacity {
    type Error = String;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Capacity::new(value)
    }
}

impl From<Capacity> for i64 {
    fn from(capacity: Capacity) -> i64 {
        i64::from(capacity.0)
    }
}

impl fmt::Display for Capacity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The most categories an agent may restrict themselves to.
pub const MAX_AGENT_CATEGORIES: usize = 100;

/// What an admin sets on an agent (and an agent on themselves: `available`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "AgentSettingsInput", into = "AgentSettingsInput")]
pub struct AgentSettings {
    /// Off: the agent takes no automatic assignments (manual ones still work).
    pub available: bool,
    /// `None`: no limit.
    pub capacity: Option<Capacity>,
    /// The categories the agent handles; empty means every category (and uncategorized
    /// tickets). An agent who lists categories does not take uncategorized tickets.
    pub categories: Vec<CategoryId>,
}

impl Default for AgentSettings {
    /// A staff user the desk has just met: available, no capacity limit, every category.
    fn default() -> Self {
        AgentSettings { available: true, capacity: None, categories: Vec::new() }
    }
}

impl AgentSettings {
    /// Validates settings from the API, naming each bad field: `capacity`, `categories`,
    /// `categories[2]`. Absent fields take the defaults (available, no limit, all categories).
    pub fn from_input(input: &AgentSettingsInput) -> Result<AgentSettings, FieldErrors> {
        let mut errors = FieldErrors::new();
        let capacity = match input.capacity {
            None => None,
            Some(raw) => errors.check("capacity", Capacity::new(raw)),
        };
        let categories = parse_category_list(&input.categories, "categories", &mut errors);
        errors.into_result()?;
        Ok(AgentSettings { available: input.available.unwrap_or(true), capacity, categories })
    }

    pub fn to_input(&self) -> AgentSettingsInput {
        AgentSettingsInput {
            available: Some(self.available),
            capacity: self.capacity.map(i64::from),
            categories: self.categories.iter().map(ToString::to_string).collect(),
        }
    }
}

/// Agent settings as the API sends them.
///
/// ```json
/// { "available": true, "capacity": 8, "categories": ["0190c5a8-…"] }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentSettingsInput {
    #[serde(default)]
    pub available: Option<bool>,
    /// Signed so that a negative capacity is a 422 naming the field; `null` means no limit.
    #[serde(default)]
    pub capacity: Option<i64>,
    #[serde(default)]
    pub categories: Vec<String>,
}

impl TryFrom<AgentSettingsInput> for AgentSettings {
    type Error = FieldErrors;
    fn try_from(input: AgentSettingsInput) -> Result<Self, Self::Error> {
        AgentSettings::from_input(&input)
    }
}

impl From<AgentSettings> for AgentSettingsInput {
    fn from(settings: AgentSettings) -> Self {
        settings.to_input()
    }
}

/// Parses a list of category ids at `field`, refusing bad and repeated ids by index.
pub(crate) fn parse_category_list(raw: &[String], field: &str, errors: &mut FieldErrors) -> Vec<CategoryId> {
    if raw.len() > MAX_AGENT_CATEGORIES {
        errors.add(field, format!("must list at most {MAX_AGENT_CATEGORIES} categories"));
        return Vec::new();
    }
    let mut seen: BTreeMap<CategoryId, usize> = BTreeMap::new();
    let mut out = Vec::with_capacity(raw.len());
    for (i, value) in raw.iter().enumerate() {
        let path = format!("{field}[{i}]");
        match value.trim().parse::<CategoryId>() {
            Err(_) => errors.add(&path, format!("`{value}` is not a category id (a UUID)")),
            Ok(id) => match seen.get(&id) {
                Some(first) => errors.add(&path, format!("repeats {field}[{first}]")),
                None => {
                    seen.insert(id, i);
                    out.push(id);
                }
            },
        }
    }
    out
}

/// Why an agent cannot take a ticket automatically right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ineligibility {
    /// Named by a rule but not (or no longer) a staff user of the client.
    NotAnAgent,
    /// Switched off.
    Unavailable,
    /// Restricted to categories that do not include the ticket's (or the ticket has none).
    CategoryNotHandled,
    /// `load >= capacity`.
    AtCapacity,
}

impl Ineligibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Ineligibility::NotAnAgent => "not_an_agent",
            Ineligibility::Unavailable => "unavailable",
            Ineligibility::CategoryNotHandled => "category_not_handled",
            Ineligibility::AtCapacity => "at_capacity",
        }
    }
}

impl fmt::Display for Ineligibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An agent as the strategies see them: settings plus the current state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentProfile {
    pub user_id: UserId,
    pub available: bool,
    pub capacity: Option<Capacity>,
    /// Empty: every category.
    pub categories: Vec<CategoryId>,
    /// Active tickets (open, in progress, waiting) assigned to the agent, however assigned.
    pub load: u32,
    /// The last time any ticket was assigned to the agent (automatically or manually);
    /// `None` if never. Least-loaded ties go to the one assigned longest ago.
    pub last_assigned_at: Option<DateTime<Utc>>,
}

impl AgentProfile {
    pub fn new(
        user_id: UserId,
        settings: AgentSettings,
        load: u32,
        last_assigned_at: Option<DateTime<Utc>>,
    ) -> AgentProfile {
        let AgentSettings { available, capacity, categories } = settings;
        AgentProfile { user_id, available, capacity, categories, load, last_assigned_at }
    }

    pub fn settings(&self) -> AgentSettings {
        AgentSettings { available: self.available, capacity: self.capacity, categories: self.categories.clone() }
    }

    /// Whether the agent handles tickets of `category` (`None`: uncategorized).
    pub fn handles(&self, category: Option<CategoryId>) -> bool {
        self.categories.is_empty() || category.is_some_and(|c| self.categories.contains(&c))
    }

    /// `load < capacity`, or no capacity set.
    pub fn has_room(&self) -> bool {
        self.capacity.is_none_or(|c| self.load < c.get())
    }

    /// How many more tickets automatic assignment may give the agent; `None`: no limit.
    pub fn free_slots(&self) -> Option<u32> {
        self.capacity.map(|c| c.get().saturating_sub(self.load))
    }

    /// Whether automatic assignment may give the agent a ticket of `category` now. The first
    /// reason found is reported: unavailable, then category, then capacity.
    pub fn eligibility(&self, category: Option<CategoryId>) -> Result<(), Ineligibility> {
        if !self.available {
            Err(Ineligibility::Unavailable)
        } else if !self.handles(category) {
            Err(Ineligibility::CategoryNotHandled)
        } else if !self.has_room() {
            Err(Ineligibility::AtCapacity)
        } else {
            Ok(())
        }
    }

    pub fn is_eligible(&self, category: Option<CategoryId>) -> bool {
        self.eligibility(category).is_ok()
    }
}

/// What a manual assignment means for the agent, for the response to say. A manual
/// assignment by an admin is never refused for these reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManualAssignment {
    /// The agent's load once the assignment is committed.
    pub load_after: u32,
    pub capacity: Option<Capacity>,
    /// The assignment adds to the agent's load and takes it above their capacity.
    pub exceeds_capacity: bool,
    /// The agent is switched off (they get the ticket anyway).
    pub agent_unavailable: bool,
    /// The agent does not list the ticket's category (they get the ticket anyway).
    pub outside_categories: bool,
}

/// Checks a manual assignment of a ticket (in `status`, of `category`) to `agent`.
/// `already_theirs`: the ticket is assigned to this agent already, so it is in their load.
/// Only an active ticket adds to a load, so assigning a resolved or closed ticket never
/// exceeds capacity.
pub fn check_manual_assignment(
    agent: &AgentProfile,
    status: Status,
    category: Option<CategoryId>,
    already_theirs: bool,
) -> ManualAssignment {
    let adds = status.is_active() && !already_theirs;
    let load_after = if adds { agent.load.saturating_add(1) } else { agent.load };
    ManualAssignment {
        load_after,
        capacity: agent.capacity,
        exceeds_capacity: adds && agent.capacity.is_some_and(|c| load_after > c.get()),
        agent_unavailable: !agent.available,
        outside_categories: !agent.handles(category),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(capacity: Option<u32>, load: u32) -> AgentProfile {
        AgentProfile {
            user_id: UserId::new("ann"),
            available: true,
            capacity: capacity.map(|c| Capacity::new(i64::from(c)).unwrap_or_else(|e| panic!("{e}"))),
            categories: vec![],
            load,
            last_assigned_at: None,
        }
    }

    #[test]
    fn capacity_is_bounded() {
        assert_eq!(Capacity::new(0).map(Capacity::get), Ok(0));
        assert_eq!(Capacity::new(1000).map(Capacity::get), Ok(1000));
        assert!(Capacity::new(-1).err().is_some_and(|m| m.contains("0 or more")));
        assert!(Capacity::new(1001).err().is_some_and(|m| m.contains("at most 1000")));
        assert!(Capacity::new(i64::MAX).is_err());
        assert!(serde_json::from_str::<Capacity>("-3").is_err());
        assert_eq!(serde_json::from_str::<Capacity>("7").ok(), Capacity::new(7).ok());
    }

    #[test]
    fn eligibility_reasons_in_order() {
        let billing = CategoryId::new();
        let events = CategoryId::new();
        let mut a = agent(Some(2), 1);
        assert_eq!(a.eligibility(None), Ok(()));
        a.load = 2;
        assert_eq!(a.eligibility(None), Err(Ineligibility::AtCapacity));
        a.categories = vec![billing];
        assert_eq!(a.eligibility(Some(events)), Err(Ineligibility::CategoryNotHandled));
        assert_eq!(a.eligibility(None), Err(Ineligibility::CategoryNotHandled), "restricted agents skip uncategorized");
        a.available = false;
        assert_eq!(a.eligibility(Some(billing)), Err(Ineligibility::Unavailable));
        a.available = true;
        a.load = 0;
        assert_eq!(a.eligibility(Some(billing)), Ok(()));
    }

    #[test]
    fn capacity_zero_takes_nothing_and_no_capacity_is_unlimited() {
        assert_eq!(agent(Some(0), 0).eligibility(None), Err(Ineligibility::AtCapacity));
        assert_eq!(agent(Some(0), 0).free_slots(), Some(0));
        assert!(agent(None, 10_000).has_room());
        assert_eq!(agent(None, 3).free_slots(), None);
        assert_eq!(agent(Some(3), 5).free_slots(), Some(0), "over capacity after manual assignments");
        assert_eq!(agent(Some(5), 3).free_slots(), Some(2));
    }

    #[test]
    fn manual_assignment_reports_exceeding_capacity() {
        let full = agent(Some(2), 2);
        let m = check_manual_assignment(&full, Status::Open, None, false);
        assert!(m.exceeds_capacity);
        assert_eq!(m.load_after, 3);
        // Already theirs, or not active: the load does not grow.
        assert!(!check_manual_assignment(&full, Status::InProgress, None, true).exceeds_capacity);
        assert!(!check_manual_assignment(&full, Status::Resolved, None, false).exceeds_capacity);
        assert_eq!(check_manual_assignment(&full, Status::Closed, None, false).load_after, 2);
        // Room left, or no limit.
        assert!(!check_manual_assignment(&agent(Some(3), 2), Status::Waiting, None, false).exceeds_capacity);
        assert!(!check_manual_assignment(&agent(None, 99), Status::Open, None, false).exceeds_capacity);
        // Unavailable and outside categories are reported, not refused.
        let mut off = agent(None, 0);
        off.available = false;
        off.categories = vec![CategoryId::new()];
        let m = check_manual_assignment(&off, Status::Open, Some(CategoryId::new()), false);
        assert!(m.agent_unavailable && m.outside_categories && !m.exceeds_capacity);
    }

    #[test]
    fn settings_validation_names_the_field() {
        let ok = AgentSettings::from_input(&AgentSettingsInput::default());
        assert_eq!(ok, Ok(AgentSettings::default()));
        let billing = CategoryId::new();
        let input = AgentSettingsInput {
            available: Some(false),
            capacity: Some(-1),
            categories: vec![billing.to_string(), "billing".into(), format!(" {billing} ")],
        };
        let errors = AgentSettings::from_input(&input).err().unwrap_or_default();
        assert!(errors.get("capacity").is_some_and(|m| m.contains("0 or more")), "{errors}");
        assert!(errors.get("categories[1]").is_some_and(|m| m.contains("UUID")), "{errors}");
        assert!(errors.get("categories[2]").is_some_and(|m| m.contains("repeats categories[0]")), "{errors}");
        assert_eq!(errors.iter().count(), 3, "{errors}");

        let too_many = AgentSettingsInput {
            categories: (0..=MAX_AGENT_CATEGORIES).map(|_| CategoryId::new().to_string()).collect(),
            ..AgentSettingsInput::default()
        };
        assert!(AgentSettings::from_input(&too_many).err().is_some_and(|e| e.get("categories").is_some()));

        let settings = AgentSettings { available: false, capacity: Capacity::new(4).ok(), categories: vec![billing] };
        let json = serde_json::to_string(&settings).unwrap_or_default();
        assert!(json.contains("\"capacity\":4") && json.contains("\"available\":false"), "{json}");
        assert_eq!(serde_json::from_str::<AgentSettings>(&json).ok(), Some(settings));
        assert!(serde_json::from_str::<AgentSettings>(r#"{"capacity": 5000}"#).is_err());
    }
}
