//! Round-robin: a pool's agents take tickets in turn, in the pool's order, skipping agents who
//! cannot take the ticket now.
//!
//! Each pool (each rule with a round-robin pool) keeps a persistent [`RoundRobinCursor`]. The
//! choice is a pure function of the pool's order, the cursor and who is eligible; the store
//! makes it safe under concurrency by replacing the cursor with compare-and-set on `turns`
//! (which grows by exactly one per assignment, so a stale cursor can never look current).

use crate::ids::UserId;
use serde::{Deserialize, Serialize};

/// Where a pool's rotation stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundRobinCursor {
    /// How many tickets the pool has assigned; grows by exactly one per assignment. The
    /// compare-and-set version.
    pub turns: u64,
    /// Who got the last ticket. The next turn starts just after them in the pool, so adding
    /// or removing other agents does not disturb the rotation.
    pub last_agent: Option<UserId>,
}

impl RoundRobinCursor {
    /// The index where the next turn starts looking: just after `last_agent` when they are still
    /// in the pool, otherwise `turns` modulo the pool's size (0 for a new pool).
    pub fn start_index(&self, pool: &[UserId]) -> usize {
        if pool.is_empty() {
            return 0;
        }
        match self.last_agent.as_ref().and_then(|last| pool.iter().position(|a| a == last)) {
            Some(i) => (i + 1) % pool.len(),
            None => {
                let k = pool.len() as u64;
                // `turns % k` is below `k`, which came from a `usize`.
                usize::try_from(self.turns % k).unwrap_or(0)
            }
        }
    }

    /// The cursor once `agent` has been given a ticket.
    pub fn after(&self, agent: &UserId) -> RoundRobinCursor {
        RoundRobinCursor { turns: self.turns.wrapping_add(1), last_agent: Some(agent.clone()) }
    }
}

/// The next agent in turn: the first eligible agent at or after the cursor's start, going round
/// the pool once. Returns the agent's index in the pool and the new cursor, or `None` when no
/// agent of the pool is eligible (the cursor then stays as it is).
pub fn pick_round_robin(
    pool: &[UserId],
    cursor: &RoundRobinCursor,
    mut is_eligible: impl FnMut(&UserId) -> bool,
) -> Option<(usize, RoundRobinCursor)> {
    let k = pool.len();
    let start = cursor.start_index(pool);
    (0..k).map(|step| (start + step) % k).find(|&i| is_eligible(&pool[i])).map(|i| (i, cursor.after(&pool[i])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pool(k: usize) -> Vec<UserId> {
        (0..k).map(|i| UserId::new(format!("agent-{i}"))).collect()
    }

    /// Runs `n` turns and counts tickets per agent.
    fn run(
        pool: &[UserId],
        mut cursor: RoundRobinCursor,
        n: usize,
        eligible: &[bool],
    ) -> (Vec<usize>, RoundRobinCursor) {
        let mut counts = vec![0; pool.len()];
        for _ in 0..n {
            match pick_round_robin(pool, &cursor, |a| pool.iter().position(|p| p == a).is_some_and(|i| eligible[i])) {
                Some((i, next)) => {
                    counts[i] += 1;
                    cursor = next;
                }
                None => break,
            }
        }
        (counts, cursor)
    }

    #[test]
    fn takes_turns_in_pool_order() {
        let p = pool(3);
        let mut cursor = RoundRobinCursor::default();
        let mut order = vec![];
        for _ in 0..7 {
            let Some((i, next)) = pick_round_robin(&p, &cursor, |_| true) else { panic!("none eligible") };
            order.push(i);
            cursor = next;
        }
        assert_eq!(order, [0, 1, 2, 0, 1, 2, 0]);
        assert_eq!(cursor, RoundRobinCursor { turns: 7, last_agent: Some(p[0].clone()) });
    }

    #[test]
    fn skips_ineligible_agents_and_keeps_the_cursor_when_nobody_can() {
        let p = pool(4);
        let cursor = RoundRobinCursor { turns: 9, last_agent: Some(p[0].clone()) };
        let picked = pick_round_robin(&p, &cursor, |a| *a != p[1] && *a != p[2]);
        assert_eq!(picked, Some((3, RoundRobinCursor { turns: 10, last_agent: Some(p[3].clone()) })));
        // Wraps round to the start.
        let cursor = RoundRobinCursor { turns: 10, last_agent: Some(p[3].clone()) };
        assert_eq!(pick_round_robin(&p, &cursor, |a| *a == p[3]).map(|(i, _)| i), Some(3));
        assert_eq!(pick_round_robin(&p, &cursor, |_| false), None);
        assert_eq!(pick_round_robin(&[], &cursor, |_| true), None);
    }

    #[test]
    fn editing_the_pool_continues_after_the_last_agent() {
        let [a, b, c, d] = [0, 1, 2, 3].map(|i| UserId::new(format!("{i}")));
        let cursor = RoundRobinCursor { turns: 5, last_agent: Some(b.clone()) };
        // `d` joins before `c`: the rotation goes on after `b`.
        let edited = vec![a.clone(), b.clone(), d.clone(), c.clone()];
        assert_eq!(pick_round_robin(&edited, &cursor, |_| true).map(|(i, _)| i), Some(2));
        // `b` leaves: the start falls back to turns mod k (5 mod 3 = 2).
        let without_b = vec![a, c.clone(), d];
        assert_eq!(cursor.start_index(&without_b), 2);
        assert_eq!(RoundRobinCursor::default().start_index(&without_b), 0);
        assert_eq!(RoundRobinCursor { turns: u64::MAX, last_agent: None }.after(&c).turns, 0);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Over n tickets for k always-eligible agents, each gets ⌊n/k⌋ or ⌈n/k⌉, from any
        /// starting cursor.
        #[test]
        fn fair_among_always_eligible_agents(k in 1usize..12, n in 0usize..300, turns in any::<u64>(), last in proptest::option::of(0usize..16)) {
            let p = pool(k);
            let cursor = RoundRobinCursor { turns, last_agent: last.map(|i| UserId::new(format!("agent-{i}"))) };
            let (counts, end) = run(&p, cursor.clone(), n, &vec![true; k]);
            for (i, c) in counts.iter().enumerate() {
                prop_assert!(*c == n / k || *c == n.div_ceil(k), "agent {} got {} of {} over {}", i, c, n, k);
            }
            prop_assert_eq!(end.turns, turns.wrapping_add(n as u64));
        }

        /// With some agents never eligible, the eligible ones share fairly and the others get
        /// nothing.
        #[test]
        fn fair_among_the_eligible(eligible in proptest::collection::vec(any::<bool>(), 1..12), n in 0usize..300, start in 0usize..12) {
            let p = pool(eligible.len());
            let cursor = RoundRobinCursor { turns: start as u64, last_agent: None };
            let (counts, _) = run(&p, cursor, n, &eligible);
            let e = eligible.iter().filter(|x| **x).count();
            if e == 0 {
                prop_assert_eq!(counts.iter().sum::<usize>(), 0);
                return Ok(());
            }
            for (i, c) in counts.iter().enumerate() {
                if eligible[i] {
                    prop_assert!(*c == n / e || *c == n.div_ceil(e), "agent {} got {} of {} over {}", i, c, n, e);
                } else {
                    prop_assert_eq!(*c, 0);
                }
            }
        }

        /// The pick is the first eligible agent at or after the start, cyclically.
        #[test]
        fn picks_the_first_eligible_from_the_start(eligible in proptest::collection::vec(any::<bool>(), 1..12), turns in any::<u64>()) {
            let p = pool(eligible.len());
            let cursor = RoundRobinCursor { turns, last_agent: None };
            let start = cursor.start_index(&p);
            let picked = pick_round_robin(&p, &cursor, |a| p.iter().position(|x| x == a).is_some_and(|i| eligible[i]));
            let expected = (0..p.len()).map(|s| (start + s) % p.len()).find(|&i| eligible[i]);
            prop_assert_eq!(picked.map(|(i, _)| i), expected);
        }
    }
}
