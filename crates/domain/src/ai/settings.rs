//! A client's AI settings (`PUT /api/settings/support-ai`, admins; `GET` for staff): whether
//! the AI features are on, the default tone of drafts, free style instructions and the
//! organisation's terminology.

use crate::ai::draft::Tone;
use crate::ai::prompts::DraftStyle;
use crate::ai::terminology::{TermRule, Terminology};
use crate::validation::FieldErrors;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AiSettings {
    /// Off: summaries and drafts come from the built-in summariser and drafter only.
    pub enabled: bool,
    pub default_tone: Tone,
    pub style_instructions: String,
    pub terminology: Terminology,
}

impl Default for AiSettings {
    fn default() -> Self {
        AiSettings {
            enabled: true,
            default_tone: Tone::Professional,
            style_instructions: String::new(),
            terminology: Terminology::default(),
        }
    }
}

impl AiSettings {
    pub const STYLE_MAX_CHARS: usize = 2_000;

    /// What a draft prompt takes from the settings.
    pub fn draft_style(&self, organisation: Option<&str>) -> DraftStyle {
        DraftStyle {
            instructions: self.style_instructions.clone(),
            terminology: self.terminology.clone(),
            organisation: organisation.map(str::to_owned),
        }
    }
}

/// The body of `PUT /api/settings/support-ai`. A field left out keeps its default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AiSettingsInput {
    pub enabled: Option<bool>,
    pub default_tone: Option<String>,
    pub style_instructions: Option<String>,
    pub terminology: Option<Vec<TermRule>>,
}

impl AiSettingsInput {
    /// Checks every field, reporting all problems together.
    pub fn validate(self) -> Result<AiSettings, FieldErrors> {
        let defaults = AiSettings::default();
        let mut errors = FieldErrors::new();
        let default_tone = match self.default_tone.as_deref() {
            Some(tone) => errors.check("defaultTone", Tone::parse(tone)),
            None => Some(defaults.default_tone),
        };
        let style_instructions = match self.style_instructions.as_deref().map(str::trim) {
            None | Some("") => Some(String::new()),
            Some(text) => {
                errors.check("styleInstructions", crate::validation::text_block(text, AiSettings::STYLE_MAX_CHARS))
            }
        };
        let terminology = match self.terminology {
            None => Some(defaults.terminology),
            Some(rules) => match Terminology::new(rules) {
                Ok(t) => Some(t),
                Err(term_errors) => {
                    for (field, message) in term_errors.iter() {
                        errors.add(field, message.clone());
                    }
                    None
                }
            },
        };
        match (default_tone, style_instructions, terminology) {
            (Some(default_tone), Some(style_instructions), Some(terminology)) if errors.is_empty() => Ok(AiSettings {
                enabled: self.enabled.unwrap_or(defaults.enabled),
                default_tone,
                style_instructions,
                terminology,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_round_trip() {
        let settings = AiSettingsInput::default().validate().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(settings, AiSettings::default());
        let json = serde_json::to_value(&settings).unwrap_or_default();
        assert_eq!(json["defaultTone"], "professional");
        assert_eq!(json["terminology"][0]["preferred"], "member");
        let back: AiSettings = serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, settings);
    }

    #[test]
    fn every_problem_is_reported() {
        let input = AiSettingsInput {
            enabled: Some(false),
            default_tone: Some("casual".into()),
            style_instructions: Some("x".repeat(2_001)),
            terminology: Some(vec![TermRule { preferred: "member".into(), avoid: vec![] }]),
        };
        let errors = input.validate().err().unwrap_or_default();
        assert!(errors.get("defaultTone").unwrap_or_default().contains("formal"));
        assert_eq!(errors.get("styleInstructions"), Some("must be at most 2000 characters"));
        assert_eq!(errors.get("terminology[0].avoid"), Some("must list at least one term"));
    }

    #[test]
    fn a_valid_input() {
        let input: AiSettingsInput = serde_json::from_value(serde_json::json!({
            "enabled": false, "defaultTone": "friendly", "styleInstructions": "  British spelling. ",
            "terminology": [{"preferred": "member", "avoid": ["customer", "client"]}]
        }))
        .unwrap_or_default();
        let s = input.validate().unwrap_or_else(|e| panic!("{e}"));
        assert!(!s.enabled);
        assert_eq!(s.default_tone, Tone::Friendly);
        assert_eq!(s.style_instructions, "British spelling.");
        assert_eq!(s.terminology.rules().len(), 1);
        assert_eq!(s.draft_style(Some("Harbour")).organisation.as_deref(), Some("Harbour"));
    }
}
