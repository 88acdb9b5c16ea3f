//! PII redaction: personal data in ticket text is replaced by typed placeholders before any
//! text leaves for an AI service, and filled back in locally where a person needs it (drafts).
//!
//! | what                                                   | placeholder            |
//! |--------------------------------------------------------|------------------------|
//! | email address                                          | `[EMAIL_1]`            |
//! | phone number (international `+…`, `00…`, trunk `0…`, US `555-123-4567`, `(020) …`, or any 7–15 digits after *phone*, *tel*, *mobile*, *call*, …) | `[PHONE_1]` |
//! | payment card number (13–19 digits, spaces/dashes, Luhn-valid) | `[CARD_1]`      |
//! | bank account (IBAN with valid checksum; UK sort code and account number; 6–20 digits after *account*, *acct*, *a/c*, *bank*, *routing*, …) | `[ACCOUNT_1]` |
//! | street address (house number + capitalised name + street word; `Hauptstraße 5`; PO Box), UK and Canadian postcodes, US state + ZIP | `[ADDRESS_1]` |
//! | the member's full / first / last name                  | `[Member Name]`, `[Member First Name]`, `[Member Last Name]` |
//!
//! A [`Redactor`] is one redaction session: the same value (compared normalised — emails
//! case-insensitively, numbers by their digits, addresses by their words) gets the same
//! placeholder in every text the session redacts, so the model can tell that two mentions are
//! the same card. The session's [`Redaction`] maps placeholders back to the text first seen
//! ([`Redaction::restore`]). Text that already holds placeholders is left alone (redaction is
//! idempotent), and new placeholders never reuse a number already present in the input.
//!
//! Detection runs in stages, each on the text the earlier ones left free: placeholders already
//! present (kept), emails, IBANs, sort codes, digit runs (cards, then accounts by context, then
//! phones), addresses, the member's name. Order numbers, dates and amounts are left alone: a
//! digit run is only taken when its shape or the words right before it say what it is.
//!
//! Patterns are compiled once; should one fail to compile, [`patterns_ready`] says so and
//! [`Redactor::new`] refuses to start (fail closed: no text leaves unredacted).

use regex::Regex;
use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::sync::LazyLock;

/// What a redacted value was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PiiKind {
    Email,
    Phone,
    Card,
    Account,
    Address,
    /// The member's name (full, first or last).
    Name,
}

impl PiiKind {
    /// The word in numbered placeholders (`EMAIL` of `[EMAIL_1]`); names have fixed placeholders.
    pub fn label(self) -> &'static str {
        match self {
            PiiKind::Email => "EMAIL",
            PiiKind::Phone => "PHONE",
            PiiKind::Card => "CARD",
            PiiKind::Account => "ACCOUNT",
            PiiKind::Address => "ADDRESS",
            PiiKind::Name => "NAME",
        }
    }

    fn slot(self) -> usize {
        match self {
            PiiKind::Email => 0,
            PiiKind::Phone => 1,
            PiiKind::Card => 2,
            PiiKind::Account => 3,
            PiiKind::Address | PiiKind::Name => 4,
        }
    }
}

/// The member's full name, as the specification's draft example writes it.
pub const MEMBER_NAME: &str = "[Member Name]";
/// The first word of the member's name.
pub const MEMBER_FIRST_NAME: &str = "[Member First Name]";
/// The last word of the member's name (when it has more than one).
pub const MEMBER_LAST_NAME: &str = "[Member Last Name]";

/// Every placeholder this module writes, numbered or not.
const PLACEHOLDER_PATTERN: &str =
    r"\[(?:EMAIL|PHONE|CARD|ACCOUNT|ADDRESS)_[1-9][0-9]{0,5}\]|\[Member (?:First |Last )?Name\]";

const EMAIL_PATTERN: &str = r"[\p{L}\p{N}_%+\-](?:[\p{L}\p{N}._%+'\-]*[\p{L}\p{N}_%+\-])?@[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?)+";

const IBAN_PATTERN: &str = r"(?i)\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}\b";

/// `sort code 12-34-56` (and the account number that follows it within a few words).
const SORT_CODE_PATTERN: &str =
    r"(?i)\bsort[ \-]?code\b[^0-9\n]{0,20}([0-9]{2}[ \-]?[0-9]{2}[ \-]?[0-9]{2})\b(?:[^0-9\n]{0,30}?\b([0-9]{8})\b)?";

/// `12-34-56 … 12345678` without the words "sort code".
const SORT_CODE_AND_ACCOUNT_PATTERN: &str = r"\b([0-9]{2}-[0-9]{2}-[0-9]{2})\b[^0-9\n]{0,30}?\b([0-9]{8})\b";

const STREET_WORDS: &str = "street|st|road|rd|avenue|ave|av|lane|ln|drive|dr|boulevard|blvd|court|ct|close|way|place|pl|terrace|tce|crescent|cres|grove|gardens|gdns|square|sq|parkway|pkwy|highway|hwy|row|mews|walk|circle|cir|trail|trl|hill|park|green|rise|vale|view|wharf|quay|parade|esplanade|embankment";

static STREET_PATTERN: LazyLock<String> = LazyLock::new(|| {
    format!(
        r"\b[0-9]{{1,5}}[A-Za-z]?(?:[\-/][0-9]{{1,5}}[A-Za-z]?)?,?[ \t]+(?:(?:\p{{Lu}}[\p{{L}}'\-]*|[0-9]{{1,3}}(?:st|nd|rd|th))\.?[ \t]+){{1,4}}(?i:{STREET_WORDS})\b\.?(?:,[ \t]*\p{{Lu}}[\p{{L}}'\-]*(?:[ \t]+\p{{Lu}}[\p{{L}}'\-]*){{0,2}}){{0,3}}"
    )
});

/// Continental style: `Hauptstraße 5`, `Kerkstraat 12a`.
const STREET_NAME_FIRST_PATTERN: &str = r"\b\p{Lu}[\p{L}\-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|straat|laan|gracht|gade|vej|gatan|vägen)[ \t]+[0-9]{1,5}[a-z]?\b";

const PO_BOX_PATTERN: &str = r"(?i)\bP\.?[ \t]?O\.?[ \t]+Box[ \t]+[0-9]{1,6}\b";

/// UK postcodes (`SW1A 1AA`, `M1 1AE`, `GIR 0AA`) and Canadian ones (`K1A 0B1`), upper case.
const POSTCODE_PATTERN: &str =
    r"\b(?:(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)[ \t]?[0-9][A-Z]{2}|[A-Z][0-9][A-Z][ \t]?[0-9][A-Z][0-9])\b";

/// A US state (two letters, upper case) followed by a ZIP code.
const US_ZIP_PATTERN: &str = r"\b(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|PR|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY),?[ \t]+[0-9]{5}(?:-[0-9]{4})?\b";

fn compile(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

static PLACEHOLDER: LazyLock<Option<Regex>> = LazyLock::new(|| compile(PLACEHOLDER_PATTERN));
static EMAIL: LazyLock<Option<Regex>> = LazyLock::new(|| compile(EMAIL_PATTERN));
static IBAN: LazyLock<Option<Regex>> = LazyLock::new(|| compile(IBAN_PATTERN));
static SORT_CODE: LazyLock<Option<Regex>> = LazyLock::new(|| compile(SORT_CODE_PATTERN));
static SORT_CODE_AND_ACCOUNT: LazyLock<Option<Regex>> = LazyLock::new(|| compile(SORT_CODE_AND_ACCOUNT_PATTERN));
static STREET: LazyLock<Option<Regex>> = LazyLock::new(|| compile(&STREET_PATTERN));
static STREET_NAME_FIRST: LazyLock<Option<Regex>> = LazyLock::new(|| compile(STREET_NAME_FIRST_PATTERN));
static PO_BOX: LazyLock<Option<Regex>> = LazyLock::new(|| compile(PO_BOX_PATTERN));
static POSTCODE: LazyLock<Option<Regex>> = LazyLock::new(|| compile(POSTCODE_PATTERN));
static US_ZIP: LazyLock<Option<Regex>> = LazyLock::new(|| compile(US_ZIP_PATTERN));

fn all_patterns() -> [&'static Option<Regex>; 10] {
    [
        &*PLACEHOLDER,
        &*EMAIL,
        &*IBAN,
        &*SORT_CODE,
        &*SORT_CODE_AND_ACCOUNT,
        &*STREET,
        &*STREET_NAME_FIRST,
        &*PO_BOX,
        &*POSTCODE,
        &*US_ZIP,
    ]
}

/// Whether every detection pattern compiled. When `false`, [`Redactor::new`] refuses to start.
pub fn patterns_ready() -> bool {
    all_patterns().iter().all(|p| p.is_some())
}

/// Redaction cannot run (a pattern did not compile): no text may be sent anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("PII redaction is unavailable, so no ticket text may leave the desk")]
pub struct RedactionUnavailable;

/// A piece of personal data found in a text (byte offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PiiMatch {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
}

/// One redacted value.
#[derive(Clone, PartialEq, Eq)]
struct Entry {
    kind: PiiKind,
    value: String,
}

/// The placeholders of one session and the values they stand for. Lives in memory only: it is
/// deliberately neither serialisable nor printable with its values (`Debug` shows the
/// placeholders alone), so it cannot end up in a log, a store row or a prompt by accident.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Redaction {
    entries: BTreeMap<String, Entry>,
}

impl fmt::Debug for Redaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.entries.keys()).finish()
    }
}

impl Redaction {
    /// Fills every known placeholder of `text` back in, in one pass (a restored value is never
    /// expanded again). Unknown placeholders — or ones the model invented — stay as written.
    pub fn restore(&self, text: &str) -> String {
        let Some(re) = PLACEHOLDER.as_ref() else { return text.to_owned() };
        re.replace_all(text, |caps: &regex::Captures<'_>| {
            let placeholder = caps.get(0).map_or("", |m| m.as_str());
            self.entries.get(placeholder).map_or_else(|| placeholder.to_owned(), |e| e.value.clone())
        })
        .into_owned()
    }

    /// The value behind a placeholder.
    pub fn get(&self, placeholder: &str) -> Option<&str> {
        self.entries.get(placeholder).map(|e| e.value.as_str())
    }

    /// Placeholders with their kinds, in placeholder order.
    pub fn placeholders(&self) -> impl Iterator<Item = (&str, PiiKind)> {
        self.entries.iter().map(|(p, e)| (p.as_str(), e.kind))
    }

    /// The redacted values — for tests proving that none of them reached an AI service.
    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.entries.values().map(|e| e.value.as_str())
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A form of the member's name and how it is matched.
struct NameForm {
    placeholder: &'static str,
    value: String,
    /// Full names match case-insensitively; single words only as written or in capitals
    /// (so a member called "Will" or "May" does not swallow every "will" and "may").
    insensitive: Option<Regex>,
}

/// One redaction session: redact every text of a request through the same session so equal
/// values share placeholders, then keep [`Redactor::finish`]'s [`Redaction`] to restore the
/// answer.
pub struct Redactor {
    names: Vec<NameForm>,
    redaction: Redaction,
    keys: HashMap<(PiiKind, String), String>,
    counters: [u32; 5],
    reserved: BTreeSet<String>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor").field("redaction", &self.redaction).finish_non_exhaustive()
    }
}

impl Redactor {
    /// A session without a member name.
    pub fn new() -> Result<Redactor, RedactionUnavailable> {
        if !patterns_ready() {
            return Err(RedactionUnavailable);
        }
        Ok(Redactor {
            names: Vec::new(),
            redaction: Redaction::default(),
            keys: HashMap::new(),
            counters: [0; 5],
            reserved: BTreeSet::new(),
        })
    }

    /// A session that also replaces the member's name. The name placeholders are registered
    /// up front, so a draft greeting `[Member First Name]` is restored even when the member
    /// never wrote their name.
    pub fn for_member(member_name: &str) -> Result<Redactor, RedactionUnavailable> {
        let mut redactor = Redactor::new()?;
        let full = member_name.split_whitespace().collect::<Vec<_>>().join(" ");
        if full.is_empty() {
            return Ok(redactor);
        }
        let words: Vec<&str> = full.split(' ').collect();
        let mut forms = vec![NameForm {
            placeholder: MEMBER_NAME,
            value: full.clone(),
            insensitive: compile(&format!(r"(?i)\b{}\b", regex::escape(&full))),
        }];
        let first = words.first().copied().unwrap_or_default();
        forms.push(NameForm { placeholder: MEMBER_FIRST_NAME, value: first.to_owned(), insensitive: None });
        if words.len() > 1 {
            let last = words.last().copied().unwrap_or_default();
            forms.push(NameForm { placeholder: MEMBER_LAST_NAME, value: last.to_owned(), insensitive: None });
        }
        for form in &forms {
            redactor
                .redaction
                .entries
                .insert(form.placeholder.to_owned(), Entry { kind: PiiKind::Name, value: form.value.clone() });
        }
        // Single-letter initials are not searched for: they would hit every "a" and "I".
        forms.retain(|f| f.placeholder == MEMBER_NAME || f.value.chars().count() > 1);
        redactor.names = forms;
        Ok(redactor)
    }

    /// Replaces every piece of personal data in `text` by its placeholder.
    pub fn redact(&mut self, text: &str) -> String {
        let (protected, found) = self.find(text);
        for &(start, end) in &protected {
            self.reserved.insert(text[start..end].to_owned());
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for m in found {
            out.push_str(&text[at..m.start]);
            match m.name {
                Some(placeholder) => out.push_str(placeholder),
                None => {
                    let placeholder = self.placeholder_for(m.kind, &text[m.start..m.end]);
                    out.push_str(&placeholder);
                }
            }
            at = m.end;
        }
        out.push_str(&text[at..]);
        out
    }

    /// The placeholders given so far.
    pub fn redaction(&self) -> &Redaction {
        &self.redaction
    }

    pub fn finish(self) -> Redaction {
        self.redaction
    }

    fn placeholder_for(&mut self, kind: PiiKind, value: &str) -> String {
        let key = (kind, normalise(kind, value));
        if let Some(existing) = self.keys.get(&key) {
            return existing.clone();
        }
        let slot = kind.slot();
        let placeholder = loop {
            self.counters[slot] += 1;
            let candidate = format!("[{}_{}]", kind.label(), self.counters[slot]);
            if !self.reserved.contains(&candidate) && !self.redaction.entries.contains_key(&candidate) {
                break candidate;
            }
        };
        self.redaction.entries.insert(placeholder.clone(), Entry { kind, value: value.to_owned() });
        self.keys.insert(key, placeholder.clone());
        placeholder
    }

    /// Protected spans (placeholders already in the text) and what to replace, in order.
    fn find(&self, text: &str) -> (Vec<(usize, usize)>, Vec<Replacement>) {
        let protected: Vec<(usize, usize)> = match PLACEHOLDER.as_ref() {
            Some(re) => re.find_iter(text).map(|m| (m.start(), m.end())).collect(),
            None => Vec::new(),
        };
        let mut taken = protected.clone();
        let mut found: Vec<Replacement> = Vec::new();
        let stages: [Stage; 5] = [find_emails, find_ibans, find_sort_codes, find_numbers, find_addresses];
        for stage in stages {
            let mut stage_found = Vec::new();
            for (start, end) in free_segments(text.len(), &taken) {
                stage(text, start, end, &mut stage_found);
            }
            let merged = non_overlapping(stage_found);
            for m in merged {
                taken.push((m.start, m.end));
                found.push(Replacement { kind: m.kind, start: m.start, end: m.end, name: None });
            }
            taken.sort_unstable();
        }
        // The member's name, longest form first.
        for form in &self.names {
            let mut stage_found = Vec::new();
            for (start, end) in free_segments(text.len(), &taken) {
                find_name(text, start, end, form, &mut stage_found);
            }
            for m in non_overlapping(stage_found) {
                taken.push((m.start, m.end));
                found.push(Replacement {
                    kind: PiiKind::Name,
                    start: m.start,
                    end: m.end,
                    name: Some(form.placeholder),
                });
            }
            taken.sort_unstable();
        }
        found.sort_by_key(|m| m.start);
        (protected, found)
    }
}

/// A detection stage: finds matches in `text[start..end]`, with offsets into `text`.
type Stage = fn(&str, usize, usize, &mut Vec<PiiMatch>);

#[derive(Debug, Clone, Copy)]
struct Replacement {
    kind: PiiKind,
    start: usize,
    end: usize,
    name: Option<&'static str>,
}

/// Redacts one text in a fresh session (no member name).
pub fn redact(text: &str) -> Result<(String, Redaction), RedactionUnavailable> {
    let mut redactor = Redactor::new()?;
    let redacted = redactor.redact(text);
    Ok((redacted, redactor.finish()))
}

/// The personal data a fresh session would replace in `text` (names aside), in order.
pub fn find_pii(text: &str) -> Vec<PiiMatch> {
    let Ok(redactor) = Redactor::new() else { return Vec::new() };
    let (_, found) = redactor.find(text);
    found.into_iter().map(|r| PiiMatch { kind: r.kind, start: r.start, end: r.end }).collect()
}

fn normalise(kind: PiiKind, value: &str) -> String {
    match kind {
        PiiKind::Email => value.to_lowercase(),
        PiiKind::Phone => value.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect(),
        PiiKind::Card => value.chars().filter(char::is_ascii_digit).collect(),
        PiiKind::Account => value.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_uppercase(),
        PiiKind::Address => value
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase(),
        PiiKind::Name => value.to_owned(),
    }
}

/// The stretches of `0..len` not covered by `taken` (sorted, non-overlapping).
fn free_segments(len: usize, taken: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut segments = Vec::new();
    let mut at = 0;
    for &(start, end) in taken {
        if start > at {
            segments.push((at, start));
        }
        at = at.max(end);
    }
    if at < len {
        segments.push((at, len));
    }
    segments
}

/// Keeps the leftmost-longest matches that do not overlap; addresses that touch (only spaces
/// and commas between) are merged into one.
fn non_overlapping(mut found: Vec<PiiMatch>) -> Vec<PiiMatch> {
    found.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut kept: Vec<PiiMatch> = Vec::new();
    for m in found {
        if let Some(last) = kept.last_mut()
            && m.start < last.end
        {
            if m.kind == PiiKind::Address && last.kind == PiiKind::Address {
                last.end = last.end.max(m.end);
            }
            continue;
        }
        kept.push(m);
    }
    kept
}

fn find_emails(text: &str, start: usize, end: usize, out: &mut Vec<PiiMatch>) {
    if let Some(re) = EMAIL.as_ref() {
        for m in re.find_iter(&text[start..end]) {
            out.push(PiiMatch { kind: PiiKind::Email, start: start + m.start(), end: start + m.end() });
        }
    }
}

fn find_ibans(text: &str, start: usize, end: usize, out: &mut Vec<PiiMatch>) {
    let Some(re) = IBAN.as_ref() else { return };
    let segment = &text[start..end];
    let mut at = 0;
    while at < segment.len() {
        let Some(m) = re.find_at(segment, at) else { break };
        match longest_valid_iban(m.as_str()) {
            Some(len) => {
                out.push(PiiMatch { kind: PiiKind::Account, start: start + m.start(), end: start + m.start() + len });
                at = m.start() + len;
            }
            None => at = next_char_boundary(segment, m.start()),
        }
    }
}

fn next_char_boundary(s: &str, at: usize) -> usize {
    s[at..].chars().next().map_or(s.len(), |c| at + c.len_utf8())
}

/// The length in bytes of the longest prefix of `candidate` ending at a group end that is an
/// IBAN with a valid checksum (ISO 13616: 15–34 characters, mod 97 = 1).
fn longest_valid_iban(candidate: &str) -> Option<usize> {
    let mut ends: Vec<usize> = candidate.match_indices(' ').map(|(i, _)| i).collect();
    ends.push(candidate.len());
    ends.into_iter().rev().find(|&end| {
        let compact: String = candidate[..end].chars().filter(|c| *c != ' ').collect();
        (15..=34).contains(&compact.len()) && iban_checksum_ok(&compact)
    })
}

pub(crate) fn iban_checksum_ok(compact: &str) -> bool {
    let upper = compact.to_ascii_uppercase();
    if upper.len() < 5 || !upper.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let (head, tail) = upper.split_at(4);
    let mut remainder: u32 = 0;
    for c in tail.chars().chain(head.chars()) {
        let value = match c.to_digit(36) {
            Some(v) => v,
            None => return false,
        };
        remainder = if value < 10 { (remainder * 10 + value) % 97 } else { (remainder * 100 + value) % 97 };
    }
    remainder == 1
}

fn find_sort_codes(text: &str, start: usize, end: usize, out: &mut Vec<PiiMatch>) {
    let segment = &text[start..end];
    for re in [SORT_CODE.as_ref(), SORT_CODE_AND_ACCOUNT.as_ref()].into_iter().flatten() {
        for caps in re.captures_iter(segment) {
            for m in caps.iter().skip(1).flatten() {
                out.push(PiiMatch { kind: PiiKind::Account, start: start + m.start(), end: start + m.end() });
            }
        }
    }
}

/// Luhn's check digit test (ISO/IEC 7812), over ASCII digits.
pub(crate) fn luhn_ok(digits: &[u8]) -> bool {
    if digits.is_empty() {
        return false;
    }
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(d.wrapping_sub(b'0'));
        if v > 9 {
            return false;
        }
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

/// A group of digits in a run: `4111`, `(020)`.
#[derive(Debug, Clone, Copy)]
struct Group {
    start: usize,
    end: usize,
    digits_start: usize,
    digits_end: usize,
    paren: bool,
    /// The separator before it, as a byte range (`None` for the first group or when glued by a
    /// parenthesis).
    sep: Option<(usize, usize)>,
}

/// The length of the separator at the start of `rest`: one to three spaces and dashes (`4111 -
/// 1111`), or a single dot or slash; 0 when there is none.
fn separator_len(rest: &[u8]) -> usize {
    match rest.first() {
        Some(b'.' | b'/') => 1,
        Some(b' ' | b'-') => rest.iter().take(3).take_while(|b| matches!(b, b' ' | b'-')).count(),
        _ => 0,
    }
}

/// Digit groups separated by short runs of spaces or dashes, or by single dots or slashes,
/// optionally led by `+`.
#[derive(Debug, Clone)]
struct Run {
    plus: Option<usize>,
    groups: Vec<Group>,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The digit runs of `text[start..end]` (offsets into `text`) that are not glued to letters.
fn number_runs(text: &str, start: usize, end: usize) -> Vec<Run> {
    let bytes = text.as_bytes();
    let digit_at = |i: usize| i < end && bytes[i].is_ascii_digit();
    let mut runs = Vec::new();
    let mut i = start;
    while i < end {
        let b = bytes[i];
        let starts_group = b.is_ascii_digit() || (b == b'(' && digit_at(i + 1));
        let starts_plus = b == b'+' && (digit_at(i + 1) || (i + 1 < end && bytes[i + 1] == b'(' && digit_at(i + 2)));
        if !(starts_group || starts_plus) {
            i += 1;
            continue;
        }
        // A run glued to a word on its left (`A123`, `x+44`) is an identifier, not a number.
        let glued_left = text[..i].chars().next_back().is_some_and(is_word_char);
        let plus = if starts_plus { Some(i) } else { None };
        let mut j = if starts_plus { i + 1 } else { i };
        let mut groups: Vec<Group> = Vec::new();
        let mut sep: Option<(usize, usize)> = None;
        loop {
            let group_start = j;
            let paren = j < end && bytes[j] == b'(';
            if paren {
                j += 1;
            }
            let digits_start = j;
            while digit_at(j) {
                j += 1;
            }
            let digits_end = j;
            if paren && j < end && bytes[j] == b')' {
                j += 1;
            }
            groups.push(Group { start: group_start, end: j, digits_start, digits_end, paren, sep });
            // What follows: a separator and another group, a glued `(`, or the end of the run.
            let sep_len = separator_len(&bytes[j..end]);
            let next = j + sep_len;
            if sep_len > 0 && (digit_at(next) || (next < end && bytes[next] == b'(' && digit_at(next + 1))) {
                sep = Some((j, next));
                j = next;
            } else if (j < end && bytes[j] == b'(' && digit_at(j + 1))
                || (groups.last().is_some_and(|g| g.paren) && digit_at(j))
            {
                // Glued by a parenthesis: `+44(0)20`, `(020)7946`.
                sep = None;
            } else {
                break;
            }
        }
        let glued_right = text[j..end].chars().next().is_some_and(is_word_char);
        let mut run = Run { plus, groups };
        if glued_right {
            run.groups.pop();
        }
        if glued_left && !run.groups.is_empty() {
            run.groups.remove(0);
            run.plus = None;
            if let Some(first) = run.groups.first_mut() {
                first.sep = None;
            }
        }
        if !run.groups.is_empty() {
            runs.push(run);
        }
        i = j.max(i + 1);
    }
    runs
}

const ACCOUNT_WORDS: &[&str] = &[
    "account",
    "acct",
    "acc",
    "a/c",
    "iban",
    "bank",
    "banking",
    "routing",
    "aba",
    "bsb",
    "konto",
    "kontonummer",
    "rekening",
    "rekeningnummer",
    "compte",
];
const PHONE_WORDS: &[&str] = &[
    "phone",
    "telephone",
    "tel",
    "mobile",
    "mob",
    "cell",
    "cellphone",
    "call",
    "ring",
    "fax",
    "whatsapp",
    "sms",
    "text",
    "landline",
    "contact",
    "reach",
];
/// Words saying a number is something else (an order, a ticket, a membership, …).
const OTHER_NUMBER_WORDS: &[&str] = &[
    "order",
    "invoice",
    "ticket",
    "ref",
    "reference",
    "booking",
    "tracking",
    "receipt",
    "transaction",
    "case",
    "policy",
    "membership",
    "id",
    "confirmation",
    "serial",
    "model",
    "item",
    "sku",
    "product",
    "version",
    "#",
];

/// The last `n` words before `at` (lower case; `a/c` and `#` count as words, a placeholder
/// counts as one neutral word so that context reads the same before and after redaction).
fn words_before(text: &str, at: usize, n: usize) -> Vec<String> {
    let mut from = at.saturating_sub(120);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut window = &text[from..at];
    // A placeholder cut in half by the window's start is left out whole.
    if let Some(close) = window.find(']')
        && !window[..close].contains('[')
    {
        window = &window[close + 1..];
    }
    let window = match PLACEHOLDER.as_ref() {
        Some(re) if window.contains('[') => re.replace_all(window, " \u{1} "),
        _ => std::borrow::Cow::Borrowed(window),
    };
    let mut words: Vec<String> = Vec::with_capacity(n + 1);
    for w in window.rsplit(|c: char| !(c.is_alphanumeric() || c == '/' || c == '#' || c == '\u{1}')) {
        if words.len() >= n {
            break;
        }
        if w.is_empty() {
            continue;
        }
        // `#1234` and `no.#` style: a `#` glued to a word counts on its own.
        if w.contains('#') && w != "#" {
            let rest = w.replace('#', "").to_lowercase();
            if !rest.is_empty() {
                words.push(rest);
            }
            words.push("#".to_owned());
        } else {
            words.push(w.to_lowercase());
        }
    }
    words.truncate(n);
    words.reverse();
    words
}

/// Whether the nearest telling word among the last four before `at` is one of `words` (a
/// later "order" overrides an earlier "account").
fn context_says(text: &str, at: usize, words: &[&str]) -> bool {
    for word in words_before(text, at, 4).iter().rev() {
        if OTHER_NUMBER_WORDS.contains(&word.as_str()) {
            return false;
        }
        if words.contains(&word.as_str()) {
            return true;
        }
    }
    false
}

/// Whether the word right before `at` (looking past "no", "number" and "#") says the number
/// is an order, a ticket, a reference, …
fn other_number_context(text: &str, at: usize) -> bool {
    if text[..at].ends_with('#') {
        return true;
    }
    for word in words_before(text, at, 3).iter().rev() {
        if OTHER_NUMBER_WORDS.contains(&word.as_str()) {
            return true;
        }
        if !matches!(word.as_str(), "no" | "nr" | "num" | "number" | "is" | "was") {
            return false;
        }
    }
    false
}

/// What a window of a run's groups is, if anything. With `by_context_only`, only the weakest
/// rule is tried: 7–15 digits right after a word like "phone" or "call" (so that a window the
/// shape rules recognise is preferred over a longer one only the context word vouches for).
fn classify(
    text: &str,
    run: &Run,
    i: usize,
    j: usize,
    by_context_only: bool,
    ctx: &WindowContext<'_>,
) -> Option<PiiKind> {
    let groups = &run.groups[i..=j];
    let bytes = text.as_bytes();
    let mut digits: Vec<u8> = Vec::with_capacity(24);
    for g in groups {
        digits.extend_from_slice(&bytes[g.digits_start..g.digits_end]);
    }
    let count = digits.len();
    let plus = i == 0 && run.plus.is_some();
    let paren = groups.iter().any(|g| g.paren);
    let seps: Vec<&str> = groups.iter().skip(1).map(|g| g.sep.map_or("", |(a, b)| &text[a..b])).collect();
    let plain_seps = seps.iter().all(|s| !s.is_empty() && s.bytes().all(|b| matches!(b, b' ' | b'-')));

    if by_context_only {
        let telling = (7..=15).contains(&count) && ctx.phone();
        return telling.then_some(PiiKind::Phone);
    }
    if plus && (8..=15).contains(&count) {
        return Some(PiiKind::Phone);
    }
    if !paren && plain_seps && (13..=19).contains(&count) && luhn_ok(&digits) {
        return Some(PiiKind::Card);
    }
    if !paren && plain_seps && (6..=20).contains(&count) && ctx.account() {
        return Some(PiiKind::Account);
    }
    if plus {
        return None;
    }
    // A bare digit string after "order", "ref", "#", … is that; one grouped like a phone
    // number (`020 7946 0958`, `555-123-4567`) is a phone number wherever it stands.
    if paren && (9..=12).contains(&count) {
        return Some(PiiKind::Phone);
    }
    if paren {
        return None;
    }
    let lens: Vec<usize> = groups.iter().map(|g| g.digits_end - g.digits_start).collect();
    let same_sep = seps.windows(2).all(|w| w[0] == w[1]) && seps.iter().all(|s| matches!(*s, " " | "-" | "."));
    let us_shape = same_sep && (lens == [3, 3, 4] || (lens == [1, 3, 3, 4] && digits[0] == b'1'));
    let trunk = digits[0] == b'0' && (10..=12).contains(&count);
    let international = digits.starts_with(b"00") && (11..=15).contains(&count);
    let other = || groups.len() == 1 && ctx.other();
    ((us_shape || trunk || international) && !other()).then_some(PiiKind::Phone)
}

/// The words before a window, read at most once and only when a rule needs them.
struct WindowContext<'a> {
    text: &'a str,
    at: usize,
    account: OnceCell<bool>,
    phone: OnceCell<bool>,
    other: OnceCell<bool>,
}

impl<'a> WindowContext<'a> {
    fn new(text: &'a str, at: usize) -> Self {
        WindowContext { text, at, account: OnceCell::new(), phone: OnceCell::new(), other: OnceCell::new() }
    }
    fn account(&self) -> bool {
        *self.account.get_or_init(|| context_says(self.text, self.at, ACCOUNT_WORDS))
    }
    fn phone(&self) -> bool {
        *self.phone.get_or_init(|| context_says(self.text, self.at, PHONE_WORDS))
    }
    fn other(&self) -> bool {
        *self.other.get_or_init(|| other_number_context(self.text, self.at))
    }
}

/// Cards, accounts by context and phones among the digit runs: in each run the leftmost,
/// longest window of groups that is one of them (at most 20 digits are looked at together).
fn find_numbers(text: &str, start: usize, end: usize, out: &mut Vec<PiiMatch>) {
    for run in number_runs(text, start, end) {
        let n = run.groups.len();
        let mut i = 0;
        while i < n {
            let mut taken = None;
            let mut digits = 0;
            let mut last = i;
            for (k, g) in run.groups.iter().enumerate().skip(i) {
                digits += g.digits_end - g.digits_start;
                if digits > 20 {
                    break;
                }
                last = k;
            }
            let window_start = if i == 0 { run.plus.unwrap_or(run.groups[0].start) } else { run.groups[i].start };
            let ctx = WindowContext::new(text, window_start);
            'rules: for by_context_only in [false, true] {
                for j in (i..=last).rev() {
                    if let Some(kind) = classify(text, &run, i, j, by_context_only, &ctx) {
                        taken = Some((j, kind));
                        break 'rules;
                    }
                }
            }
            match taken {
                Some((j, kind)) => {
                    let from = match (i, kind) {
                        (0, PiiKind::Phone) => run.plus.unwrap_or(run.groups[0].start),
                        _ => run.groups[i].start,
                    };
                    out.push(PiiMatch { kind, start: from, end: run.groups[j].end });
                    i = j + 1;
                }
                None => i += 1,
            }
        }
    }
}

fn find_addresses(text: &str, start: usize, end: usize, out: &mut Vec<PiiMatch>) {
    let segment = &text[start..end];
    let patterns = [STREET.as_ref(), STREET_NAME_FIRST.as_ref(), PO_BOX.as_ref(), POSTCODE.as_ref(), US_ZIP.as_ref()];
    let mut found: Vec<PiiMatch> = Vec::new();
    for re in patterns.into_iter().flatten() {
        for m in re.find_iter(segment) {
            found.push(PiiMatch { kind: PiiKind::Address, start: start + m.start(), end: start + m.end() });
        }
    }
    // Parts of one address (street, town, postcode) separated by commas and spaces are merged.
    found.sort_by_key(|m| m.start);
    let mut merged: Vec<PiiMatch> = Vec::new();
    for m in found {
        if let Some(last) = merged.last_mut()
            && (m.start <= last.end || text[last.end..m.start].chars().all(|c| matches!(c, ' ' | '\t' | ',')))
        {
            last.end = last.end.max(m.end);
            continue;
        }
        merged.push(m);
    }
    out.extend(merged);
}

fn find_name(text: &str, start: usize, end: usize, form: &NameForm, out: &mut Vec<PiiMatch>) {
    let segment = &text[start..end];
    let mut push = |s: usize, e: usize| out.push(PiiMatch { kind: PiiKind::Name, start: start + s, end: start + e });
    if let Some(re) = form.insensitive.as_ref() {
        for m in re.find_iter(segment) {
            push(m.start(), m.end());
        }
        return;
    }
    let upper = form.value.to_uppercase();
    let mut spellings = vec![form.value.as_str()];
    if upper != form.value {
        spellings.push(upper.as_str());
    }
    for spelling in spellings {
        for (at, found) in segment.match_indices(spelling) {
            let before_ok = !segment[..at].chars().next_back().is_some_and(is_word_char);
            let after_ok = !segment[at + found.len()..].chars().next().is_some_and(is_word_char);
            if before_ok && after_ok {
                push(at, at + found.len());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn redacted(text: &str) -> String {
        redact(text).map(|(r, _)| r).unwrap_or_default()
    }

    fn kinds(text: &str) -> Vec<(PiiKind, String)> {
        find_pii(text).into_iter().map(|m| (m.kind, text[m.start..m.end].to_owned())).collect()
    }

    #[test]
    fn every_pattern_compiles() {
        for (i, pattern) in all_patterns().iter().enumerate() {
            assert!(pattern.is_some(), "pattern {i} does not compile");
        }
        assert!(patterns_ready());
        assert!(Redactor::new().is_ok());
    }

    #[test]
    fn emails_are_replaced() {
        assert_eq!(redacted("Write to mia.member+desk@example.org."), "Write to [EMAIL_1].");
        assert_eq!(redacted("ZOË@Beispiel.de or o'neil@x.co.uk"), "[EMAIL_1] or [EMAIL_2]");
        assert_eq!(redacted("no email: a@b, @home, x@"), "no email: a@b, @home, x@");
    }

    #[test]
    fn the_same_value_gets_the_same_placeholder() {
        let mut session = Redactor::new().unwrap_or_else(|_| unreachable!());
        let a = session.redact("From ann@example.org: card 4111 1111 1111 1111");
        let b = session.redact("Again ANN@example.org, card 4111-1111-1111-1111, bob@example.org");
        assert_eq!(a, "From [EMAIL_1]: card [CARD_1]");
        assert_eq!(b, "Again [EMAIL_1], card [CARD_1], [EMAIL_2]");
        let redaction = session.finish();
        assert_eq!(redaction.get("[EMAIL_1]"), Some("ann@example.org"), "the first spelling is kept");
        assert_eq!(redaction.len(), 3);
    }

    #[test]
    fn phone_numbers_in_common_formats() {
        for phone in [
            "+44 20 7946 0958",
            "+44 (0)20 7946 0958",
            "+1 (555) 123-4567",
            "+4915112345678",
            "0044 20 7946 0958",
            "020 7946 0958",
            "07700 900123",
            "07700900123",
            "(020) 7946 0958",
            "555-123-4567",
            "555.123.4567",
            "1-800-555-1234",
            "06-12345678",
        ] {
            let text = format!("Call me on {phone} please.");
            assert_eq!(redacted(&text), "Call me on [PHONE_1] please.", "{phone}");
        }
        assert_eq!(redacted("my mobile is 7946 0958"), "my mobile is [PHONE_1]");
        assert_eq!(redacted("call 020 7946 0958 12 times"), "call [PHONE_1] 12 times");
        assert_eq!(redacted("order 020 7946 0958"), "order [PHONE_1]", "grouped like a phone number");
        let mut named = Redactor::for_member("Mia Member").unwrap_or_else(|_| unreachable!());
        assert_eq!(named.redact("order Mia  020 7946 0958 "), "order [Member First Name]  [PHONE_1] ");
    }

    #[test]
    fn order_numbers_dates_and_amounts_are_left_alone() {
        for text in [
            "Order 1234567890123 was charged twice",
            "order no. 0123456789 arrived",
            "ticket #0123456789",
            "Invoice 4111111111111112 is wrong",
            "On 2024-01-15 at 10:30 I paid £1,234.56",
            "Reference 1234567890 on my booking",
            "booking number is 07700900123",
            "It took 3 long hours on the road",
            "my membership number 12345678",
            "version 10.2.3.4567 crashed",
            "SKU A1234567890123",
        ] {
            assert_eq!(redacted(text), text, "{text}");
        }
    }

    #[test]
    fn card_numbers_must_pass_luhn() {
        assert_eq!(redacted("card 4111 1111 1111 1111 exp 12/25"), "card [CARD_1] exp 12/25");
        assert_eq!(redacted("amex 3782-822463-10005"), "amex [CARD_1]");
        assert_eq!(redacted("4111111111111111"), "[CARD_1]");
        assert_eq!(redacted("5500 0000 0000 0004 2024"), "[CARD_1] 2024");
        assert_eq!(redacted("ref 12 4111 1111 1111 1111"), "ref 12 [CARD_1]");
        assert_eq!(redacted("4111 1111 1111 1112"), "4111 1111 1111 1112", "fails Luhn");
        assert!(luhn_ok(b"79927398713"));
        assert!(!luhn_ok(b"79927398710"));
        assert!(!luhn_ok(b""));
    }

    #[test]
    fn bank_accounts() {
        assert_eq!(redacted("IBAN GB82 WEST 1234 5698 7654 32 please"), "IBAN [ACCOUNT_1] please");
        assert_eq!(redacted("de89370400440532013000"), "[ACCOUNT_1]");
        assert_eq!(redacted("GB82 WEST 1234 5698 7654 33"), "GB82 WEST 1234 5698 7654 33", "bad checksum");
        assert_eq!(
            redacted("sort code 12-34-56, account number 12345678"),
            "sort code [ACCOUNT_1], account number [ACCOUNT_2]"
        );
        assert_eq!(redacted("paid from 40-11-62 a/c 87654321"), "paid from [ACCOUNT_1] a/c [ACCOUNT_2]");
        assert_eq!(redacted("my account number: 123456789"), "my account number: [ACCOUNT_1]");
        assert_eq!(redacted("routing 021000021"), "routing [ACCOUNT_1]");
        assert_eq!(
            redacted("my account was charged twice, order 123456789"),
            "my account was charged twice, order 123456789"
        );
        assert!(iban_checksum_ok("GB82WEST12345698765432"));
        assert!(!iban_checksum_ok("GB82WEST1234569876543!"));
    }

    #[test]
    fn street_addresses_and_postcodes() {
        assert_eq!(redacted("I live at 12 High Street, London SW1A 1AA now."), "I live at [ADDRESS_1] now.");
        assert_eq!(redacted("Send it to 1600 Pennsylvania Avenue NW"), "Send it to [ADDRESS_1] NW");
        assert_eq!(redacted("123 Main St, Springfield, IL 62704"), "[ADDRESS_1]");
        assert_eq!(redacted("Flat 3, 22b Baker St."), "Flat 3, [ADDRESS_1]");
        assert_eq!(redacted("at 350 5th Avenue"), "at [ADDRESS_1]");
        assert_eq!(redacted("Hauptstraße 5 in Berlin"), "[ADDRESS_1] in Berlin");
        assert_eq!(redacted("PO Box 1234"), "[ADDRESS_1]");
        assert_eq!(redacted("postcode M1 1AE"), "postcode [ADDRESS_1]");
        assert_eq!(redacted("Ottawa ON K1A 0B1"), "Ottawa ON [ADDRESS_1]");
        assert_eq!(redacted("Austin, TX 78701"), "Austin, [ADDRESS_1]");
        assert_eq!(redacted("We met 2 Times before"), "We met 2 Times before");
    }

    #[test]
    fn the_members_name() {
        let mut session = Redactor::for_member("  Mia   Member ").unwrap_or_else(|_| unreachable!());
        assert_eq!(
            session.redact("Hi, MIA MEMBER here. Mia again; Ms Member. mia? Miami!"),
            "Hi, [Member Name] here. [Member First Name] again; Ms [Member Last Name]. mia? Miami!"
        );
        let redaction = session.finish();
        assert_eq!(redaction.restore("Dear [Member First Name],"), "Dear Mia,");
        assert_eq!(redaction.restore("[Member Name]"), "Mia Member");

        let mut single = Redactor::for_member("Cher").unwrap_or_else(|_| unreachable!());
        assert_eq!(single.redact("Cher wrote"), "[Member Name] wrote");
        assert_eq!(single.finish().restore("Hi [Member First Name]"), "Hi Cher");

        let mut initial = Redactor::for_member("J Smith").unwrap_or_else(|_| unreachable!());
        assert_eq!(initial.redact("J and I"), "J and I", "initials are not searched for");
    }

    #[test]
    fn placeholders_in_the_input_are_kept_and_never_reused() {
        let mut session = Redactor::new().unwrap_or_else(|_| unreachable!());
        let text = session.redact("[EMAIL_1] said x@y.org and [Member Name]");
        assert_eq!(text, "[EMAIL_1] said [EMAIL_2] and [Member Name]");
        assert_eq!(session.redaction().restore(&text), "[EMAIL_1] said x@y.org and [Member Name]");
    }

    #[test]
    fn restore_leaves_unknown_placeholders() {
        let (text, redaction) = redact("phone +44 20 7946 0958").unwrap_or_default();
        assert_eq!(text, "phone [PHONE_1]");
        assert_eq!(redaction.restore("[PHONE_1] / [PHONE_2] / [CARD_9]"), "+44 20 7946 0958 / [PHONE_2] / [CARD_9]");
    }

    #[test]
    fn debug_never_prints_values() {
        let (_, redaction) = redact("mail ann@example.org").unwrap_or_default();
        let shown = format!("{redaction:?}");
        assert!(shown.contains("[EMAIL_1]"));
        assert!(!shown.contains("ann@"), "{shown}");
    }

    #[test]
    fn detection_reports_kinds_and_offsets() {
        assert_eq!(
            kinds("ann@example.org, 4111 1111 1111 1111, +44 20 7946 0958"),
            vec![
                (PiiKind::Email, "ann@example.org".to_owned()),
                (PiiKind::Card, "4111 1111 1111 1111".to_owned()),
                (PiiKind::Phone, "+44 20 7946 0958".to_owned()),
            ]
        );
    }

    #[test]
    fn multibyte_text_around_numbers() {
        assert_eq!(redacted("Tél : 06 12 34 56 78 — merci"), "Tél : [PHONE_1] — merci");
        assert_eq!(redacted("é4111111111111111"), "é4111111111111111", "glued to a word");
    }

    // ---- properties ----

    const CARDS: [&str; 5] =
        ["4111 1111 1111 1111", "5500-0000-0000-0004", "378282246310005", "6011 0009 9013 9424", "4012888888881881"];
    const EMAILS: [&str; 4] = ["ann@example.org", "mia.member+x@members.example", "b_o-b@sub.domain.co.uk", "Z9@x.io"];
    const PHONES: [&str; 4] = ["+44 20 7946 0958", "020 7946 0958", "555-123-4567", "+1 (555) 123-4567"];
    const ACCOUNTS: [&str; 2] = ["GB82 WEST 1234 5698 7654 32", "DE89370400440532013000"];
    const ADDRESSES: [&str; 3] = ["12 High Street", "1600 Pennsylvania Avenue", "PO Box 77"];
    const WORDS: [&str; 12] =
        ["please", "help", "my", "login", "fails", "since", "Monday", "order", "42", "thanks", "the", "app"];

    fn pii_value() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(CARDS.to_vec()),
            prop::sample::select(EMAILS.to_vec()),
            prop::sample::select(PHONES.to_vec()),
            prop::sample::select(ACCOUNTS.to_vec()),
            prop::sample::select(ADDRESSES.to_vec()),
            Just("Mia Member"),
            Just("Mia"),
        ]
        .prop_map(str::to_owned)
    }

    fn filler() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(WORDS.to_vec()), 0..4).prop_map(|w| w.join(" "))
    }

    fn text_with_pii() -> impl Strategy<Value = String> {
        prop::collection::vec((filler(), pii_value(), prop::sample::select(vec![" ", ", ", ". ", "\n"])), 1..6)
            .prop_map(|parts| parts.into_iter().map(|(f, v, sep)| format!("{f} {v}{sep}")).collect::<String>())
    }

    fn emails_left(text: &str) -> bool {
        EMAIL.as_ref().is_some_and(|re| re.is_match(text))
            || text
                .split(|c: char| c.is_whitespace() || c == ',')
                .any(|t| crate::ticket::looks_like_email(t.trim_end_matches('.')))
    }

    /// Any stretch of digits separated by at most three spaces/dashes, 13–19 digits long, that
    /// passes Luhn.
    fn luhn_cards_left(text: &str) -> bool {
        let mut chunks: Vec<String> = vec![String::new()];
        let mut gap = 0;
        for c in text.chars() {
            if c.is_ascii_digit() {
                if gap > 3 {
                    chunks.push(String::new());
                }
                gap = 0;
                if let Some(last) = chunks.last_mut() {
                    last.push(c);
                }
            } else if c == ' ' || c == '-' {
                gap += 1;
            } else {
                chunks.push(String::new());
                gap = 0;
            }
        }
        chunks.iter().any(|d| {
            // Every window of consecutive digits the redactor could have taken as a card.
            (13..=19).contains(&d.len()) && luhn_ok(d.as_bytes())
        })
    }

    proptest! {
        #[test]
        fn no_email_or_card_survives(text in text_with_pii()) {
            let mut session = Redactor::for_member("Mia Member").unwrap_or_else(|_| unreachable!());
            let out = session.redact(&text);
            prop_assert!(!emails_left(&out), "{out:?}");
            prop_assert!(!luhn_cards_left(&out), "{out:?}");
            for value in CARDS.iter().chain(EMAILS.iter()).chain(PHONES.iter()).chain(ACCOUNTS.iter()).chain(ADDRESSES.iter()) {
                prop_assert!(!out.contains(value), "{value} left in {out:?}");
            }
            prop_assert!(!out.contains("Mia"), "{out:?}");
        }

        #[test]
        fn restore_undoes_redact(text in text_with_pii()) {
            let mut session = Redactor::for_member("Mia Member").unwrap_or_else(|_| unreachable!());
            let out = session.redact(&text);
            prop_assert_eq!(session.finish().restore(&out), text);
        }

        #[test]
        fn redaction_is_idempotent(text in text_with_pii()) {
            let once = redacted(&text);
            prop_assert_eq!(redacted(&once), once.clone());
            let mut named = Redactor::for_member("Mia Member").unwrap_or_else(|_| unreachable!());
            let once_named = named.redact(&text);
            let mut again = Redactor::for_member("Mia Member").unwrap_or_else(|_| unreachable!());
            prop_assert_eq!(again.redact(&once_named), once_named);
        }

        /// Arbitrary text mixed with PII: redaction never panics, and restore undoes it up to
        /// spelling (a value written two ways restores to its first spelling), so redacting the
        /// restored text gives the same result.
        #[test]
        fn arbitrary_text_round_trips(
            parts in prop::collection::vec(("[^\\[]{0,12}", prop::option::of(pii_value())), 0..8)
        ) {
            let text: String = parts.into_iter().map(|(a, v)| format!("{a}{}", v.unwrap_or_default())).collect();
            let mut session = Redactor::for_member("Mia Member").unwrap_or_else(|_| unreachable!());
            let out = session.redact(&text);
            let restored = session.finish().restore(&out);
            let mut first = Redactor::for_member("Mia Member").unwrap_or_else(|_| unreachable!());
            let mut second = Redactor::for_member("Mia Member").unwrap_or_else(|_| unreachable!());
            prop_assert_eq!(first.redact(&restored), second.redact(&text));
        }

        #[test]
        fn no_luhn_card_survives_in_digit_soup(text in "[0-9 +()./#-]{0,80}") {
            let out = redacted(&text);
            prop_assert!(!luhn_cards_left(&out), "{text:?} -> {out:?}");
        }
    }
}
