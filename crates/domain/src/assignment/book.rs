//! The agents of one decision (or one backlog plan), looked up by id, with the bookkeeping a
//! plan needs when it assigns several tickets in a row.

use super::agent::{AgentProfile, Ineligibility};
use crate::ids::{CategoryId, UserId};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

pub(crate) struct AgentBook {
    agents: Vec<AgentProfile>,
    index: BTreeMap<UserId, usize>,
    /// 0 for agents not assigned in this plan; then 1, 2, … in the order of the plan's
    /// assignments, so that agents assigned in the plan count as assigned most recently.
    plan_seq: Vec<u64>,
    next_seq: u64,
}

impl AgentBook {
    /// When an id appears twice, the first profile counts.
    pub(crate) fn new(agents: &[AgentProfile]) -> AgentBook {
        let mut index = BTreeMap::new();
        let mut kept = Vec::with_capacity(agents.len());
        for agent in agents {
            if !index.contains_key(&agent.user_id) {
                index.insert(agent.user_id.clone(), kept.len());
                kept.push(agent.clone());
            }
        }
        let plan_seq = vec![0; kept.len()];
        AgentBook { agents: kept, index, plan_seq, next_seq: 1 }
    }

    fn position(&self, id: &UserId) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub(crate) fn get(&self, id: &UserId) -> Option<&AgentProfile> {
        self.position(id).and_then(|i| self.agents.get(i))
    }

    pub(crate) fn eligibility(&self, id: &UserId, category: Option<CategoryId>) -> Result<(), Ineligibility> {
        match self.get(id) {
            None => Err(Ineligibility::NotAnAgent),
            Some(agent) => agent.eligibility(category),
        }
    }

    /// The least-loaded order's key: fewest active tickets, then assigned longest ago (never
    /// assigned first; assigned earlier in this plan before later), then id.
    pub(crate) fn least_loaded_key(&self, id: &UserId) -> Option<(u32, u64, Option<DateTime<Utc>>, &UserId)> {
        let i = self.position(id)?;
        let agent = self.agents.get(i)?;
        Some((agent.load, self.plan_seq.get(i).copied().unwrap_or(0), agent.last_assigned_at, &agent.user_id))
    }

    /// Records an assignment made by the plan: one more active ticket, assigned at `now`.
    pub(crate) fn record(&mut self, id: &UserId, now: DateTime<Utc>) {
        if let Some(i) = self.position(id)
            && let Some(agent) = self.agents.get_mut(i)
        {
            agent.load = agent.load.saturating_add(1);
            agent.last_assigned_at = Some(now);
            if let Some(seq) = self.plan_seq.get_mut(i) {
                *seq = self.next_seq;
            }
            self.next_seq += 1;
        }
    }

    /// Whether any agent could take any ticket: available and below capacity.
    pub(crate) fn any_room(&self) -> bool {
        self.agents.iter().any(|a| a.available && a.has_room())
    }

    pub(crate) fn into_agents(self) -> Vec<AgentProfile> {
        self.agents
    }
}
