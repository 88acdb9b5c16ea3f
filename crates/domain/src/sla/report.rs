//! SLA reporting over the tickets a queue filter selects: counted first-response and resolution
//! times (mean, median, 90th percentile) and how many targets were met, breached or are at
//! risk, overall and broken down by category, priority and agent (the assignee).
//!
//! Times are the counted time of the ticket's policy (business time when it counts business
//! hours), as recorded when the target completed; only tickets with an SLA take part.

use super::tracker::SlaState;
use crate::ids::{CategoryId, UserId};
use crate::query::DurationStats;
use crate::ticket::Priority;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One target over a group of tickets.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlaTargetReport {
    /// Counted time to completion over the tickets that completed the target.
    pub time: DurationStats,
    pub met: i64,
    pub breached: i64,
    pub at_risk: i64,
    pub pending: i64,
}

impl SlaTargetReport {
    fn count(&mut self, state: Option<SlaState>, tickets: i64) {
        match state {
            Some(SlaState::Met) => self.met += tickets,
            Some(SlaState::Breached) => self.breached += tickets,
            Some(SlaState::AtRisk) => self.at_risk += tickets,
            Some(SlaState::Pending) => self.pending += tickets,
            None => {}
        }
    }
}

/// Both targets over a group of tickets.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlaGroupReport {
    /// How many tickets with an SLA the group has.
    pub tickets: i64,
    pub first_response: SlaTargetReport,
    pub resolution: SlaTargetReport,
}

/// A group of the breakdown and its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlaReportGroup<K> {
    pub key: K,
    #[serde(flatten)]
    pub report: SlaGroupReport,
}

/// The SLA section of the queue statistics.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlaReport {
    pub overall: SlaGroupReport,
    /// `key: null` is "no category".
    pub by_category: Vec<SlaReportGroup<Option<CategoryId>>>,
    /// Every priority, low to high.
    pub by_priority: Vec<SlaReportGroup<Priority>>,
    /// By assignee; `key: null` is "unassigned".
    pub by_agent: Vec<SlaReportGroup<Option<UserId>>>,
}

/// A group of tickets with the same category, priority, assignee and target states, and how
/// many there are (what a store's `GROUP BY` gives).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaCountRow {
    pub category_id: Option<CategoryId>,
    pub priority: Priority,
    pub assignee_id: Option<UserId>,
    pub first_response: Option<SlaState>,
    pub resolution: Option<SlaState>,
    pub tickets: i64,
}

/// One ticket's completed counted times (for computing time statistics outside the database).
#[derive(Debug, Clone, PartialEq)]
pub struct SlaDurationRow {
    pub category_id: Option<CategoryId>,
    pub priority: Priority,
    pub assignee_id: Option<UserId>,
    pub first_response_seconds: Option<f64>,
    pub resolution_seconds: Option<f64>,
}

/// Time statistics of both targets for each group, as a database computed them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SlaTimes {
    pub overall: (DurationStats, DurationStats),
    pub by_category: BTreeMap<Option<CategoryId>, (DurationStats, DurationStats)>,
    pub by_priority: BTreeMap<Priority, (DurationStats, DurationStats)>,
    pub by_agent: BTreeMap<Option<UserId>, (DurationStats, DurationStats)>,
}

impl SlaTimes {
    /// Computes every group's statistics from per-ticket rows (for stores without percentile
    /// aggregates); the percentiles interpolate like PostgreSQL's `percentile_cont`.
    pub fn from_rows(rows: &[SlaDurationRow]) -> SlaTimes {
        type Samples = (Vec<f64>, Vec<f64>);
        fn push(samples: &mut Samples, row: &SlaDurationRow) {
            samples.0.extend(row.first_response_seconds);
            samples.1.extend(row.resolution_seconds);
        }
        fn stats(samples: Samples) -> (DurationStats, DurationStats) {
            (DurationStats::from_seconds(samples.0), DurationStats::from_seconds(samples.1))
        }
        let mut overall: Samples = Default::default();
        let mut by_category: BTreeMap<Option<CategoryId>, Samples> = BTreeMap::new();
        let mut by_priority: BTreeMap<Priority, Samples> = BTreeMap::new();
        let mut by_agent: BTreeMap<Option<UserId>, Samples> = BTreeMap::new();
        for row in rows {
            push(&mut overall, row);
            push(by_category.entry(row.category_id).or_default(), row);
            push(by_priority.entry(row.priority).or_default(), row);
            push(by_agent.entry(row.assignee_id.clone()).or_default(), row);
        }
        SlaTimes {
            overall: stats(overall),
            by_category: by_category.into_iter().map(|(k, v)| (k, stats(v))).collect(),
            by_priority: by_priority.into_iter().map(|(k, v)| (k, stats(v))).collect(),
            by_agent: by_agent.into_iter().map(|(k, v)| (k, stats(v))).collect(),
        }
    }
}

impl SlaReport {
    /// Puts counts and times together. Category and agent groups are listed with the most
    /// tickets first (then by key, `null` first); every priority is listed.
    pub fn build(counts: &[SlaCountRow], times: SlaTimes) -> SlaReport {
        let mut overall = SlaGroupReport::default();
        let mut by_category: BTreeMap<Option<CategoryId>, SlaGroupReport> = BTreeMap::new();
        let mut by_priority: BTreeMap<Priority, SlaGroupReport> =
            Priority::ALL.into_iter().map(|p| (p, SlaGroupReport::default())).collect();
        let mut by_agent: BTreeMap<Option<UserId>, SlaGroupReport> = BTreeMap::new();
        for row in counts {
            for group in [
                &mut overall,
                by_category.entry(row.category_id).or_default(),
                by_priority.entry(row.priority).or_default(),
                by_agent.entry(row.assignee_id.clone()).or_default(),
            ] {
                group.tickets += row.tickets;
                group.first_response.count(row.first_response, row.tickets);
                group.resolution.count(row.resolution, row.tickets);
            }
        }
        let with_times = |report: &mut SlaGroupReport, times: Option<&(DurationStats, DurationStats)>| {
            if let Some((first_response, resolution)) = times {
                report.first_response.time = first_response.clone();
                report.resolution.time = resolution.clone();
            }
        };
        with_times(&mut overall, Some(&times.overall));
        for (key, report) in by_category.iter_mut() {
            with_times(report, times.by_category.get(key));
        }
        for (key, report) in by_priority.iter_mut() {
            with_times(report, times.by_priority.get(key));
        }
        for (key, report) in by_agent.iter_mut() {
            with_times(report, times.by_agent.get(key));
        }
        SlaReport {
            overall,
            by_category: most_first(by_category),
            by_priority: by_priority.into_iter().map(|(key, report)| SlaReportGroup { key, report }).collect(),
            by_agent: most_first(by_agent),
        }
    }
}

fn most_first<K: Ord>(groups: BTreeMap<K, SlaGroupReport>) -> Vec<SlaReportGroup<K>> {
    let mut list: Vec<SlaReportGroup<K>> =
        groups.into_iter().map(|(key, report)| SlaReportGroup { key, report }).collect();
    list.sort_by_key(|g| std::cmp::Reverse(g.report.tickets));
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(priority: Priority, agent: Option<&str>, fr: SlaState, res: SlaState, tickets: i64) -> SlaCountRow {
        SlaCountRow {
            category_id: None,
            priority,
            assignee_id: agent.map(UserId::new),
            first_response: Some(fr),
            resolution: Some(res),
            tickets,
        }
    }

    #[test]
    fn counts_fold_into_every_breakdown() {
        let counts = vec![
            row(Priority::High, Some("a"), SlaState::Breached, SlaState::AtRisk, 2),
            row(Priority::Low, None, SlaState::Met, SlaState::Met, 3),
        ];
        let durations = vec![SlaDurationRow {
            category_id: None,
            priority: Priority::Low,
            assignee_id: None,
            first_response_seconds: Some(60.0),
            resolution_seconds: None,
        }];
        let report = SlaReport::build(&counts, SlaTimes::from_rows(&durations));
        assert_eq!(report.overall.tickets, 5);
        assert_eq!((report.overall.first_response.met, report.overall.first_response.breached), (3, 2));
        assert_eq!(report.overall.resolution.at_risk, 2);
        assert_eq!(report.overall.first_response.time.count, 1);
        assert_eq!(report.by_priority.len(), 3, "every priority is listed");
        assert_eq!(report.by_priority[1].report.tickets, 0, "medium has none");
        assert_eq!(report.by_agent[0].key, None, "most tickets first");
        assert_eq!(report.by_agent[1].report.first_response.breached, 2);
        assert_eq!(report.by_category[0].report.tickets, 5);
    }
}
