//! The built-in drafter, for when no AI service is configured or it fails: a template in the
//! chosen tone, deterministic, labelled [`GeneratedBy::Builtin`], in the same [`Draft`] shape.
//!
//! 1. A greeting with the member's first name (`[Member First Name]`, filled in by
//!    [`crate::ai::draft::finish_draft`]; the full name for the formal tone).
//! 2. An acknowledgement of the ticket's subject, and of the member's open question when one
//!    was identified ([`crate::ai::extractive::open_questions`]).
//! 3. The canned response, when one was given (its own greeting and sign-off are dropped).
//! 4. The best knowledge-base match with relevance ≥ [`MIN_RELEVANCE`], when the knowledge
//!    base was asked for; it becomes the suggested attachment.
//! 5. When neither 3 nor 4 gives an answer and the ticket says little (under eight content
//!    words, no question), clarifying questions; otherwise a promise to look into it.
//! 6. A closing line in the tone. The sign-off is added by `finish_draft`.
//!
//! Confidence: [`crate::ai::draft::evidence_confidence`] over the knowledge match used, the
//! canned response, whether the question was identified, and whether it had to ask.

use crate::ai::context::{DraftInput, Redacted};
use crate::ai::draft::{Draft, Evidence, SuggestedAttachment, Tone, evidence_confidence};
use crate::ai::extractive::open_questions;
use crate::ai::pii::{MEMBER_FIRST_NAME, MEMBER_NAME};
use crate::ai::prompts::cut;
use crate::ai::summary::GeneratedBy;
use crate::ai::text::content_words;

/// Knowledge-base matches below this relevance are not worth citing.
pub const MIN_RELEVANCE: f64 = 0.2;
const SNIPPET_CHARS: usize = 800;

fn greeting(input: &DraftInput) -> String {
    let name = match (input.tone, input.ticket.member_name.is_empty()) {
        (_, true) => return if input.tone == Tone::Formal { "Dear member,".into() } else { "Hello,".into() },
        (Tone::Formal, false) => MEMBER_NAME,
        _ => MEMBER_FIRST_NAME,
    };
    format!("{} {name},", input.tone.greeting())
}

fn acknowledgement(tone: Tone, subject: &str) -> String {
    let subject = cut(subject.trim(), 120);
    match tone {
        Tone::Professional => format!(
            "Thank you for getting in touch about \u{201c}{subject}\u{201d}, and I am sorry for the trouble this has caused."
        ),
        Tone::Friendly => {
            format!(
                "Thanks so much for reaching out about \u{201c}{subject}\u{201d} \u{2013} sorry you've run into this!"
            )
        }
        Tone::Concise => format!("Thanks for your message about \u{201c}{subject}\u{201d}."),
        Tone::Formal => format!(
            "Thank you for contacting us regarding \u{201c}{subject}\u{201d}. We apologise for any inconvenience this may have caused."
        ),
    }
}

fn question_line(tone: Tone, question: &str) -> String {
    match tone {
        Tone::Concise => format!("You asked: \u{201c}{question}\u{201d}"),
        Tone::Friendly => format!("You asked: \u{201c}{question}\u{201d} \u{2013} here's what I can tell you."),
        Tone::Professional | Tone::Formal => format!("Regarding your question, \u{201c}{question}\u{201d}:"),
    }
}

fn knowledge_line(tone: Tone, title: &str, snippet: &str) -> String {
    let intro = match tone {
        Tone::Concise => format!("See \u{201c}{title}\u{201d}:"),
        Tone::Friendly => format!("Our help article \u{201c}{title}\u{201d} walks through this:"),
        Tone::Professional => format!("Our help article \u{201c}{title}\u{201d} explains this step by step:"),
        Tone::Formal => {
            format!("Please refer to our help article \u{201c}{title}\u{201d}, which explains this in detail:")
        }
    };
    format!("{intro}\n\n{}", cut(snippet.trim(), SNIPPET_CHARS))
}

fn looking_into_it(tone: Tone) -> &'static str {
    match tone {
        Tone::Professional => "We are looking into this and will get back to you as soon as we can.",
        Tone::Friendly => "I'm looking into this now and will get back to you as soon as I can.",
        Tone::Concise => "We're looking into it and will update you soon.",
        Tone::Formal => "We are investigating this matter and will revert to you at the earliest opportunity.",
    }
}

fn closing_line(tone: Tone) -> Option<&'static str> {
    match tone {
        Tone::Professional => Some("Please let us know if there is anything else we can help with."),
        Tone::Friendly => Some("Just reply to this message if anything is still unclear!"),
        Tone::Concise => None,
        Tone::Formal => Some("Should you require any further assistance, please do not hesitate to contact us."),
    }
}

const CLARIFYING: [&str; 2] = [
    "Could you describe what you were trying to do, and what happened instead?",
    "Did you see an error message? If so, what did it say exactly?",
];

const GREETING_WORDS: &[&str] = &["hi", "hello", "hey", "dear", "good morning", "good afternoon", "good evening"];
const CLOSING_WORDS: &[&str] = &[
    "kind regards",
    "best regards",
    "regards",
    "best wishes",
    "best",
    "thanks",
    "thank you",
    "many thanks",
    "yours sincerely",
    "yours faithfully",
    "sincerely",
    "cheers",
];

/// A canned body without its own greeting line and sign-off block (the draft has its own).
pub fn canned_core(body: &str) -> String {
    let mut lines: Vec<&str> = body.trim().lines().collect();
    if let Some(first) = lines.first() {
        let lower = first.trim().to_lowercase();
        if lower.ends_with(',') && GREETING_WORDS.iter().any(|g| lower.starts_with(g)) && lower.chars().count() <= 60 {
            lines.remove(0);
        }
    }
    if let Some(pos) = lines.iter().rposition(|l| {
        let lower = l.trim().trim_end_matches([',', '.', '!']).to_lowercase();
        CLOSING_WORDS.contains(&lower.as_str())
    }) && lines.len() - pos <= 4
    {
        lines.truncate(pos);
    }
    lines.join("\n").trim().to_owned()
}

/// The built-in draft (with placeholders; pass it through `finish_draft`).
pub fn builtin_draft(input: &Redacted<DraftInput>) -> Draft {
    let tone = input.tone;
    let ticket = &input.ticket;
    let questions = open_questions(ticket);
    let question = questions.last();
    let best = input
        .knowledge
        .iter()
        .filter(|k| k.relevance() >= MIN_RELEVANCE)
        .max_by(|a, b| a.relevance().total_cmp(&b.relevance()));
    let canned = input.canned.as_deref().map(canned_core).filter(|c| !c.is_empty());

    let mut paragraphs = vec![greeting(input), acknowledgement(tone, &ticket.subject)];
    if let Some(q) = question {
        paragraphs.push(question_line(tone, q));
    }
    if let Some(c) = &canned {
        paragraphs.push(c.clone());
    }
    if let Some(k) = best {
        paragraphs.push(knowledge_line(tone, &k.title, &k.snippet));
    }
    let unclear = canned.is_none()
        && best.is_none()
        && question.is_none()
        && content_words(&format!("{} {}", ticket.subject, ticket.description)).len() < 8;
    let clarifying_questions: Vec<String> =
        if unclear { CLARIFYING.iter().map(|q| (*q).to_owned()).collect() } else { Vec::new() };
    if unclear {
        let lead = match tone {
            Tone::Concise => "To help, could you tell us:",
            _ => "So that we can help you, could you tell us a little more?",
        };
        let list: Vec<String> = clarifying_questions.iter().map(|q| format!("- {q}")).collect();
        paragraphs.push(format!("{lead}\n{}", list.join("\n")));
    } else if canned.is_none() && best.is_none() {
        paragraphs.push(looking_into_it(tone).to_owned());
    }
    if let Some(line) = closing_line(tone) {
        paragraphs.push(line.to_owned());
    }

    let evidence = Evidence {
        knowledge: best.map_or(0.0, |k| k.relevance()),
        canned: canned.is_some(),
        question_identified: question.is_some(),
        clarifying: unclear,
    };
    Draft {
        draft: paragraphs.join("\n\n"),
        confidence: evidence_confidence(&evidence),
        suggested_attachments: best.map(SuggestedAttachment::article).into_iter().collect(),
        tone,
        clarifying_questions,
        generated_by: GeneratedBy::Builtin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::context::KnowledgeSnippet;
    use crate::ai::context::fixtures::login_ticket;
    use crate::ai::draft::{Signature, finish_draft};
    use crate::ai::terminology::Terminology;
    use proptest::prelude::*;

    fn kb(score: f64) -> KnowledgeSnippet {
        KnowledgeSnippet {
            id: "kb-7".into(),
            title: "How to reset your password".into(),
            snippet: "Open the login page and choose Forgot password.".into(),
            score,
        }
    }

    fn input(tone: Tone, knowledge: Vec<KnowledgeSnippet>, canned: Option<&str>) -> DraftInput {
        DraftInput { ticket: login_ticket(), tone, knowledge, canned: canned.map(str::to_owned) }
    }

    fn draft_of(input: &DraftInput) -> (Draft, Draft) {
        let (redacted, redaction) = input.redacted().unwrap_or_else(|_| unreachable!());
        let raw = builtin_draft(&redacted);
        let signature = Signature { agent_name: "Uma User".into(), organisation: Some("Harbour City Rowing".into()) };
        let done = finish_draft(raw.clone(), &Terminology::default(), &signature, &redaction);
        (raw, done)
    }

    #[test]
    fn a_professional_draft_with_a_knowledge_match() {
        let (raw, done) = draft_of(&input(Tone::Professional, vec![kb(0.8)], None));
        assert!(raw.draft.starts_with("Dear [Member First Name],"), "placeholders until finished");
        assert_eq!(
            done.draft,
            "Dear Mia,\n\n\
             Thank you for getting in touch about \u{201c}Cannot log in since Monday\u{201d}, and I am sorry for the trouble this has caused.\n\n\
             Regarding your question, \u{201c}Is my account locked?\u{201d}:\n\n\
             Our help article \u{201c}How to reset your password\u{201d} explains this step by step:\n\n\
             Open the login page and choose Forgot password.\n\n\
             Please let us know if there is anything else we can help with.\n\n\
             Kind regards,\nUma User\nHarbour City Rowing"
        );
        assert_eq!(done.suggested_attachments, vec![SuggestedAttachment::article(&kb(0.8))]);
        // 0.15 + 0.45·0.8 + 0.15 (question identified) = 0.66
        assert_eq!(done.confidence, 0.66);
        assert_eq!(done.generated_by, GeneratedBy::Builtin);
        assert!(done.clarifying_questions.is_empty());
        assert!(!done.draft.contains("fraud"), "notes never reach a draft");
    }

    #[test]
    fn a_canned_response_is_enhanced_not_duplicated() {
        let canned = "Hi Mia,\n\nYour account is not locked; a reset link is on its way.\n\nKind regards,\nThe team";
        let (_, done) = draft_of(&input(Tone::Friendly, vec![kb(0.1)], Some(canned)));
        assert!(done.draft.starts_with("Hi Mia,\n\nThanks so much"), "{}", done.draft);
        assert_eq!(done.draft.matches("Hi Mia").count(), 1, "{}", done.draft);
        assert!(done.draft.contains("Your account is not locked; a reset link is on its way."));
        assert!(!done.draft.contains("The team"));
        assert!(done.draft.ends_with("Best wishes,\nUma\nHarbour City Rowing"));
        assert!(done.suggested_attachments.is_empty(), "a weak match is not cited");
        // 0.15 + 0.25 (canned) + 0.15 (question) = 0.55
        assert_eq!(done.confidence, 0.55);
    }

    #[test]
    fn an_unclear_ticket_gets_clarifying_questions() {
        let mut i = input(Tone::Concise, vec![], None);
        i.ticket.subject = "Help".into();
        i.ticket.description = "It broke.".into();
        i.ticket.messages.clear();
        let (_, done) = draft_of(&i);
        assert_eq!(done.clarifying_questions.len(), 2);
        assert!(done.draft.contains("- Could you describe what you were trying to do"), "{}", done.draft);
        assert!(done.confidence <= 0.35);
        assert!(done.draft.starts_with("Hi Mia,\n\nThanks for your message about \u{201c}Help\u{201d}."));
        assert!(done.draft.ends_with("Thanks,\nUma\nHarbour City Rowing"));
    }

    #[test]
    fn a_formal_draft_uses_the_full_name_and_no_match_promises_to_look() {
        let mut i = input(Tone::Formal, vec![], None);
        i.ticket.messages.retain(|m| m.side == crate::ai::context::Side::Staff);
        let (_, done) = draft_of(&i);
        assert!(done.draft.starts_with("Dear Mia Moreau,"), "{}", done.draft);
        assert!(done.draft.contains("We are investigating this matter"));
        assert_eq!(done.confidence, 0.15);
        let mut nameless = input(Tone::Friendly, vec![], None);
        nameless.ticket.member_name = String::new();
        assert!(draft_of(&nameless).1.draft.starts_with("Hello,\n\n"));
    }

    #[test]
    fn canned_bodies_lose_their_own_greeting_and_sign_off() {
        assert_eq!(canned_core("Dear Mia,\nBody.\nMore.\n\nBest regards,\nUma"), "Body.\nMore.");
        assert_eq!(canned_core("Body only."), "Body only.");
        assert_eq!(canned_core("Hi there, the portal is down today.\nThanks"), "Hi there, the portal is down today.");
    }

    proptest! {
        #[test]
        fn drafts_are_deterministic_and_confidence_is_a_unit(tone in prop::sample::select(Tone::ALL.to_vec()), score in 0.0f64..1.0, with_kb in any::<bool>(), canned in prop::option::of("\\PC{0,80}")) {
            let i = input(tone, if with_kb { vec![kb(score)] } else { vec![] }, canned.as_deref());
            let (a, done) = draft_of(&i);
            let (b, _) = draft_of(&i);
            prop_assert_eq!(&a, &b);
            prop_assert!((0.0..=1.0).contains(&a.confidence));
            prop_assert!(!done.draft.contains("[Member"), "{}", done.draft);
            prop_assert_eq!(a.tone, tone);
        }
    }
}
