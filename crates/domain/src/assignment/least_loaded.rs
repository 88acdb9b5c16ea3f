//! Workload balancing: the eligible agent with the fewest active tickets. Ties go to the agent
//! assigned longest ago (never assigned counts as longest ago), then to the smallest id, so the
//! choice is deterministic. An agent at capacity is never eligible, so never chosen.

use super::agent::AgentProfile;
use super::book::AgentBook;
use crate::ids::{CategoryId, UserId};
use std::cmp::Ordering;

/// The least-loaded preference: `Less` means `a` is chosen before `b`.
pub fn least_loaded_order(a: &AgentProfile, b: &AgentProfile) -> Ordering {
    (a.load, a.last_assigned_at, &a.user_id).cmp(&(b.load, b.last_assigned_at, &b.user_id))
}

/// The pool's eligible agent with the fewest active tickets for a ticket of `category`, or
/// `None` when nobody in the pool is eligible. Pool members missing from `agents` are not
/// eligible.
pub fn pick_least_loaded<'a>(
    pool: &[UserId],
    agents: &'a [AgentProfile],
    category: Option<CategoryId>,
) -> Option<&'a AgentProfile> {
    pool.iter()
        .filter_map(|id| agents.iter().find(|a| a.user_id == *id))
        .filter(|a| a.is_eligible(category))
        .min_by(|a, b| least_loaded_order(a, b))
}

/// The same choice over a plan's book (where agents assigned earlier in the plan count as
/// assigned longer ago than those assigned later).
pub(crate) fn pick_in_book<'p>(
    book: &AgentBook,
    pool: &'p [UserId],
    category: Option<CategoryId>,
) -> Option<&'p UserId> {
    pool.iter().filter(|id| book.eligibility(id, category).is_ok()).min_by_key(|id| book.least_loaded_key(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assignment::agent::Capacity;
    use chrono::{DateTime, TimeZone, Utc};
    use proptest::prelude::*;

    fn at(minute: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_750_000_000 + minute * 60, 0).single().unwrap_or_else(|| unreachable!())
    }

    fn agent(id: &str, load: u32, capacity: Option<u32>, last: Option<i64>) -> AgentProfile {
        AgentProfile {
            user_id: UserId::new(id),
            available: true,
            capacity: capacity.and_then(|c| Capacity::new(i64::from(c)).ok()),
            categories: vec![],
            load,
            last_assigned_at: last.map(at),
        }
    }

    fn ids(agents: &[AgentProfile]) -> Vec<UserId> {
        agents.iter().map(|a| a.user_id.clone()).collect()
    }

    fn pick(agents: &[AgentProfile]) -> Option<&str> {
        pick_least_loaded(&ids(agents), agents, None).map(|a| a.user_id.as_str())
    }

    #[test]
    fn fewest_active_tickets_wins() {
        let agents = [agent("a", 3, None, None), agent("b", 1, None, Some(5)), agent("c", 2, None, None)];
        assert_eq!(pick(&agents), Some("b"));
    }

    #[test]
    fn ties_go_to_the_longest_ago_then_never_assigned_then_id() {
        let agents = [agent("a", 1, None, Some(10)), agent("b", 1, None, Some(5)), agent("c", 2, None, None)];
        assert_eq!(pick(&agents), Some("b"), "assigned longest ago");
        let agents = [agent("a", 1, None, Some(10)), agent("z", 1, None, None)];
        assert_eq!(pick(&agents), Some("z"), "never assigned counts as longest ago");
        let agents = [agent("m", 1, None, Some(5)), agent("k", 1, None, Some(5))];
        assert_eq!(pick(&agents), Some("k"), "then the smallest id");
    }

    #[test]
    fn never_at_capacity_nor_unavailable_nor_outside_categories() {
        let billing = CategoryId::new();
        let mut off = agent("off", 0, None, None);
        off.available = false;
        let mut events_only = agent("events", 0, None, None);
        events_only.categories = vec![CategoryId::new()];
        let agents = [agent("full", 2, Some(2), None), off, events_only, agent("busy", 9, Some(10), None)];
        assert_eq!(pick_least_loaded(&ids(&agents), &agents, Some(billing)).map(|a| a.user_id.as_str()), Some("busy"));
        let agents = [agent("full", 2, Some(2), None), agent("zero", 0, Some(0), None)];
        assert_eq!(pick(&agents), None);
        // Only pool members count; unknown members are skipped.
        let agents = [agent("a", 0, None, None), agent("b", 5, None, None)];
        let pool = [UserId::new("ghost"), UserId::new("b")];
        assert_eq!(pick_least_loaded(&pool, &agents, None).map(|a| a.user_id.as_str()), Some("b"));
    }

    fn arb_agent() -> impl Strategy<Value = (u32, Option<u32>, bool, Option<i64>)> {
        (0u32..8, proptest::option::of(0u32..8), any::<bool>(), proptest::option::of(0i64..5))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn picks_a_minimal_load_and_never_a_full_agent(raw in proptest::collection::vec(arb_agent(), 0..10)) {
            let agents: Vec<AgentProfile> = raw
                .iter()
                .enumerate()
                .map(|(i, (load, cap, available, last))| {
                    let mut a = agent(&format!("agent-{i}"), *load, *cap, *last);
                    a.available = *available;
                    a
                })
                .collect();
            let eligible: Vec<&AgentProfile> =
                agents.iter().filter(|a| a.available && a.capacity.is_none_or(|c| a.load < c.get())).collect();
            match pick_least_loaded(&ids(&agents), &agents, None) {
                None => prop_assert!(eligible.is_empty()),
                Some(chosen) => {
                    prop_assert!(chosen.available);
                    prop_assert!(chosen.capacity.is_none_or(|c| chosen.load < c.get()), "chose a full agent");
                    let min = eligible.iter().map(|a| a.load).min().unwrap_or(u32::MAX);
                    prop_assert_eq!(chosen.load, min);
                    for other in eligible.iter().filter(|a| a.load == min) {
                        prop_assert!(chosen.last_assigned_at <= other.last_assigned_at);
                    }
                }
            }
        }
    }
}
