//! Which of the member's earlier tickets a summary references: the same member, recent, and
//! similar in category or text. Pure: the caller fetches a bounded set of the member's recent
//! tickets (one indexed query) and this ranks them.
//!
//! ```text
//! relevance = 0.4 · same category + 0.6 · text similarity
//! score     = relevance · 0.5^(age in days / 90)
//! ```
//!
//! - *same category*: both tickets have a category and it is the same one;
//! - *text similarity*: the better of the cosine overlap of the subjects' content words and of
//!   subject and description together ([`crate::ai::text::content_words`], plurals folded), so
//!   a short matching subject counts even under a long, different description;
//! - *age*: from the earlier ticket's creation to the current ticket's, halving every 90 days.
//!
//! At most [`RELATED_LIMIT`] tickets scoring at least [`RELATED_THRESHOLD`] are kept, best
//! first (ties: the newer first). So a ticket in the same category raised last week is kept; a
//! year-old one in the same category with nothing else in common (0.4 · 0.06) is not; one with
//! no category or word in common never is, however recent.

use crate::ai::text::content_words;
use crate::ticket::Ticket;
use std::collections::BTreeSet;

/// How many related tickets a summary references (the prompt budget's `related_tickets`).
pub const RELATED_LIMIT: usize = 5;
/// The lowest score kept.
pub const RELATED_THRESHOLD: f64 = 0.15;
/// How many of the member's recent earlier tickets are ranked (and fetched).
pub const RELATED_CANDIDATES: u32 = 30;
/// How far back candidates are fetched, in days: older tickets score below the threshold
/// anyway (a perfect match 365 days old scores 1 · 0.5^4 ≈ 0.06).
pub const RELATED_WINDOW_DAYS: i64 = 365;

const CATEGORY_WEIGHT: f64 = 0.4;
const TEXT_WEIGHT: f64 = 0.6;
const HALF_LIFE_DAYS: f64 = 90.0;

/// Content words as a set, with a plural `s` folded ("passwords" meets "password").
fn word_set(text: &str) -> BTreeSet<String> {
    content_words(text)
        .into_iter()
        .map(|w| match w.strip_suffix('s') {
            Some(stem) if stem.chars().count() >= 3 && !stem.ends_with('s') => stem.to_owned(),
            _ => w,
        })
        .collect()
}

/// `|A ∩ B| / √(|A|·|B|)`, 0 when either is empty.
fn cosine(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.intersection(b).count() as f64;
    shared / ((a.len() * b.len()) as f64).sqrt()
}

/// A ticket's words, once.
struct Words {
    subject: BTreeSet<String>,
    all: BTreeSet<String>,
}

impl Words {
    fn of(ticket: &Ticket) -> Words {
        let subject = word_set(ticket.subject.as_str());
        let mut all = word_set(ticket.description.as_str());
        all.extend(subject.iter().cloned());
        Words { subject, all }
    }

    fn similarity(&self, other: &Words) -> f64 {
        cosine(&self.subject, &other.subject).max(cosine(&self.all, &other.all))
    }
}

fn decay(ticket: &Ticket, earlier: &Ticket) -> f64 {
    let age_days = (ticket.created_at - earlier.created_at).num_seconds().max(0) as f64 / 86_400.0;
    0.5_f64.powf(age_days / HALF_LIFE_DAYS)
}

/// How related `earlier` is to `ticket`, in 0..=1 (0 for another member's or the same ticket).
pub fn related_score(ticket: &Ticket, earlier: &Ticket) -> f64 {
    score(ticket, &Words::of(ticket), earlier)
}

fn score(ticket: &Ticket, words: &Words, earlier: &Ticket) -> f64 {
    if earlier.id == ticket.id || earlier.member.id != ticket.member.id || earlier.client_id != ticket.client_id {
        return 0.0;
    }
    let category = match (ticket.category_id, earlier.category_id) {
        (Some(a), Some(b)) if a == b => 1.0,
        _ => 0.0,
    };
    let relevance = CATEGORY_WEIGHT * category + TEXT_WEIGHT * words.similarity(&Words::of(earlier));
    (relevance * decay(ticket, earlier)).clamp(0.0, 1.0)
}

/// The candidates worth referencing, best first: at most [`RELATED_LIMIT`], each scoring at
/// least [`RELATED_THRESHOLD`]; the ticket itself and other members' tickets never.
pub fn rank_related<'a>(ticket: &Ticket, candidates: &'a [Ticket]) -> Vec<&'a Ticket> {
    let words = Words::of(ticket);
    let mut scored: Vec<(f64, &Ticket)> =
        candidates.iter().map(|c| (score(ticket, &words, c), c)).filter(|(s, _)| *s >= RELATED_THRESHOLD).collect();
    scored.sort_by(|(a, x), (b, y)| b.total_cmp(a).then(y.created_at.cmp(&x.created_at)).then(x.id.cmp(&y.id)));
    scored.into_iter().take(RELATED_LIMIT).map(|(_, t)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{CategoryId, TicketId};
    use crate::test_fixtures;
    use crate::ticket::{Description, Subject};
    use chrono::{Duration, TimeZone, Utc};
    use proptest::prelude::*;

    fn now() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).single().unwrap_or_else(|| unreachable!())
    }

    fn ticket(subject: &str, description: &str, category: Option<CategoryId>, days_before: i64) -> Ticket {
        let mut t = test_fixtures::ticket("c", "m");
        t.subject = Subject::new(subject).unwrap_or_else(|_| unreachable!());
        // A description is required; "-" has no words.
        let description = if description.is_empty() { "-" } else { description };
        t.description = Description::new(description).unwrap_or_else(|_| unreachable!());
        t.category_id = category;
        t.created_at = now() - Duration::days(days_before);
        t
    }

    #[test]
    fn similar_text_or_category_is_kept_and_the_unrelated_is_left_out() {
        let billing = CategoryId::new();
        let current = ticket("Password reset email never arrives", "I asked for a reset twice.", None, 0);
        let similar = ticket("Reset password email missing", "No email came.", None, 20);
        let same_category = ticket("Invoice question", "Why was I charged?", Some(billing), 10);
        let unrelated = ticket("Change of address", "We moved house.", None, 5);
        let old_similar = ticket("Password reset email never arrives", "Same again.", None, 400);
        let mut current_in_billing = current.clone();
        current_in_billing.category_id = Some(billing);
        let candidates = [unrelated.clone(), similar.clone(), same_category.clone(), old_similar];

        let ranked: Vec<TicketId> = rank_related(&current, &candidates).iter().map(|t| t.id).collect();
        assert_eq!(ranked, vec![similar.id], "text alone");

        let ranked: Vec<TicketId> = rank_related(&current_in_billing, &candidates).iter().map(|t| t.id).collect();
        // The same category (0.4) ten days ago edges out three shared words of five (0.6 · 0.67) twenty days ago.
        assert_eq!(ranked, vec![same_category.id, similar.id], "the category and the text");
        assert!(related_score(&current, &unrelated) < RELATED_THRESHOLD);
    }

    #[test]
    fn plurals_meet_and_the_ticket_itself_or_another_members_never_count() {
        let current = ticket("Passwords rejected", "", None, 0);
        assert!(related_score(&current, &ticket("Password rejected", "", None, 1)) > 0.5);
        assert_eq!(related_score(&current, &current), 0.0);
        let mut foreign = ticket("Passwords rejected", "", None, 1);
        foreign.member.id = crate::ids::UserId::new("someone-else");
        assert_eq!(related_score(&current, &foreign), 0.0);
    }

    #[test]
    fn at_most_five_best_first_newer_first_on_ties() {
        let current = ticket("Card payment declined", "", None, 0);
        let candidates: Vec<Ticket> = (1..=8).map(|d| ticket("Card payment declined", "", None, d)).collect();
        let ranked = rank_related(&current, &candidates);
        assert_eq!(ranked.len(), RELATED_LIMIT);
        let days: Vec<i64> = ranked.iter().map(|t| (now() - t.created_at).num_days()).collect();
        assert_eq!(days, vec![1, 2, 3, 4, 5]);
    }

    fn words() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec!["card", "payment", "login", "reset", "refund", "address"]),
            1..5,
        )
        .prop_map(|w| w.join(" "))
    }

    proptest! {
        /// Whatever the candidates: at most five, each above the threshold, best first, never
        /// the ticket itself; an older copy of a candidate never outranks the newer one.
        #[test]
        fn ranking_is_bounded_thresholded_and_ordered(
            current in words(),
            others in prop::collection::vec((words(), words(), 0i64..500, any::<bool>()), 0..15),
        ) {
            let category = CategoryId::new();
            let t = ticket(&current, "", Some(category), 0);
            let candidates: Vec<Ticket> = others
                .iter()
                .map(|(s, d, days, same)| ticket(s, d, same.then_some(category), *days))
                .chain(std::iter::once(t.clone()))
                .collect();
            let ranked = rank_related(&t, &candidates);
            prop_assert!(ranked.len() <= RELATED_LIMIT);
            prop_assert!(ranked.iter().all(|r| r.id != t.id));
            let scores: Vec<f64> = ranked.iter().map(|r| related_score(&t, r)).collect();
            prop_assert!(scores.iter().all(|s| *s >= RELATED_THRESHOLD && *s <= 1.0));
            prop_assert!(scores.windows(2).all(|w| w[0] >= w[1]));
            for c in &candidates {
                let mut older = c.clone();
                older.created_at -= Duration::days(30);
                prop_assert!(related_score(&t, &older) <= related_score(&t, c));
            }
        }
    }
}
