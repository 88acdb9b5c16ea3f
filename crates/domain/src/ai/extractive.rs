//! The built-in summariser, for when no AI service is configured or it fails: extractive (it
//! picks sentences, it does not write new ones), deterministic, labelled
//! [`GeneratedBy::Builtin`], and in the same shapes as the AI's summaries.
//!
//! - **Key sentences**: the member's sentences (description and public replies) scored by
//!   position (earlier in a message scores higher; the description's first sentences most),
//!   term frequency (words the member repeats), overlap with the subject, and question marks;
//!   sentences under four content words (greetings, thanks) are skipped.
//! - **Status**: status and priority, who spoke last and who is awaited.
//! - **Open questions**: the member's questions not followed by any public staff reply.
//! - **Timeline**: from the history events (replies quoted by their key sentence), or from the
//!   messages when no history is given.
//! - **Resolution attempts**: what staff suggested (sentences with "try", "reset", "we have",
//!   …) and whether the member's next message says it helped.
//! - **Key decisions**: resolved/closed/waiting and priority changes, and staff sentences with
//!   "decided", "we will", "refund", "escalate", … (internal notes included: summaries are
//!   internal).
//! - **Sentiment**: the small lexicon of [`crate::ai::text::sentiment`].

use crate::ai::context::{ConversationMessage, Redacted, Side, TicketContext};
use crate::ai::prompts::cut;
use crate::ai::summary::{ConversationSummary, GeneratedBy, Sentiment, TicketSummary, TimelineEntry, limits};
use crate::ai::text::{content_words, count_word_prefix, mentions_any, sentences, sentiment};
use crate::event::{Change, TicketEvent};
use crate::template::status_label;
use crate::ticket::Status;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

const KEY_SENTENCES: usize = 4;
const QUOTE_CHARS: usize = 200;

/// A member's text: the description (index 0) or a public reply.
struct MemberText<'a> {
    at: DateTime<Utc>,
    text: &'a str,
    is_description: bool,
}

fn member_texts(ctx: &TicketContext) -> Vec<MemberText<'_>> {
    let mut texts = vec![MemberText { at: ctx.created_at, text: &ctx.description, is_description: true }];
    texts.extend(ctx.messages.iter().filter(|m| m.side == Side::Member && m.is_public()).map(|m| MemberText {
        at: m.at,
        text: &m.body,
        is_description: false,
    }));
    texts
}

/// The member's most telling sentences, best first, at most `n`.
pub fn key_sentences(ctx: &TicketContext, n: usize) -> Vec<String> {
    let texts = member_texts(ctx);
    let mut frequency: HashMap<String, usize> = HashMap::new();
    for t in &texts {
        for w in content_words(t.text) {
            *frequency.entry(w).or_default() += 1;
        }
    }
    let max_frequency = frequency.values().copied().max().unwrap_or(1).max(1) as f64;
    let subject: Vec<String> = content_words(&ctx.subject);

    let mut scored: Vec<(f64, usize, String)> = Vec::new();
    let mut order = 0;
    for t in &texts {
        for (i, sentence) in sentences(t.text).into_iter().enumerate() {
            order += 1;
            let words = content_words(&sentence);
            if words.len() < 4 {
                continue;
            }
            let position = if t.is_description { 1.0 } else { 0.6 } / (1.0 + i as f64);
            let tf = words.iter().map(|w| frequency.get(w).copied().unwrap_or(0) as f64 / max_frequency).sum::<f64>()
                / words.len() as f64;
            let overlap = if subject.is_empty() {
                0.0
            } else {
                subject.iter().filter(|s| words.iter().any(|w| w.starts_with(s.as_str()))).count() as f64
                    / subject.len() as f64
            };
            let question = if sentence.ends_with('?') { 0.3 } else { 0.0 };
            scored.push((position + tf + 0.5 * overlap + question, order, sentence));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut seen: Vec<String> = Vec::new();
    scored
        .into_iter()
        .filter(|(_, _, s)| {
            let fresh = !seen.contains(s);
            seen.push(s.clone());
            fresh
        })
        .take(n)
        .map(|(_, _, s)| cut(&s, limits::ITEM_CHARS))
        .collect()
}

/// The member's questions that no public staff reply has followed yet, oldest first.
pub fn open_questions(ctx: &TicketContext) -> Vec<String> {
    let last_staff_reply = ctx.messages.iter().filter(|m| m.side == Side::Staff && m.is_public()).map(|m| m.at).max();
    member_texts(ctx)
        .into_iter()
        .filter(|t| last_staff_reply.is_none_or(|staff| t.at > staff))
        .flat_map(|t| sentences(t.text))
        .filter(|s| s.ends_with('?') && content_words(s).len() >= 2)
        .map(|s| cut(&s, QUOTE_CHARS))
        .collect()
}

/// The member's sentiment over the description and their public replies.
pub fn member_sentiment(ctx: &TicketContext) -> Sentiment {
    let texts: Vec<&str> = member_texts(ctx).iter().map(|t| t.text).collect();
    sentiment(&texts)
}

fn last_public(ctx: &TicketContext) -> Option<&ConversationMessage> {
    ctx.messages.iter().filter(|m| m.is_public()).max_by_key(|m| m.at)
}

fn staff_replied(ctx: &TicketContext) -> bool {
    ctx.messages.iter().any(|m| m.side == Side::Staff && m.is_public())
}

/// One line about who spoke last and who is awaited.
fn exchange(ctx: &TicketContext) -> String {
    match last_public(ctx) {
        None => "No reply yet".to_owned(),
        Some(m) if m.side == Side::Member && !staff_replied(ctx) => {
            format!("No staff reply yet; the member wrote again on {}", m.at.date_naive())
        }
        Some(m) if m.side == Side::Member => format!("The member replied last, on {}", m.at.date_naive()),
        Some(m) => format!("Staff replied last, on {}", m.at.date_naive()),
    }
}

/// The built-in ticket summary.
pub fn builtin_ticket_summary(ctx: &Redacted<TicketContext>, now: DateTime<Utc>) -> TicketSummary {
    let key = key_sentences(ctx, KEY_SENTENCES);
    let questions = open_questions(ctx);
    let issue = key.first().cloned().unwrap_or_else(|| cut(ctx.subject.trim(), limits::ITEM_CHARS));
    let mut summary = format!(
        "{} Status: {}, priority {}. {}.",
        ensure_period(&format!("Subject \u{201c}{}\u{201d}: {issue}", cut(ctx.subject.trim(), 120))),
        status_label(ctx.status),
        ctx.priority,
        exchange(ctx)
    );
    if !questions.is_empty() {
        let noun = if questions.len() == 1 { "question" } else { "questions" };
        summary.push_str(&format!(" {} open {noun} from the member.", questions.len()));
    }
    let mut key_points: Vec<String> = key.into_iter().skip(1).collect();
    for t in ctx.related.iter().take(2) {
        key_points.push(cut(
            &format!("Previous ticket #{} ({}): {}", t.number, status_label(t.status), t.subject.trim()),
            limits::ITEM_CHARS,
        ));
    }
    key_points.truncate(limits::KEY_POINTS);
    TicketSummary {
        ticket_id: ctx.ticket_id,
        summary: cut(&summary, limits::SUMMARY_CHARS),
        key_points,
        sentiment: member_sentiment(ctx),
        suggested_actions: suggested_actions(ctx, &questions),
        generated_at: now,
        generated_by: GeneratedBy::Builtin,
    }
}

fn ensure_period(text: &str) -> String {
    if text.ends_with(['.', '!', '?']) { text.to_owned() } else { format!("{text}.") }
}

fn suggested_actions(ctx: &TicketContext, questions: &[String]) -> Vec<String> {
    let mut actions = Vec::new();
    for q in questions.iter().take(3) {
        actions.push(cut(&format!("Answer the member's question: \u{201c}{q}\u{201d}"), limits::ITEM_CHARS));
    }
    let last_from_member = last_public(ctx).is_none_or(|m| m.side == Side::Member);
    match ctx.status {
        Status::Open | Status::InProgress if !staff_replied(ctx) => {
            actions.push("Send a first response to the member".to_owned());
        }
        Status::Waiting if last_from_member && last_public(ctx).is_some() => {
            actions.push("The member has replied: take the ticket out of waiting".to_owned());
        }
        Status::Open | Status::InProgress if last_from_member && questions.is_empty() => {
            actions.push("Reply to the member's latest message".to_owned());
        }
        Status::Resolved => actions.push("Confirm with the member that the issue is solved, then close".to_owned()),
        _ => {}
    }
    if let Some(t) = ctx.related.first() {
        actions.push(format!("Check previous ticket #{} for what was done before", t.number));
    }
    actions.truncate(limits::SUGGESTED_ACTIONS);
    actions
}

/// The key sentence of one message (its best-scored sentence by the same rules, or its first).
fn gist(text: &str) -> String {
    let all = sentences(text);
    let pick = all.iter().find(|s| content_words(s).len() >= 4).or(all.first()).cloned().unwrap_or_default();
    cut(&pick, QUOTE_CHARS)
}

fn who(ctx: &TicketContext, e: &TicketEvent) -> &'static str {
    if ctx.by_member(e) { "the member" } else { "staff" }
}

fn timeline_entry(ctx: &TicketContext, e: &TicketEvent) -> Option<String> {
    let text = match &e.change {
        Change::Created { subject, .. } => {
            format!("Ticket opened by {}: \u{201c}{}\u{201d}", who(ctx, e), cut(subject.trim(), QUOTE_CHARS))
        }
        Change::Replied { response_id } => match ctx.message(*response_id) {
            Some(m) => format!("{} replied: \u{201c}{}\u{201d}", m.side.label(), gist(&m.body)),
            None => format!("Reply by {}", who(ctx, e)),
        },
        Change::NoteAdded { response_id } => match ctx.message(*response_id) {
            Some(m) => format!("Internal note: \u{201c}{}\u{201d}", gist(&m.body)),
            None => "Internal note added".to_owned(),
        },
        Change::StatusChanged { from, to } => {
            format!("Status changed from {} to {} by {}", status_label(*from), status_label(*to), who(ctx, e))
        }
        Change::PriorityChanged { from, to } => {
            let way = if to.rank() > from.rank() { "raised" } else { "lowered" };
            format!("Priority {way} from {from} to {to}")
        }
        Change::AssigneeChanged { from, to, .. } => match (from, to) {
            (_, None) => "Unassigned".to_owned(),
            (None, Some(_)) => "Assigned to an agent".to_owned(),
            (Some(_), Some(_)) => "Reassigned to another agent".to_owned(),
        },
        Change::CategoryChanged { .. } => "Category changed".to_owned(),
        Change::SubjectChanged { to, .. } => {
            format!("Subject changed to \u{201c}{}\u{201d}", cut(to.trim(), QUOTE_CHARS))
        }
        Change::DescriptionChanged { .. } => "Description edited".to_owned(),
        other => humanise(other.name()),
    };
    Some(text)
}

/// `sla_breached` → `SLA breached`.
fn humanise(name: &str) -> String {
    let spaced = name.replace('_', " ");
    if let Some(rest) = spaced.strip_prefix("sla ") {
        return format!("SLA {rest}");
    }
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn timeline(ctx: &TicketContext) -> Vec<TimelineEntry> {
    let mut entries: Vec<TimelineEntry> = if ctx.history.is_empty() {
        let mut from_messages = vec![TimelineEntry {
            at: ctx.created_at,
            text: format!("Ticket opened: \u{201c}{}\u{201d}", cut(ctx.subject.trim(), QUOTE_CHARS)),
        }];
        from_messages.extend(ctx.messages.iter().map(|m| TimelineEntry {
            at: m.at,
            text: if m.is_public() {
                format!("{} replied: \u{201c}{}\u{201d}", m.side.label(), gist(&m.body))
            } else {
                format!("Internal note: \u{201c}{}\u{201d}", gist(&m.body))
            },
        }));
        from_messages
    } else {
        ctx.history
            .iter()
            .filter_map(|e| {
                timeline_entry(ctx, e).map(|text| TimelineEntry { at: e.at, text: cut(&text, limits::ITEM_CHARS) })
            })
            .collect()
    };
    entries.sort_by_key(|e| e.at);
    if entries.len() > limits::TIMELINE_ENTRIES {
        // The opening, then the most recent.
        let tail = entries.split_off(entries.len() - (limits::TIMELINE_ENTRIES - 1));
        entries.truncate(1);
        entries.extend(tail);
    }
    entries
}

const ATTEMPT_CUES: &[&str] = &[
    "try",
    "please",
    "reset",
    "clear",
    "restart",
    "reinstall",
    "update",
    "we have",
    "we've",
    "i have",
    "i've",
    "refund",
    "sent",
    "changed",
    "unlocked",
    "check",
    "could you",
    "can you",
];
const DID_NOT_HELP: &[&str] = &[
    "still",
    "not work",
    "doesn't work",
    "didn't",
    "did not",
    "same",
    "fails",
    "failed",
    "no luck",
    "nothing changed",
];
const HELPED: &[&str] = &["works", "working now", "thank", "solved", "fixed", "resolved", "all good", "perfect"];
const DECISION_CUES: &[&str] = &[
    "decided",
    "we will",
    "we'll",
    "agreed",
    "approved",
    "refund",
    "escalat",
    "exception",
    "will be",
    "going to",
    "waive",
];

fn resolution_attempts(ctx: &TicketContext) -> Vec<String> {
    let public: Vec<&ConversationMessage> = ctx.messages.iter().filter(|m| m.is_public()).collect();
    let mut attempts = Vec::new();
    for (i, m) in public.iter().enumerate() {
        if m.side != Side::Staff {
            continue;
        }
        let Some(attempt) = sentences(&m.body).into_iter().find(|s| {
            let lower = s.to_lowercase();
            ATTEMPT_CUES.iter().any(|c| count_word_prefix(&lower, c) > 0) && content_words(s).len() >= 2
        }) else {
            continue;
        };
        let reply = public.iter().skip(i + 1).find(|n| n.side == Side::Member);
        let outcome = match reply {
            Some(r) if mentions_any(&r.body, DID_NOT_HELP) => " \u{2014} the member says it did not help",
            Some(r) if mentions_any(&r.body, HELPED) => " \u{2014} the member says it helped",
            Some(_) => "",
            None => " \u{2014} no answer from the member yet",
        };
        attempts.push(cut(&format!("{}{outcome}", cut(&attempt, QUOTE_CHARS)), limits::ITEM_CHARS));
    }
    attempts.truncate(limits::RESOLUTION_ATTEMPTS);
    attempts
}

fn key_decisions(ctx: &TicketContext) -> Vec<String> {
    let mut decisions: Vec<(DateTime<Utc>, String)> = Vec::new();
    for e in &ctx.history {
        let text = match &e.change {
            Change::StatusChanged { to: Status::Resolved, .. } => format!("Marked resolved by {}", who(ctx, e)),
            Change::StatusChanged { to: Status::Closed, .. } => format!("Closed by {}", who(ctx, e)),
            Change::StatusChanged { to: Status::Waiting, .. } => "Set to waiting for the member".to_owned(),
            Change::PriorityChanged { to, .. } => format!("Priority set to {to}"),
            _ => continue,
        };
        decisions.push((e.at, text));
    }
    for m in ctx.messages.iter().filter(|m| m.side == Side::Staff) {
        for s in sentences(&m.body) {
            let lower = s.to_lowercase();
            if DECISION_CUES.iter().any(|c| count_word_prefix(&lower, c) > 0) {
                let prefix = if m.is_public() { "" } else { "(internal) " };
                decisions.push((m.at, cut(&format!("{prefix}{s}"), limits::ITEM_CHARS)));
            }
        }
    }
    decisions.sort_by_key(|(at, _)| *at);
    let mut out: Vec<String> = decisions.into_iter().map(|(_, d)| d).collect();
    out.dedup();
    out.truncate(limits::KEY_DECISIONS);
    out
}

/// The built-in conversation summary.
pub fn builtin_conversation_summary(ctx: &Redacted<TicketContext>, now: DateTime<Utc>) -> ConversationSummary {
    ConversationSummary {
        ticket_id: ctx.ticket_id,
        timeline: timeline(ctx),
        resolution_attempts: resolution_attempts(ctx),
        member_sentiment: member_sentiment(ctx),
        key_decisions: key_decisions(ctx),
        generated_at: now,
        generated_by: GeneratedBy::Builtin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::context::fixtures::{at, login_ticket, message};
    use crate::ai::pii::find_pii;
    use crate::response::ResponseKind;
    use proptest::prelude::*;

    fn redacted(ctx: &TicketContext) -> Redacted<TicketContext> {
        ctx.redacted().map(|(r, _)| r).unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn the_ticket_summary_picks_key_sentences_status_and_open_questions() {
        let ctx = redacted(&login_ticket());
        let s = builtin_ticket_summary(&ctx, at(15, 10, 30));
        assert_eq!(s.generated_by, GeneratedBy::Builtin);
        assert_eq!(s.generated_at, at(15, 10, 30));
        assert!(s.summary.starts_with("Subject \u{201c}Cannot log in since Monday\u{201d}: "), "{}", s.summary);
        assert!(s.summary.contains("log in to the member portal since Monday"), "{}", s.summary);
        assert!(s.summary.contains("Status: in progress, priority high."), "{}", s.summary);
        assert!(s.summary.contains("The member replied last"), "{}", s.summary);
        assert!(s.summary.contains("1 open question from the member."), "{}", s.summary);
        assert!(s.key_points.iter().any(|k| k.contains("reset my password twice")), "{:?}", s.key_points);
        assert!(s.key_points.iter().any(|k| k.starts_with("Previous ticket #998 (resolved)")), "{:?}", s.key_points);
        assert_eq!(s.sentiment, Sentiment::Frustrated);
        assert_eq!(s.suggested_actions[0], "Answer the member's question: \u{201c}Is my account locked?\u{201d}");
        assert!(s.suggested_actions.iter().any(|a| a.contains("#998")));
        for text in std::iter::once(&s.summary).chain(&s.key_points).chain(&s.suggested_actions) {
            assert!(find_pii(text).is_empty() && !text.contains("Mia"), "{text}");
        }
    }

    #[test]
    fn a_staff_reply_answers_open_questions() {
        let mut ctx = login_ticket();
        ctx.messages.push(message(120, Side::Staff, ResponseKind::Reply, "Your account is not locked."));
        assert!(open_questions(&ctx).is_empty());
        ctx.messages.push(message(130, Side::Staff, ResponseKind::Note, "Note to self?"));
        ctx.messages.push(message(140, Side::Member, ResponseKind::Reply, "OK. And what about my renewal fee?"));
        assert_eq!(open_questions(&ctx), vec!["And what about my renewal fee?".to_owned()]);
    }

    #[test]
    fn a_fresh_ticket_asks_for_a_first_response() {
        let mut ctx = login_ticket();
        ctx.messages.clear();
        ctx.history.clear();
        ctx.related.clear();
        ctx.status = Status::Open;
        let s = builtin_ticket_summary(&redacted(&ctx), at(15, 0, 0));
        assert!(s.summary.contains("No reply yet"), "{}", s.summary);
        assert_eq!(s.suggested_actions, vec!["Send a first response to the member".to_owned()]);
        let c = builtin_conversation_summary(&redacted(&ctx), at(15, 0, 0));
        assert_eq!(c.timeline.len(), 1, "from the messages when there is no history");
        assert!(c.resolution_attempts.is_empty());
    }

    #[test]
    fn the_conversation_summary_follows_the_history() {
        let ctx = redacted(&login_ticket());
        let c = builtin_conversation_summary(&ctx, at(15, 10, 30));
        let texts: Vec<&str> = c.timeline.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(texts[0], "Ticket opened by the member: \u{201c}Cannot log in since Monday\u{201d}");
        assert_eq!(texts[1], "Status changed from open to in progress by staff");
        assert_eq!(texts[2], "Priority raised from medium to high");
        assert!(texts[3].starts_with("Staff replied: \u{201c}Please try clearing your browser cache"), "{}", texts[3]);
        assert!(texts[4].starts_with("Internal note: "), "summaries are internal");
        assert!(texts[5].starts_with("Member replied: "));
        assert!(c.timeline.windows(2).all(|w| w[0].at <= w[1].at));
        assert_eq!(
            c.resolution_attempts,
            vec!["Please try clearing your browser cache and reset the password once more. \u{2014} the member says it did not help".to_owned()]
        );
        assert_eq!(c.member_sentiment, Sentiment::Frustrated);
        assert!(c.key_decisions.contains(&"Priority set to high".to_owned()));
        assert!(
            c.key_decisions.iter().any(|d| d.starts_with("(internal) Internal: account flagged")),
            "{:?}",
            c.key_decisions
        );
        assert_eq!(c.generated_by, GeneratedBy::Builtin);
    }

    #[test]
    fn unknown_history_entries_are_named() {
        assert_eq!(humanise("sla_breached"), "SLA breached");
        assert_eq!(humanise("escalated"), "Escalated");
    }

    proptest! {
        /// Whatever the texts, the built-in summaries keep to the limits the AI's are held to,
        /// and are deterministic.
        #[test]
        fn builtin_summaries_keep_limits(description in "\\PC{1,400}", replies in prop::collection::vec(("\\PC{1,200}", any::<bool>()), 0..12)) {
            let mut ctx = login_ticket();
            ctx.description = description;
            ctx.history.clear();
            ctx.messages = replies.into_iter().enumerate().map(|(i, (body, staff))| {
                message(i as u32, if staff { Side::Staff } else { Side::Member }, ResponseKind::Reply, &body)
            }).collect();
            let r = redacted(&ctx);
            let s = builtin_ticket_summary(&r, at(20, 0, 0));
            prop_assert!(!s.summary.is_empty() && s.summary.chars().count() <= limits::SUMMARY_CHARS);
            prop_assert!(s.key_points.len() <= limits::KEY_POINTS && s.suggested_actions.len() <= limits::SUGGESTED_ACTIONS);
            prop_assert!(s.key_points.iter().chain(&s.suggested_actions).all(|k| k.chars().count() <= limits::ITEM_CHARS));
            prop_assert_eq!(&s, &builtin_ticket_summary(&r, at(20, 0, 0)));
            let c = builtin_conversation_summary(&r, at(20, 0, 0));
            prop_assert!(c.timeline.len() <= limits::TIMELINE_ENTRIES);
            prop_assert!(c.timeline.iter().all(|e| e.text.chars().count() <= limits::ITEM_CHARS));
            // What a model would be held to, the built-in summary meets too.
            let json = serde_json::to_string(&s).unwrap_or_default();
            prop_assert!(crate::ai::summary::parse_ticket_summary(&json, s.ticket_id, s.generated_at).is_ok());
        }
    }
}
