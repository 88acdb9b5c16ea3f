//! Ticket and conversation summaries in the specification's JSON shapes, and the validation of
//! a model's answer into them.
//!
//! Summaries are internal (staff only) and keep the redaction placeholders (`[EMAIL_1]`,
//! `[Member Name]`): they are stored and versioned, so personal data is not copied into every
//! version; the ticket itself shows the real values to staff.

use crate::ai::answer::{AiAnswerError, Fields, object_of};
use crate::ids::TicketId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The member's mood, from a fixed vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sentiment {
    Positive,
    Neutral,
    Confused,
    Frustrated,
    Angry,
}

impl Sentiment {
    pub const ALL: [Sentiment; 5] =
        [Sentiment::Positive, Sentiment::Neutral, Sentiment::Confused, Sentiment::Frustrated, Sentiment::Angry];

    pub fn as_str(self) -> &'static str {
        match self {
            Sentiment::Positive => "positive",
            Sentiment::Neutral => "neutral",
            Sentiment::Confused => "confused",
            Sentiment::Frustrated => "frustrated",
            Sentiment::Angry => "angry",
        }
    }

    /// Case and surrounding spaces are forgiven (models write `"Frustrated"`); other words are
    /// not.
    pub fn parse(value: &str) -> Result<Sentiment, String> {
        let wanted = value.trim().to_lowercase();
        Sentiment::ALL
            .into_iter()
            .find(|s| s.as_str() == wanted)
            .ok_or_else(|| crate::ticket::allowed_values_message(value, Sentiment::ALL.map(Sentiment::as_str)))
    }

    /// `"positive" | "neutral" | …`, for prompts.
    pub fn vocabulary() -> String {
        Sentiment::ALL.map(|s| format!("\"{}\"", s.as_str())).join(" | ")
    }
}

impl fmt::Display for Sentiment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who wrote a summary or draft: a model, or the desk's built-in summariser/drafter (so people
/// can tell, and the API can label it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeneratedBy {
    Ai,
    Builtin,
}

impl GeneratedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            GeneratedBy::Ai => "ai",
            GeneratedBy::Builtin => "builtin",
        }
    }
}

/// `GET /api/tickets/{id}/summary`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketSummary {
    pub ticket_id: TicketId,
    /// The issue, key details and where the ticket stands.
    pub summary: String,
    pub key_points: Vec<String>,
    pub sentiment: Sentiment,
    /// Outstanding tasks or next steps.
    pub suggested_actions: Vec<String>,
    pub generated_at: DateTime<Utc>,
    pub generated_by: GeneratedBy,
}

/// One line of a conversation timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub text: String,
}

/// `GET /api/tickets/{id}/conversation-summary`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationSummary {
    pub ticket_id: TicketId,
    /// Chronological summary of the interactions.
    pub timeline: Vec<TimelineEntry>,
    /// What solutions have been tried.
    pub resolution_attempts: Vec<String>,
    pub member_sentiment: Sentiment,
    pub key_decisions: Vec<String>,
    pub generated_at: DateTime<Utc>,
    pub generated_by: GeneratedBy,
}

/// Limits a summary is held to, whoever wrote it.
pub mod limits {
    pub const SUMMARY_CHARS: usize = 1_200;
    pub const ITEM_CHARS: usize = 300;
    pub const KEY_POINTS: usize = 8;
    pub const SUGGESTED_ACTIONS: usize = 6;
    pub const TIMELINE_ENTRIES: usize = 40;
    pub const RESOLUTION_ATTEMPTS: usize = 8;
    pub const KEY_DECISIONS: usize = 8;
}

/// Reads a model's ticket summary: `{"summary", "keyPoints", "sentiment",
/// "suggestedActions"}` (other keys are ignored; the ticket id and time are ours).
pub fn parse_ticket_summary(
    answer: &str,
    ticket_id: TicketId,
    generated_at: DateTime<Utc>,
) -> Result<TicketSummary, AiAnswerError> {
    let map = object_of(answer)?;
    let mut f = Fields::new(&map);
    let summary = f.text("summary", limits::SUMMARY_CHARS);
    let key_points = f.texts("keyPoints", limits::KEY_POINTS, limits::ITEM_CHARS);
    let sentiment = f.parsed("sentiment", Sentiment::parse);
    let suggested_actions = f.texts("suggestedActions", limits::SUGGESTED_ACTIONS, limits::ITEM_CHARS);
    let value = match (summary, sentiment) {
        (Some(summary), Some(sentiment)) => Some(TicketSummary {
            ticket_id,
            summary,
            key_points,
            sentiment,
            suggested_actions,
            generated_at,
            generated_by: GeneratedBy::Ai,
        }),
        _ => None,
    };
    f.finish(value)
}

/// Reads a model's conversation summary: `{"timeline": [{"at", "text"}], "resolutionAttempts",
/// "memberSentiment", "keyDecisions"}`. Timeline times must be RFC 3339 and not after
/// `generated_at`; entries are put in time order.
pub fn parse_conversation_summary(
    answer: &str,
    ticket_id: TicketId,
    generated_at: DateTime<Utc>,
) -> Result<ConversationSummary, AiAnswerError> {
    let map = object_of(answer)?;
    let mut f = Fields::new(&map);
    let mut timeline = Vec::new();
    match f.raw("timeline") {
        Some(serde_json::Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let field = format!("timeline[{i}]");
                let at = item.get("at").and_then(serde_json::Value::as_str).map(DateTime::parse_from_rfc3339);
                let text = item.get("text").and_then(serde_json::Value::as_str).map(str::trim);
                match (at, text) {
                    (Some(Ok(at)), Some(text)) if !text.is_empty() && text.chars().count() <= limits::ITEM_CHARS => {
                        let at = at.with_timezone(&Utc);
                        if at > generated_at {
                            f.errors.add(&format!("{field}.at"), "must not be in the future");
                        } else {
                            timeline.push(TimelineEntry { at, text: text.to_owned() });
                        }
                    }
                    (Some(Ok(_)), Some(_)) => f
                        .errors
                        .add(&format!("{field}.text"), format!("must be 1 to {} characters", limits::ITEM_CHARS)),
                    (Some(Err(_)), _) => f.errors.add(&format!("{field}.at"), "must be an RFC 3339 time"),
                    _ => f.errors.add(&field, "must be an object with `at` and `text` strings"),
                }
            }
        }
        None | Some(serde_json::Value::Null) => f.errors.add("timeline", "is required"),
        Some(_) => f.errors.add("timeline", "must be a list"),
    }
    timeline.sort_by_key(|e| e.at);
    timeline.truncate(limits::TIMELINE_ENTRIES);
    let resolution_attempts = f.texts("resolutionAttempts", limits::RESOLUTION_ATTEMPTS, limits::ITEM_CHARS);
    let member_sentiment = f.parsed("memberSentiment", Sentiment::parse);
    let key_decisions = f.texts("keyDecisions", limits::KEY_DECISIONS, limits::ITEM_CHARS);
    let value = member_sentiment.map(|member_sentiment| ConversationSummary {
        ticket_id,
        timeline,
        resolution_attempts,
        member_sentiment,
        key_decisions,
        generated_at,
        generated_by: GeneratedBy::Ai,
    });
    f.finish(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::context::fixtures::at;
    use proptest::prelude::*;

    fn id() -> TicketId {
        TicketId::new()
    }

    #[test]
    fn serialises_in_the_specifications_shape() {
        let ticket_id = id();
        let summary = TicketSummary {
            ticket_id,
            summary: "Member reporting login issues after password reset...".into(),
            key_points: vec!["Unable to login since Dec 10".into()],
            sentiment: Sentiment::Frustrated,
            suggested_actions: vec!["Verify account status".into()],
            generated_at: at(15, 10, 30),
            generated_by: GeneratedBy::Ai,
        };
        let json = serde_json::to_value(&summary).unwrap_or_default();
        assert_eq!(
            json,
            serde_json::json!({
                "ticketId": ticket_id.to_string(),
                "summary": "Member reporting login issues after password reset...",
                "keyPoints": ["Unable to login since Dec 10"],
                "sentiment": "frustrated",
                "suggestedActions": ["Verify account status"],
                "generatedAt": "2025-01-15T10:30:00Z",
                "generatedBy": "ai"
            })
        );
        let conversation = ConversationSummary {
            ticket_id,
            timeline: vec![TimelineEntry { at: at(10, 9, 0), text: "Ticket opened".into() }],
            resolution_attempts: vec![],
            member_sentiment: Sentiment::Neutral,
            key_decisions: vec![],
            generated_at: at(15, 10, 30),
            generated_by: GeneratedBy::Builtin,
        };
        let json = serde_json::to_value(&conversation).unwrap_or_default();
        assert_eq!(json["timeline"][0]["at"], "2025-01-10T09:00:00Z");
        assert_eq!(json["memberSentiment"], "neutral");
        assert_eq!(json["resolutionAttempts"], serde_json::json!([]));
        assert_eq!(json["generatedBy"], "builtin");
    }

    #[test]
    fn a_good_answer_is_read() {
        let answer = r#"```json
        {"summary": " Member cannot log in. ", "keyPoints": ["Reset twice", ""], "sentiment": "Frustrated",
         "suggestedActions": ["Check the lock"], "extra": true}
        ```"#;
        let s = parse_ticket_summary(answer, id(), at(15, 0, 0));
        let s = s.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.summary, "Member cannot log in.");
        assert_eq!(s.key_points, vec!["Reset twice".to_owned()]);
        assert_eq!(s.sentiment, Sentiment::Frustrated);
        assert_eq!(s.generated_by, GeneratedBy::Ai);
    }

    #[test]
    fn a_bad_answer_names_every_problem() {
        let answer = r#"{"summary": "", "keyPoints": "one", "sentiment": "sad"}"#;
        let Err(AiAnswerError::Invalid(errors)) = parse_ticket_summary(answer, id(), at(15, 0, 0)) else {
            panic!("expected field errors");
        };
        assert_eq!(errors.get("summary"), Some("must not be empty"));
        assert_eq!(errors.get("keyPoints"), Some("must be a list of strings"));
        assert!(errors.get("sentiment").unwrap_or_default().contains("angry"));
        assert!(matches!(
            parse_ticket_summary("I could not do it", id(), at(15, 0, 0)),
            Err(AiAnswerError::NotJson(_))
        ));
        let long = format!(r#"{{"summary": "{}", "sentiment": "neutral"}}"#, "x".repeat(limits::SUMMARY_CHARS + 1));
        assert!(parse_ticket_summary(&long, id(), at(15, 0, 0)).is_err());
    }

    #[test]
    fn too_many_items_are_cut_not_refused() {
        let points: Vec<String> = (0..20).map(|i| format!("point {i}")).collect();
        let answer = serde_json::json!({"summary": "s", "keyPoints": points, "sentiment": "neutral"}).to_string();
        let s = parse_ticket_summary(&answer, id(), at(15, 0, 0)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.key_points.len(), limits::KEY_POINTS);
        assert!(s.suggested_actions.is_empty(), "a missing list is empty");
    }

    #[test]
    fn conversation_answers_are_checked_and_ordered() {
        let answer = r#"{"timeline": [
            {"at": "2025-01-10T10:30:00Z", "text": "Member replied"},
            {"at": "2025-01-10T09:00:00+00:00", "text": "Ticket opened"}],
          "resolutionAttempts": ["Cleared cache"], "memberSentiment": "angry", "keyDecisions": []}"#;
        let c = parse_conversation_summary(answer, id(), at(15, 0, 0)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.timeline[0].text, "Ticket opened");
        assert_eq!(c.member_sentiment, Sentiment::Angry);

        let bad = r#"{"timeline": [{"at": "yesterday", "text": "x"}, {"at": "2030-01-01T00:00:00Z", "text": "x"}, 5],
          "memberSentiment": "meh"}"#;
        let Err(AiAnswerError::Invalid(errors)) = parse_conversation_summary(bad, id(), at(15, 0, 0)) else {
            panic!("expected field errors");
        };
        assert_eq!(errors.get("timeline[0].at"), Some("must be an RFC 3339 time"));
        assert_eq!(errors.get("timeline[1].at"), Some("must not be in the future"));
        assert!(errors.get("timeline[2]").is_some());
        assert!(errors.get("memberSentiment").is_some());
        assert!(parse_conversation_summary(r#"{"memberSentiment": "neutral"}"#, id(), at(15, 0, 0)).is_err());
    }

    proptest! {
        /// Whatever a model says, parsing never panics, and what it accepts keeps to the limits.
        #[test]
        fn parsing_never_panics_and_keeps_limits(answer in "\\PC{0,300}") {
            if let Ok(s) = parse_ticket_summary(&answer, id(), at(15, 0, 0)) {
                prop_assert!(!s.summary.is_empty() && s.summary.chars().count() <= limits::SUMMARY_CHARS);
                prop_assert!(s.key_points.len() <= limits::KEY_POINTS);
            }
            let _ = parse_conversation_summary(&answer, id(), at(15, 0, 0));
        }

        #[test]
        fn sentiment_round_trips(s in prop::sample::select(Sentiment::ALL.to_vec()), upper in any::<bool>()) {
            let written = if upper { s.as_str().to_uppercase() } else { format!(" {} ", s.as_str()) };
            prop_assert_eq!(Sentiment::parse(&written), Ok(s));
        }
    }
}
