//! Response templates: the placeholders a canned response may use, checking a body when it is
//! saved, and filling it in for one ticket (pure functions, no I/O).
//!
//! A placeholder is `{{name}}`, spaces inside the braces allowed (`{{ member.name }}`). Every
//! `{{` starts a placeholder: a `{{` without its `}}`, or a name that is not one of
//! [`Placeholder::ALL`], makes the body invalid (the error names it). A lone `}}` or single
//! braces are plain text. Rendering inserts values literally, in one pass, so a value that
//! happens to contain braces is never expanded again.

use crate::access::Actor;
use crate::ticket::{Status, Ticket};
use std::fmt;

/// Everything a template may refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Placeholder {
    MemberName,
    MemberFirstName,
    MemberEmail,
    TicketNumber,
    TicketReference,
    TicketSubject,
    TicketStatus,
    AgentName,
    AgentFirstName,
    ClientName,
}

impl Placeholder {
    pub const ALL: [Placeholder; 10] = [
        Placeholder::MemberName,
        Placeholder::MemberFirstName,
        Placeholder::MemberEmail,
        Placeholder::TicketNumber,
        Placeholder::TicketReference,
        Placeholder::TicketSubject,
        Placeholder::TicketStatus,
        Placeholder::AgentName,
        Placeholder::AgentFirstName,
        Placeholder::ClientName,
    ];

    /// The name written between the braces.
    pub fn name(self) -> &'static str {
        match self {
            Placeholder::MemberName => "member.name",
            Placeholder::MemberFirstName => "member.firstName",
            Placeholder::MemberEmail => "member.email",
            Placeholder::TicketNumber => "ticket.number",
            Placeholder::TicketReference => "ticket.reference",
            Placeholder::TicketSubject => "ticket.subject",
            Placeholder::TicketStatus => "ticket.status",
            Placeholder::AgentName => "agent.name",
            Placeholder::AgentFirstName => "agent.firstName",
            Placeholder::ClientName => "client.name",
        }
    }

    /// Names are case-sensitive, as written in [`Placeholder::name`].
    pub fn parse(name: &str) -> Option<Placeholder> {
        Placeholder::ALL.into_iter().find(|p| p.name() == name)
    }
}

impl fmt::Display for Placeholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{{{}}}}}", self.name())
    }
}

/// Why a body is not a valid template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// Names that are not placeholders, as written between the braces (trimmed), in order of
    /// appearance, each once.
    Unknown(Vec<String>),
    /// A `{{` with no `}}` after it; `at` is its position in characters, from 1.
    Unclosed { at: usize },
}

/// Names longer than this are shortened in messages.
const SHOWN_NAME_CHARS: usize = 40;

fn shown(name: &str) -> String {
    if name.chars().count() > SHOWN_NAME_CHARS {
        format!("{{{{{}…}}}}", name.chars().take(SHOWN_NAME_CHARS).collect::<String>())
    } else {
        format!("{{{{{name}}}}}")
    }
}

/// The placeholders a body may use, for messages: `{{member.name}}, {{member.firstName}}, …`.
pub fn known_placeholders() -> String {
    Placeholder::ALL.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemplateError::Unknown(names) => {
                let listed: Vec<String> = names.iter().map(|n| format!("`{}`", shown(n))).collect();
                let noun = if names.len() == 1 { "placeholder" } else { "placeholders" };
                write!(f, "unknown {noun} {}; known placeholders are: {}", listed.join(", "), known_placeholders())
            }
            TemplateError::Unclosed { at } => {
                write!(f, "the `{{{{` at character {at} is not closed with `}}}}`")
            }
        }
    }
}

impl std::error::Error for TemplateError {}

/// A piece of a parsed body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    Placeholder(Placeholder),
}

/// Splits a body into text and placeholders. Every unknown name is reported together; an
/// unclosed `{{` stops the parse.
pub fn parse(body: &str) -> Result<Vec<Segment<'_>>, TemplateError> {
    let mut segments = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    let mut rest = body;
    let mut offset = 0; // bytes of `body` before `rest`
    while let Some(open) = rest.find("{{") {
        if open > 0 {
            segments.push(Segment::Text(&rest[..open]));
        }
        let inner_start = open + 2;
        let Some(close) = rest[inner_start..].find("}}") else {
            let at = body[..offset + open].chars().count() + 1;
            return Err(TemplateError::Unclosed { at });
        };
        let name = rest[inner_start..inner_start + close].trim();
        match Placeholder::parse(name) {
            Some(placeholder) => segments.push(Segment::Placeholder(placeholder)),
            None => {
                if !unknown.iter().any(|n| n == name) {
                    unknown.push(name.to_owned());
                }
            }
        }
        let consumed = inner_start + close + 2;
        offset += consumed;
        rest = &rest[consumed..];
    }
    if !rest.is_empty() {
        segments.push(Segment::Text(rest));
    }
    if unknown.is_empty() { Ok(segments) } else { Err(TemplateError::Unknown(unknown)) }
}

/// Checks a body when it is saved.
pub fn validate(body: &str) -> Result<(), TemplateError> {
    parse(body).map(|_| ())
}

/// The values of one rendering: a ticket, the agent who will send the reply, and the client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateValues {
    pub member_name: String,
    pub member_email: String,
    pub ticket_number: i64,
    pub ticket_subject: String,
    pub ticket_status: String,
    pub agent_name: String,
    pub client_name: String,
}

/// The first word of a name, as people greet (`"Mia"` of `"Mia Member"`).
pub fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or("")
}

/// A status as a member reads it: `in progress`, `waiting`, …
pub fn status_label(status: Status) -> String {
    status.as_str().replace('_', " ")
}

impl TemplateValues {
    pub fn new(ticket: &Ticket, agent: &Actor, client_name: &str) -> TemplateValues {
        TemplateValues {
            member_name: ticket.member.name.clone(),
            member_email: ticket.member.email.clone(),
            ticket_number: ticket.number,
            ticket_subject: ticket.subject.as_str().to_owned(),
            ticket_status: status_label(ticket.status),
            agent_name: agent.name.clone(),
            client_name: client_name.to_owned(),
        }
    }

    pub fn value(&self, placeholder: Placeholder) -> String {
        match placeholder {
            Placeholder::MemberName => self.member_name.clone(),
            Placeholder::MemberFirstName => first_name(&self.member_name).to_owned(),
            Placeholder::MemberEmail => self.member_email.clone(),
            Placeholder::TicketNumber => self.ticket_number.to_string(),
            Placeholder::TicketReference => format!("#{}", self.ticket_number),
            Placeholder::TicketSubject => self.ticket_subject.clone(),
            Placeholder::TicketStatus => self.ticket_status.clone(),
            Placeholder::AgentName => self.agent_name.clone(),
            Placeholder::AgentFirstName => first_name(&self.agent_name).to_owned(),
            Placeholder::ClientName => self.client_name.clone(),
        }
    }
}

/// Fills every placeholder of `body` in. Fails only on a body [`validate`] refuses.
pub fn render(body: &str, values: &TemplateValues) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(body.len() + 64);
    for segment in parse(body)? {
        match segment {
            Segment::Text(text) => out.push_str(text),
            Segment::Placeholder(placeholder) => out.push_str(&values.value(placeholder)),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn values() -> TemplateValues {
        TemplateValues {
            member_name: "Mia Member".into(),
            member_email: "mia@members.example".into(),
            ticket_number: 1042,
            ticket_subject: "Cannot log in".into(),
            ticket_status: status_label(Status::InProgress),
            agent_name: "Uma User".into(),
            client_name: "Harbour City Rowing".into(),
        }
    }

    #[test]
    fn every_placeholder_is_filled() {
        let body = "{{member.name}}|{{member.firstName}}|{{member.email}}|{{ticket.number}}|{{ticket.reference}}|\
                    {{ticket.subject}}|{{ticket.status}}|{{agent.name}}|{{agent.firstName}}|{{client.name}}";
        assert_eq!(
            render(body, &values()),
            Ok("Mia Member|Mia|mia@members.example|1042|#1042|Cannot log in|in progress|Uma User|Uma|Harbour City Rowing"
                .to_owned())
        );
    }

    #[test]
    fn spaces_inside_the_braces_are_allowed() {
        assert_eq!(render("Hi {{ member.firstName }},", &values()), Ok("Hi Mia,".to_owned()));
    }

    #[test]
    fn unknown_placeholders_are_named() {
        let error = validate("Hi {{member.nmae}} and {{ agent.title }} and {{member.nmae}}").err();
        assert_eq!(error, Some(TemplateError::Unknown(vec!["member.nmae".into(), "agent.title".into()])));
        let message = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.starts_with("unknown placeholders `{{member.nmae}}`, `{{agent.title}}`;"), "{message}");
        assert!(message.contains("{{member.firstName}}"), "{message}");
        let single = validate("{{Member.Name}}").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(single.starts_with("unknown placeholder `{{Member.Name}}`;"), "names are case-sensitive: {single}");
        assert_eq!(validate("{{}}"), Err(TemplateError::Unknown(vec![String::new()])));
    }

    #[test]
    fn an_unclosed_brace_is_malformed() {
        assert_eq!(validate("Hello {{member.name"), Err(TemplateError::Unclosed { at: 7 }));
        assert_eq!(validate("é {{"), Err(TemplateError::Unclosed { at: 3 }), "counted in characters");
        let message = TemplateError::Unclosed { at: 7 }.to_string();
        assert_eq!(message, "the `{{` at character 7 is not closed with `}}`");
    }

    #[test]
    fn single_braces_and_lone_closers_are_text() {
        for text in ["a { b } c", "}} alone", "{ {member.name} }", "x}}y{"] {
            assert_eq!(render(text, &values()).as_deref(), Ok(text));
        }
    }

    #[test]
    fn long_unknown_names_are_shortened_in_messages() {
        let name = "x".repeat(100);
        let message = validate(&format!("{{{{{name}}}}}")).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains(&format!("{{{{{}…}}}}", "x".repeat(40))), "{message}");
        assert!(!message.contains(&"x".repeat(41)));
    }

    #[test]
    fn values_are_inserted_literally() {
        let mut v = values();
        v.member_name = "{{agent.name}}".into();
        assert_eq!(render("{{member.name}}", &v), Ok("{{agent.name}}".to_owned()));
    }

    #[test]
    fn first_names() {
        assert_eq!(first_name("  Mei Lin Chen"), "Mei");
        assert_eq!(first_name(""), "");
    }

    fn text_without_braces() -> impl Strategy<Value = String> {
        "[^{}]{0,20}"
    }

    fn any_placeholder() -> impl Strategy<Value = Placeholder> {
        prop::sample::select(Placeholder::ALL.to_vec())
    }

    fn any_values() -> impl Strategy<Value = TemplateValues> {
        (
            text_without_braces(),
            text_without_braces(),
            any::<i64>(),
            text_without_braces(),
            text_without_braces(),
            text_without_braces(),
        )
            .prop_map(|(member_name, member_email, ticket_number, ticket_subject, agent_name, client_name)| {
                TemplateValues {
                    member_name,
                    member_email,
                    ticket_number,
                    ticket_subject,
                    ticket_status: "open".into(),
                    agent_name,
                    client_name,
                }
            })
    }

    /// A template made of brace-free text and known placeholders (with optional inner spaces).
    fn any_template() -> impl Strategy<Value = String> {
        prop::collection::vec((text_without_braces(), any_placeholder(), " {0,2}", " {0,2}"), 0..6).prop_map(|parts| {
            parts.into_iter().map(|(text, p, l, r)| format!("{text}{{{{{l}{}{r}}}}}", p.name())).collect::<String>()
        })
    }

    proptest! {
        /// Text with no `{{` is not a template: it renders to itself.
        #[test]
        fn text_without_placeholders_renders_to_itself(text in any::<String>().prop_filter("no {{", |t| !t.contains("{{")), v in any_values()) {
            prop_assert_eq!(render(&text, &v), Ok(text));
        }

        /// Every template of known placeholders is valid, and rendering it leaves none behind.
        #[test]
        fn rendering_never_leaves_a_known_placeholder(template in any_template(), v in any_values()) {
            prop_assert!(validate(&template).is_ok());
            let rendered = render(&template, &v);
            prop_assert!(rendered.is_ok());
            let rendered = rendered.unwrap_or_default();
            for p in Placeholder::ALL {
                prop_assert!(!rendered.contains(&p.to_string()), "{} left in {:?}", p, rendered);
            }
            let reparsed = parse(&rendered);
            prop_assert!(reparsed.is_ok());
            prop_assert!(reparsed.unwrap_or_default().iter().all(|s| matches!(s, Segment::Text(_))));
        }

        /// An unknown name anywhere in a valid template makes it invalid, and is named.
        #[test]
        fn an_unknown_name_is_always_reported(template in any_template(), name in "[a-z]{1,8}\\.[a-z]{1,8}", cut in 0usize..200) {
            prop_assume!(Placeholder::parse(&name).is_none());
            // Insert at a segment boundary: right after a `}}` or at the start.
            let boundaries: Vec<usize> = std::iter::once(0).chain(template.match_indices("}}").map(|(i, _)| i + 2)).collect();
            let at = boundaries[cut % boundaries.len()];
            let broken = format!("{}{{{{{name}}}}}{}", &template[..at], &template[at..]);
            prop_assert_eq!(validate(&broken), Err(TemplateError::Unknown(vec![name])));
        }
    }
}
