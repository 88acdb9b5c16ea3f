//! Words in a ticket's subject and description, and the keywords rules look for.
//!
//! Matching is **case-insensitive and by whole words**: a text is split into words (maximal
//! runs of Unicode letters and digits, lower-cased), and a keyword matches when its words appear
//! in the text consecutively. `card` matches "Card declined" but not "discard"; the phrase
//! `direct debit` matches "my Direct-Debit failed". A keyword ending in `*` matches words that
//! start with it: `refund*` matches "refund", "refunds" and "refunded"; in a phrase only the
//! last word may be a prefix (`direct deb*`).

use std::collections::BTreeSet;
use std::ops::Bound;

/// Splits text into lower-cased words: maximal runs of letters and digits.
pub(crate) fn split_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// The words of one text, kept in order (for phrases) and as a set (for single words).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words {
    sequence: Vec<String>,
    distinct: BTreeSet<String>,
}

impl Words {
    pub fn of(text: &str) -> Words {
        let sequence = split_words(text);
        let distinct = sequence.iter().cloned().collect();
        Words { sequence, distinct }
    }

    pub fn len(&self) -> usize {
        self.sequence.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sequence.is_empty()
    }

    fn has_word(&self, word: &str) -> bool {
        self.distinct.contains(word)
    }

    fn has_word_starting_with(&self, prefix: &str) -> bool {
        self.distinct
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
            .next()
            .is_some_and(|w| w.starts_with(prefix))
    }
}

/// One keyword or phrase of a rule, validated: 1–100 characters, at least one letter or digit,
/// and `*` only as the very last character, right after a letter or digit.
#[derive(Debug, Clone)]
pub struct Keyword {
    text: String,
    words: Vec<String>,
    prefix: bool,
}

impl Keyword {
    pub const MAX_CHARS: usize = 100;

    pub fn new(value: &str) -> Result<Keyword, String> {
        let text = value.trim();
        if text.is_empty() {
            return Err("must not be empty".into());
        }
        if text.chars().count() > Self::MAX_CHARS {
            return Err(format!("must be at most {} characters", Self::MAX_CHARS));
        }
        if text.chars().any(char::is_control) {
            return Err("must be a single line without control characters".into());
        }
        let (body, prefix) = match text.strip_suffix('*') {
            Some(body) => (body, true),
            None => (text, false),
        };
        if body.contains('*') {
            return Err("may contain `*` only at the end (to match words starting with it)".into());
        }
        if prefix && !body.chars().last().is_some_and(char::is_alphanumeric) {
            return Err("`*` must directly follow a letter or digit, as in `refund*`".into());
        }
        let words = split_words(body);
        if words.is_empty() {
            return Err("must contain at least one letter or digit".into());
        }
        Ok(Keyword { text: text.to_owned(), words, prefix })
    }

    /// The keyword as the admin typed it (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the last word matches any word starting with it (`refund*`).
    pub fn is_prefix(&self) -> bool {
        self.prefix
    }

    /// Whether the keyword's words appear consecutively in `text`.
    pub fn matches(&self, text: &Words) -> bool {
        let Some((last, leading)) = self.words.split_last() else {
            return false;
        };
        let last_matches = |word: &str| if self.prefix { word.starts_with(last.as_str()) } else { word == last };
        // Cheap set checks first: every word must occur somewhere.
        let last_present = if self.prefix { text.has_word_starting_with(last) } else { text.has_word(last) };
        if !last_present || !leading.iter().all(|w| text.has_word(w)) {
            return false;
        }
        if leading.is_empty() {
            return true;
        }
        text.sequence.windows(self.words.len()).any(|window| {
            window.iter().zip(leading).all(|(have, want)| have == want)
                && window.last().is_some_and(|word| last_matches(word))
        })
    }

    /// Two keywords are the same when they match the same texts.
    pub(crate) fn same_as(&self, other: &Keyword) -> bool {
        self.prefix == other.prefix && self.words == other.words
    }
}

impl PartialEq for Keyword {
    fn eq(&self, other: &Keyword) -> bool {
        self.text == other.text
    }
}

impl Eq for Keyword {}

#[cfg(test)]
mod tests {
    use super::*;

    fn keyword(value: &str) -> Keyword {
        Keyword::new(value).unwrap_or_else(|e| panic!("{value}: {e}"))
    }

    fn matches(keyword_text: &str, text: &str) -> bool {
        keyword(keyword_text).matches(&Words::of(text))
    }

    #[test]
    fn words_are_lower_cased_runs_of_letters_and_digits() {
        assert_eq!(split_words("Card-DECLINED, twice (2x)!"), ["card", "declined", "twice", "2x"]);
        assert_eq!(split_words("Rückerstattung für Mitgliedsbeitrag"), ["rückerstattung", "für", "mitgliedsbeitrag"]);
        assert!(split_words(" --- ").is_empty());
    }

    #[test]
    fn whole_words_case_insensitively() {
        assert!(matches("card", "My CARD was declined"));
        assert!(matches("Card", "card."));
        assert!(!matches("card", "I want to discard my ticket"));
        assert!(!matches("card", "cards"));
        assert!(matches("RÜCKERSTATTUNG", "Bitte um Rückerstattung"));
    }

    #[test]
    fn prefixes_with_a_trailing_star() {
        assert!(matches("refund*", "Refunds please"));
        assert!(matches("refund*", "refund"));
        assert!(matches("refund*", "it was REFUNDED"));
        assert!(!matches("refund*", "a prefund"));
        assert!(keyword("refund*").is_prefix());
        assert!(!keyword("refund").is_prefix());
    }

    #[test]
    fn phrases_need_consecutive_words() {
        assert!(matches("direct debit", "My Direct-Debit failed"));
        assert!(matches("direct debit", "direct debit"));
        assert!(!matches("direct debit", "debit direct"));
        assert!(!matches("direct debit", "direct from my debit card"));
        assert!(matches("direct deb*", "the direct debiting"));
        assert!(!matches("direct deb*", "direct credit, debit"));
        assert!(matches("log in", "I cannot log in log out"));
        assert!(!matches("log in", "log"));
    }

    #[test]
    fn invalid_keywords_are_explained() {
        for (value, expect) in [
            ("", "empty"),
            ("   ", "empty"),
            ("a*b", "only at the end"),
            ("**", "only at the end"),
            ("refund *", "directly follow"),
            ("--", "letter or digit"),
            ("two\nlines", "single line"),
        ] {
            let message = Keyword::new(value).err().unwrap_or_default();
            assert!(message.contains(expect), "{value:?}: {message}");
        }
        assert!(Keyword::new(&"x".repeat(100)).is_ok());
        assert!(Keyword::new(&"x".repeat(101)).is_err());
        assert_eq!(keyword("  Invoice  ").as_str(), "Invoice");
    }

    #[test]
    fn sameness_ignores_case_and_punctuation() {
        assert!(keyword("Direct-Debit").same_as(&keyword("direct debit")));
        assert!(!keyword("refund").same_as(&keyword("refund*")));
    }
}
