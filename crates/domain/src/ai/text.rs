//! Small text tools for the built-in summariser and drafter: sentences, content words, and a
//! tiny sentiment lexicon. Deterministic and language-naive (English first).

use crate::ai::summary::Sentiment;

/// Splits text into trimmed sentences: at `.`, `!`, `?` followed by a space or the end, and at
/// line breaks. Placeholders such as `[EMAIL_1]` stay whole.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut current = String::new();
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            current.push(c);
            if matches!(c, '.' | '!' | '?') {
                // Keep runs like `?!` or `...` together.
                while let Some(&next) = chars.peek() {
                    if matches!(next, '.' | '!' | '?') {
                        current.push(next);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if chars.peek().is_none_or(|n| n.is_whitespace()) {
                    push_sentence(&mut out, &current);
                    current.clear();
                }
            }
        }
        push_sentence(&mut out, &current);
    }
    out
}

fn push_sentence(out: &mut Vec<String>, sentence: &str) {
    let trimmed = sentence.trim();
    if !trimmed.is_empty() {
        out.push(trimmed.to_owned());
    }
}

const STOPWORDS: &[&str] = &[
    "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "before",
    "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "hello", "hi", "how", "i",
    "if", "in", "into", "is", "it", "its", "just", "me", "my", "no", "not", "of", "on", "or", "our", "please", "so",
    "some", "that", "the", "their", "them", "then", "there", "this", "to", "up", "us", "was", "we", "were", "what",
    "when", "where", "which", "will", "with", "would", "you", "your", "dear", "thanks", "thank", "regards",
];

/// Lower-case words of letters and digits, stopwords and placeholders left out.
pub fn content_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut in_placeholder = false;
    let mut current = String::new();
    for c in text.chars() {
        if c == '[' {
            in_placeholder = true;
        }
        if in_placeholder {
            if c == ']' {
                in_placeholder = false;
            }
            flush_word(&mut words, &mut current);
            continue;
        }
        if c.is_alphanumeric() || c == '\'' {
            current.extend(c.to_lowercase());
        } else {
            flush_word(&mut words, &mut current);
        }
    }
    flush_word(&mut words, &mut current);
    words
}

fn flush_word(words: &mut Vec<String>, current: &mut String) {
    let word = current.trim_matches('\'').to_owned();
    current.clear();
    if word.chars().count() > 1 && !STOPWORDS.contains(&word.as_str()) {
        words.push(word);
    }
}

/// How often `term` starts a word in `lower` (already lower case): `frustrat` counts in
/// "frustrating".
pub fn count_word_prefix(lower: &str, term: &str) -> usize {
    lower
        .match_indices(term)
        .filter(|(at, _)| !lower[..*at].chars().next_back().is_some_and(char::is_alphanumeric))
        .count()
}

/// Whether any of `terms` starts a word in `text`.
pub fn mentions_any(text: &str, terms: &[&str]) -> bool {
    let lower = text.to_lowercase();
    terms.iter().any(|t| count_word_prefix(&lower, t) > 0)
}

const ANGRY: &[(&str, f64)] = &[
    ("unacceptable", 2.0),
    ("ridiculous", 2.0),
    ("outrageous", 2.0),
    ("furious", 2.0),
    ("disgust", 2.0),
    ("disgrace", 2.0),
    ("appalling", 2.0),
    ("worst", 1.5),
    ("scam", 2.0),
    ("lawyer", 2.0),
    ("formal complaint", 2.0),
    ("cancel my membership", 2.0),
    ("fed up", 2.0),
    ("sick of", 2.0),
    ("a joke", 1.5),
    ("incompetent", 2.0),
];
const FRUSTRATED: &[(&str, f64)] = &[
    ("frustrat", 2.0),
    ("annoy", 2.0),
    ("disappoint", 2.0),
    ("still", 1.0),
    ("again", 0.5),
    ("waste", 1.5),
    ("useless", 1.5),
    ("doesn't work", 1.0),
    ("does not work", 1.0),
    ("not working", 1.0),
    ("no one", 1.0),
    ("nobody", 1.0),
    ("third time", 1.5),
    ("second time", 1.0),
    ("keeps", 1.0),
    ("stuck", 1.0),
    ("waiting for", 1.0),
    ("no reply", 1.5),
    ("no response", 1.5),
];
const CONFUSED: &[(&str, f64)] = &[
    ("confus", 2.0),
    ("don't understand", 2.0),
    ("do not understand", 2.0),
    ("not sure", 1.5),
    ("unclear", 1.5),
    ("how do i", 1.0),
    ("how can i", 1.0),
    ("what does", 1.0),
    ("where do i", 1.0),
    ("where can i", 1.0),
    ("which one", 1.0),
    ("lost", 0.5),
];
const POSITIVE: &[(&str, f64)] = &[
    ("thank", 1.0),
    ("great", 1.0),
    ("perfect", 1.5),
    ("works now", 2.0),
    ("working now", 2.0),
    ("resolved", 1.0),
    ("solved", 1.5),
    ("fixed", 1.0),
    ("appreciate", 1.5),
    ("excellent", 1.5),
    ("awesome", 1.5),
    ("brilliant", 1.5),
    ("helpful", 1.0),
    ("happy", 1.0),
    ("all good", 1.5),
];

fn lexicon_score(lower: &str, lexicon: &[(&str, f64)]) -> f64 {
    lexicon.iter().map(|(term, weight)| weight * count_word_prefix(lower, term) as f64).sum()
}

/// The member's sentiment over their messages, oldest first: later messages weigh more (the
/// n-th of k counts n/k), so "thanks, it works now" at the end outweighs earlier complaints.
/// Shouting (three or more words in capitals, or `!!`) counts towards anger; questions
/// towards confusion. Neutral when nothing speaks.
pub fn sentiment(member_texts: &[&str]) -> Sentiment {
    let k = member_texts.len().max(1) as f64;
    let mut scores = [0.0_f64; 4]; // angry, frustrated, confused, positive
    for (n, text) in member_texts.iter().enumerate() {
        let weight = (n + 1) as f64 / k;
        let lower = text.to_lowercase();
        let shouting = text
            .split_whitespace()
            .filter(|w| !w.starts_with('['))
            .filter(|w| {
                let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
                letters.len() >= 3 && letters.iter().all(|c| c.is_uppercase())
            })
            .count();
        let mut angry = lexicon_score(&lower, ANGRY);
        if shouting >= 3 {
            angry += 1.5;
        }
        if text.contains("!!") {
            angry += 1.0;
        }
        let questions = text.matches('?').count() as f64;
        scores[0] += weight * angry;
        scores[1] += weight * lexicon_score(&lower, FRUSTRATED);
        scores[2] += weight * (lexicon_score(&lower, CONFUSED) + 0.5 * questions.min(3.0));
        scores[3] += weight * lexicon_score(&lower, POSITIVE);
    }
    let order = [Sentiment::Angry, Sentiment::Frustrated, Sentiment::Confused, Sentiment::Positive];
    let mut best = (Sentiment::Neutral, 0.9); // below this, nothing speaks clearly enough
    for (i, s) in order.into_iter().enumerate() {
        if scores[i] > best.1 {
            best = (s, scores[i]);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sentences_split_at_ends_and_lines() {
        assert_eq!(
            sentences("Hi there. I cannot log in!? Version 2.1 fails...\nCall [PHONE_1] please"),
            vec!["Hi there.", "I cannot log in!?", "Version 2.1 fails...", "Call [PHONE_1] please"]
        );
        assert!(sentences(" \n ").is_empty());
    }

    #[test]
    fn content_words_skip_stopwords_and_placeholders() {
        assert_eq!(
            content_words("I can't log in to [EMAIL_1], the Portal's login"),
            vec!["can't", "log", "portal's", "login"]
        );
    }

    #[test]
    fn prefixes_count_at_word_starts() {
        assert_eq!(count_word_prefix("frustrating and unfrustrated, frustration", "frustrat"), 2);
    }

    #[test]
    fn sentiment_from_the_lexicon() {
        assert_eq!(sentiment(&["I cannot log in."]), Sentiment::Neutral);
        assert_eq!(sentiment(&["It still fails. This is really frustrating."]), Sentiment::Frustrated);
        assert_eq!(sentiment(&["This is UNACCEPTABLE, I want a lawyer!!"]), Sentiment::Angry);
        assert_eq!(sentiment(&["I'm confused, how do I change my plan? Which one?"]), Sentiment::Confused);
        assert_eq!(
            sentiment(&["Still broken, so frustrating.", "Thanks, it works now! Great help."]),
            Sentiment::Positive,
            "the latest message weighs most"
        );
        assert_eq!(sentiment(&[]), Sentiment::Neutral);
        assert_eq!(sentiment(&["[EMAIL_1] [PHONE_1] [CARD_1]"]), Sentiment::Neutral, "placeholders are not shouting");
    }

    proptest! {
        #[test]
        fn sentences_keep_every_word(text in "[a-z .!?\n]{0,120}") {
            let words: Vec<String> = text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).map(str::to_owned).collect();
            let again: Vec<String> = sentences(&text).join(" ").split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).map(str::to_owned).collect();
            prop_assert_eq!(words, again);
        }
    }
}
