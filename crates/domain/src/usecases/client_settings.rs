//! The client's own settings on the desk: for now its display name (`{{client.name}}`).

use super::Desk;
use crate::access::{self, Action, Actor};
use crate::client::{ClientName, ClientProfile};
use crate::error::DeskError;
use crate::validation::FieldErrors;

impl Desk {
    /// The caller's client as the desk knows it (staff).
    pub async fn client_profile(&self, actor: &Actor) -> Result<ClientProfile, DeskError> {
        access::authorize(actor, Action::ViewClientSettings)?;
        Ok(self.clients.get_client_profile(&actor.client_id).await?)
    }

    /// Names the caller's client (admins).
    pub async fn set_client_name(&self, actor: &Actor, name: &str) -> Result<ClientProfile, DeskError> {
        access::authorize(actor, Action::ManageClientSettings)?;
        let name = ClientName::new(name).map_err(|e| FieldErrors::single("name", e))?;
        let now = self.clock.now();
        self.clients.set_client_name(&actor.client_id, &name, now).await?;
        Ok(ClientProfile { client_id: actor.client_id.clone(), name: Some(name), updated_at: Some(now) })
    }
}
