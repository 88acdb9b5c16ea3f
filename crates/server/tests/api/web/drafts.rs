//! The draft button of the staff ticket page: its controls, the endpoint its script calls
//! (staff only, CSRF-checked), and a reply posted with the draft's id counting as its use.

use super::Browser;
use crate::attachments::Form;
use crate::both_backends;
use crate::support::{TestApp, Who};
use serde_json::{Value, json};

fn json_of(html: &str) -> Value {
    serde_json::from_str(html).unwrap_or_else(|e| panic!("not JSON ({e}): {html}"))
}

async fn the_draft_button_drafts_for_staff_only(app: TestApp) {
    app.introduce_staff().await;
    let id = app.member_ticket("Card not received").await;
    let page = format!("/ui/tickets/{id}");
    // The client's default tone is the one selected.
    app.put(Who::Admin, "/api/settings/support-ai", json!({"defaultTone": "friendly"})).await.expect(200);

    let mut agent = Browser::signed_in(&app, Who::User).await;
    let view = agent.get(&page).await.expect(200);
    for control in [
        "id=\"draft-button\"",
        "aria-keyshortcuts=\"Alt+D\"",
        "Draft Response (Alt+D)",
        "id=\"draft-loading\"",
        "id=\"draft-error\"",
        "<option value=\"friendly\" selected>Friendly</option>",
        "name=\"draftId\" id=\"draft-id\" value=\"\" disabled",
    ] {
        assert!(view.has(control), "{control} missing");
    }
    // Hidden until the script shows it: without script there is no draft.
    assert!(view.has("<div class=\"draft-tools\" id=\"draft-tools\" hidden>"));
    let csrf = view.csrf();
    let endpoint = format!("{page}/draft");

    let answer =
        agent.post(&endpoint, &[("_csrf", &csrf), ("tone", "formal"), ("includeKnowledgeBase", "false")]).await;
    let draft = json_of(&answer.expect(200).html);
    assert_eq!(draft["state"], "ready", "{draft}");
    assert_eq!(draft["tone"], "formal");
    assert!(!draft["draft"].as_str().unwrap().is_empty());
    assert!(draft["draftId"].is_string());
    // Without a tone: the client's default.
    let default = json_of(&agent.post(&endpoint, &[("_csrf", &csrf)]).await.expect(200).html);
    assert_eq!(default["tone"], "friendly");
    // A draft is never sent by itself.
    let ticket = app.get(Who::Admin, &format!("/api/tickets/{id}")).await.expect(200).body;
    assert_eq!(ticket["responses"], json!([]));

    // Refusals: an unknown tone or canned response (422), no CSRF token (403), members and
    // other clients (404), no session (sign-in).
    agent.post(&endpoint, &[("_csrf", &csrf), ("tone", "rude")]).await.expect(422);
    agent.post(&endpoint, &[("_csrf", &csrf), ("cannedResponseId", "nope")]).await.expect(422);
    let unknown = uuid::Uuid::new_v4().to_string();
    agent.post(&endpoint, &[("_csrf", &csrf), ("cannedResponseId", &unknown)]).await.expect(422);
    agent.post(&endpoint, &[("tone", "formal")]).await.expect(403);
    agent.post(&endpoint, &[("_csrf", "forged"), ("tone", "formal")]).await.expect(403);
    for who in [Who::Member, Who::OtherClientAdmin] {
        let mut other = Browser::signed_in(&app, who).await;
        let token = other.csrf_from(if who == Who::Member { "/ui/portal" } else { "/ui/" }).await;
        other.post(&endpoint, &[("_csrf", &token)]).await.expect(404);
    }
    Browser::new(&app).post(&endpoint, &[("_csrf", &csrf)]).await.redirects_to("/ui/login");
    let usage = app.get(Who::Admin, "/api/settings/support-ai/usage").await.expect(200).body;
    assert_eq!(usage["totals"]["draftsGenerated"], 2, "refused requests log no draft: {usage}");
}
both_backends!(web_draft_endpoint, the_draft_button_drafts_for_staff_only);

async fn a_reply_posted_from_a_draft_counts_as_used(app: TestApp) {
    app.introduce_staff().await;
    let id = app.member_ticket("Card not received").await;
    let page = format!("/ui/tickets/{id}");
    let mut agent = Browser::signed_in(&app, Who::User).await;
    let csrf = agent.csrf_from(&page).await;
    let draft = json_of(&agent.post(&format!("{page}/draft"), &[("_csrf", &csrf)]).await.expect(200).html);
    let (text, draft_id) = (draft["draft"].as_str().unwrap(), draft["draftId"].as_str().unwrap());

    // The same draft's text kept as an internal note is no use of it (and not refused).
    let note = Form::new().text("_csrf", &csrf).text("body", text).text("kind", "note").text("draftId", draft_id);
    agent.post_multipart(&format!("{page}/responses"), note).await.expect(303);
    let usage = app.get(Who::Admin, "/api/settings/support-ai/usage").await.expect(200).body;
    assert_eq!(usage["totals"]["draftsUsed"], 0, "{usage}");

    let reply = Form::new().text("_csrf", &csrf).text("body", text).text("kind", "reply").text("draftId", draft_id);
    agent.post_multipart(&format!("{page}/responses"), reply).await.redirects_to(&format!("{page}#conversation"));
    let usage = app.get(Who::Admin, "/api/settings/support-ai/usage").await.expect(200).body;
    let uma = &usage["agents"][0];
    assert_eq!(uma["agentId"], "agent-1", "{usage}");
    assert_eq!((uma["draftsGenerated"].as_u64(), uma["draftsUsed"].as_u64()), (Some(1), Some(1)), "{usage}");
    assert_eq!(uma["averageEditRatio"], 0.0, "posted unchanged");

    // A reply without a draft (the disabled draftId input is not sent) posts as before.
    let plain = Form::new().text("_csrf", &csrf).text("body", "Anything else?").text("kind", "reply");
    agent.post_multipart(&format!("{page}/responses"), plain).await.expect(303);
    let ticket = app.get(Who::Admin, &format!("/api/tickets/{id}")).await.expect(200).body;
    assert_eq!(ticket["responses"].as_array().map(Vec::len), Some(3), "{ticket}");
}
both_backends!(web_reply_from_a_draft, a_reply_posted_from_a_draft_counts_as_used);
