//! `/ui/admin/sla`: the SLA policy and calendar.

use super::{field_error, open};
use crate::both_backends;
use crate::support::{TestApp, Who};
use crate::web::Browser;
use serde_json::json;

const PAGE: &str = "/ui/admin/sla";

fn form<'a>(csrf: &'a str, monday: &'a str, high_first: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("_csrf", csrf),
        ("low-first", "480"),
        ("low-resolution", "4800"),
        ("medium-first", "240"),
        ("medium-resolution", "2400"),
        ("high-first", high_first),
        ("high-resolution", "480"),
        ("counting", "business_hours"),
        ("atRiskShare", "0.75"),
        ("timeZone", "Europe/London"),
        ("hours-monday", monday),
        ("hours-tuesday", "09:00-17:00"),
        ("holidays", "2026-12-25\n2026-12-26"),
        ("flagEscalated", "on"),
        ("notify", "on"),
        ("reassignTo", ""),
    ]
}

async fn admins_set_the_sla_policy(app: TestApp) {
    let mut admin = Browser::signed_in(&app, Who::Admin).await;
    let (page, csrf) = open(&mut admin, PAGE).await;
    assert!(page.has("id=\"sla-none\""), "a desk without an SLA says so");

    // Overlapping hours and a negative target: each message beside its field, nothing stored.
    let refused = admin.post(PAGE, &form(&csrf, "09:00-12:00, 11:00-17:00", "-5")).await.expect(422);
    assert!(field_error(&refused, "hours-monday-error").contains("overlaps"), "{}", refused.html);
    assert!(!field_error(&refused, "high-first-error").is_empty());
    assert!(refused.has("aria-describedby=\"hours-monday-error\""));
    assert!(refused.has("value=\"09:00-12:00, 11:00-17:00\""), "the typed hours are kept");
    assert_eq!(app.get(Who::Admin, "/api/settings/sla").await.expect(200).body, json!({"enabled": false}));
    let bad_number = admin.post(PAGE, &form(&csrf, "09:00-17:00", "soon")).await.expect(422);
    assert!(field_error(&bad_number, "high-first-error").contains("whole number"));

    admin.post(PAGE, &form(&csrf, "09:00-12:00, 13:00-17:30", "60")).await.redirects_to(PAGE);
    let saved = app.get(Who::Admin, "/api/settings/sla").await.expect(200).body;
    assert_eq!(saved["enabled"], true);
    assert_eq!(saved["targets"]["high"], json!({"firstResponseMinutes": 60, "resolutionMinutes": 480}));
    assert_eq!(saved["atRiskShare"], 0.75);
    assert_eq!(saved["calendar"]["timeZone"], "Europe/London");
    assert_eq!(
        saved["calendar"]["hours"]["monday"],
        json!([{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "17:30"}])
    );
    assert_eq!(saved["calendar"]["holidays"], json!(["2026-12-25", "2026-12-26"]));
    assert_eq!(saved["escalation"]["raisePriority"], false);
    let page = admin.get(PAGE).await.expect(200);
    assert!(page.has("class=\"flash success\"") && page.has("value=\"09:00-12:00, 13:00-17:30\""));

    // Around the clock with no opening hours: no calendar, not one that never opens.
    let mut fields = form(&csrf, "", "60");
    for (name, value) in &mut fields {
        match *name {
            "counting" => *value = "around_the_clock",
            "hours-tuesday" => *value = "",
            _ => {}
        }
    }
    admin.post(PAGE, &fields).await.redirects_to(PAGE);
    let saved = app.get(Who::Admin, "/api/settings/sla").await.expect(200).body;
    assert_eq!(saved["counting"], "around_the_clock");
    assert!(saved["calendar"].is_null(), "{saved}");
}
both_backends!(admins_set_the_sla_policy, admins_set_the_sla_policy);
