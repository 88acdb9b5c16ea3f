//! Backlog draining: when capacity frees (a ticket resolved or closed, an agent back or given
//! more capacity, rules or categories changed), the tickets waiting for an agent are assigned,
//! highest priority first, then oldest first.
//!
//! Each waiting ticket in that order goes through the rules exactly like a new ticket
//! ([`super::decide`]), against the loads and cursors as the plan has left them so far, so no
//! capacity is ever exceeded. A ticket whose agents are all still busy keeps waiting without
//! blocking the tickets behind it that other agents can take.

use super::book::AgentBook;
use super::rules::{AssignmentRules, TicketFacts};
use super::{AgentProfile, AssignmentDecision, AutoAssignment, CursorUpdate, Cursors, RoundRobinCursor, decide_in};
use crate::ids::TicketId;
use crate::ticket::Priority;
use chrono::{DateTime, Utc};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// An active, unassigned ticket whose last decision was to wait for an agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingTicket {
    pub id: TicketId,
    pub created_at: DateTime<Utc>,
    /// Category, priority and words; the priority orders the backlog.
    pub facts: TicketFacts,
}

impl WaitingTicket {
    pub fn priority(&self) -> Priority {
        self.facts.priority
    }
}

/// The backlog's order: highest priority first, then oldest first, then by id.
pub fn backlog_order(a: &WaitingTicket, b: &WaitingTicket) -> Ordering {
    b.priority().cmp(&a.priority()).then_with(|| a.created_at.cmp(&b.created_at)).then_with(|| a.id.cmp(&b.id))
}

/// One assignment of the plan. Its `cursor` update (round-robin) chains on the previous one of
/// the same pool in this plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedAssignment {
    pub ticket_id: TicketId,
    pub assignment: AutoAssignment,
}

/// What draining the backlog decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BacklogPlan {
    /// In backlog order.
    pub assignments: Vec<PlannedAssignment>,
    /// A matching rule's agents are still all ineligible: these keep waiting.
    pub still_waiting: Vec<TicketId>,
    /// No rule matches any more (the rules changed): these leave the backlog, unassigned.
    pub unmatched: Vec<TicketId>,
    /// Per pool touched, the cursor before and after the whole plan, for a store that commits
    /// the plan in one transaction (compare-and-set on `from.turns`).
    pub cursor_updates: Vec<CursorUpdate>,
    /// The agents as the plan leaves them: loads raised, `last_assigned_at = now` for those
    /// who got tickets.
    pub agents: Vec<AgentProfile>,
}

/// Plans the assignment of `waiting` tickets (any order; sorted here by [`backlog_order`]) to
/// `agents` under `rules`, starting from `cursors`. `now` becomes the assigned agents'
/// `last_assigned_at`. A ticket id given twice is planned once.
pub fn plan_backlog(
    rules: &AssignmentRules,
    waiting: &[WaitingTicket],
    agents: &[AgentProfile],
    cursors: &Cursors,
    now: DateTime<Utc>,
) -> BacklogPlan {
    let mut order: Vec<&WaitingTicket> = waiting.iter().collect();
    order.sort_by(|a, b| backlog_order(a, b));

    let mut book = AgentBook::new(agents);
    let mut current = cursors.clone();
    let mut initial: BTreeMap<String, RoundRobinCursor> = BTreeMap::new();
    let mut seen: BTreeSet<TicketId> = BTreeSet::new();
    let mut assignments = Vec::new();
    let mut still_waiting = Vec::new();
    let mut unmatched = Vec::new();

    for ticket in order {
        if !seen.insert(ticket.id) {
            continue;
        }
        // Once nobody has room, every ticket left either waits or matches no rule.
        if !book.any_room() {
            match rules.first_match(&ticket.facts) {
                Some(_) => still_waiting.push(ticket.id),
                None => unmatched.push(ticket.id),
            }
            continue;
        }
        match decide_in(rules, &ticket.facts, &book, &current) {
            AssignmentDecision::Unmatched => unmatched.push(ticket.id),
            AssignmentDecision::Waiting { .. } => still_waiting.push(ticket.id),
            AssignmentDecision::Assigned(assignment) => {
                if let Some(update) = &assignment.cursor {
                    initial.entry(update.key.clone()).or_insert_with(|| update.from.clone());
                    current.insert(update.key.clone(), update.to.clone());
                }
                book.record(&assignment.agent, now);
                assignments.push(PlannedAssignment { ticket_id: ticket.id, assignment });
            }
        }
    }

    let cursor_updates = initial
        .into_iter()
        .map(|(key, from)| {
            let to = current.get(&key).cloned().unwrap_or_default();
            CursorUpdate { key, from, to }
        })
        .collect();
    BacklogPlan { assignments, still_waiting, unmatched, cursor_updates, agents: book.into_agents() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assignment::RuleInput;
    use crate::assignment::tests::{pool_rule, profile, rules};
    use crate::ids::{CategoryId, UserId};
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at(minute: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_750_000_000 + minute * 60, 0).single().unwrap_or_else(|| unreachable!())
    }

    fn ticket(n: u128, priority: Priority, minute: i64) -> WaitingTicket {
        WaitingTicket {
            id: TicketId(uuid::Uuid::from_u128(n)),
            created_at: at(minute),
            facts: TicketFacts::new(None, priority, "subject", "description"),
        }
    }

    fn agent_of(plan: &BacklogPlan, n: u128) -> Option<&str> {
        plan.assignments
            .iter()
            .find(|p| p.ticket_id == TicketId(uuid::Uuid::from_u128(n)))
            .map(|p| p.assignment.agent.as_str())
    }

    #[test]
    fn highest_priority_first_then_oldest() {
        let list = rules(vec![pool_rule("Team", &["ann", "bob"], "least_loaded")]);
        let agents = [profile("ann", 2, Some(3)), profile("bob", 4, Some(5))];
        let waiting = [
            ticket(1, Priority::Low, 0),
            ticket(2, Priority::High, 30),
            ticket(3, Priority::Medium, 5),
            ticket(4, Priority::High, 10),
        ];
        let plan = plan_backlog(&list, &waiting, &agents, &Cursors::new(), at(100));
        let order: Vec<u128> = plan.assignments.iter().map(|p| p.ticket_id.0.as_u128()).collect();
        assert_eq!(order, [4, 2], "two free slots go to the two high-priority tickets, oldest first");
        let ids = |list: &[TicketId]| list.iter().map(|t| t.0.as_u128()).collect::<Vec<_>>();
        assert_eq!(ids(&plan.still_waiting), [3, 1]);
        assert!(plan.unmatched.is_empty());
        assert_eq!(agent_of(&plan, 4), Some("ann"), "fewest active tickets");
        assert_eq!(agent_of(&plan, 2), Some("bob"));
        let loads: Vec<(u32, Option<DateTime<Utc>>)> =
            plan.agents.iter().map(|a| (a.load, a.last_assigned_at)).collect();
        assert_eq!(loads, [(3, Some(at(100))), (5, Some(at(100)))]);
    }

    #[test]
    fn a_busy_target_does_not_block_tickets_others_can_take() {
        let refunds = RuleInput {
            name: "Refunds".into(),
            keywords: vec!["refund".into()],
            agent: Some("ann".into()),
            ..RuleInput::default()
        };
        let list = rules(vec![refunds, pool_rule("Rest", &["bob"], "round_robin")]);
        let agents = [profile("ann", 1, Some(1)), profile("bob", 0, Some(1))];
        let mut urgent = ticket(1, Priority::High, 0);
        urgent.facts = TicketFacts::new(None, Priority::High, "Refund", "please");
        let waiting = [urgent, ticket(2, Priority::Low, 5), ticket(3, Priority::Low, 6)];
        let plan = plan_backlog(&list, &waiting, &agents, &Cursors::new(), at(10));
        assert_eq!(agent_of(&plan, 2), Some("bob"));
        assert_eq!(plan.still_waiting.iter().map(|t| t.0.as_u128()).collect::<Vec<_>>(), [1, 3]);
        let [update] = plan.cursor_updates.as_slice() else { panic!("{:?}", plan.cursor_updates) };
        assert_eq!((update.key.as_str(), update.from.turns, update.to.turns), ("rest", 0, 1));
    }

    #[test]
    fn tickets_no_rule_matches_leave_the_backlog() {
        let billing = CategoryId::new();
        let list = rules(vec![RuleInput {
            categories: vec![billing.to_string()],
            ..pool_rule("Billing", &["ann"], "round_robin")
        }]);
        let mut billed = ticket(1, Priority::Low, 0);
        billed.facts = TicketFacts::new(Some(billing), Priority::Low, "x", "y");
        let waiting = [billed.clone(), ticket(2, Priority::Low, 1), billed];
        let plan = plan_backlog(&list, &waiting, &[profile("ann", 0, None)], &Cursors::new(), at(0));
        assert_eq!(plan.assignments.len(), 1, "a ticket given twice is planned once");
        assert_eq!(plan.unmatched, [TicketId(uuid::Uuid::from_u128(2))]);
        // With nobody having room, matching tickets wait and the others are still reported.
        let plan = plan_backlog(&list, &waiting, &[profile("ann", 0, Some(0))], &Cursors::new(), at(0));
        assert_eq!(plan.still_waiting.len(), 1);
        assert_eq!(plan.unmatched.len(), 1);
    }

    #[test]
    fn round_robin_cursors_chain_through_the_plan() {
        let list = rules(vec![pool_rule("Team", &["ann", "bob", "cat"], "round_robin")]);
        let agents = [profile("ann", 0, None), profile("bob", 0, None), profile("cat", 0, None)];
        let start = RoundRobinCursor { turns: 41, last_agent: Some(UserId::new("ann")) };
        let cursors: Cursors = [("team".to_owned(), start.clone())].into_iter().collect();
        let waiting: Vec<WaitingTicket> = (0..4).map(|i| ticket(i, Priority::Medium, i as i64)).collect();
        let plan = plan_backlog(&list, &waiting, &agents, &cursors, at(9));
        let who: Vec<&str> = plan.assignments.iter().map(|p| p.assignment.agent.as_str()).collect();
        assert_eq!(who, ["bob", "cat", "ann", "bob"]);
        let mut previous = start.clone();
        for planned in &plan.assignments {
            let Some(update) = &planned.assignment.cursor else { panic!("cursor") };
            assert_eq!(update.from, previous);
            previous = update.to.clone();
        }
        assert_eq!(plan.cursor_updates, [CursorUpdate { key: "team".into(), from: start, to: previous }]);
    }

    fn arb_agents() -> impl Strategy<Value = Vec<(Option<u32>, u32, bool)>> {
        proptest::collection::vec((proptest::option::of(0u32..5), 0u32..7, any::<bool>()), 1..7)
    }

    fn arb_tickets() -> impl Strategy<Value = Vec<(usize, i64)>> {
        proptest::collection::vec((0usize..3, 0i64..50), 0..40)
    }

    fn build(agents: &[(Option<u32>, u32, bool)]) -> (Vec<AgentProfile>, Vec<String>) {
        let names: Vec<String> = (0..agents.len()).map(|i| format!("agent-{i}")).collect();
        let profiles = names
            .iter()
            .zip(agents)
            .map(|(name, (cap, load, available))| AgentProfile { available: *available, ..profile(name, *load, *cap) })
            .collect();
        (profiles, names)
    }

    fn tickets(raw: &[(usize, i64)], categories: &[Option<CategoryId>]) -> Vec<WaitingTicket> {
        raw.iter()
            .enumerate()
            .map(|(i, (p, minute))| WaitingTicket {
                id: TicketId(uuid::Uuid::from_u128(i as u128 + 1)),
                created_at: at(*minute),
                facts: TicketFacts::new(
                    categories.get(i % categories.len().max(1)).copied().flatten(),
                    Priority::ALL[*p],
                    "s",
                    "d",
                ),
            })
            .collect()
    }

    fn never_exceeds(before: &[AgentProfile], plan: &BacklogPlan) -> Result<(), TestCaseError> {
        for (old, new) in before.iter().zip(&plan.agents) {
            let given = plan.assignments.iter().filter(|p| p.assignment.agent == old.user_id).count() as u32;
            prop_assert_eq!(new.load, old.load + given);
            if let Some(cap) = old.capacity {
                prop_assert!(
                    given <= cap.get().saturating_sub(old.load),
                    "{} got {} over capacity",
                    old.user_id,
                    given
                );
            }
            if !old.available {
                prop_assert_eq!(given, 0);
            }
        }
        Ok(())
    }

    fn in_backlog_order(waiting: &[WaitingTicket], plan: &BacklogPlan) -> Result<(), TestCaseError> {
        let by_id: BTreeMap<TicketId, &WaitingTicket> = waiting.iter().map(|t| (t.id, t)).collect();
        for pair in plan.assignments.windows(2) {
            let (Some(a), Some(b)) = (by_id.get(&pair[0].ticket_id), by_id.get(&pair[1].ticket_id)) else {
                return Err(TestCaseError::fail("unknown ticket in the plan"));
            };
            prop_assert_eq!(backlog_order(a, b), Ordering::Less);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Every ticket matches one pool of every agent: capacities hold, tickets are assigned
        /// in backlog order, the assigned ones are exactly the first ones of that order, and
        /// as many are assigned as the free capacity allows.
        #[test]
        fn drains_as_far_as_capacity_allows(raw_agents in arb_agents(), raw_tickets in arb_tickets(), least in any::<bool>()) {
            let (agents, names) = build(&raw_agents);
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let list = rules(vec![pool_rule("All", &refs, if least { "least_loaded" } else { "round_robin" })]);
            let waiting = tickets(&raw_tickets, &[None]);
            let plan = plan_backlog(&list, &waiting, &agents, &Cursors::new(), at(60));

            never_exceeds(&agents, &plan)?;
            in_backlog_order(&waiting, &plan)?;

            let free: Option<u32> = agents
                .iter()
                .filter(|a| a.available)
                .map(|a| a.free_slots())
                .try_fold(0u32, |sum, slots| slots.map(|s| sum + s));
            let expected = free.map_or(waiting.len(), |f| (f as usize).min(waiting.len()));
            prop_assert_eq!(plan.assignments.len(), expected);
            prop_assert_eq!(plan.assignments.len() + plan.still_waiting.len(), waiting.len());
            prop_assert!(plan.unmatched.is_empty());

            let mut sorted: Vec<&WaitingTicket> = waiting.iter().collect();
            sorted.sort_by(|a, b| backlog_order(a, b));
            let assigned: Vec<TicketId> = plan.assignments.iter().map(|p| p.ticket_id).collect();
            let prefix: Vec<TicketId> = sorted.iter().take(assigned.len()).map(|t| t.id).collect();
            prop_assert_eq!(assigned, prefix);
        }

        /// Mixed rules and agents restricted to categories: capacities still hold, every
        /// assignee was eligible for the ticket, and the order is the backlog order.
        #[test]
        fn mixed_rules_never_exceed_capacity(
            raw_agents in arb_agents(),
            restrictions in proptest::collection::vec(proptest::option::of(0usize..2), 7),
            raw_tickets in arb_tickets(),
        ) {
            let categories = [CategoryId(uuid::Uuid::from_u128(100)), CategoryId(uuid::Uuid::from_u128(101))];
            let (mut agents, names) = build(&raw_agents);
            for (agent, restriction) in agents.iter_mut().zip(&restrictions) {
                agent.categories = restriction.map(|c| vec![categories[c]]).unwrap_or_default();
            }
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let list = rules(vec![
                RuleInput {
                    categories: vec![categories[0].to_string()],
                    priorities: vec!["high".into()],
                    agent: Some(names[0].clone()),
                    name: "Urgent".into(),
                    ..RuleInput::default()
                },
                RuleInput { categories: vec![categories[1].to_string()], ..pool_rule("Second", &refs, "least_loaded") },
                pool_rule("Rest", &refs, "round_robin"),
            ]);
            let waiting = tickets(&raw_tickets, &[Some(categories[0]), Some(categories[1]), None]);
            let plan = plan_backlog(&list, &waiting, &agents, &Cursors::new(), at(60));

            never_exceeds(&agents, &plan)?;
            in_backlog_order(&waiting, &plan)?;
            let by_id: BTreeMap<TicketId, &WaitingTicket> = waiting.iter().map(|t| (t.id, t)).collect();
            for planned in &plan.assignments {
                let agent = agents.iter().find(|a| a.user_id == planned.assignment.agent);
                let category = by_id.get(&planned.ticket_id).and_then(|t| t.facts.category_id);
                prop_assert!(agent.is_some_and(|a| a.available && a.handles(category)));
            }
            prop_assert_eq!(plan.assignments.len() + plan.still_waiting.len() + plan.unmatched.len(), waiting.len());
            for update in &plan.cursor_updates {
                prop_assert_eq!(update.from.turns, 0);
                let count = plan.assignments.iter().filter(|p| p.assignment.cursor.as_ref().is_some_and(|c| c.key == update.key)).count();
                prop_assert_eq!(update.to.turns, count as u64);
            }
        }
    }
}
