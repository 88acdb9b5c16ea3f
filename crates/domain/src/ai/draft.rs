//! Draft responses: the request and response shapes of `POST /api/tickets/{id}/draft-response`,
//! the validation of a model's answer, the confidence formula, and the last steps every draft
//! goes through (terminology, sign-off, restoring placeholders).
//!
//! A draft is never sent: it is text for a person's editor.

use crate::ai::answer::{AiAnswerError, Fields, object_of};
use crate::ai::context::KnowledgeSnippet;
use crate::ai::pii::Redaction;
use crate::ai::summary::GeneratedBy;
use crate::ai::terminology::Terminology;
use crate::ids::CannedResponseId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How a draft sounds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    /// Professional and empathetic (the specification's default).
    #[default]
    Professional,
    Friendly,
    Concise,
    Formal,
}

impl Tone {
    pub const ALL: [Tone; 4] = [Tone::Professional, Tone::Friendly, Tone::Concise, Tone::Formal];

    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Professional => "professional",
            Tone::Friendly => "friendly",
            Tone::Concise => "concise",
            Tone::Formal => "formal",
        }
    }

    pub fn parse(value: &str) -> Result<Tone, String> {
        Tone::ALL
            .into_iter()
            .find(|t| t.as_str() == value)
            .ok_or_else(|| crate::ticket::allowed_values_message(value, Tone::ALL.map(Tone::as_str)))
    }

    /// What the tone means, for prompts.
    pub fn guidance(self) -> &'static str {
        match self {
            Tone::Professional => {
                "professional and empathetic: clear, courteous and complete; acknowledge the member's situation"
            }
            Tone::Friendly => "warm and friendly: conversational and personal, still precise; contractions are fine",
            Tone::Concise => "concise: as short as possible while complete; no filler, short sentences",
            Tone::Formal => "formal: polite and reserved, full sentences, no contractions or colloquialisms",
        }
    }

    /// The greeting of a draft, before the name.
    pub fn greeting(self) -> &'static str {
        match self {
            Tone::Professional | Tone::Formal => "Dear",
            Tone::Friendly | Tone::Concise => "Hi",
        }
    }

    /// The closing line above the agent's name.
    pub fn closing(self) -> &'static str {
        match self {
            Tone::Professional => "Kind regards,",
            Tone::Friendly => "Best wishes,",
            Tone::Concise => "Thanks,",
            Tone::Formal => "Yours sincerely,",
        }
    }
}

impl fmt::Display for Tone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn yes() -> bool {
    true
}

/// `POST /api/tickets/{id}/draft-response` body. Every field may be left out: the tone then
/// comes from the client's AI settings, the knowledge base is used, no canned response is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftRequest {
    #[serde(default)]
    pub tone: Option<Tone>,
    #[serde(default = "yes")]
    pub include_knowledge_base: bool,
    #[serde(default)]
    pub canned_response_id: Option<CannedResponseId>,
}

impl Default for DraftRequest {
    fn default() -> Self {
        DraftRequest { tone: None, include_knowledge_base: true, canned_response_id: None }
    }
}

impl DraftRequest {
    /// The tone asked for, or the client's default.
    pub fn tone_or(&self, default: Tone) -> Tone {
        self.tone.unwrap_or(default)
    }
}

/// What a suggested attachment is. Only knowledge-base articles today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    KnowledgeBase,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestedAttachment {
    #[serde(rename = "type")]
    pub kind: AttachmentKind,
    pub id: String,
    pub title: String,
}

impl SuggestedAttachment {
    pub fn article(snippet: &KnowledgeSnippet) -> SuggestedAttachment {
        SuggestedAttachment {
            kind: AttachmentKind::KnowledgeBase,
            id: snippet.id.clone(),
            title: snippet.title.clone(),
        }
    }
}

/// `POST /api/tickets/{id}/draft-response` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub draft: String,
    /// 0..=1, see [`confidence`].
    pub confidence: f64,
    pub suggested_attachments: Vec<SuggestedAttachment>,
    pub tone: Tone,
    /// Asked when the ticket is unclear; they also appear in the draft text.
    pub clarifying_questions: Vec<String>,
    pub generated_by: GeneratedBy,
}

pub mod limits {
    pub const DRAFT_CHARS: usize = 10_000;
    pub const QUESTION_CHARS: usize = 300;
    pub const QUESTIONS: usize = 5;
    pub const ATTACHMENTS: usize = 5;
}

/// The real signals behind a draft's confidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    /// Relevance (0..=1) of the best knowledge-base article the draft uses; 0 when none.
    pub knowledge: f64,
    /// A canned response written by the client's staff was the base.
    pub canned: bool,
    /// The member's question or request was identified (an open question in the thread).
    pub question_identified: bool,
    /// The draft asks clarifying questions instead of answering.
    pub clarifying: bool,
}

/// Confidence from evidence, for built-in drafts:
///
/// `min(0.95, 0.15 + 0.45·knowledge + 0.25·canned + 0.15·question_identified)`, capped at 0.35
/// when the draft asks clarifying questions. A template is never certain (0.95 at most); a
/// draft with nothing behind it but the ticket's own words scores 0.15.
pub fn evidence_confidence(e: &Evidence) -> f64 {
    round2(evidence_score(e))
}

fn evidence_score(e: &Evidence) -> f64 {
    let knowledge = if e.knowledge.is_finite() { e.knowledge.clamp(0.0, 1.0) } else { 0.0 };
    let canned = if e.canned { 0.25 } else { 0.0 };
    let question = if e.question_identified { 0.15 } else { 0.0 };
    let c = (0.15 + 0.45 * knowledge + canned + question).min(0.95);
    if e.clarifying { c.min(0.35) } else { c }
}

/// Confidence of a model's draft: the model's own estimate is not trusted alone, so it is
/// blended with the evidence: `0.4·model + 0.6·evidence`, with the same cap for clarifying
/// questions. Rounded to two decimals at the end only.
pub fn confidence(model: Option<f64>, e: &Evidence) -> f64 {
    let evidence = evidence_score(e);
    let Some(model) = model.filter(|m| m.is_finite()) else { return round2(evidence) };
    let c = 0.4 * model.clamp(0.0, 1.0) + 0.6 * evidence;
    round2(if e.clarifying { c.min(0.35) } else { c })
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// A model's draft before the final steps, with the model's own confidence kept apart.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelDraft {
    pub draft: String,
    pub model_confidence: f64,
    /// The knowledge-base articles it cited — only ids that were offered are kept, with our
    /// titles.
    pub suggested_attachments: Vec<SuggestedAttachment>,
    pub clarifying_questions: Vec<String>,
}

/// Reads a model's draft: `{"draft", "confidence", "suggestedAttachments": [{"type", "id",
/// "title"}], "clarifyingQuestions"}`. Article ids the model was not given are dropped (never
/// trusted), and titles are taken from `offered`.
pub fn parse_draft(answer: &str, offered: &[KnowledgeSnippet]) -> Result<ModelDraft, AiAnswerError> {
    let map = object_of(answer)?;
    let mut f = Fields::new(&map);
    let draft = f.text("draft", limits::DRAFT_CHARS);
    let model_confidence = f.unit("confidence");
    let clarifying_questions = f.texts("clarifyingQuestions", limits::QUESTIONS, limits::QUESTION_CHARS);
    let mut suggested_attachments: Vec<SuggestedAttachment> = Vec::new();
    match f.raw("suggestedAttachments") {
        None | Some(serde_json::Value::Null) => {}
        Some(serde_json::Value::Array(items)) => {
            for item in items {
                let id = item
                    .get("id")
                    .and_then(|v| v.as_str().map(str::to_owned).or_else(|| v.as_i64().map(|n| n.to_string())));
                if let Some(article) = id.and_then(|id| offered.iter().find(|k| k.id == id))
                    && !suggested_attachments.iter().any(|a| a.id == article.id)
                {
                    suggested_attachments.push(SuggestedAttachment::article(article));
                }
            }
            suggested_attachments.truncate(limits::ATTACHMENTS);
        }
        Some(_) => f.errors.add("suggestedAttachments", "must be a list"),
    }
    let value = match (draft, model_confidence) {
        (Some(draft), Some(model_confidence)) => {
            Some(ModelDraft { draft, model_confidence, suggested_attachments, clarifying_questions })
        }
        _ => None,
    };
    f.finish(value)
}

impl ModelDraft {
    /// The evidence of this draft, given what it was made from.
    pub fn evidence(&self, offered: &[KnowledgeSnippet], canned: bool, question_identified: bool) -> Evidence {
        let knowledge = self
            .suggested_attachments
            .iter()
            .filter_map(|a| offered.iter().find(|k| k.id == a.id))
            .map(KnowledgeSnippet::relevance)
            .fold(0.0, f64::max);
        Evidence { knowledge, canned, question_identified, clarifying: !self.clarifying_questions.is_empty() }
    }

    /// The [`Draft`] (still with placeholders; see [`finish_draft`]).
    pub fn into_draft(self, tone: Tone, evidence: &Evidence) -> Draft {
        Draft {
            confidence: confidence(Some(self.model_confidence), evidence),
            draft: self.draft,
            suggested_attachments: self.suggested_attachments,
            tone,
            clarifying_questions: self.clarifying_questions,
            generated_by: GeneratedBy::Ai,
        }
    }
}

/// Who signs a draft.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signature {
    pub agent_name: String,
    /// The client's display name, under the agent's.
    pub organisation: Option<String>,
}

/// The sign-off block for a tone: `Kind regards,\nUma User\nHarbour City Rowing`. Friendly
/// and concise drafts sign with the first name.
pub fn sign_off(tone: Tone, signature: &Signature) -> String {
    let name = match tone {
        Tone::Friendly | Tone::Concise => crate::template::first_name(&signature.agent_name).to_owned(),
        Tone::Professional | Tone::Formal => signature.agent_name.trim().to_owned(),
    };
    let mut lines = vec![tone.closing().to_owned()];
    if !name.is_empty() {
        lines.push(name);
    }
    if let Some(org) = signature.organisation.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        lines.push(org.to_owned());
    }
    lines.join("\n")
}

/// The last steps of every draft, AI or built-in, in this order: the organisation's
/// terminology is applied (on the placeholder text, so a member's email address is never
/// "corrected"), the sign-off is appended unless the text already ends with it, and the
/// placeholders are filled back in for the person who reviews the draft.
pub fn finish_draft(
    mut draft: Draft,
    terminology: &Terminology,
    signature: &Signature,
    redaction: &Redaction,
) -> Draft {
    let mut text = terminology.apply(draft.draft.trim_end());
    let closing = sign_off(draft.tone, signature);
    if !text.ends_with(&closing) {
        text = format!("{text}\n\n{closing}");
    }
    draft.draft = redaction.restore(&text);
    draft.clarifying_questions =
        draft.clarifying_questions.iter().map(|q| redaction.restore(&terminology.apply(q))).collect();
    draft
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::pii::Redactor;
    use proptest::prelude::*;

    fn kb(id: &str, score: f64) -> KnowledgeSnippet {
        KnowledgeSnippet { id: id.into(), title: format!("Article {id}"), snippet: "…".into(), score }
    }

    #[test]
    fn the_request_reads_the_specifications_shape() {
        let id = CannedResponseId::new();
        let request: DraftRequest = serde_json::from_value(serde_json::json!({
            "tone": "formal", "includeKnowledgeBase": false, "cannedResponseId": id.to_string()
        }))
        .unwrap_or_default();
        assert_eq!(
            request,
            DraftRequest { tone: Some(Tone::Formal), include_knowledge_base: false, canned_response_id: Some(id) }
        );
        let empty: DraftRequest = serde_json::from_str("{}")
            .unwrap_or_else(|_| DraftRequest { include_knowledge_base: false, ..DraftRequest::default() });
        assert_eq!(empty, DraftRequest::default());
        assert_eq!(empty.tone_or(Tone::Friendly), Tone::Friendly);
        assert!(serde_json::from_str::<DraftRequest>(r#"{"tone": "casual"}"#).is_err());
        assert!(Tone::parse("casual").err().unwrap_or_default().contains("formal"));
    }

    #[test]
    fn the_response_has_the_specifications_shape() {
        let draft = Draft {
            draft: "Dear Mia,\n\nThank you for reaching out...".into(),
            confidence: 0.87,
            suggested_attachments: vec![SuggestedAttachment {
                kind: AttachmentKind::KnowledgeBase,
                id: "article-uuid".into(),
                title: "How to Reset Your Password".into(),
            }],
            tone: Tone::Professional,
            clarifying_questions: vec![],
            generated_by: GeneratedBy::Ai,
        };
        assert_eq!(
            serde_json::to_value(&draft).unwrap_or_default(),
            serde_json::json!({
                "draft": "Dear Mia,\n\nThank you for reaching out...",
                "confidence": 0.87,
                "suggestedAttachments": [{"type": "knowledge_base", "id": "article-uuid", "title": "How to Reset Your Password"}],
                "tone": "professional",
                "clarifyingQuestions": [],
                "generatedBy": "ai"
            })
        );
    }

    #[test]
    fn a_model_draft_is_checked_and_its_articles_are_ours() {
        let offered = [kb("a1", 0.8), kb("a2", 0.3)];
        let answer = r#"{"draft": "Dear [Member Name], ...", "confidence": 0.9,
            "suggestedAttachments": [{"type": "knowledge_base", "id": "a1", "title": "Made-up title"},
                                     {"type": "knowledge_base", "id": "zz", "title": "Invented"},
                                     {"id": "a1"}],
            "clarifyingQuestions": []}"#;
        let d = parse_draft(answer, &offered).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.suggested_attachments, vec![SuggestedAttachment::article(&offered[0])]);
        assert_eq!(d.suggested_attachments[0].title, "Article a1");
        let e = d.evidence(&offered, false, true);
        assert_eq!(e.knowledge, 0.8);
        let draft = d.into_draft(Tone::Friendly, &e);
        // 0.4·0.9 + 0.6·min(0.95, 0.15 + 0.36 + 0.15) = 0.36 + 0.6·0.66 = 0.756
        assert_eq!(draft.confidence, 0.76);

        for bad in [
            r#"{"draft": "x", "confidence": 1.5}"#,
            r#"{"draft": "x"}"#,
            r#"{"draft": "", "confidence": 0.5}"#,
            r#"{"draft": "x", "confidence": "high"}"#,
            r#"{"draft": "x", "confidence": 0.5, "suggestedAttachments": {}}"#,
            "plain text",
        ] {
            assert!(parse_draft(bad, &offered).is_err(), "{bad}");
        }
    }

    #[test]
    fn confidence_formula() {
        let none = Evidence { knowledge: 0.0, canned: false, question_identified: false, clarifying: false };
        assert_eq!(evidence_confidence(&none), 0.15);
        let all = Evidence { knowledge: 1.0, canned: true, question_identified: true, clarifying: false };
        assert_eq!(evidence_confidence(&all), 0.95);
        assert_eq!(evidence_confidence(&Evidence { clarifying: true, ..all }), 0.35);
        assert_eq!(evidence_confidence(&Evidence { knowledge: f64::NAN, ..none }), 0.15);
        assert_eq!(confidence(None, &all), 0.95);
        assert_eq!(confidence(Some(1.0), &Evidence { clarifying: true, ..all }), 0.35);
    }

    #[test]
    fn finishing_applies_terms_signs_and_restores() {
        let mut session = Redactor::for_member("Mia Member").unwrap_or_else(|_| unreachable!());
        let _ = session.redact("write to customer@example.org");
        let redaction = session.finish();
        let draft = Draft {
            draft: "Hi [Member First Name],\n\nAs a valued Customer, we wrote to [EMAIL_1].".into(),
            confidence: 0.5,
            suggested_attachments: vec![],
            tone: Tone::Friendly,
            clarifying_questions: vec!["Which customer number?".into()],
            generated_by: GeneratedBy::Ai,
        };
        let signature = Signature { agent_name: "Uma User".into(), organisation: Some("Harbour City Rowing".into()) };
        let done = finish_draft(draft, &Terminology::default(), &signature, &redaction);
        assert_eq!(
            done.draft,
            "Hi Mia,\n\nAs a valued Member, we wrote to customer@example.org.\n\nBest wishes,\nUma\nHarbour City Rowing"
        );
        assert_eq!(done.clarifying_questions, vec!["Which member number?".to_owned()]);
        let signed = Draft { draft: format!("Hi there.\n\n{}", sign_off(Tone::Friendly, &signature)), ..done.clone() };
        let again = finish_draft(signed.clone(), &Terminology::default(), &signature, &redaction);
        assert_eq!(again.draft, signed.draft, "the sign-off is added once");
    }

    #[test]
    fn sign_offs_per_tone() {
        let s = Signature { agent_name: "Uma User".into(), organisation: None };
        assert_eq!(sign_off(Tone::Professional, &s), "Kind regards,\nUma User");
        assert_eq!(sign_off(Tone::Concise, &s), "Thanks,\nUma");
        assert_eq!(sign_off(Tone::Formal, &Signature::default()), "Yours sincerely,");
    }

    proptest! {
        #[test]
        fn confidence_is_always_a_unit_number(model in prop::option::of(any::<f64>()), k in any::<f64>(), canned in any::<bool>(), q in any::<bool>(), c in any::<bool>()) {
            let e = Evidence { knowledge: k, canned, question_identified: q, clarifying: c };
            for v in [evidence_confidence(&e), confidence(model, &e)] {
                prop_assert!((0.0..=1.0).contains(&v), "{v}");
                if c { prop_assert!(v <= 0.35); }
            }
        }

        #[test]
        fn draft_parsing_never_panics(answer in "\\PC{0,200}") {
            if let Ok(d) = parse_draft(&answer, &[]) {
                prop_assert!((0.0..=1.0).contains(&d.model_confidence));
                prop_assert!(d.suggested_attachments.is_empty());
            }
        }
    }
}
