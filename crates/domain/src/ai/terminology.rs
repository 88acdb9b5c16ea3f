//! Organisation terminology: the words a client wants in replies ("member") and the ones it
//! does not ("customer"). Applied to every draft, AI or built-in, and checked afterwards.
//!
//! Matching is case-insensitive on whole words (a phrase may have several words; `customers`
//! is not `customer` — list plural forms as their own pair). Replacements keep the case of what
//! they replace: `customer` → `member`, `Customer` → `Member`, `CUSTOMER` → `MEMBER`.

use crate::validation::FieldErrors;
use regex::Regex;
use serde::{Deserialize, Serialize};

/// One preferred term and the words to avoid in its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TermRule {
    pub preferred: String,
    pub avoid: Vec<String>,
}

/// An avoided term found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// As written in the text.
    pub found: String,
    pub preferred: String,
    /// Byte offset in the text.
    pub at: usize,
}

/// A validated list of [`TermRule`]s. Serialised as the list.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "Vec<TermRule>", into = "Vec<TermRule>")]
pub struct Terminology {
    rules: Vec<TermRule>,
    /// Every avoided term, longest first, as one alternation; `None` when there are none.
    matcher: Option<Regex>,
}

impl PartialEq for Terminology {
    fn eq(&self, other: &Self) -> bool {
        self.rules == other.rules
    }
}

impl Eq for Terminology {}

impl Default for Terminology {
    /// The association platform's own words: members, not customers.
    fn default() -> Self {
        let rules = vec![
            TermRule { preferred: "member".into(), avoid: vec!["customer".into()] },
            TermRule { preferred: "members".into(), avoid: vec!["customers".into()] },
        ];
        Terminology::new(rules).unwrap_or_else(|_| Terminology { rules: Vec::new(), matcher: None })
    }
}

impl From<Terminology> for Vec<TermRule> {
    fn from(t: Terminology) -> Self {
        t.rules
    }
}

impl TryFrom<Vec<TermRule>> for Terminology {
    type Error = FieldErrors;
    fn try_from(rules: Vec<TermRule>) -> Result<Self, Self::Error> {
        Terminology::new(rules)
    }
}

impl Terminology {
    pub const MAX_RULES: usize = 50;
    pub const MAX_AVOIDED_PER_RULE: usize = 10;
    pub const MAX_TERM_CHARS: usize = 60;

    /// No rules at all.
    pub fn none() -> Terminology {
        Terminology { rules: Vec::new(), matcher: None }
    }

    /// Validates the rules: terms are one line of 1–60 characters starting and ending with a
    /// letter or digit (spaces around are trimmed, inner runs of spaces become one); no avoided term is avoided twice, equals a
    /// preferred term, or appears as a word inside a preferred term (so applying twice changes
    /// nothing more than applying once).
    pub fn new(rules: Vec<TermRule>) -> Result<Terminology, FieldErrors> {
        let mut errors = FieldErrors::new();
        if rules.len() > Self::MAX_RULES {
            errors.add("terminology", format!("must have at most {} entries", Self::MAX_RULES));
            return Err(errors);
        }
        // (rule index, preferred, [(avoid index, avoided)]), indices as given, for messages.
        type Indexed = (usize, String, Vec<(usize, String)>);
        let mut cleaned: Vec<Indexed> = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            let preferred = errors.check(&format!("terminology[{i}].preferred"), term(&rule.preferred));
            if rule.avoid.is_empty() {
                errors.add(&format!("terminology[{i}].avoid"), "must list at least one term");
            }
            if rule.avoid.len() > Self::MAX_AVOIDED_PER_RULE {
                errors.add(
                    &format!("terminology[{i}].avoid"),
                    format!("must list at most {} terms", Self::MAX_AVOIDED_PER_RULE),
                );
            }
            let avoid: Vec<(usize, String)> = rule
                .avoid
                .iter()
                .enumerate()
                .filter_map(|(k, a)| errors.check(&format!("terminology[{i}].avoid[{k}]"), term(a)).map(|a| (k, a)))
                .collect();
            cleaned.push((i, preferred.unwrap_or_default(), avoid));
        }
        // Cross-rule checks, on the cleaned terms.
        let mut seen: Vec<String> = Vec::new();
        for (i, _, avoid) in &cleaned {
            for (k, avoided) in avoid {
                let field = format!("terminology[{i}].avoid[{k}]");
                let lower = avoided.to_lowercase();
                if seen.contains(&lower) {
                    errors.add(&field, format!("`{avoided}` is listed more than once"));
                }
                seen.push(lower);
                if let Some((_, p, _)) = cleaned.iter().find(|(_, p, _)| contains_word(p, avoided)) {
                    errors.add(&field, format!("`{avoided}` is part of the preferred term `{p}`"));
                }
            }
        }
        let cleaned: Vec<TermRule> = cleaned
            .into_iter()
            .map(|(_, preferred, avoid)| TermRule { preferred, avoid: avoid.into_iter().map(|(_, a)| a).collect() })
            .collect();
        errors.into_result()?;
        let matcher = build_matcher(&cleaned);
        if matcher.is_none() && cleaned.iter().any(|r| !r.avoid.is_empty()) {
            return Err(FieldErrors::single("terminology", "could not be compiled"));
        }
        Ok(Terminology { rules: cleaned, matcher })
    }

    pub fn rules(&self) -> &[TermRule] {
        &self.rules
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    fn preferred_for(&self, found: &str) -> Option<&str> {
        let lower = found.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        self.rules.iter().find(|r| r.avoid.iter().any(|a| a.to_lowercase() == lower)).map(|r| r.preferred.as_str())
    }

    /// Replaces every avoided term by its preferred one, keeping case.
    pub fn apply(&self, text: &str) -> String {
        let Some(matcher) = self.matcher.as_ref() else { return text.to_owned() };
        matcher
            .replace_all(text, |caps: &regex::Captures<'_>| {
                let found = caps.get(0).map_or("", |m| m.as_str());
                match self.preferred_for(found) {
                    Some(preferred) => with_case_of(found, preferred),
                    None => found.to_owned(),
                }
            })
            .into_owned()
    }

    /// The avoided terms left in `text`, in order.
    pub fn violations(&self, text: &str) -> Vec<Violation> {
        let Some(matcher) = self.matcher.as_ref() else { return Vec::new() };
        matcher
            .find_iter(text)
            .filter_map(|m| {
                self.preferred_for(m.as_str()).map(|p| Violation {
                    found: m.as_str().to_owned(),
                    preferred: p.to_owned(),
                    at: m.start(),
                })
            })
            .collect()
    }

    /// One line per rule for prompts: `say "member", never "customer" or "client"`.
    pub fn instructions(&self) -> Vec<String> {
        self.rules
            .iter()
            .map(|r| {
                let avoided: Vec<String> = r.avoid.iter().map(|a| format!("\"{a}\"")).collect();
                format!("say \"{}\", never {}", r.preferred, avoided.join(" or "))
            })
            .collect()
    }
}

fn term(value: &str) -> Result<String, String> {
    let value = crate::validation::single_line(value, Terminology::MAX_TERM_CHARS)?;
    let alnum_ends = value.chars().next().is_some_and(char::is_alphanumeric)
        && value.chars().next_back().is_some_and(char::is_alphanumeric);
    if !alnum_ends {
        return Err("must start and end with a letter or digit".into());
    }
    Ok(value.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Whether `phrase` holds `word` as whole words, case-insensitively.
fn contains_word(phrase: &str, word: &str) -> bool {
    let phrase: Vec<String> = phrase.split_whitespace().map(str::to_lowercase).collect();
    let word: Vec<String> = word.split_whitespace().map(str::to_lowercase).collect();
    !word.is_empty() && phrase.windows(word.len()).any(|w| w == word.as_slice())
}

fn build_matcher(rules: &[TermRule]) -> Option<Regex> {
    let mut avoided: Vec<&str> = rules.iter().flat_map(|r| r.avoid.iter().map(String::as_str)).collect();
    if avoided.is_empty() {
        return None;
    }
    avoided.sort_by_key(|a| std::cmp::Reverse(a.chars().count()));
    // Words of a phrase may be separated by any run of spaces; whole words only.
    let alternatives: Vec<String> = avoided
        .iter()
        .map(|a| a.split_whitespace().map(regex::escape).collect::<Vec<_>>().join(r"\s+"))
        .map(|a| format!(r"\b{a}\b"))
        .collect();
    Regex::new(&format!("(?i){}", alternatives.join("|"))).ok()
}

/// `preferred` written in the case of `found`: all capitals, a capital first letter, or as
/// configured.
fn with_case_of(found: &str, preferred: &str) -> String {
    let letters: Vec<char> = found.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return preferred.to_uppercase();
    }
    if found.chars().next().is_some_and(char::is_uppercase) {
        let mut chars = preferred.chars();
        return match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        };
    }
    preferred.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rules(pairs: &[(&str, &[&str])]) -> Vec<TermRule> {
        pairs
            .iter()
            .map(|(p, a)| TermRule { preferred: (*p).into(), avoid: a.iter().map(|s| (*s).into()).collect() })
            .collect()
    }

    #[test]
    fn avoided_words_are_replaced_keeping_case() {
        let t = Terminology::new(rules(&[("member", &["customer", "client"]), ("members", &["customers"])]))
            .unwrap_or_default();
        assert_eq!(
            t.apply("Dear customer, our Customers and CUSTOMER care team thank every client. customer-facing"),
            "Dear member, our Members and MEMBER care team thank every member. member-facing"
        );
        assert_eq!(t.apply("customerservice and accustomed"), "customerservice and accustomed", "whole words only");
    }

    #[test]
    fn phrases_match_across_spaces() {
        let t = Terminology::new(rules(&[("support team", &["help desk", "helpdesk"])])).unwrap_or_default();
        assert_eq!(t.apply("The Help  Desk and the helpdesk"), "The Support team and the support team");
    }

    #[test]
    fn violations_are_listed_in_order() {
        let t = Terminology::default();
        let v = t.violations("A Customer wrote to customers.");
        assert_eq!(v.len(), 2);
        assert_eq!((v[0].found.as_str(), v[0].preferred.as_str(), v[0].at), ("Customer", "member", 2));
        assert_eq!((v[1].found.as_str(), v[1].preferred.as_str()), ("customers", "members"));
        assert!(t.violations(&t.apply("A Customer wrote to customers.")).is_empty());
        assert!(Terminology::none().violations("customer").is_empty());
    }

    #[test]
    fn rules_are_validated() {
        let Err(errors) = Terminology::new(rules(&[
            ("", &["x"]),
            ("member", &[]),
            ("member", &["customer", " ", "Customer"]),
            ("member services", &["services"]),
            ("y", &["--"]),
        ])) else {
            panic!("expected errors");
        };
        assert_eq!(errors.get("terminology[0].preferred"), Some("must not be empty"));
        assert_eq!(errors.get("terminology[1].avoid"), Some("must list at least one term"));
        assert_eq!(errors.get("terminology[2].avoid[1]"), Some("must not be empty"));
        assert!(errors.get("terminology[2].avoid[2]").unwrap_or_default().contains("more than once"), "{errors}");
        assert!(errors.get("terminology[3].avoid[0]").unwrap_or_default().contains("part of the preferred"));
        assert_eq!(errors.get("terminology[4].avoid[0]"), Some("must start and end with a letter or digit"));
        assert!(Terminology::new(rules(&[("member", &["member"])])).is_err(), "a term cannot avoid itself");
        let too_many: Vec<TermRule> =
            (0..51).map(|i| TermRule { preferred: format!("p{i}"), avoid: vec![format!("a{i}")] }).collect();
        assert!(Terminology::new(too_many).is_err());
    }

    #[test]
    fn serialises_as_the_list_and_validates_on_the_way_in() {
        let t = Terminology::default();
        let json = serde_json::to_value(&t).unwrap_or_default();
        assert_eq!(json[0], serde_json::json!({"preferred": "member", "avoid": ["customer"]}));
        let back: Result<Terminology, _> = serde_json::from_value(json);
        assert_eq!(back.ok(), Some(t));
        let bad: Result<Terminology, _> =
            serde_json::from_value(serde_json::json!([{"preferred": "", "avoid": ["x"]}]));
        assert!(bad.is_err());
    }

    #[test]
    fn instructions_for_prompts() {
        let t = Terminology::new(rules(&[("member", &["customer", "client"])])).unwrap_or_default();
        assert_eq!(t.instructions()[0], "say \"member\", never \"customer\" or \"client\"");
    }

    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("customer".to_owned()),
            Just("Customer".to_owned()),
            Just("CUSTOMERS".to_owned()),
            Just("client".to_owned()),
            Just("help desk".to_owned()),
            "[a-zA-Z]{1,8}",
            "[ ,.!?\n-]{1,2}",
        ]
    }

    proptest! {
        #[test]
        fn applying_leaves_no_violation_and_is_idempotent(words in prop::collection::vec(word(), 0..20)) {
            let t = Terminology::new(rules(&[
                ("member", &["customer", "client"]),
                ("members", &["customers", "clients"]),
                ("support team", &["help desk"]),
            ])).unwrap_or_default();
            let text = words.join(" ");
            let once = t.apply(&text);
            prop_assert!(t.violations(&once).is_empty(), "{once:?}");
            prop_assert_eq!(t.apply(&once), once.clone());
        }
    }
}
