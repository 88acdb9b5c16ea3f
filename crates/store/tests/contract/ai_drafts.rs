//! The AI settings and the draft usage log: settings per client (defaults until saved,
//! replaced whole), drafts round-trip, only the first use of a draft counts, clients never see
//! each other's, and the usage rows of a period.

use super::*;
use memberdesk_domain::DraftId;
use memberdesk_domain::ai::{AiSettings, GeneratedBy, TermRule, Terminology, Tone};
use memberdesk_domain::ai_ports::{AiStore, DraftRecord, DraftUse};

contract!(
    ai_settings_are_per_client_and_replaced_whole,
    drafts_round_trip_and_only_the_first_use_counts,
    draft_usage_rows_of_a_period
);

async fn ai_settings_are_per_client_and_replaced_whole(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let (acme, other) = (client("acme"), client("other"));
    assert_eq!(store.ai_settings(&acme).await.unwrap(), None);

    let settings = AiSettings {
        enabled: false,
        default_tone: Tone::Concise,
        style_instructions: "British spelling.\nNo exclamation marks.".into(),
        terminology: Terminology::new(vec![TermRule {
            preferred: "member".into(),
            avoid: vec!["customer".into(), "client".into()],
        }])
        .unwrap(),
    };
    store.put_ai_settings(&acme, &settings).await.unwrap();
    assert_eq!(store.ai_settings(&acme).await.unwrap(), Some(settings.clone()));
    assert_eq!(store.ai_settings(&other).await.unwrap(), None, "another client keeps the defaults");

    let replaced = AiSettings { default_tone: Tone::Formal, terminology: Terminology::none(), ..AiSettings::default() };
    store.put_ai_settings(&acme, &replaced).await.unwrap();
    assert_eq!(store.ai_settings(&acme).await.unwrap(), Some(replaced));
}

fn draft(ticket: &Ticket, agent: &str, created_at: DateTime<Utc>) -> DraftRecord {
    DraftRecord {
        id: DraftId::new(),
        client_id: ticket.client_id.clone(),
        ticket_id: ticket.id,
        agent_id: UserId::new(agent),
        agent_name: format!("Agent {agent}"),
        tone: Tone::Friendly,
        generated_by: GeneratedBy::Builtin,
        draft: "Hi Mia,\n\nThanks – ünïcödé too.\n\nBest wishes,\nUma".into(),
        confidence: 0.66,
        created_at,
        used: None,
    }
}

async fn drafts_round_trip_and_only_the_first_use_counts(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let acme = client("acme");
    let t = insert(&store, ticket(&acme, "Cannot log in", at(0))).await;
    let d = draft(&t, "u1", at(10));
    store.record_draft(&d).await.unwrap();
    assert_eq!(store.get_draft(&acme, d.id).await.unwrap(), Some(d.clone()));
    assert_eq!(store.get_draft(&client("other"), d.id).await.unwrap(), None, "another client's draft is unknown");
    assert_eq!(store.get_draft(&acme, DraftId::new()).await.unwrap(), None);

    let first = DraftUse { response_id: ResponseId::new(), edit_ratio: 0.25, used_at: at(60) };
    assert!(!store.mark_draft_used(&client("other"), d.id, &first).await.unwrap(), "not across clients");
    assert!(store.mark_draft_used(&acme, d.id, &first).await.unwrap());
    let second = DraftUse { response_id: ResponseId::new(), edit_ratio: 0.9, used_at: at(120) };
    assert!(!store.mark_draft_used(&acme, d.id, &second).await.unwrap(), "only the first use counts");
    let stored = store.get_draft(&acme, d.id).await.unwrap().unwrap();
    assert_eq!(stored.used, Some(first));
    assert_eq!(DraftRecord { used: None, ..stored }, d);

    // A draft's id is its own: logging it twice is a duplicate.
    assert!(matches!(store.record_draft(&d).await, Err(StoreError::Duplicate(_))));
}

async fn draft_usage_rows_of_a_period(backend: Backend) {
    let (store, _db) = fresh_store(backend).await;
    let (acme, other) = (client("acme"), client("other"));
    let t = insert(&store, ticket(&acme, "Renewal", at(0))).await;
    let theirs = insert(&store, ticket(&other, "Theirs", at(0))).await;
    let drafts = [draft(&t, "u1", at(100)), draft(&t, "u2", at(200)), draft(&t, "u1", at(300))];
    for d in &drafts {
        store.record_draft(d).await.unwrap();
    }
    store.record_draft(&draft(&theirs, "x", at(150))).await.unwrap();
    let used = DraftUse { response_id: ResponseId::new(), edit_ratio: 0.5, used_at: at(400) };
    store.mark_draft_used(&acme, drafts[1].id, &used).await.unwrap();

    let all = store.draft_usage(&acme, None, None).await.unwrap();
    let agents: Vec<&str> = all.iter().map(|r| r.agent_id.as_str()).collect();
    assert_eq!(agents, ["u1", "u2", "u1"], "oldest first, this client's only");
    assert_eq!((all[1].used, all[1].edit_ratio), (true, Some(0.5)));
    assert_eq!((all[0].used, all[0].edit_ratio), (false, None));
    assert_eq!(all[0].agent_name, "Agent u1");

    // `from` is inclusive, `to` exclusive.
    let period = store.draft_usage(&acme, Some(at(200)), Some(at(300))).await.unwrap();
    assert_eq!(period.len(), 1);
    assert_eq!(period[0].agent_id, "u2");
    assert_eq!(store.draft_usage(&acme, Some(at(301)), None).await.unwrap().len(), 0);
    assert_eq!(store.draft_usage(&acme, None, Some(at(101))).await.unwrap().len(), 1);
}
