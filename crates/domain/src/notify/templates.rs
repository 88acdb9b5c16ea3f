//! The notification templates: each message is a list of blocks with `{{placeholders}}`,
//! rendered once as plain text and once as HTML (values escaped there, so a subject such as
//! `<script>` reaches the reader as text).
//!
//! Placeholders are replaced in one pass: a value is inserted literally and never expanded
//! again (a member called `{{client.name}}` stays so). An unknown placeholder is left as it is.

use std::collections::BTreeMap;

/// One block of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// A paragraph.
    Para(&'static str),
    /// Quoted text (a subject, a reply), kept with its line breaks.
    Quote(&'static str),
}

/// A message's body: its blocks and the footer line under them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    pub blocks: &'static [Block],
    pub footer: &'static str,
}

/// The values of a message's placeholders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vars(BTreeMap<&'static str, String>);

impl Vars {
    pub fn new() -> Vars {
        Vars::default()
    }
    pub fn set(&mut self, name: &'static str, value: impl Into<String>) -> &mut Vars {
        self.0.insert(name, value.into());
        self
    }
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

/// Replaces each `{{name}}` (spaces inside the braces allowed) by `escape(value)`.
fn substitute(template: &str, vars: &Vars, escape: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let name = after[..end].trim();
                match vars.get(name) {
                    Some(value) => out.push_str(&escape(value)),
                    None => out.push_str(&rest[start..start + 2 + end + 2]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl Template {
    /// The plain-text body: paragraphs separated by blank lines, quotes indented with `> `.
    pub fn text(&self, vars: &Vars) -> String {
        let plain = |value: &str| value.to_owned();
        let mut parts: Vec<String> = Vec::new();
        for block in self.blocks {
            match block {
                Block::Para(text) => {
                    let rendered = substitute(text, vars, &plain);
                    if !rendered.trim().is_empty() {
                        parts.push(rendered);
                    }
                }
                Block::Quote(text) => {
                    let rendered = substitute(text, vars, &plain);
                    parts.push(rendered.lines().map(|line| format!("> {line}")).collect::<Vec<_>>().join("\n"));
                }
            }
        }
        parts.push(format!("-- \n{}", substitute(self.footer, vars, &plain)));
        parts.join("\n\n") + "\n"
    }

    /// The HTML body: the same blocks, every value escaped, line breaks kept in quotes.
    pub fn html(&self, vars: &Vars) -> String {
        let mut body = String::new();
        for block in self.blocks {
            match block {
                Block::Para(text) => {
                    let rendered = substitute(text, vars, &escape_html);
                    if !rendered.trim().is_empty() {
                        body.push_str(&format!("<p>{rendered}</p>\n"));
                    }
                }
                Block::Quote(text) => {
                    let rendered = substitute(text, vars, &|v: &str| escape_html(v).replace('\n', "<br>\n"));
                    body.push_str(&format!(
                        "<blockquote style=\"margin:0 0 1em 0;padding:0.5em 1em;border-left:3px solid #ccc;\">{rendered}</blockquote>\n"
                    ));
                }
            }
        }
        let footer = substitute(self.footer, vars, &escape_html);
        format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\n<body style=\"font-family:sans-serif;line-height:1.4;\">\n{body}<hr>\n<p style=\"color:#666;font-size:smaller;\">{footer}</p>\n</body></html>\n"
        )
    }
}

const MEMBER_FOOTER: &str = "{{client.name}} member support";
const STAFF_FOOTER: &str = "memberdesk, the member-support desk of {{client.name}}";

/// How a member answers: never by replying to the email (inbound email is not read).
const HOW_TO_ANSWER: Block = Block::Para(
    "How to answer: please do not reply to this email; replies to it are not read. To answer us or add \
     information, log in to the member portal{{portal.suffix}} and open your request {{ticket.reference}}.",
);

/// To the member: their ticket was received.
pub const TICKET_CREATED: Template = Template {
    blocks: &[
        Block::Para("Hello {{member.name}},"),
        Block::Para(
            "Thank you for contacting {{client.name}}. We have received your request; its number is \
             {{ticket.reference}}:",
        ),
        Block::Quote("{{ticket.subject}}"),
        Block::Para("Our support team will get back to you as soon as possible."),
        HOW_TO_ANSWER,
    ],
    footer: MEMBER_FOOTER,
};

/// To the member: staff replied publicly.
pub const STAFF_REPLIED: Template = Template {
    blocks: &[
        Block::Para("Hello {{member.name}},"),
        Block::Para("{{author.name}} of {{client.name}} replied to your request {{ticket.reference}}:"),
        Block::Quote("{{reply.body}}"),
        Block::Para("{{reply.attachments}}"),
        HOW_TO_ANSWER,
    ],
    footer: MEMBER_FOOTER,
};

/// To the member: the status of their ticket changed.
pub const STATUS_CHANGED: Template = Template {
    blocks: &[
        Block::Para("Hello {{member.name}},"),
        Block::Para("The status of your request {{ticket.reference}} is now: {{ticket.status}}."),
        Block::Quote("{{ticket.subject}}"),
        Block::Para("{{status.explanation}}"),
        Block::Para("{{status.how_to_answer}}"),
    ],
    footer: MEMBER_FOOTER,
};

/// To an agent: a ticket was assigned to them.
pub const ASSIGNED: Template = Template {
    blocks: &[
        Block::Para("Hello {{agent.name}},"),
        Block::Para("{{actor.name}} assigned ticket {{ticket.reference}} to you:"),
        Block::Quote("{{ticket.subject}}"),
        Block::Para(
            "Member: {{member.name}} ({{member.email}}). Priority: {{ticket.priority}}. Status: {{ticket.status}}.",
        ),
        Block::Para("Open the ticket in memberdesk{{portal.suffix}} to work on it."),
    ],
    footer: STAFF_FOOTER,
};

/// To the assignee and the client's admins: an SLA target is at risk or breached.
pub const SLA_ALERT: Template = Template {
    blocks: &[
        Block::Para("Hello,"),
        Block::Para("{{sla.headline}}"),
        Block::Quote("{{ticket.subject}}"),
        Block::Para(
            "Member: {{member.name}} ({{member.email}}). Priority: {{ticket.priority}}. Status: {{ticket.status}}. \
             Assignee: {{ticket.assignee}}.",
        ),
        Block::Para("Open the ticket in memberdesk{{portal.suffix}} to act on it."),
    ],
    footer: STAFF_FOOTER,
};

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars {
        let mut vars = Vars::new();
        vars.set("member.name", "Mia <b>Member</b>")
            .set("client.name", "Harbour & City")
            .set("ticket.reference", "#7")
            .set("ticket.subject", "Locker key\n\"lost\"")
            .set("portal.suffix", "");
        vars
    }

    #[test]
    fn html_escapes_every_value_and_text_keeps_it_as_written() {
        let html = TICKET_CREATED.html(&vars());
        assert!(html.contains("Hello Mia &lt;b&gt;Member&lt;/b&gt;,"), "{html}");
        assert!(html.contains("Harbour &amp; City"));
        assert!(html.contains("Locker key<br>\n&quot;lost&quot;"));
        assert!(!html.contains("<b>Member"));
        let text = TICKET_CREATED.text(&vars());
        assert!(text.starts_with("Hello Mia <b>Member</b>,\n\n"), "{text}");
        assert!(text.contains("> Locker key\n> \"lost\""));
        assert!(text.contains("log in to the member portal and open your request #7"));
        assert!(text.ends_with("-- \nHarbour & City member support\n"));
    }

    #[test]
    fn values_are_inserted_once_and_unknown_placeholders_stay() {
        let mut vars = Vars::new();
        vars.set("a", "{{b}}").set("b", "no");
        assert_eq!(substitute("x {{ a }} {{c}} {{", &vars, &|v| v.to_owned()), "x {{b}} {{c}} {{");
    }

    #[test]
    fn empty_paragraphs_are_left_out() {
        let mut vars = vars();
        vars.set("reply.attachments", "").set("reply.body", "Hi").set("author.name", "Uma");
        let text = STAFF_REPLIED.text(&vars);
        assert!(!text.contains("\n\n\n"), "{text:?}");
        assert!(!STAFF_REPLIED.html(&vars).contains("<p></p>"));
    }
}
