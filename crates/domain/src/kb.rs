//! The knowledge base: a client's help articles, which staff search and drafts draw on.
//!
//! - [`Article`] with its validated parts ([`ArticleTitle`], [`ArticleBody`], [`parse_tags`]).
//! - [`SearchQuery`]: what a search text means — its content words, matched all or any.
//! - [`rank`]: the stores' full-text candidates turned into [`ArticleHit`]s with a score in
//!   0..=1 and a snippet, the same way on both backends (see `docs/ai.md#knowledge-base`).

use crate::ai::context::KnowledgeSnippet;
use crate::ai::prompts::cut;
use crate::ai::text::{content_words, sentences};
use crate::ids::{ArticleId, ClientId};
use crate::validation::FieldErrors;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A title: one line, 1–200 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArticleTitle(String);

impl ArticleTitle {
    pub const MAX_CHARS: usize = 200;

    pub fn new(value: &str) -> Result<ArticleTitle, String> {
        crate::validation::single_line(value, Self::MAX_CHARS).map(ArticleTitle)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A body: 1–50 000 characters after trimming (line breaks allowed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArticleBody(String);

impl ArticleBody {
    pub const MAX_CHARS: usize = 50_000;

    pub fn new(value: &str) -> Result<ArticleBody, String> {
        crate::validation::text_block(value, Self::MAX_CHARS).map(ArticleBody)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// At most this many tags per article.
pub const MAX_TAGS: usize = 20;
/// At most this many characters per tag.
pub const MAX_TAG_CHARS: usize = 40;

/// Tags as typed → tags as kept: each trimmed and lower-cased, duplicates dropped (the first
/// one stays, in order). Every problem is recorded under `field` (`tags`) or `field[i]`.
pub fn parse_tags(raw: &[String], field: &str, errors: &mut FieldErrors) -> Option<Vec<String>> {
    let mut tags: Vec<String> = Vec::new();
    let mut valid = true;
    for (i, tag) in raw.iter().enumerate() {
        match crate::validation::single_line(tag, MAX_TAG_CHARS) {
            Ok(tag) => {
                let tag = tag.to_lowercase();
                if !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
            Err(message) => {
                errors.add(&format!("{field}[{i}]"), message);
                valid = false;
            }
        }
    }
    if tags.len() > MAX_TAGS {
        errors.add(field, format!("must hold at most {MAX_TAGS} different tags"));
        valid = false;
    }
    valid.then_some(tags)
}

/// A help article of one client. Only published ones are found by search (and so by drafts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub id: ArticleId,
    pub client_id: ClientId,
    pub title: ArticleTitle,
    pub body: ArticleBody,
    /// Trimmed, lower case, distinct, in the order given.
    pub tags: Vec<String>,
    pub published: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// 1 when created, +1 with every change (`ETag`/`If-Match`).
    pub version: i64,
}

// ---------------------------------------------------------------------------------------------
// Search

/// At most this many words of a search text are searched for (drafts search with a ticket's
/// whole text; its first distinct content words are enough to find the right article).
pub const MAX_TERMS: usize = 16;
const MAX_TERM_CHARS: usize = 64;

/// Whether every word must match (a person's search) or any (a draft looking for help with a
/// ticket's text, best matches first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchMode {
    AllTerms,
    AnyTerm,
}

/// A search text reduced to what the stores can search for safely: lower-case words of
/// letters and digits (no operators, quotes or wildcards survive), stopwords dropped, distinct,
/// at most [`MAX_TERMS`]. A text with no such word is empty and matches nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    terms: Vec<String>,
    mode: MatchMode,
}

impl SearchQuery {
    pub fn parse(text: &str, mode: MatchMode) -> SearchQuery {
        // Apostrophes and brackets would otherwise glue words together or hide them.
        let plain: String =
            text.chars().map(|c| if c.is_alphanumeric() || c.is_whitespace() { c } else { ' ' }).collect();
        let mut terms: Vec<String> = Vec::new();
        for word in content_words(&plain) {
            let word: String = word.chars().take(MAX_TERM_CHARS).collect();
            if !terms.contains(&word) {
                terms.push(word);
            }
            if terms.len() == MAX_TERMS {
                break;
            }
        }
        SearchQuery { terms, mode }
    }

    /// Lower-case words of letters and digits only.
    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    pub fn mode(&self) -> MatchMode {
        self.mode
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// A published article the store's full-text search matched, with the engine's relevance
/// (`rank`: larger is better, any scale; PostgreSQL's `ts_rank_cd`, SQLite's negated `bm25`).
#[derive(Debug, Clone, PartialEq)]
pub struct SearchCandidate {
    pub id: ArticleId,
    pub title: String,
    pub tags: Vec<String>,
    pub body: String,
    pub rank: f64,
}

/// One search result: the article, the part of its body that matched, and a score in 0..=1.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleHit {
    pub id: ArticleId,
    pub title: String,
    pub snippet: String,
    pub tags: Vec<String>,
    pub score: f64,
}

impl From<ArticleHit> for KnowledgeSnippet {
    fn from(hit: ArticleHit) -> Self {
        KnowledgeSnippet { id: hit.id.to_string(), title: hit.title, snippet: hit.snippet, score: hit.score }
    }
}

/// How much a query word counts where it is found.
const TITLE_WEIGHT: f64 = 1.0;
const TAG_WEIGHT: f64 = 0.8;
const BODY_WEIGHT: f64 = 0.4;
/// The words whose weights make a full score: a query of four words or more is fully covered
/// by four of them in the title.
const SATURATION_TERMS: usize = 4;
/// What the engine's own ranking adds, at most, on top of where the words are found.
const ENGINE_SHARE: f64 = 0.25;
/// Found by the engine (its stemmer knows more than [`stem`]) but by no field check here.
const ENGINE_ONLY_COVERAGE: f64 = 0.1;
/// The longest snippet, in characters.
pub const SNIPPET_CHARS: usize = 300;

/// The candidates as hits, best first, at most `limit`:
///
/// `score = coverage × (1 − ENGINE_SHARE + ENGINE_SHARE × rank / best rank)`, where coverage is
/// the sum over the query's words of where each is found (title 1.0, else a tag 0.8, else the
/// body 0.4) divided by min(words, 4), capped at 1. So a title match always beats a body-only
/// match, the engine orders articles that match alike, and 1.0 means every word (or four) in
/// the title of the engine's best match. Ties keep the engine's order.
pub fn rank(query: &SearchQuery, candidates: Vec<SearchCandidate>, limit: usize) -> Vec<ArticleHit> {
    let best = candidates.iter().map(|c| c.rank).filter(|r| r.is_finite()).fold(0.0_f64, f64::max);
    let stems: Vec<String> = query.terms.iter().map(|t| stem(t)).collect();
    let mut hits: Vec<(f64, ArticleHit)> = candidates
        .into_iter()
        .map(|c| {
            let coverage = coverage(&stems, &c);
            let relative = if best > 0.0 && c.rank.is_finite() { (c.rank / best).clamp(0.0, 1.0) } else { 1.0 };
            let score = coverage * (1.0 - ENGINE_SHARE + ENGINE_SHARE * relative);
            let snippet = snippet(&c.body, &stems);
            let hit = ArticleHit { id: c.id, title: c.title, snippet, tags: c.tags, score: round3(score) };
            (score, hit)
        })
        .collect();
    // Stable: equal scores keep the engine's order.
    hits.sort_by(|a, b| b.0.total_cmp(&a.0));
    hits.into_iter().take(limit).map(|(_, hit)| hit).collect()
}

fn round3(value: f64) -> f64 {
    ((value * 1000.0).round() / 1000.0).clamp(0.0, 1.0)
}

fn coverage(stems: &[String], candidate: &SearchCandidate) -> f64 {
    if stems.is_empty() {
        return 0.0;
    }
    let title = word_stems(&candidate.title);
    let tags = word_stems(&candidate.tags.join(" "));
    let body = word_stems(&candidate.body);
    let found: f64 = stems
        .iter()
        .map(|term| {
            if title.iter().any(|w| same_word(w, term)) {
                TITLE_WEIGHT
            } else if tags.iter().any(|w| same_word(w, term)) {
                TAG_WEIGHT
            } else if body.iter().any(|w| same_word(w, term)) {
                BODY_WEIGHT
            } else {
                0.0
            }
        })
        .sum();
    if found == 0.0 {
        return ENGINE_ONLY_COVERAGE;
    }
    (found / stems.len().min(SATURATION_TERMS) as f64).min(1.0)
}

fn word_stems(text: &str) -> Vec<String> {
    let mut stems: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| stem(&w.to_lowercase())).collect();
    stems.sort();
    stems.dedup();
    stems
}

/// A crude English stemmer, for telling where a word was found and cutting snippets (the
/// engines match with their own, better ones): "renewal", "renewing" and "renewed" → "renew".
pub fn stem(word: &str) -> String {
    const SUFFIXES: [&str; 16] = [
        "ations", "ation", "ings", "ing", "ments", "ment", "ness", "ers", "er", "ies", "ied", "ed", "es", "al", "ly",
        "s",
    ];
    for suffix in SUFFIXES {
        if let Some(root) = word.strip_suffix(suffix)
            && root.chars().count() >= 3
        {
            return if suffix.starts_with("ie") { format!("{root}y") } else { root.to_owned() };
        }
    }
    word.to_owned()
}

/// The same word, give or take an ending: equal stems, or one stem (of at least four letters)
/// starting the other ("cancel" and "cancell…").
fn same_word(a: &str, b: &str) -> bool {
    a == b || (b.chars().count() >= 4 && a.starts_with(b)) || (a.chars().count() >= 4 && b.starts_with(a))
}

/// The part of the body a reader should see: the sentence with the most query words (the
/// first of equals; the opening when none has any), and the sentences after it, cut to
/// [`SNIPPET_CHARS`] at a word boundary.
pub fn snippet(body: &str, stems: &[String]) -> String {
    let all = sentences(body);
    let hits = |sentence: &str| word_stems(sentence).iter().filter(|w| stems.iter().any(|s| same_word(w, s))).count();
    let mut best = (0, 0);
    for (i, sentence) in all.iter().enumerate() {
        let n = hits(sentence);
        if n > best.1 {
            best = (i, n);
        }
    }
    let text = all.get(best.0..).map(|rest| rest.join(" ")).unwrap_or_default();
    cut(&text, SNIPPET_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(raw: &[&str]) -> (Option<Vec<String>>, FieldErrors) {
        let mut errors = FieldErrors::new();
        let raw: Vec<String> = raw.iter().map(|t| (*t).to_owned()).collect();
        (parse_tags(&raw, "tags", &mut errors), errors)
    }

    #[test]
    fn titles_and_bodies_are_bounded() {
        assert_eq!(ArticleTitle::new("  Lockers ").map(|t| t.as_str().to_owned()), Ok("Lockers".into()));
        assert!(ArticleTitle::new("").is_err());
        assert!(ArticleTitle::new("two\nlines").is_err());
        assert!(ArticleTitle::new(&"t".repeat(200)).is_ok());
        assert!(ArticleTitle::new(&"t".repeat(201)).is_err());
        assert!(ArticleBody::new("Line one\nLine two").is_ok());
        assert!(ArticleBody::new(" \n ").is_err());
        assert!(ArticleBody::new(&"b".repeat(50_000)).is_ok());
        assert!(ArticleBody::new(&"b".repeat(50_001)).is_err());
    }

    #[test]
    fn tags_are_trimmed_lowered_and_distinct() {
        assert_eq!(tags(&[" Fees ", "fees", "Renewal", "FEES"]).0, Some(vec!["fees".to_owned(), "renewal".to_owned()]));
        assert_eq!(tags(&[]).0, Some(vec![]));
        let (kept, errors) = tags(&["ok", " ", &"x".repeat(41), "tab\there"]);
        assert_eq!(kept, None);
        assert!(errors.get("tags[1]").is_some() && errors.get("tags[2]").is_some() && errors.get("tags[3]").is_some());
        assert_eq!(errors.get("tags[0]"), None);
        let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(tags(&many).1.get("tags").is_some());
        let twenty_with_repeats: Vec<&str> = (0..40).map(|i| if i % 2 == 0 { "a" } else { "A" }).collect();
        assert!(tags(&twenty_with_repeats).0.is_some(), "repeats do not count");
    }

    #[test]
    fn queries_keep_only_plain_words() {
        let q = SearchQuery::parse("How do I RENEW my membership? \"fees\" -late* OR (refund)", MatchMode::AllTerms);
        assert_eq!(q.terms(), ["renew", "membership", "fees", "late", "refund"]);
        for hostile in ["", "   ", "\"", "*", "OR", "-", ")", "AND NOT", "\"\"*()-:^", "the of and"] {
            assert!(SearchQuery::parse(hostile, MatchMode::AnyTerm).is_empty(), "{hostile}");
        }
        let long = (0..40).map(|i| format!("word{i}")).collect::<Vec<_>>().join(" ");
        assert_eq!(SearchQuery::parse(&long, MatchMode::AnyTerm).terms().len(), MAX_TERMS);
        assert_eq!(SearchQuery::parse("don't", MatchMode::AnyTerm).terms(), ["don"]);
    }

    #[test]
    fn stems_join_word_forms() {
        for (a, b) in [("renewing", "renewal"), ("renewed", "renew"), ("fees", "fee"), ("lockers", "locker")] {
            assert!(same_word(&stem(a), &stem(b)), "{a} ~ {b}");
        }
        assert!(same_word(&stem("cancellations"), &stem("cancel")));
        assert!(!same_word(&stem("boat"), &stem("booking")));
        assert_eq!(stem("is"), "is");
    }

    fn candidate(title: &str, tags: &[&str], body: &str, rank: f64) -> SearchCandidate {
        SearchCandidate {
            id: ArticleId::new(),
            title: title.into(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            body: body.into(),
            rank,
        }
    }

    #[test]
    fn a_title_match_beats_a_body_match_whatever_the_engine_says() {
        let query = SearchQuery::parse("renewing", MatchMode::AllTerms);
        let hits = rank(
            &query,
            vec![
                candidate("Lockers and keys", &[], "Lockers are let on renewal of your membership.", 9.0),
                candidate("Membership renewal", &["fees"], "Renew online each January.", 1.0),
            ],
            10,
        );
        assert_eq!(hits[0].title, "Membership renewal");
        assert!(hits[0].score > hits[1].score);
        assert!((0.75..=1.0).contains(&hits[0].score), "{hits:?}");
        assert!(hits[1].score <= BODY_WEIGHT, "{hits:?}");
    }

    #[test]
    fn scores_stay_between_zero_and_one_and_respect_the_limit() {
        let query = SearchQuery::parse("boat booking session weather safety", MatchMode::AnyTerm);
        let hits = rank(
            &query,
            vec![
                candidate("Booking boats and sessions", &["safety"], "Book a boat session.", f64::NAN),
                candidate("Weather", &[], "Safety first.", 3.0),
                candidate("Other", &[], "Nothing here.", -2.0),
            ],
            2,
        );
        assert_eq!(hits.len(), 2);
        assert!(hits.iter().all(|h| (0.0..=1.0).contains(&h.score)), "{hits:?}");
        assert_eq!(hits[0].title, "Booking boats and sessions");
        assert_eq!(rank(&query, Vec::new(), 5), Vec::new());
    }

    #[test]
    fn engine_order_breaks_ties() {
        let query = SearchQuery::parse("locker", MatchMode::AllTerms);
        let hits =
            rank(&query, vec![candidate("Locker keys", &[], "a", 2.0), candidate("Locker fees", &[], "b", 4.0)], 10);
        assert_eq!(hits[0].title, "Locker fees");
        assert_eq!(hits[0].score, 1.0);
        assert_eq!(hits[1].score, 0.875);
    }

    #[test]
    fn snippets_show_the_matching_sentence() {
        let stems = vec![stem("refund")];
        let body = "Welcome to the club. Cancellations made a week ahead are refunded in full. After that, no.";
        assert_eq!(snippet(body, &stems), "Cancellations made a week ahead are refunded in full. After that, no.");
        assert_eq!(snippet(body, &[stem("zebra")]), body, "no match: the opening");
        let long = format!("{} refund {}", "word ".repeat(10), "more ".repeat(200));
        let cut = snippet(&long, &stems);
        assert!(cut.chars().count() <= SNIPPET_CHARS && cut.ends_with('…'), "{cut}");
    }

    #[test]
    fn hits_become_knowledge_snippets() {
        let id = ArticleId::new();
        let hit = ArticleHit { id, title: "T".into(), snippet: "S".into(), tags: vec![], score: 0.5 };
        let snippet = KnowledgeSnippet::from(hit);
        assert_eq!((snippet.id, snippet.score), (id.to_string(), 0.5));
    }
}
