//! The client (association) as the desk knows it: for now only its display name, used by the
//! `{{client.name}}` placeholder. Clients exist implicitly (their id comes from tokens); a
//! client whose admins never set a name is shown by its id.

use crate::ids::ClientId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A client's display name: one line, 1–120 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClientName(String);

impl ClientName {
    pub const MAX_CHARS: usize = 120;

    pub fn new(value: &str) -> Result<ClientName, String> {
        crate::validation::single_line(value, Self::MAX_CHARS).map(ClientName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The desk's settings of one client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientProfile {
    pub client_id: ClientId,
    /// `None` until an admin names the client.
    pub name: Option<ClientName>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl ClientProfile {
    /// What `{{client.name}}` shows: the name, or the client's id when none was set.
    pub fn display_name(&self) -> &str {
        self.name.as_ref().map_or(self.client_id.as_str(), ClientName::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_display_name_falls_back_to_the_id() {
        let mut profile = ClientProfile { client_id: ClientId::new("harbour"), name: None, updated_at: None };
        assert_eq!(profile.display_name(), "harbour");
        profile.name = ClientName::new(" Harbour City Rowing ").ok();
        assert_eq!(profile.display_name(), "Harbour City Rowing");
        assert!(ClientName::new("").is_err());
        assert!(ClientName::new(&"n".repeat(121)).is_err());
    }
}
