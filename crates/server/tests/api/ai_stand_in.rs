//! A local stand-in for an OpenAI-compatible chat-completions service (wiremock), and a desk
//! configured to use it: what the AI end-to-end tests share.

use crate::support::TestApp;
use memberdesk_store::Backend;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A chat completion whose answer is `content`.
pub fn completion(content: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "id": "c1", "object": "chat.completion", "created": 1, "model": "m",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}]
    }))
}

/// Every chat-completions request answers `response` from now on.
pub async fn answer(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("POST")).and(path("/v1/chat/completions")).respond_with(response).mount(server).await;
}

/// A desk whose AI service is the stand-in.
pub async fn desk_using(backend: Backend, server: &MockServer) -> TestApp {
    let uri = server.uri();
    TestApp::spawn_with(backend, |config| {
        config.ai = Some(memberdesk_ai::AiConfig {
            base_url: format!("{uri}/v1"),
            api_key: "k".into(),
            model: "m".into(),
            timeout: std::time::Duration::from_secs(5),
        });
    })
    .await
}

/// The bodies of the requests the stand-in received, oldest first.
pub async fn received(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect()
}
