//! Identifiers. Tickets, responses, events, categories, attachments and articles are UUID v7 (time-ordered, so
//! primary-key indexes stay append-mostly); clients and users come from the association
//! platform's tokens and are opaque strings.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// A ticket's id.
    TicketId
);
uuid_id!(
    /// A reply's or internal note's id.
    ResponseId
);
uuid_id!(
    /// A history event's id.
    EventId
);
uuid_id!(
    /// A ticket category's id.
    CategoryId
);
uuid_id!(
    /// A file attached to a reply or note.
    AttachmentId
);
uuid_id!(
    /// A canned response's (response template's) id.
    CannedResponseId
);
uuid_id!(
    /// A knowledge-base article's id.
    ArticleId
);
uuid_id!(
    /// A generated draft reply's id (the usage log's; a reply posted from it names it).
    DraftId
);

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_id!(
    /// The association (tenant) that owns a desk. Always taken from the caller's token.
    ClientId
);
string_id!(
    /// A staff user or member, as the association platform names them (`sub` claim).
    UserId
);
