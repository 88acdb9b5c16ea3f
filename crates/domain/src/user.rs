//! The directory of users a client's desk has seen, kept up to date from token claims.

use crate::access::Role;
use crate::ids::{ClientId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryUser {
    pub id: UserId,
    pub client_id: ClientId,
    pub name: String,
    pub email: String,
    pub roles: Vec<Role>,
    pub last_seen_at: DateTime<Utc>,
}

impl DirectoryUser {
    pub fn is_staff(&self) -> bool {
        self.roles.iter().any(|r| matches!(r, Role::ClientAdmin | Role::ClientUser))
    }
}
