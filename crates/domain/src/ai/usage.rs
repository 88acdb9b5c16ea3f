//! Draft usage (`GET /api/settings/support-ai/usage`): how much a posted reply differs from the
//! draft it was made from ([`edit_ratio`]), and the per-agent report.
//!
//! **Edit ratio** = the word-level Levenshtein distance between the draft and the posted body
//! (the fewest words inserted, deleted or replaced to turn one into the other) divided by the
//! longer text's word count. Words are the text split on whitespace, so spacing and line
//! breaks do not count as edits, while case and punctuation do ("member." ≠ "member!"). 0
//! means posted unchanged, 1 means nothing of the draft was kept (or one side is empty and the
//! other is not); two empty texts are 0. Words rather than characters: an agent's edit is
//! a word changed, and the cost stays `O(words²)` for the longest replies.

use serde::Serialize;

/// The normalised edit distance between a draft and the reply posted from it, in `0..=1`
/// (see the module documentation).
pub fn edit_ratio(draft: &str, posted: &str) -> f64 {
    let a: Vec<&str> = draft.split_whitespace().collect();
    let b: Vec<&str> = posted.split_whitespace().collect();
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 0.0;
    }
    let distance = levenshtein(&a, &b);
    (distance as f64 / longest as f64).clamp(0.0, 1.0)
}

/// Levenshtein distance over words, two rows at a time. The common beginning and end are
/// taken off first (exactly: they cost nothing), so a lightly edited draft costs little more
/// than reading it.
fn levenshtein(a: &[&str], b: &[&str]) -> usize {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, word_a) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, word_b) in b.iter().enumerate() {
            let replace = previous[j] + usize::from(word_a != word_b);
            current[j + 1] = replace.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// One generated draft as the usage report counts it.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftUsageRow {
    pub agent_id: String,
    pub agent_name: String,
    /// The edit ratio of the reply posted from it; `None` while no reply used it.
    pub edit_ratio: Option<f64>,
    pub used: bool,
}

/// Drafts generated and used, by one agent or in total.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageFigures {
    pub drafts_generated: u64,
    pub drafts_used: u64,
    /// `draftsUsed / draftsGenerated`, two decimals; 0 when nothing was generated.
    pub use_rate: f64,
    /// The mean edit ratio of the used drafts, two decimals; `null` when none was used.
    pub average_edit_ratio: Option<f64>,
}

/// One agent's line of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentUsage {
    pub agent_id: String,
    pub agent_name: String,
    #[serde(flatten)]
    pub figures: UsageFigures,
}

/// The usage report: per agent (most drafts first, then by name) and the totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageReport {
    pub agents: Vec<AgentUsage>,
    pub totals: UsageFigures,
}

fn figures<'a>(rows: impl Iterator<Item = &'a DraftUsageRow>) -> UsageFigures {
    let (mut generated, mut used, mut ratio_sum, mut ratios) = (0u64, 0u64, 0.0f64, 0u64);
    for row in rows {
        generated += 1;
        if row.used {
            used += 1;
        }
        if let Some(r) = row.edit_ratio.filter(|r| r.is_finite()) {
            ratio_sum += r.clamp(0.0, 1.0);
            ratios += 1;
        }
    }
    UsageFigures {
        drafts_generated: generated,
        drafts_used: used,
        use_rate: if generated == 0 { 0.0 } else { round2(used as f64 / generated as f64) },
        average_edit_ratio: (ratios > 0).then(|| round2(ratio_sum / ratios as f64)),
    }
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// The report over the drafts of a period. An agent's name is the one on their latest row.
pub fn usage_report(rows: &[DraftUsageRow]) -> UsageReport {
    let mut agents: Vec<(&str, &str)> = Vec::new();
    for row in rows {
        match agents.iter_mut().find(|(id, _)| *id == row.agent_id) {
            Some(agent) => agent.1 = &row.agent_name,
            None => agents.push((&row.agent_id, &row.agent_name)),
        }
    }
    let mut lines: Vec<AgentUsage> = agents
        .into_iter()
        .map(|(id, name)| AgentUsage {
            agent_id: id.to_owned(),
            agent_name: name.to_owned(),
            figures: figures(rows.iter().filter(|r| r.agent_id == id)),
        })
        .collect();
    lines.sort_by(|a, b| {
        b.figures.drafts_generated.cmp(&a.figures.drafts_generated).then_with(|| a.agent_name.cmp(&b.agent_name))
    });
    UsageReport { agents: lines, totals: figures(rows.iter()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn edit_ratios() {
        assert_eq!(edit_ratio("", ""), 0.0);
        assert_eq!(edit_ratio("Dear Mia,\n\nYour card is on its way.", "Dear Mia,  Your card is on its way."), 0.0);
        assert_eq!(edit_ratio("a b c d", "a b x d"), 0.25);
        assert_eq!(edit_ratio("a b c d", "a b c d e f g h"), 0.5);
        assert_eq!(edit_ratio("a b", ""), 1.0);
        assert_eq!(edit_ratio("one two", "three four five"), 1.0);
        assert_eq!(edit_ratio("Thanks, member.", "Thanks, member!"), 0.5);
    }

    fn row(agent: &str, name: &str, used: Option<f64>) -> DraftUsageRow {
        DraftUsageRow { agent_id: agent.into(), agent_name: name.into(), edit_ratio: used, used: used.is_some() }
    }

    #[test]
    fn the_report_per_agent_and_in_total() {
        let rows = [
            row("u1", "Uma", Some(0.1)),
            row("u2", "Ann", None),
            row("u1", "Uma User", None),
            row("u1", "Uma User", Some(0.4)),
            row("u2", "Ann", Some(0.0)),
        ];
        let report = usage_report(&rows);
        assert_eq!(report.agents.len(), 2);
        let uma = &report.agents[0];
        assert_eq!((uma.agent_id.as_str(), uma.agent_name.as_str()), ("u1", "Uma User"));
        assert_eq!(
            uma.figures,
            UsageFigures { drafts_generated: 3, drafts_used: 2, use_rate: 0.67, average_edit_ratio: Some(0.25) }
        );
        assert_eq!(report.agents[1].figures.average_edit_ratio, Some(0.0));
        assert_eq!(
            report.totals,
            UsageFigures { drafts_generated: 5, drafts_used: 3, use_rate: 0.6, average_edit_ratio: Some(0.17) }
        );
        let json = serde_json::to_value(&report).unwrap_or_default();
        assert_eq!(json["agents"][0]["draftsGenerated"], 3);
        assert_eq!(json["agents"][0]["agentName"], "Uma User");
        assert_eq!(json["totals"]["useRate"], 0.6);

        let empty = usage_report(&[]);
        assert!(empty.agents.is_empty());
        assert_eq!(
            empty.totals,
            UsageFigures { drafts_generated: 0, drafts_used: 0, use_rate: 0.0, average_edit_ratio: None }
        );
    }

    /// The textbook full-table distance, to check the trimmed one against.
    #[allow(clippy::needless_range_loop)] // the recurrence reads clearest with indices
    fn plain_levenshtein(a: &[&str], b: &[&str]) -> usize {
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let replace = d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
                d[i][j] = replace.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
            }
        }
        d[a.len()][b.len()]
    }

    fn words() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(vec!["a", "b", "c", "member", "Dear", "Mia,", "\n"]), 0..30)
            .prop_map(|w| w.join(" "))
    }

    proptest! {
        #[test]
        fn an_edit_ratio_is_a_unit_number_and_symmetric(a in words(), b in words()) {
            let r = edit_ratio(&a, &b);
            prop_assert!((0.0..=1.0).contains(&r), "{r}");
            prop_assert_eq!(r, edit_ratio(&b, &a));
        }

        #[test]
        fn an_unchanged_draft_has_ratio_zero(a in "\\PC{0,200}") {
            prop_assert_eq!(edit_ratio(&a, &a), 0.0);
        }

        #[test]
        fn appending_k_words_to_n_costs_k_over_n_plus_k(a in words(), extra in 1usize..10) {
            let n = a.split_whitespace().count();
            let longer = format!("{a} {}", vec!["zzz"; extra].join(" "));
            let expected = extra as f64 / (n + extra) as f64;
            prop_assert!((edit_ratio(&a, &longer) - expected).abs() < 1e-9);
        }

        #[test]
        fn trimming_the_common_ends_changes_no_distance(a in words(), b in words()) {
            let (a, b): (Vec<&str>, Vec<&str>) = (a.split_whitespace().collect(), b.split_whitespace().collect());
            prop_assert_eq!(levenshtein(&a, &b), plain_levenshtein(&a, &b));
        }

        #[test]
        fn disjoint_texts_have_ratio_one(n in 1usize..20, m in 1usize..20) {
            let a = vec!["x"; n].join(" ");
            let b = vec!["y"; m].join(" ");
            prop_assert_eq!(edit_ratio(&a, &b), 1.0);
        }
    }
}
