//! The chat-completions client both adapters share: configuration, one request with
//! `response_format: json_object` and no backoff, one retry with the validation errors, and
//! async-openai's errors mapped to [`AiFailure`].

use async_openai::Client;
use async_openai::config::OpenAIConfig;
use async_openai::error::OpenAIError;
use async_openai::types::{
    ChatCompletionRequestAssistantMessageArgs, ChatCompletionRequestMessage, ChatCompletionRequestSystemMessageArgs,
    ChatCompletionRequestUserMessageArgs, CreateChatCompletionRequestArgs, ResponseFormat,
};
use memberdesk_domain::ai::{AiAnswerError, ChatMessage, ChatRole, PromptBudget, retry_messages};
use memberdesk_domain::ai_ports::AiFailure;
use std::time::Duration;

/// Where the service is and how long to wait for it.
#[derive(Clone)]
pub struct AiConfig {
    /// e.g. `https://api.openai.com/v1`, `http://localhost:11434/v1` (Ollama).
    pub base_url: String,
    /// Empty for services without keys.
    pub api_key: String,
    pub model: String,
    /// For one request, answer included.
    pub timeout: Duration,
}

impl std::fmt::Debug for AiConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AiConfig")
            .field("base_url", &self.base_url)
            .field("api_key", &if self.api_key.is_empty() { "" } else { "***" })
            .field("model", &self.model)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// One OpenAI-compatible chat-completions service: the request, the one retry on an invalid
/// answer, and the mapping of failures, shared by the summariser and the drafter.
#[derive(Clone)]
pub(crate) struct ChatService {
    client: Client<OpenAIConfig>,
    model: String,
    pub(crate) budget: PromptBudget,
}

impl ChatService {
    pub(crate) fn new(config: &AiConfig) -> Result<ChatService, String> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|e| format!("the AI service's HTTP client could not be built: {e}"))?;
        let openai =
            OpenAIConfig::new().with_api_base(config.base_url.trim_end_matches('/')).with_api_key(&config.api_key);
        let no_retries = backoff::ExponentialBackoffBuilder::new().with_max_elapsed_time(Some(Duration::ZERO)).build();
        let client = Client::with_config(openai).with_http_client(http).with_backoff(no_retries);
        Ok(ChatService { client, model: config.model.clone(), budget: PromptBudget::default() })
    }

    /// One chat completion: the answer's text.
    async fn complete(&self, messages: &[ChatMessage]) -> Result<String, AiFailure> {
        let messages = messages.iter().map(to_openai).collect::<Result<Vec<_>, _>>().map_err(failure)?;
        let request = CreateChatCompletionRequestArgs::default()
            .model(&self.model)
            .messages(messages)
            .response_format(ResponseFormat::JsonObject)
            .temperature(0.2)
            .build()
            .map_err(failure)?;
        let response = self.client.chat().create(request).await.map_err(failure)?;
        response
            .choices
            .into_iter()
            .next()
            .and_then(|choice| choice.message.content)
            .ok_or_else(|| AiFailure::InvalidAnswer("the answer has no content".into()))
    }

    /// Asks, validates, and asks once more with the validation errors if the answer was invalid.
    pub(crate) async fn ask<T>(
        &self,
        messages: Vec<ChatMessage>,
        parse: impl Fn(&str) -> Result<T, AiAnswerError>,
    ) -> Result<T, AiFailure> {
        let answer = self.complete(&messages).await?;
        let error = match parse(&answer) {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        tracing::warn!(%error, "the AI service's answer was invalid; asking once more");
        let retry = retry_messages(&messages, &answer, &error);
        let answer = self.complete(&retry).await?;
        parse(&answer).map_err(|e| AiFailure::InvalidAnswer(e.to_string()))
    }
}

fn to_openai(message: &ChatMessage) -> Result<ChatCompletionRequestMessage, OpenAIError> {
    let content = message.content.clone();
    Ok(match message.role {
        ChatRole::System => ChatCompletionRequestSystemMessageArgs::default().content(content).build()?.into(),
        ChatRole::User => ChatCompletionRequestUserMessageArgs::default().content(content).build()?.into(),
        ChatRole::Assistant => ChatCompletionRequestAssistantMessageArgs::default().content(content).build()?.into(),
    })
}

/// What went wrong, as the domain names it.
fn failure(error: OpenAIError) -> AiFailure {
    match error {
        OpenAIError::Reqwest(e) if e.is_timeout() => AiFailure::Timeout,
        OpenAIError::ApiError(api) => {
            let rate_limited = [api.r#type.as_deref(), api.code.as_deref()]
                .into_iter()
                .flatten()
                .any(|t| t.contains("rate_limit") || t.contains("insufficient_quota"));
            if rate_limited {
                AiFailure::RateLimited { retry_after_seconds: None }
            } else {
                AiFailure::Unavailable(api.message.chars().take(300).collect())
            }
        }
        OpenAIError::JSONDeserialize(e) => AiFailure::InvalidAnswer(format!("not a chat completion: {e}")),
        other => AiFailure::Unavailable(other.to_string()),
    }
}
