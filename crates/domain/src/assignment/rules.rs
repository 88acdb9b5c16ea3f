//! Assignment rules: an ordered list per client. A rule matches tickets on category, priority
//! and keywords, and names a target: one agent, or a pool of agents with a strategy.

use super::agent::parse_category_list;
use super::keywords::{Keyword, Words};
use crate::ids::{CategoryId, UserId};
use crate::ticket::{Priority, Ticket, allowed_values_message};
use crate::validation::FieldErrors;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Limits that keep a rule list a rule list.
pub const MAX_RULES: usize = 100;
pub const MAX_POOL_AGENTS: usize = 100;
pub const MAX_KEYWORDS: usize = 50;

/// A rule's name: one line, 1–80 characters after trimming, unique (case-insensitively) in
/// the client's list. It names the rule in history events and keys the round-robin cursor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RuleName(String);

impl RuleName {
    pub const MAX_CHARS: usize = 80;

    pub fn new(value: &str) -> Result<RuleName, String> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err("must not be empty".into());
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(format!("must be at most {} characters", Self::MAX_CHARS));
        }
        if trimmed.chars().any(char::is_control) {
            return Err("must be a single line without control characters".into());
        }
        Ok(RuleName(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Uniqueness and the round-robin cursor's key: the name in lower case.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for RuleName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a pool's agent is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolStrategy {
    /// In turn, in the pool's order, skipping ineligible agents ([`super::round_robin`]).
    RoundRobin,
    /// The eligible agent with the fewest active tickets ([`super::least_loaded`]).
    LeastLoaded,
}

impl PoolStrategy {
    pub const ALL: [PoolStrategy; 2] = [PoolStrategy::RoundRobin, PoolStrategy::LeastLoaded];

    pub fn as_str(self) -> &'static str {
        match self {
            PoolStrategy::RoundRobin => "round_robin",
            PoolStrategy::LeastLoaded => "least_loaded",
        }
    }

    pub fn parse(value: &str) -> Result<PoolStrategy, String> {
        PoolStrategy::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| allowed_values_message(value, PoolStrategy::ALL.map(PoolStrategy::as_str)))
    }
}

impl fmt::Display for PoolStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whom a matching rule gives the ticket to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleTarget {
    /// Always this agent; if they are not eligible the ticket waits.
    Agent(UserId),
    /// One of these agents (in this order, without repeats), chosen by the strategy.
    Pool { agents: Vec<UserId>, strategy: PoolStrategy },
}

impl RuleTarget {
    /// The agents the target names, in order.
    pub fn agents(&self) -> &[UserId] {
        match self {
            RuleTarget::Agent(agent) => std::slice::from_ref(agent),
            RuleTarget::Pool { agents, .. } => agents,
        }
    }

    pub fn includes(&self, agent: &UserId) -> bool {
        self.agents().contains(agent)
    }
}

/// A rule's conditions. Within one kind any value may match (`billing` or `events`); across
/// kinds all must hold (category and priority and keyword). An empty kind matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleConditions {
    pub categories: Vec<CategoryId>,
    pub priorities: Vec<Priority>,
    /// Matched in the subject or the description (see [`super::keywords`]).
    pub keywords: Vec<Keyword>,
}

impl RuleConditions {
    pub fn matches(&self, facts: &TicketFacts) -> bool {
        let category = self.categories.is_empty() || facts.category_id.is_some_and(|c| self.categories.contains(&c));
        let priority = self.priorities.is_empty() || self.priorities.contains(&facts.priority);
        category
            && priority
            && (self.keywords.is_empty()
                || self.keywords.iter().any(|k| k.matches(&facts.subject) || k.matches(&facts.description)))
    }

    /// Matches every ticket: no condition at all.
    pub fn is_catch_all(&self) -> bool {
        self.categories.is_empty() && self.priorities.is_empty() && self.keywords.is_empty()
    }
}

/// One validated rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentRule {
    name: RuleName,
    conditions: RuleConditions,
    target: RuleTarget,
}

impl AssignmentRule {
    pub fn name(&self) -> &RuleName {
        &self.name
    }
    pub fn conditions(&self) -> &RuleConditions {
        &self.conditions
    }
    pub fn target(&self) -> &RuleTarget {
        &self.target
    }
    pub fn matches(&self, facts: &TicketFacts) -> bool {
        self.conditions.matches(facts)
    }
    /// The key of this rule's round-robin cursor (its name's key).
    pub fn cursor_key(&self) -> String {
        self.name.key()
    }
}

/// A client's rules, in order; the first matching rule decides. Empty: nothing is assigned
/// automatically. Build with [`AssignmentRules::from_input`]; (de)serializes as
/// [`AssignmentRulesInput`], validating on the way in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "AssignmentRulesInput", into = "AssignmentRulesInput")]
pub struct AssignmentRules {
    rules: Vec<AssignmentRule>,
}

impl AssignmentRules {
    pub fn rules(&self) -> &[AssignmentRule] {
        &self.rules
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The first rule that matches, with its index.
    pub fn first_match(&self, facts: &TicketFacts) -> Option<(usize, &AssignmentRule)> {
        self.rules.iter().enumerate().find(|(_, rule)| rule.matches(facts))
    }

    /// Validates a rule list from the API, naming every bad field: `rules`, `rules[2]`,
    /// `rules[2].name`, `rules[2].categories[0]`, `rules[2].priorities[1]`,
    /// `rules[2].keywords[3]`, `rules[2].agent`, `rules[2].pool`, `rules[2].pool[1]`,
    /// `rules[2].strategy`. Whether the named agents and categories exist is checked
    /// separately ([`AssignmentRules::check_references`]), so that stored rules still load
    /// after a staff user leaves.
    pub fn from_input(input: &AssignmentRulesInput) -> Result<AssignmentRules, FieldErrors> {
        let mut errors = FieldErrors::new();
        if input.rules.len() > MAX_RULES {
            errors.add("rules", format!("must have at most {MAX_RULES} rules"));
            return Err(errors);
        }
        let mut names: BTreeMap<String, usize> = BTreeMap::new();
        let mut rules = Vec::with_capacity(input.rules.len());
        for (i, raw) in input.rules.iter().enumerate() {
            let prefix = format!("rules[{i}]");
            let name = errors.check(&format!("{prefix}.name"), RuleName::new(&raw.name));
            if let Some(name) = &name {
                match names.get(&name.key()) {
                    Some(first) => errors.add(&format!("{prefix}.name"), format!("repeats the name of rules[{first}]")),
                    None => {
                        names.insert(name.key(), i);
                    }
                }
            }
            let conditions = validate_conditions(raw, &prefix, &mut errors);
            let target = validate_target(raw, &prefix, &mut errors);
            if let (Some(name), Some(conditions), Some(target)) = (name, conditions, target) {
                rules.push(AssignmentRule { name, conditions, target });
            }
        }
        errors.into_result()?;
        Ok(AssignmentRules { rules })
    }

    /// Checks that every agent a rule names is a staff user of the client and every category
    /// exists (archived categories are allowed), naming the field of each unknown one.
    pub fn check_references(
        &self,
        is_agent: impl Fn(&UserId) -> bool,
        is_category: impl Fn(&CategoryId) -> bool,
    ) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        for (i, rule) in self.rules.iter().enumerate() {
            for (j, category) in rule.conditions.categories.iter().enumerate() {
                if !is_category(category) {
                    errors.add(&format!("rules[{i}].categories[{j}]"), format!("no category has the id {category}"));
                }
            }
            match &rule.target {
                RuleTarget::Agent(agent) => {
                    if !is_agent(agent) {
                        errors.add(&format!("rules[{i}].agent"), format!("`{agent}` is not a staff user of this desk"));
                    }
                }
                RuleTarget::Pool { agents, .. } => {
                    for (j, agent) in agents.iter().enumerate() {
                        if !is_agent(agent) {
                            errors.add(
                                &format!("rules[{i}].pool[{j}]"),
                                format!("`{agent}` is not a staff user of this desk"),
                            );
                        }
                    }
                }
            }
        }
        errors.into_result()
    }

    /// The raw form, as the API shows it.
    pub fn to_input(&self) -> AssignmentRulesInput {
        let rules = self
            .rules
            .iter()
            .map(|rule| {
                let (agent, pool, strategy) = match &rule.target {
                    RuleTarget::Agent(agent) => (Some(agent.to_string()), None, None),
                    RuleTarget::Pool { agents, strategy } => (
                        None,
                        Some(agents.iter().map(ToString::to_string).collect()),
                        Some(strategy.as_str().to_owned()),
                    ),
                };
                RuleInput {
                    name: rule.name.as_str().to_owned(),
                    categories: rule.conditions.categories.iter().map(ToString::to_string).collect(),
                    priorities: rule.conditions.priorities.iter().map(|p| p.as_str().to_owned()).collect(),
                    keywords: rule.conditions.keywords.iter().map(|k| k.as_str().to_owned()).collect(),
                    agent,
                    pool,
                    strategy,
                }
            })
            .collect();
        AssignmentRulesInput { rules }
    }
}

fn validate_conditions(raw: &RuleInput, prefix: &str, errors: &mut FieldErrors) -> Option<RuleConditions> {
    let before = errors.iter().count();
    let categories = parse_category_list(&raw.categories, &format!("{prefix}.categories"), errors);

    let priorities = parse_unique_list(
        &raw.priorities,
        &format!("{prefix}.priorities"),
        errors,
        |value| Priority::parse(value.trim()),
        |a, b| a == b,
    );

    let keywords = if raw.keywords.len() > MAX_KEYWORDS {
        errors.add(&format!("{prefix}.keywords"), format!("must list at most {MAX_KEYWORDS} keywords"));
        Vec::new()
    } else {
        parse_unique_list(&raw.keywords, &format!("{prefix}.keywords"), errors, Keyword::new, Keyword::same_as)
    };
    (errors.iter().count() == before).then_some(RuleConditions { categories, priorities, keywords })
}

/// Parses each value of a list at `field[j]`, refusing values that repeat an earlier one
/// (`repeats field[i]`, with the index as the admin wrote it).
fn parse_unique_list<T>(
    raw: &[String],
    field: &str,
    errors: &mut FieldErrors,
    parse: impl Fn(&str) -> Result<T, String>,
    same: impl Fn(&T, &T) -> bool,
) -> Vec<T> {
    let mut accepted: Vec<(usize, T)> = Vec::with_capacity(raw.len());
    for (j, value) in raw.iter().enumerate() {
        let path = format!("{field}[{j}]");
        if let Some(parsed) = errors.check(&path, parse(value)) {
            match accepted.iter().find(|(_, earlier)| same(earlier, &parsed)) {
                Some((first, _)) => errors.add(&path, format!("repeats {field}[{first}]")),
                None => accepted.push((j, parsed)),
            }
        }
    }
    accepted.into_iter().map(|(_, value)| value).collect()
}

fn validate_target(raw: &RuleInput, prefix: &str, errors: &mut FieldErrors) -> Option<RuleTarget> {
    match (&raw.agent, &raw.pool) {
        (Some(_), Some(_)) => {
            errors.add(&format!("{prefix}.agent"), "give either `agent` or `pool`, not both");
            None
        }
        (None, None) => {
            errors.add(prefix, "needs a target: `agent` (one agent) or `pool` (agents) with a `strategy`");
            None
        }
        (Some(agent), None) => {
            let agent = errors.check(&format!("{prefix}.agent"), parse_agent_id(agent));
            if raw.strategy.is_some() {
                errors.add(&format!("{prefix}.strategy"), "applies only to a `pool`; leave it out with `agent`");
                return None;
            }
            agent.map(RuleTarget::Agent)
        }
        (None, Some(pool)) => {
            let strategy = match &raw.strategy {
                None => {
                    errors.add(
                        &format!("{prefix}.strategy"),
                        format!(
                            "is required with a pool: {}",
                            PoolStrategy::ALL.map(PoolStrategy::as_str).join(" or ")
                        ),
                    );
                    None
                }
                Some(value) => errors.check(&format!("{prefix}.strategy"), PoolStrategy::parse(value.trim())),
            };
            let field = format!("{prefix}.pool");
            if pool.is_empty() {
                errors.add(&field, "must name at least one agent");
                return None;
            }
            if pool.len() > MAX_POOL_AGENTS {
                errors.add(&field, format!("must name at most {MAX_POOL_AGENTS} agents"));
                return None;
            }
            let before = errors.iter().count();
            let agents = parse_unique_list(pool, &field, errors, parse_agent_id, |a, b| a == b);
            match (errors.iter().count() == before, strategy) {
                (true, Some(strategy)) => Some(RuleTarget::Pool { agents, strategy }),
                _ => None,
            }
        }
    }
}

fn parse_agent_id(value: &str) -> Result<UserId, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() || trimmed.len() > 200 {
        return Err("must be a staff user's id (1–200 characters)".into());
    }
    Ok(UserId::new(trimmed))
}

/// A rule list as the API sends it.
///
/// ```json
/// { "rules": [
///     { "name": "Urgent billing", "categories": ["0190c5a8-…"], "priorities": ["high"],
///       "agent": "user-17" },
///     { "name": "Refunds", "keywords": ["refund*", "chargeback"],
///       "pool": ["user-17", "user-23", "user-42"], "strategy": "round_robin" },
///     { "name": "Everything else", "pool": ["user-23", "user-42"], "strategy": "least_loaded" }
/// ] }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignmentRulesInput {
    #[serde(default)]
    pub rules: Vec<RuleInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleInput {
    #[serde(default)]
    pub name: String,
    /// Category ids; any of them matches.
    #[serde(default)]
    pub categories: Vec<String>,
    /// `low`, `medium`, `high`; any of them matches.
    #[serde(default)]
    pub priorities: Vec<String>,
    /// Words or phrases, `*` at the end for a prefix; any of them matches.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// A single agent (staff user id) …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// … or a pool of agents, in round-robin order …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<Vec<String>>,
    /// … with `round_robin` or `least_loaded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<String>,
}

impl TryFrom<AssignmentRulesInput> for AssignmentRules {
    type Error = FieldErrors;
    fn try_from(input: AssignmentRulesInput) -> Result<Self, Self::Error> {
        AssignmentRules::from_input(&input)
    }
}

impl From<AssignmentRules> for AssignmentRulesInput {
    fn from(rules: AssignmentRules) -> Self {
        rules.to_input()
    }
}

/// What rules look at in a ticket. The subject and description are split into words once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketFacts {
    pub category_id: Option<CategoryId>,
    pub priority: Priority,
    subject: Words,
    description: Words,
}

impl TicketFacts {
    pub fn new(category_id: Option<CategoryId>, priority: Priority, subject: &str, description: &str) -> TicketFacts {
        TicketFacts { category_id, priority, subject: Words::of(subject), description: Words::of(description) }
    }

    pub fn of(ticket: &Ticket) -> TicketFacts {
        TicketFacts::new(ticket.category_id, ticket.priority, ticket.subject.as_str(), ticket.description.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool_rule(name: &str, pool: &[&str], strategy: &str) -> RuleInput {
        RuleInput {
            name: name.into(),
            pool: Some(pool.iter().map(|s| (*s).to_owned()).collect()),
            strategy: Some(strategy.into()),
            ..RuleInput::default()
        }
    }

    fn agent_rule(name: &str, agent: &str) -> RuleInput {
        RuleInput { name: name.into(), agent: Some(agent.into()), ..RuleInput::default() }
    }

    fn rules(list: Vec<RuleInput>) -> AssignmentRules {
        AssignmentRules::from_input(&AssignmentRulesInput { rules: list }).unwrap_or_else(|e| panic!("{e}"))
    }

    fn errors_of(list: Vec<RuleInput>) -> FieldErrors {
        AssignmentRules::from_input(&AssignmentRulesInput { rules: list }).err().unwrap_or_default()
    }

    fn facts(category: Option<CategoryId>, priority: Priority, subject: &str, description: &str) -> TicketFacts {
        TicketFacts::new(category, priority, subject, description)
    }

    fn first(rules: &AssignmentRules, facts: &TicketFacts) -> Option<usize> {
        rules.first_match(facts).map(|(i, _)| i)
    }

    #[test]
    fn the_first_matching_rule_wins() {
        let billing = CategoryId::new();
        let list = rules(vec![
            RuleInput {
                categories: vec![billing.to_string()],
                priorities: vec!["high".into()],
                ..agent_rule("A", "ann")
            },
            RuleInput { categories: vec![billing.to_string()], ..agent_rule("B", "bob") },
            RuleInput { keywords: vec!["refund*".into()], ..agent_rule("C", "cat") },
            pool_rule("D", &["ann", "bob"], "least_loaded"),
        ]);
        assert_eq!(first(&list, &facts(Some(billing), Priority::High, "refund", "")), Some(0));
        assert_eq!(first(&list, &facts(Some(billing), Priority::Low, "refund", "")), Some(1));
        assert_eq!(first(&list, &facts(None, Priority::Low, "Refunds?", "")), Some(2));
        assert_eq!(first(&list, &facts(None, Priority::Low, "hello", "")), Some(3), "catch-all last");
        assert!(list.rules()[3].conditions().is_catch_all());
        assert_eq!(first(&AssignmentRules::default(), &facts(None, Priority::Low, "x", "")), None);
    }

    #[test]
    fn conditions_are_any_of_within_and_all_of_across_kinds() {
        let billing = CategoryId::new();
        let events = CategoryId::new();
        let list = rules(vec![RuleInput {
            categories: vec![billing.to_string(), events.to_string()],
            priorities: vec!["high".into(), "medium".into()],
            keywords: vec!["invoice".into(), "direct debit".into()],
            ..agent_rule("R", "ann")
        }]);
        let hit = |c, p, s: &str, d: &str| first(&list, &facts(c, p, s, d)).is_some();
        assert!(hit(Some(billing), Priority::High, "Invoice missing", ""));
        assert!(hit(Some(events), Priority::Medium, "question", "the direct-debit failed"));
        assert!(!hit(Some(CategoryId::new()), Priority::High, "invoice", ""), "other category");
        assert!(!hit(None, Priority::High, "invoice", ""), "uncategorized never matches a category condition");
        assert!(!hit(Some(billing), Priority::Low, "invoice", ""), "other priority");
        assert!(!hit(Some(billing), Priority::High, "invoices", "direct from my debit"), "no keyword");
        assert!(
            !hit(Some(billing), Priority::High, "direct", "debit"),
            "a phrase does not span subject and description"
        );
    }

    #[test]
    fn a_valid_list_round_trips() {
        let billing = CategoryId::new();
        let list = rules(vec![
            RuleInput {
                categories: vec![billing.to_string()],
                priorities: vec!["high".into()],
                keywords: vec!["Refund*".into(), "direct debit".into()],
                ..agent_rule(" Urgent billing ", " ann ")
            },
            pool_rule("Rest", &["ann", "bob"], "round_robin"),
        ]);
        assert_eq!(list.rules()[0].name().as_str(), "Urgent billing");
        assert_eq!(list.rules()[0].target(), &RuleTarget::Agent(UserId::new("ann")));
        assert_eq!(list.rules()[1].cursor_key(), "rest");
        assert_eq!(AssignmentRules::from_input(&list.to_input()).as_ref(), Ok(&list));
        let json = serde_json::to_string(&list).unwrap_or_default();
        assert!(json.contains("\"strategy\":\"round_robin\"") && !json.contains("\"agent\":null"), "{json}");
        assert_eq!(serde_json::from_str::<AssignmentRules>(&json).ok(), Some(list));
        assert!(serde_json::from_str::<AssignmentRules>(r#"{"rules":[{"name":"x"}]}"#).is_err());
    }

    #[test]
    fn bad_rules_name_the_field() {
        let billing = CategoryId::new();
        let errors = errors_of(vec![
            RuleInput { name: " ".into(), ..agent_rule("", "ann") },
            RuleInput {
                categories: vec!["billing".into(), billing.to_string(), billing.to_string()],
                priorities: vec!["urgent".into(), "high".into(), "high".into()],
                keywords: vec!["ok".into(), "a*b".into(), "OK".into()],
                ..agent_rule("Two", "bob")
            },
            RuleInput { agent: Some("ann".into()), ..pool_rule("Both", &["bob"], "round_robin") },
            RuleInput { name: "Neither".into(), ..RuleInput::default() },
            pool_rule("Empty pool", &[], "round_robin"),
            pool_rule("Repeats", &["ann", " ", "ann"], "least_loaded"),
            RuleInput { strategy: None, ..pool_rule("No strategy", &["ann"], "") },
            pool_rule("Bad strategy", &["ann"], "random"),
            RuleInput { strategy: Some("round_robin".into()), ..agent_rule("Agent strategy", "ann") },
            agent_rule("two", &"x".repeat(201)),
        ]);
        let expect = [
            ("rules[0].name", "empty"),
            ("rules[1].categories[0]", "UUID"),
            ("rules[1].categories[2]", "repeats rules[1].categories[1]"),
            ("rules[1].priorities[0]", "low, medium, high"),
            ("rules[1].priorities[2]", "repeats rules[1].priorities[1]"),
            ("rules[1].keywords[1]", "only at the end"),
            ("rules[1].keywords[2]", "repeats rules[1].keywords[0]"),
            ("rules[2].agent", "not both"),
            ("rules[3]", "needs a target"),
            ("rules[4].pool", "at least one"),
            ("rules[5].pool[1]", "staff user"),
            ("rules[5].pool[2]", "repeats rules[5].pool[0]"),
            ("rules[6].strategy", "required"),
            ("rules[7].strategy", "round_robin, least_loaded"),
            ("rules[8].strategy", "only to a `pool`"),
            ("rules[9].name", "repeats the name of rules[1]"),
            ("rules[9].agent", "1–200"),
        ];
        for (field, text) in expect {
            assert!(errors.get(field).is_some_and(|m| m.contains(text)), "{field}: {errors}");
        }
        assert_eq!(errors.iter().count(), expect.len(), "{errors}");
    }

    #[test]
    fn list_and_pool_sizes_are_bounded() {
        let many: Vec<RuleInput> = (0..=MAX_RULES).map(|i| agent_rule(&format!("r{i}"), "ann")).collect();
        assert!(errors_of(many).get("rules").is_some_and(|m| m.contains("at most 100")));
        let names: Vec<String> = (0..=MAX_POOL_AGENTS).map(|i| format!("a{i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        assert!(errors_of(vec![pool_rule("P", &refs, "round_robin")]).get("rules[0].pool").is_some());
        let words: Vec<String> = (0..=MAX_KEYWORDS).map(|i| format!("w{i}")).collect();
        let errors = errors_of(vec![RuleInput { keywords: words, ..agent_rule("K", "ann") }]);
        assert!(errors.get("rules[0].keywords").is_some_and(|m| m.contains("at most 50")), "{errors}");
        assert!(
            errors_of(vec![RuleInput { name: "x".repeat(81), ..agent_rule("", "a") }]).get("rules[0].name").is_some()
        );
    }

    #[test]
    fn references_are_checked_by_field() {
        let billing = CategoryId::new();
        let gone = CategoryId::new();
        let list = rules(vec![
            RuleInput { categories: vec![billing.to_string(), gone.to_string()], ..agent_rule("A", "left") },
            pool_rule("B", &["ann", "ghost"], "round_robin"),
        ]);
        let staff = [UserId::new("ann")];
        let errors = list.check_references(|u| staff.contains(u), |c| *c == billing).err().unwrap_or_default();
        assert!(errors.get("rules[0].categories[1]").is_some(), "{errors}");
        assert!(errors.get("rules[0].agent").is_some_and(|m| m.contains("left")), "{errors}");
        assert!(errors.get("rules[1].pool[1]").is_some_and(|m| m.contains("ghost")), "{errors}");
        assert_eq!(errors.iter().count(), 3, "{errors}");
        assert!(list.check_references(|_| true, |_| true).is_ok());
    }
}
