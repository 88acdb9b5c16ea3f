//! Assignment (see `docs/assignment.md`): agents, rules, round-robin, workload balancing and
//! backlog draining.
//!
//! Pure: the store passes in the rules, the agents with their loads, the round-robin cursors
//! and `now`; the functions return decisions for the store to commit. Nothing here reads a
//! clock or does I/O.
//!
//! - [`agent`]: [`AgentProfile`], [`AgentSettings`], [`Capacity`], eligibility, and
//!   [`check_manual_assignment`] for an admin's manual assignment.
//! - [`rules`]: [`AssignmentRules`] (validated from [`AssignmentRulesInput`]) and
//!   [`TicketFacts`]; [`keywords`] says how words match.
//! - [`round_robin`] and [`least_loaded`]: the pool strategies.
//! - [`decide`]: one ticket → [`AssignmentDecision`]; [`decide_on_category_change`].
//! - [`backlog`]: [`plan_backlog`] assigns waiting tickets when capacity frees.

pub mod agent;
pub mod backlog;
mod book;
pub mod keywords;
pub mod least_loaded;
pub mod round_robin;
pub mod rules;

pub use agent::{
    AgentProfile, AgentSettings, AgentSettingsInput, Capacity, Ineligibility, ManualAssignment, check_manual_assignment,
};
pub use backlog::{BacklogPlan, PlannedAssignment, WaitingTicket, backlog_order, plan_backlog};
pub use keywords::Keyword;
pub use least_loaded::{least_loaded_order, pick_least_loaded};
pub use round_robin::{RoundRobinCursor, pick_round_robin};
pub use rules::{
    AssignmentRule, AssignmentRules, AssignmentRulesInput, PoolStrategy, RuleConditions, RuleInput, RuleName,
    RuleTarget, TicketFacts,
};

use crate::ids::UserId;
use book::AgentBook;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The round-robin cursors of a client's pools, keyed by [`AssignmentRule::cursor_key`]. A pool
/// without an entry starts from [`RoundRobinCursor::default`].
pub type Cursors = BTreeMap<String, RoundRobinCursor>;

/// How the agent was chosen, as history events and responses name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentMethod {
    /// The rule names one agent.
    SingleAgent,
    RoundRobin,
    LeastLoaded,
}

impl AssignmentMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            AssignmentMethod::SingleAgent => "single_agent",
            AssignmentMethod::RoundRobin => "round_robin",
            AssignmentMethod::LeastLoaded => "least_loaded",
        }
    }
}

impl From<PoolStrategy> for AssignmentMethod {
    fn from(strategy: PoolStrategy) -> Self {
        match strategy {
            PoolStrategy::RoundRobin => AssignmentMethod::RoundRobin,
            PoolStrategy::LeastLoaded => AssignmentMethod::LeastLoaded,
        }
    }
}

impl fmt::Display for AssignmentMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The rule that decided, for the history event.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MatchedRule {
    /// 0-based position in the client's list when the decision was made.
    pub rule_index: usize,
    pub rule_name: String,
    pub strategy: AssignmentMethod,
}

/// Who or what made an assignment: the history event's account of it.
///
/// ```json
/// { "by": "rule", "ruleIndex": 1, "ruleName": "Refunds", "strategy": "round_robin" }
/// { "by": "manual", "adminId": "user-3" }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum AssignedBy {
    Manual { admin_id: UserId },
    Rule { rule_index: usize, rule_name: String, strategy: AssignmentMethod },
}

impl From<MatchedRule> for AssignedBy {
    fn from(rule: MatchedRule) -> Self {
        AssignedBy::Rule { rule_index: rule.rule_index, rule_name: rule.rule_name, strategy: rule.strategy }
    }
}

/// A round-robin cursor to replace, compare-and-set: the store writes `to` only if the stored
/// cursor's `turns` still equals `from.turns` (a missing row counts as `turns = 0`), in the
/// same transaction as the assignment; otherwise it decides again from fresh state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CursorUpdate {
    pub key: String,
    pub from: RoundRobinCursor,
    pub to: RoundRobinCursor,
}

/// An automatic assignment to commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoAssignment {
    pub agent: UserId,
    pub rule: MatchedRule,
    /// Round-robin only.
    pub cursor: Option<CursorUpdate>,
}

impl AutoAssignment {
    pub fn assigned_by(&self) -> AssignedBy {
        self.rule.clone().into()
    }
}

/// An agent a matching rule could not use, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockedAgent {
    pub agent: UserId,
    pub reason: Ineligibility,
}

/// What automatic assignment decides for one ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum AssignmentDecision {
    /// No rule matches: the ticket stays unassigned and does not wait for anyone.
    Unmatched,
    /// Assign to `agent`.
    Assigned(AutoAssignment),
    /// A rule matches but none of its agents is eligible: the ticket stays unassigned and
    /// joins the backlog, to be assigned when capacity frees.
    Waiting { rule: MatchedRule, blocked: Vec<BlockedAgent> },
}

impl AssignmentDecision {
    pub fn agent(&self) -> Option<&UserId> {
        match self {
            AssignmentDecision::Assigned(assignment) => Some(&assignment.agent),
            _ => None,
        }
    }

    pub fn is_waiting(&self) -> bool {
        matches!(self, AssignmentDecision::Waiting { .. })
    }
}

/// Decides the assignment of one ticket: the first matching rule's target, given the agents'
/// current state and the pools' cursors. An agent at capacity, unavailable, outside their
/// categories or unknown is never chosen.
pub fn decide(
    rules: &AssignmentRules,
    facts: &TicketFacts,
    agents: &[AgentProfile],
    cursors: &Cursors,
) -> AssignmentDecision {
    decide_in(rules, facts, &AgentBook::new(agents), cursors)
}

pub(crate) fn decide_in(
    rules: &AssignmentRules,
    facts: &TicketFacts,
    book: &AgentBook,
    cursors: &Cursors,
) -> AssignmentDecision {
    let Some((rule_index, rule)) = rules.first_match(facts) else {
        return AssignmentDecision::Unmatched;
    };
    let category = facts.category_id;
    let matched =
        |strategy: AssignmentMethod| MatchedRule { rule_index, rule_name: rule.name().as_str().to_owned(), strategy };
    let blocked = |pool: &[UserId]| -> Vec<BlockedAgent> {
        pool.iter()
            .filter_map(|agent| {
                book.eligibility(agent, category).err().map(|reason| BlockedAgent { agent: agent.clone(), reason })
            })
            .collect()
    };
    let assigned = |agent: &UserId, strategy: AssignmentMethod, cursor: Option<CursorUpdate>| {
        AssignmentDecision::Assigned(AutoAssignment { agent: agent.clone(), rule: matched(strategy), cursor })
    };
    let waiting = |strategy: AssignmentMethod, pool: &[UserId]| AssignmentDecision::Waiting {
        rule: matched(strategy),
        blocked: blocked(pool),
    };

    match rule.target() {
        RuleTarget::Agent(agent) => match book.eligibility(agent, category) {
            Ok(()) => assigned(agent, AssignmentMethod::SingleAgent, None),
            Err(_) => waiting(AssignmentMethod::SingleAgent, std::slice::from_ref(agent)),
        },
        RuleTarget::Pool { agents, strategy: PoolStrategy::RoundRobin } => {
            let key = rule.cursor_key();
            let from = cursors.get(&key).cloned().unwrap_or_default();
            match pick_round_robin(agents, &from, |a| book.eligibility(a, category).is_ok()) {
                Some((i, to)) => match agents.get(i) {
                    Some(agent) => assigned(agent, AssignmentMethod::RoundRobin, Some(CursorUpdate { key, from, to })),
                    None => waiting(AssignmentMethod::RoundRobin, agents),
                },
                None => waiting(AssignmentMethod::RoundRobin, agents),
            }
        }
        RuleTarget::Pool { agents, strategy: PoolStrategy::LeastLoaded } => {
            match least_loaded::pick_in_book(book, agents, category) {
                Some(agent) => assigned(agent, AssignmentMethod::LeastLoaded, None),
                None => waiting(AssignmentMethod::LeastLoaded, agents),
            }
        }
    }
}

/// Who holds a ticket now, and how they got it (from the latest assignment history event).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CurrentAssignment {
    Unassigned,
    /// Assigned by an admin: rules never override it.
    Manual(UserId),
    /// Assigned by a rule.
    ByRule(UserId),
}

/// Re-runs assignment after a ticket's category changed. `None` means keep the ticket as it
/// is (and leave every cursor alone):
/// - a manual assignment always stays;
/// - an unassigned ticket is decided like a new one (it may be assigned, wait or stay
///   unmatched), so `Some` is always returned for it;
/// - a rule-assigned ticket stays with its agent when no rule matches any more, when the
///   matching rule's target includes the agent and the agent handles the new category, or when
///   the new decision is not an assignment (a ticket with an owner is never made ownerless by a
///   rule); otherwise it moves to the agent the matching rule chooses.
pub fn decide_on_category_change(
    rules: &AssignmentRules,
    facts: &TicketFacts,
    agents: &[AgentProfile],
    cursors: &Cursors,
    current: &CurrentAssignment,
) -> Option<AssignmentDecision> {
    match current {
        CurrentAssignment::Manual(_) => None,
        CurrentAssignment::Unassigned => Some(decide(rules, facts, agents, cursors)),
        CurrentAssignment::ByRule(holder) => {
            let (_, rule) = rules.first_match(facts)?;
            let book = AgentBook::new(agents);
            let still_fits =
                rule.target().includes(holder) && book.get(holder).is_some_and(|a| a.handles(facts.category_id));
            if still_fits {
                return None;
            }
            match decide_in(rules, facts, &book, cursors) {
                decision @ AssignmentDecision::Assigned(_) if decision.agent() != Some(holder) => Some(decision),
                _ => None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::CategoryId;
    use crate::ticket::Priority;
    use proptest::prelude::*;

    pub(crate) fn profile(id: &str, load: u32, capacity: Option<u32>) -> AgentProfile {
        AgentProfile {
            user_id: UserId::new(id),
            available: true,
            capacity: capacity.and_then(|c| Capacity::new(i64::from(c)).ok()),
            categories: vec![],
            load,
            last_assigned_at: None,
        }
    }

    pub(crate) fn rules(list: Vec<RuleInput>) -> AssignmentRules {
        AssignmentRules::from_input(&AssignmentRulesInput { rules: list }).unwrap_or_else(|e| panic!("{e}"))
    }

    pub(crate) fn pool_rule(name: &str, pool: &[&str], strategy: &str) -> RuleInput {
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

    fn plain(subject: &str) -> TicketFacts {
        TicketFacts::new(None, Priority::Medium, subject, "description")
    }

    #[test]
    fn no_matching_rule_leaves_the_ticket_unassigned() {
        let list = rules(vec![RuleInput { keywords: vec!["refund".into()], ..agent_rule("R", "ann") }]);
        assert_eq!(
            decide(&list, &plain("hello"), &[profile("ann", 0, None)], &Cursors::new()),
            AssignmentDecision::Unmatched
        );
        assert_eq!(
            decide(&AssignmentRules::default(), &plain("x"), &[], &Cursors::new()),
            AssignmentDecision::Unmatched
        );
    }

    #[test]
    fn a_single_agent_rule_assigns_or_waits() {
        let list = rules(vec![agent_rule("Ann takes all", "ann")]);
        let decision = decide(&list, &plain("x"), &[profile("ann", 1, Some(2))], &Cursors::new());
        let AssignmentDecision::Assigned(assignment) = &decision else { panic!("{decision:?}") };
        assert_eq!(assignment.agent.as_str(), "ann");
        assert_eq!(
            assignment.assigned_by(),
            AssignedBy::Rule {
                rule_index: 0,
                rule_name: "Ann takes all".into(),
                strategy: AssignmentMethod::SingleAgent
            }
        );
        assert_eq!(assignment.cursor, None);

        let full = decide(&list, &plain("x"), &[profile("ann", 2, Some(2))], &Cursors::new());
        let AssignmentDecision::Waiting { rule, blocked } = &full else { panic!("{full:?}") };
        assert_eq!(rule.strategy, AssignmentMethod::SingleAgent);
        assert_eq!(blocked, &[BlockedAgent { agent: UserId::new("ann"), reason: Ineligibility::AtCapacity }]);

        let mut off = profile("ann", 0, None);
        off.available = false;
        let decision = decide(&list, &plain("x"), &[off], &Cursors::new());
        assert!(decision.is_waiting());
        let gone = decide(&list, &plain("x"), &[], &Cursors::new());
        let AssignmentDecision::Waiting { blocked, .. } = &gone else { panic!("{gone:?}") };
        assert_eq!(blocked[0].reason, Ineligibility::NotAnAgent);
    }

    #[test]
    fn round_robin_through_decide_skips_and_reports_the_cursor() {
        let list = rules(vec![pool_rule("Team", &["ann", "bob", "cat"], "round_robin")]);
        let mut off = profile("bob", 0, None);
        off.available = false;
        let agents = [profile("ann", 0, None), off, profile("cat", 3, Some(4))];
        let mut cursors = Cursors::new();
        let mut got = vec![];
        for _ in 0..4 {
            let decision = decide(&list, &plain("x"), &agents, &cursors);
            let AssignmentDecision::Assigned(a) = decision else { panic!("{decision:?}") };
            let Some(update) = a.cursor else { panic!("round robin reports its cursor") };
            assert_eq!(update.key, "team");
            assert_eq!(update.from, cursors.get("team").cloned().unwrap_or_default());
            assert_eq!(update.to.turns, update.from.turns + 1);
            cursors.insert(update.key, update.to);
            got.push(a.agent.0);
        }
        assert_eq!(got, ["ann", "cat", "ann", "cat"]);
        assert_eq!(cursors.get("team").map(|c| c.turns), Some(4));
    }

    #[test]
    fn a_pool_with_nobody_eligible_waits_and_says_why() {
        let billing = CategoryId::new();
        let list = rules(vec![pool_rule("Team", &["ann", "bob", "cat", "dan"], "least_loaded")]);
        let mut off = profile("bob", 0, None);
        off.available = false;
        let mut elsewhere = profile("cat", 0, None);
        elsewhere.categories = vec![CategoryId::new()];
        let agents = [profile("ann", 5, Some(5)), off, elsewhere];
        let facts = TicketFacts::new(Some(billing), Priority::High, "x", "y");
        let decision = decide(&list, &facts, &agents, &Cursors::new());
        let AssignmentDecision::Waiting { rule, blocked } = &decision else { panic!("{decision:?}") };
        assert_eq!((rule.rule_index, rule.strategy), (0, AssignmentMethod::LeastLoaded));
        let reasons: Vec<(&str, Ineligibility)> = blocked.iter().map(|b| (b.agent.as_str(), b.reason)).collect();
        assert_eq!(
            reasons,
            [
                ("ann", Ineligibility::AtCapacity),
                ("bob", Ineligibility::Unavailable),
                ("cat", Ineligibility::CategoryNotHandled),
                ("dan", Ineligibility::NotAnAgent),
            ]
        );
        let json = serde_json::to_string(&decision).unwrap_or_default();
        assert!(json.contains("\"outcome\":\"waiting\"") && json.contains("\"at_capacity\""), "{json}");
    }

    #[test]
    fn the_first_matching_rule_decides_even_when_its_agents_are_full() {
        // A later rule could assign, but the first match wins: the ticket waits.
        let list = rules(vec![
            RuleInput { keywords: vec!["refund*".into()], ..agent_rule("Refunds", "ann") },
            pool_rule("Rest", &["bob"], "round_robin"),
        ]);
        let agents = [profile("ann", 1, Some(1)), profile("bob", 0, None)];
        let decision = decide(&list, &plain("Refund please"), &agents, &Cursors::new());
        assert!(decision.is_waiting(), "{decision:?}");
        assert_eq!(decide(&list, &plain("Hello"), &agents, &Cursors::new()).agent().map(UserId::as_str), Some("bob"));
    }

    #[test]
    fn category_restrictions_route_within_a_pool() {
        let billing = CategoryId::new();
        let events = CategoryId::new();
        let list = rules(vec![pool_rule("All", &["ann", "bob"], "least_loaded")]);
        let mut ann = profile("ann", 0, None);
        ann.categories = vec![billing];
        let agents = [ann, profile("bob", 7, None)];
        let pick = |category| {
            decide(&list, &TicketFacts::new(category, Priority::Low, "x", "y"), &agents, &Cursors::new())
                .agent()
                .map(|a| a.0.clone())
        };
        assert_eq!(pick(Some(billing)).as_deref(), Some("ann"));
        assert_eq!(pick(Some(events)).as_deref(), Some("bob"));
        assert_eq!(pick(None).as_deref(), Some("bob"), "restricted agents take no uncategorized tickets");
    }

    #[test]
    fn assigned_by_serializes_for_history() {
        let manual = serde_json::to_string(&AssignedBy::Manual { admin_id: UserId::new("adm") }).unwrap_or_default();
        assert_eq!(manual, r#"{"by":"manual","adminId":"adm"}"#);
        let rule = AssignedBy::from(MatchedRule {
            rule_index: 1,
            rule_name: "Refunds".into(),
            strategy: AssignmentMethod::RoundRobin,
        });
        let json = serde_json::to_string(&rule).unwrap_or_default();
        assert_eq!(json, r#"{"by":"rule","ruleIndex":1,"ruleName":"Refunds","strategy":"round_robin"}"#);
        assert_eq!(serde_json::from_str::<AssignedBy>(&json).ok(), Some(rule));
    }

    #[test]
    fn category_change_respects_manual_and_fitting_assignments() {
        let billing = CategoryId::new();
        let events = CategoryId::new();
        let list = rules(vec![
            RuleInput { categories: vec![billing.to_string()], ..pool_rule("Billing", &["ann", "bob"], "round_robin") },
            RuleInput { categories: vec![events.to_string()], ..agent_rule("Events", "cat") },
        ]);
        let agents = [profile("ann", 0, None), profile("bob", 0, None), profile("cat", 0, None)];
        let to_events = TicketFacts::new(Some(events), Priority::Low, "x", "y");
        let to_billing = TicketFacts::new(Some(billing), Priority::Low, "x", "y");
        let other = TicketFacts::new(Some(CategoryId::new()), Priority::Low, "x", "y");
        let change = |facts: &TicketFacts, current: CurrentAssignment| {
            decide_on_category_change(&list, facts, &agents, &Cursors::new(), &current)
        };
        let ann = UserId::new("ann");
        assert_eq!(change(&to_events, CurrentAssignment::Manual(ann.clone())), None, "manual always stays");
        assert_eq!(change(&to_billing, CurrentAssignment::ByRule(ann.clone())), None, "still in the target");
        let moved = change(&to_events, CurrentAssignment::ByRule(ann.clone()));
        assert_eq!(moved.as_ref().and_then(|d| d.agent()).map(UserId::as_str), Some("cat"));
        assert_eq!(change(&other, CurrentAssignment::ByRule(ann.clone())), None, "no rule: keep the owner");
        assert_eq!(
            change(&to_events, CurrentAssignment::Unassigned).as_ref().and_then(|d| d.agent()).map(UserId::as_str),
            Some("cat")
        );
        assert_eq!(change(&other, CurrentAssignment::Unassigned), Some(AssignmentDecision::Unmatched));
        // The new target is full: the current owner keeps the ticket.
        let busy = [profile("ann", 0, None), profile("cat", 1, Some(1))];
        assert_eq!(
            decide_on_category_change(&list, &to_events, &busy, &Cursors::new(), &CurrentAssignment::ByRule(ann)),
            None
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Fairness end to end through `decide`: n tickets, k agents of which some are switched
        /// off; the available ones each get ⌊n/e⌋ or ⌈n/e⌉, the others none.
        #[test]
        fn decide_round_robin_is_fair_among_the_eligible(
            available in proptest::collection::vec(any::<bool>(), 1..10),
            n in 0usize..200,
        ) {
            let names: Vec<String> = (0..available.len()).map(|i| format!("agent-{i}")).collect();
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let list = rules(vec![pool_rule("Pool", &refs, "round_robin")]);
            let mut agents: Vec<AgentProfile> = names
                .iter()
                .zip(&available)
                .map(|(name, on)| AgentProfile { available: *on, ..profile(name, 0, None) })
                .collect();
            let mut cursors = Cursors::new();
            for _ in 0..n {
                match decide(&list, &plain("x"), &agents, &cursors) {
                    AssignmentDecision::Assigned(a) => {
                        if let Some(update) = a.cursor {
                            prop_assert_eq!(cursors.get(&update.key).cloned().unwrap_or_default(), update.from);
                            cursors.insert(update.key, update.to);
                        }
                        let chosen = agents.iter_mut().find(|p| p.user_id == a.agent);
                        prop_assert!(chosen.as_ref().is_some_and(|p| p.available));
                        if let Some(p) = chosen {
                            p.load += 1;
                        }
                    }
                    other => prop_assert!(available.iter().all(|on| !on), "{:?}", other),
                }
            }
            let e = available.iter().filter(|on| **on).count();
            for agent in &agents {
                let got = agent.load as usize;
                if agent.available {
                    prop_assert!(got == n / e || got == n.div_ceil(e), "{} got {} of {} over {}", agent.user_id, got, n, e);
                } else {
                    prop_assert_eq!(got, 0);
                }
            }
        }

        /// Through `decide`, neither strategy ever puts an agent above capacity, however many
        /// tickets come.
        #[test]
        fn decide_never_exceeds_capacity(
            caps in proptest::collection::vec(proptest::option::of(0u32..4), 1..6),
            least in any::<bool>(),
            n in 0usize..40,
        ) {
            let names: Vec<String> = (0..caps.len()).map(|i| format!("agent-{i}")).collect();
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let list = rules(vec![pool_rule("Pool", &refs, if least { "least_loaded" } else { "round_robin" })]);
            let mut agents: Vec<AgentProfile> = names.iter().zip(&caps).map(|(name, cap)| profile(name, 0, *cap)).collect();
            let mut cursors = Cursors::new();
            for _ in 0..n {
                if let AssignmentDecision::Assigned(a) = decide(&list, &plain("x"), &agents, &cursors) {
                    if let Some(update) = a.cursor {
                        cursors.insert(update.key, update.to);
                    }
                    if let Some(p) = agents.iter_mut().find(|p| p.user_id == a.agent) {
                        p.load += 1;
                    }
                }
                for agent in &agents {
                    prop_assert!(agent.capacity.is_none_or(|c| agent.load <= c.get()));
                }
            }
        }
    }
}
