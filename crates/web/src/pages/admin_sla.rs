//! Admin: the SLA policy at `/ui/admin/sla`: targets per priority, how time counts, the warning
//! threshold, the business calendar (time zone, weekly hours, holidays) and the escalation
//! actions, saved through `Desk::set_sla_settings` like `PUT /api/settings/sla`. Each save is a
//! new version; tickets keep the version they were raised under.
//!
//! Weekly hours are one text field per day (`09:00-12:00, 13:00-17:30`), holidays one date per
//! line; the desk validates them and its messages (`calendar.hours.monday[1]…`) come back
//! beside the day's field.

use super::categories::{ADMIN_PAGES, AdminLink, require_admin};
use super::settings_form::{Errors, FormData, NOT_SAVED, items, refusal};
use crate::WebState;
use crate::error::PageError;
use crate::session::{Flash, SignedIn, set_flash, take_flash};
use crate::view::{Layout, Opt, ok_page, render, see_other};
use actix_web::{HttpResponse, web};
use askama::Template;
use memberdesk_domain::DeskError;
use memberdesk_domain::sla::{
    CalendarInput, EscalationInput, IntervalInput, SlaPolicyInput, SlaSettings, SlaSettingsInput, TargetsInput,
    WeeklyHoursInput,
};
use memberdesk_domain::ticket::Priority;
use memberdesk_domain::validation::FieldErrors;
use std::collections::BTreeMap;

const BACK: &str = "/ui/admin/sla";
const DAYS: [(&str, &str); 7] = [
    ("monday", "Monday"),
    ("tuesday", "Tuesday"),
    ("wednesday", "Wednesday"),
    ("thursday", "Thursday"),
    ("friday", "Friday"),
    ("saturday", "Saturday"),
    ("sunday", "Sunday"),
];

/// One priority's row of targets.
struct TargetRow {
    key: &'static str,
    label: &'static str,
    first: String,
    resolution: String,
}

struct DayRow {
    key: &'static str,
    label: &'static str,
    hours: String,
}

/// The form's values, as strings (stored ones, or those typed into a refused form).
struct SlaValues {
    targets: Vec<TargetRow>,
    counting: String,
    at_risk: String,
    time_zone: String,
    days: Vec<DayRow>,
    holidays: String,
    flag_escalated: bool,
    raise_priority: bool,
    notify: bool,
    reassign_to: String,
}

#[derive(Template)]
#[template(path = "admin_sla.html")]
struct SlaPage {
    layout: Layout,
    admin_pages: &'static [AdminLink],
    has_settings: bool,
    values: SlaValues,
    counting_options: Vec<Opt>,
    agents: Vec<Opt>,
    errors: Errors,
}

fn label(priority: Priority) -> &'static str {
    crate::view::priority_label(priority)
}

impl SlaValues {
    /// The stored settings, or a starting point for a desk without any (the example of the
    /// API's documentation: weekdays 09:00–17:00 in UTC).
    fn of(settings: Option<&SlaSettings>) -> SlaValues {
        let Some(settings) = settings else {
            let defaults = [(480, 4800), (240, 2400), (60, 480)];
            return SlaValues {
                targets: Priority::ALL
                    .into_iter()
                    .zip(defaults)
                    .map(|(p, (f, r))| TargetRow {
                        key: p.as_str(),
                        label: label(p),
                        first: f.to_string(),
                        resolution: r.to_string(),
                    })
                    .collect(),
                counting: "business_hours".into(),
                at_risk: "0.8".into(),
                time_zone: "UTC".into(),
                days: DAYS
                    .iter()
                    .enumerate()
                    .map(|(i, (key, label))| DayRow {
                        key,
                        label,
                        hours: if i < 5 { "09:00-17:00".into() } else { String::new() },
                    })
                    .collect(),
                holidays: String::new(),
                flag_escalated: true,
                raise_priority: false,
                notify: true,
                reassign_to: String::new(),
            };
        };
        let policy = settings.policy.to_input();
        let calendar = policy.calendar.unwrap_or_default();
        let escalation = settings.escalation.to_input();
        SlaValues {
            targets: Priority::ALL
                .into_iter()
                .map(|p| {
                    let t = policy.targets.get(p.as_str()).copied().unwrap_or_default();
                    let shown = |m: Option<i64>| m.map(|m| m.to_string()).unwrap_or_default();
                    TargetRow {
                        key: p.as_str(),
                        label: label(p),
                        first: shown(t.first_response_minutes),
                        resolution: shown(t.resolution_minutes),
                    }
                })
                .collect(),
            counting: policy.counting.unwrap_or_default(),
            at_risk: policy.at_risk_share.map(|s| s.to_string()).unwrap_or_default(),
            time_zone: calendar.time_zone.clone(),
            days: DAYS
                .iter()
                .zip(calendar.hours.days())
                .map(|((key, label), intervals)| DayRow {
                    key,
                    label,
                    hours: intervals.iter().map(|i| format!("{}-{}", i.start, i.end)).collect::<Vec<_>>().join(", "),
                })
                .collect(),
            holidays: calendar.holidays.join("\n"),
            flag_escalated: escalation.flag_escalated.unwrap_or(true),
            raise_priority: escalation.raise_priority.unwrap_or(false),
            notify: escalation.notify.unwrap_or(true),
            reassign_to: escalation.reassign_to.unwrap_or_default(),
        }
    }

    fn from_form(form: &FormData) -> SlaValues {
        SlaValues {
            targets: Priority::ALL
                .into_iter()
                .map(|p| TargetRow {
                    key: p.as_str(),
                    label: label(p),
                    first: form.get(&format!("{p}-first")).to_owned(),
                    resolution: form.get(&format!("{p}-resolution")).to_owned(),
                })
                .collect(),
            counting: form.get("counting").to_owned(),
            at_risk: form.get("atRiskShare").to_owned(),
            time_zone: form.get("timeZone").to_owned(),
            days: DAYS
                .iter()
                .map(|(key, label)| DayRow { key, label, hours: form.get(&format!("hours-{key}")).to_owned() })
                .collect(),
            holidays: form.get("holidays").to_owned(),
            flag_escalated: form.checked("flagEscalated"),
            raise_priority: form.checked("raisePriority"),
            notify: form.checked("notify"),
            reassign_to: form.get("reassignTo").to_owned(),
        }
    }

    /// The API's input. A number that is not one is refused here, beside its field, before
    /// the desk sees anything.
    fn to_input(&self) -> Result<SlaSettingsInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut minutes = |field: String, raw: &str| match raw.trim() {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(m) => Some(m),
                Err(_) => {
                    errors.add(&field, "must be a whole number of minutes");
                    None
                }
            },
        };
        let mut targets = BTreeMap::new();
        for row in &self.targets {
            let raw = TargetsInput {
                first_response_minutes: minutes(format!("{}-first", row.key), &row.first),
                resolution_minutes: minutes(format!("{}-resolution", row.key), &row.resolution),
            };
            targets.insert(row.key.to_owned(), raw);
        }
        let at_risk_share = match self.at_risk.trim() {
            "" => None,
            text => match text.parse::<f64>() {
                Ok(share) => Some(share),
                Err(_) => {
                    errors.add("atRiskShare", "must be a number between 0 and 1, such as 0.8");
                    None
                }
            },
        };
        errors.into_result()?;
        let mut hours = WeeklyHoursInput::default();
        let days = [
            &mut hours.monday,
            &mut hours.tuesday,
            &mut hours.wednesday,
            &mut hours.thursday,
            &mut hours.friday,
            &mut hours.saturday,
            &mut hours.sunday,
        ];
        for (day, row) in days.into_iter().zip(&self.days) {
            *day = items(&row.hours, &[',', ';'])
                .iter()
                .map(|interval| match interval.split_once('-') {
                    Some((start, end)) => IntervalInput::new(start.trim(), end.trim()),
                    // The desk names what is wrong with it.
                    None => IntervalInput::new(interval, ""),
                })
                .collect();
        }
        let calendar = CalendarInput {
            time_zone: self.time_zone.trim().to_owned(),
            hours,
            holidays: items(&self.holidays, &[',']),
        };
        // Around the clock needs no calendar: one left empty is none, not a calendar that never opens.
        let unused = self.counting == "around_the_clock" && calendar.hours.days().iter().all(|d| d.is_empty());
        Ok(SlaSettingsInput {
            policy: SlaPolicyInput {
                targets,
                counting: Some(self.counting.clone()),
                calendar: (!unused).then_some(calendar),
                at_risk_share,
            },
            escalation: Some(EscalationInput {
                flag_escalated: Some(self.flag_escalated),
                raise_priority: Some(self.raise_priority),
                reassign_to: Some(self.reassign_to.clone()).filter(|a| !a.trim().is_empty()),
                notify: Some(self.notify),
            }),
        })
    }
}

/// The page's field for a path of the desk's messages.
fn field_of(path: &str) -> Option<String> {
    let mut parts = path.split('.');
    let field = match (parts.next()?, parts.next(), parts.next()) {
        ("targets", Some(priority), Some(name)) if Priority::parse(priority).is_ok() => {
            let which = if name.starts_with("resolution") { "resolution" } else { "first" };
            format!("{priority}-{which}")
        }
        ("targets", Some(priority), None) if Priority::parse(priority).is_ok() => format!("{priority}-first"),
        ("counting", ..) => "counting".into(),
        ("atRiskShare", ..) => "atRiskShare".into(),
        ("calendar", Some("timeZone"), _) => "timeZone".into(),
        ("calendar", Some(holidays), _) if holidays.starts_with("holidays") => "holidays".into(),
        ("calendar", Some("hours"), Some(day)) => {
            let day = day.split('[').next().unwrap_or_default();
            DAYS.iter().find(|(key, _)| *key == day).map(|(key, _)| format!("hours-{key}"))?
        }
        ("calendar", Some("hours"), None) => "hours".into(),
        ("escalation", Some("reassignTo"), _) => "reassignTo".into(),
        // The page's own number checks name its fields already (`high-first`).
        (own, None, None) if own.ends_with("-first") || own.ends_with("-resolution") => own.into(),
        _ => return None,
    };
    Some(field)
}

async fn page_with(
    state: &WebState,
    who: &SignedIn,
    values: Option<SlaValues>,
    errors: Errors,
) -> Result<SlaPage, PageError> {
    let settings = state.desk.sla_settings(&who.actor).await?;
    let values = values.unwrap_or_else(|| SlaValues::of(settings.as_ref()));
    let agents = state.desk.list_agent_records(&who.actor).await?;
    let mut agent_options = vec![Opt::new("", "Keep the assignee", &values.reassign_to)];
    agent_options.extend(agents.iter().map(|a| Opt::new(a.user.id.as_str(), a.user.name.clone(), &values.reassign_to)));
    let counting_options = vec![
        Opt::new("business_hours", "Business hours only (the calendar below)", &values.counting),
        Opt::new("around_the_clock", "Around the clock", &values.counting),
    ];
    Ok(SlaPage {
        layout: Layout::new("SLA policy", &who.actor, &who.csrf, "admin-sla").with_flash(take_flash(&who.session)),
        admin_pages: &ADMIN_PAGES,
        has_settings: settings.is_some(),
        values,
        counting_options,
        agents: agent_options,
        errors,
    })
}

/// `GET /ui/admin/sla`.
pub(crate) async fn page(who: SignedIn, state: web::Data<WebState>) -> Result<HttpResponse, PageError> {
    require_admin(&who)?;
    Ok(ok_page(&page_with(&state, &who, None, Errors::default()).await?))
}

/// `POST /ui/admin/sla`: a new version of the settings.
pub(crate) async fn save(
    who: SignedIn,
    state: web::Data<WebState>,
    form: web::Form<FormData>,
) -> Result<HttpResponse, PageError> {
    form.check_admin_post(&who)?;
    let values = SlaValues::from_form(&form);
    let saved = match values.to_input() {
        Ok(input) => state.desk.set_sla_settings(&who.actor, &input).await,
        Err(errors) => Err(DeskError::Validation(errors)),
    };
    match saved {
        Ok(_) => {
            set_flash(
                &who.session,
                Flash::success("SLA policy saved; tickets raised from now on are measured under it."),
            );
            Ok(see_other(BACK))
        }
        Err(error) => {
            let (status, errors) = refusal(error, field_of, "hours")?;
            let mut page = page_with(&state, &who, Some(values), errors).await?;
            page.layout.flash = Some(Flash::error(NOT_SAVED));
            Ok(render(status, &page))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_desks_paths_land_beside_their_fields() {
        assert_eq!(field_of("targets.high.firstResponseMinutes").as_deref(), Some("high-first"));
        assert_eq!(field_of("targets.low.resolutionMinutes").as_deref(), Some("low-resolution"));
        assert_eq!(field_of("calendar.hours.monday[1].start").as_deref(), Some("hours-monday"));
        assert_eq!(field_of("calendar.holidays[0]").as_deref(), Some("holidays"));
        assert_eq!(field_of("calendar.timeZone").as_deref(), Some("timeZone"));
        assert_eq!(field_of("escalation.reassignTo").as_deref(), Some("reassignTo"));
        assert_eq!(field_of("targets.urgent"), None);
    }
}
