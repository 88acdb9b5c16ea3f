//! The AI adapter (issue 8, `docs/ai.md`): summaries and drafts from any OpenAI-compatible
//! chat-completions service (OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp's server) by base
//! URL, key and model, built on async-openai.
//!
//! It only ever receives `Redacted` inputs (the use case redacts). It asks for a JSON
//! object (`response_format: json_object`), validates the answer with the domain's `parse_*`,
//! retries once with `retry_messages` on an invalid answer, and then gives up. Every failure
//! is an `AiFailure`, which the API shows as "Summary unavailable" / "Draft unavailable" — never
//! a 500.
//!
//! async-openai's own retrying (exponential backoff on 429 and 5xx, up to 15 minutes by
//! default) is switched off: one request within the configured timeout, then a retry hint for
//! the caller. async-openai does not pass a 429's `Retry-After` on, so a rate limit is told
//! from a 5xx by its error body (`rate_limit…` type or code).

mod chat;
mod drafter;
mod summarizer;

pub use chat::AiConfig;
pub use drafter::OpenAiDrafter;
pub use summarizer::OpenAiSummarizer;
