//! The client's AI settings (`/api/settings/support-ai`: staff read them, admins change them)
//! and the draft usage report (admins). The settings also decide, per client, who writes
//! summaries and drafts: with `enabled: false` the built-in summariser and drafter answer even
//! when an AI service is configured.

use super::Desk;
use crate::access::{self, Action, Actor};
use crate::ai::{AiSettings, AiSettingsInput, UsageReport, usage_report};
use crate::ai_ports::{BuiltinDrafter, BuiltinSummarizer, Drafter, Summarizer};
use crate::error::DeskError;
use crate::ids::ClientId;
use crate::validation::FieldErrors;
use chrono::{DateTime, Utc};
use std::sync::Arc;

impl Desk {
    /// The client's AI settings (staff); the defaults until an admin saves some.
    pub async fn ai_settings(&self, actor: &Actor) -> Result<AiSettings, DeskError> {
        access::authorize(actor, Action::ViewClientSettings)?;
        self.ai_settings_of(&actor.client_id).await
    }

    /// Replaces the client's AI settings (admins). Every field is checked; a field left out
    /// takes its default.
    pub async fn set_ai_settings(&self, actor: &Actor, input: AiSettingsInput) -> Result<AiSettings, DeskError> {
        access::authorize(actor, Action::ManageClientSettings)?;
        let settings = input.validate().map_err(DeskError::Validation)?;
        self.ai.put_ai_settings(&actor.client_id, &settings).await?;
        Ok(settings)
    }

    /// Drafts generated and used per agent, with the use rate and the average edit ratio, for
    /// drafts generated in `[from, to)` (admins).
    pub async fn draft_usage(
        &self,
        actor: &Actor,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<UsageReport, DeskError> {
        access::authorize(actor, Action::ManageClientSettings)?;
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(DeskError::Validation(FieldErrors::single("to", "must not be before `from`")));
        }
        let rows = self.ai.draft_usage(&actor.client_id, from, to).await?;
        Ok(usage_report(&rows))
    }

    /// A client's settings, the defaults when none were saved.
    pub(crate) async fn ai_settings_of(&self, client: &ClientId) -> Result<AiSettings, DeskError> {
        Ok(self.ai.ai_settings(client).await?.unwrap_or_default())
    }

    /// Who summarises for a client: the configured summariser, or the built-in one when the
    /// client switched the AI features off.
    pub(crate) fn summarizer_for(&self, settings: &AiSettings) -> Arc<dyn Summarizer> {
        if settings.enabled { self.summarizer.clone() } else { Arc::new(BuiltinSummarizer) }
    }

    /// Who drafts for a client: the configured drafter, or the built-in one when the client
    /// switched the AI features off.
    pub(crate) fn drafter_for(&self, settings: &AiSettings) -> Arc<dyn Drafter> {
        if settings.enabled { self.drafter.clone() } else { Arc::new(BuiltinDrafter) }
    }
}

#[cfg(all(test, feature = "mocks"))]
mod tests {
    use super::*;
    use crate::access::Role;
    use crate::ai::Tone;
    use crate::ai_ports::MockAiStore;
    use crate::ids::UserId;
    use crate::usecases::{DeskPorts, mock_ports};
    use futures::executor::block_on;

    fn actor(role: Role) -> Actor {
        Actor::new(UserId::new("u"), ClientId::new("c"), "Uma User".into(), "u@example.org".into(), vec![role])
            .unwrap_or_else(|| unreachable!())
    }

    #[test]
    fn staff_read_the_defaults_admins_save_members_are_refused() {
        let mut store = MockAiStore::new();
        store.expect_ai_settings().returning(|_| Ok(None));
        store.expect_put_ai_settings().times(1).returning(|_, _| Ok(()));
        let desk = Desk::new(DeskPorts { ai: Arc::new(store), ..mock_ports() });
        let settings = block_on(desk.ai_settings(&actor(Role::ClientUser))).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(settings, AiSettings::default());
        assert!(matches!(block_on(desk.ai_settings(&actor(Role::Member))), Err(DeskError::Forbidden(_))));
        let input = AiSettingsInput { default_tone: Some("friendly".into()), ..AiSettingsInput::default() };
        assert!(matches!(
            block_on(desk.set_ai_settings(&actor(Role::ClientUser), input.clone())),
            Err(DeskError::Forbidden(_))
        ));
        let saved = block_on(desk.set_ai_settings(&actor(Role::ClientAdmin), input)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(saved.default_tone, Tone::Friendly);
        let bad = AiSettingsInput { default_tone: Some("casual".into()), ..AiSettingsInput::default() };
        let Err(DeskError::Validation(errors)) = block_on(desk.set_ai_settings(&actor(Role::ClientAdmin), bad)) else {
            panic!("a bad tone is a validation error")
        };
        assert!(errors.get("defaultTone").is_some());
    }

    #[test]
    fn usage_is_for_admins_and_the_period_must_be_ordered() {
        let desk = Desk::new(mock_ports());
        assert!(matches!(
            block_on(desk.draft_usage(&actor(Role::ClientUser), None, None)),
            Err(DeskError::Forbidden(_))
        ));
        let now = Utc::now();
        let later = now + chrono::Duration::days(1);
        assert!(matches!(
            block_on(desk.draft_usage(&actor(Role::ClientAdmin), Some(later), Some(now))),
            Err(DeskError::Validation(_))
        ));
    }
}
