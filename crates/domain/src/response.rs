//! Replies (public, sent to the member) and internal notes (staff only).

use crate::access::Role;
use crate::attachment::Attachment;
use crate::ids::{ResponseId, TicketId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseKind {
    /// Public: the member reads it.
    Reply,
    /// Internal: never shown to members, in any list, count or history entry.
    Note,
}

impl ResponseKind {
    pub const ALL: [ResponseKind; 2] = [ResponseKind::Reply, ResponseKind::Note];

    pub fn as_str(self) -> &'static str {
        match self {
            ResponseKind::Reply => "reply",
            ResponseKind::Note => "note",
        }
    }

    pub fn parse(value: &str) -> Result<ResponseKind, String> {
        ResponseKind::ALL
            .into_iter()
            .find(|k| k.as_str() == value)
            .ok_or_else(|| crate::ticket::allowed_values_message(value, ResponseKind::ALL.map(ResponseKind::as_str)))
    }

    pub fn is_public(self) -> bool {
        self == ResponseKind::Reply
    }
}

/// Who wrote a response, frozen at the time of writing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub id: UserId,
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub id: ResponseId,
    pub ticket_id: TicketId,
    pub kind: ResponseKind,
    pub author: Author,
    pub body: String,
    pub created_at: DateTime<Utc>,
    /// Files attached to it, in upload order. Written in the same transaction as the response.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

impl Response {
    pub fn by_staff(&self) -> bool {
        self.author.role != Role::Member
    }
}
