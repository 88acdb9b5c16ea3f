//! The user directory: kept current from token claims, read for the assignee picker.

use super::Desk;
use crate::access::{self, Action, Actor};
use crate::error::DeskError;
use crate::user::DirectoryUser;

impl Desk {
    /// Records the caller as the token describes them (name, email, roles, last seen).
    pub async fn sync_user(&self, actor: &Actor) -> Result<(), DeskError> {
        let user = DirectoryUser {
            id: actor.user_id.clone(),
            client_id: actor.client_id.clone(),
            name: actor.name.clone(),
            email: actor.email.clone(),
            roles: actor.roles().to_vec(),
            last_seen_at: self.clock.now(),
        };
        Ok(self.users.upsert_user(&user).await?)
    }

    /// The client's support staff, for the assignee picker (staff only).
    pub async fn list_agents(&self, actor: &Actor) -> Result<Vec<DirectoryUser>, DeskError> {
        access::authorize(actor, Action::ListAgents)?;
        Ok(self.users.list_staff(&actor.client_id).await?)
    }
}
