//! Admin: assignment at `/ui/admin/assignment`: each agent's availability, capacity and
//! categories (`Desk::update_agent`, like `PUT /api/agents/{id}`), and the client's ordered
//! rules (`Desk::put_assignment_rules`, like `PUT /api/settings/assignment-rules`).
//!
//! The rules are one form: every rule's fields carry its row number (`rule-2-name`), an
//! "Order" number sorts them, "Remove" drops one, and a blank last row adds one. The desk's
//! messages name rules by their place in what was sent (`rules[1].pool`); they are put back
//! beside the row they came from.

use super::categories::{ADMIN_PAGES, AdminLink, require_admin};
use super::settings_form::{Errors, FormData, NOT_SAVED, items, refusal};
use crate::WebState;
use crate::error::PageError;
use crate::session::{Flash, SignedIn, set_flash, take_flash};
use crate::view::{Layout, Opt, ok_page, render, see_other};
use actix_web::{HttpResponse, web};
use askama::Template;
use memberdesk_domain::assignment::{AssignmentRulesInput, RuleInput};
use memberdesk_domain::assignment_ports::AgentRecord;
use memberdesk_domain::ticket::Priority;
use memberdesk_domain::usecases::AgentUpdate;
use memberdesk_domain::{Category, DeskError, UserId};

const BACK: &str = "/ui/admin/assignment";
/// The strategy value that means "one agent" rather than a pool.
const ONE_AGENT: &str = "agent";

/// A checkbox of a list.
pub(crate) struct Check {
    value: String,
    label: String,
    checked: bool,
}

fn checks<'a>(options: impl Iterator<Item = (String, String)> + 'a, chosen: &'a [String]) -> Vec<Check> {
    options.map(|(value, label)| Check { checked: chosen.contains(&value), value, label }).collect()
}

struct AgentRow {
    /// The row's number, for element ids (user ids are not made for HTML).
    index: usize,
    id: String,
    name: String,
    load: u32,
    available: bool,
    capacity: String,
    categories: Vec<Check>,
    errors: Errors,
}

/// One rule as the form holds it.
#[derive(Default, Clone)]
struct RuleValues {
    name: String,
    categories: Vec<String>,
    priorities: Vec<String>,
    keywords: String,
    agents: Vec<String>,
    strategy: String,
    position: String,
}

struct RuleRow {
    index: usize,
    is_new: bool,
    name: String,
    keywords: String,
    position: String,
    categories: Vec<Check>,
    priorities: Vec<Check>,
    agents: Vec<Check>,
    strategies: Vec<Opt>,
    errors: Errors,
}

#[derive(Template)]
#[template(path = "admin_assignment.html")]
struct AssignmentPage {
    layout: Layout,
    admin_pages: &'static [AdminLink],
    agents: Vec<AgentRow>,
    rules: Vec<RuleRow>,
    rules_errors: Errors,
}

/// What a refused form puts back.
enum Retry {
    None,
    Agent { id: String, available: bool, capacity: String, categories: Vec<String>, errors: Errors },
    Rules { rules: Vec<RuleValues>, errors: Vec<Errors>, general: Errors },
}

fn category_pairs(categories: &[Category]) -> impl Iterator<Item = (String, String)> + '_ {
    categories.iter().map(|c| {
        let label = if c.archived { format!("{} (archived)", c.name.as_str()) } else { c.name.as_str().to_owned() };
        (c.id.to_string(), label)
    })
}

fn agent_row(index: usize, record: &AgentRecord, categories: &[Category], retry: &Retry) -> AgentRow {
    let input = record.settings.to_input();
    let (available, capacity, chosen, errors) = match retry {
        Retry::Agent { id, available, capacity, categories, errors } if id == record.user.id.as_str() => {
            (*available, capacity.clone(), categories.clone(), errors.clone())
        }
        _ => (
            input.available.unwrap_or(true),
            input.capacity.map(|c| c.to_string()).unwrap_or_default(),
            input.categories,
            Errors::default(),
        ),
    };
    AgentRow {
        index,
        id: record.user.id.as_str().to_owned(),
        name: record.user.name.clone(),
        load: record.load,
        available,
        capacity,
        categories: checks(category_pairs(categories), &chosen),
        errors,
    }
}

fn rule_values(input: &RuleInput, index: usize) -> RuleValues {
    let (agents, strategy) = match (&input.agent, &input.pool) {
        (Some(agent), _) => (vec![agent.clone()], ONE_AGENT.to_owned()),
        (None, Some(pool)) => (pool.clone(), input.strategy.clone().unwrap_or_default()),
        (None, None) => (Vec::new(), ONE_AGENT.to_owned()),
    };
    RuleValues {
        name: input.name.clone(),
        categories: input.categories.clone(),
        priorities: input.priorities.clone(),
        keywords: input.keywords.join(", "),
        agents,
        strategy,
        position: (index + 1).to_string(),
    }
}

fn rule_row(
    index: usize,
    is_new: bool,
    values: RuleValues,
    errors: Errors,
    categories: &[Category],
    agents: &[AgentRecord],
) -> RuleRow {
    let priorities = Priority::ALL.map(|p| (p.as_str().to_owned(), crate::view::priority_label(p).to_owned()));
    let agent_pairs = agents.iter().map(|a| (a.user.id.as_str().to_owned(), a.user.name.clone()));
    RuleRow {
        index,
        is_new,
        strategies: vec![
            Opt::new(ONE_AGENT, "One agent", &values.strategy),
            Opt::new("round_robin", "Pool: round robin", &values.strategy),
            Opt::new("least_loaded", "Pool: least loaded", &values.strategy),
        ],
        categories: checks(category_pairs(categories), &values.categories),
        priorities: checks(priorities.into_iter(), &values.priorities),
        agents: checks(agent_pairs, &values.agents),
        name: values.name,
        keywords: values.keywords,
        position: values.position,
        errors,
    }
}

async fn page_with(state: &WebState, who: &SignedIn, retry: Retry) -> Result<AssignmentPage, PageError> {
    let records = state.desk.list_agent_records(&who.actor).await?;
    let categories = state.desk.list_categories(&who.actor, true).await?;
    let agents = records.iter().enumerate().map(|(i, r)| agent_row(i, r, &categories, &retry)).collect();
    let (values, mut errors, rules_errors) = match retry {
        Retry::Rules { rules, errors, general } => (rules, errors, general),
        _ => {
            let stored = state.desk.assignment_rules(&who.actor).await?.to_input();
            let mut values: Vec<RuleValues> = stored.rules.iter().enumerate().map(|(i, r)| rule_values(r, i)).collect();
            values.push(RuleValues {
                strategy: ONE_AGENT.into(),
                position: (values.len() + 1).to_string(),
                ..RuleValues::default()
            });
            (values, Vec::new(), Errors::default())
        }
    };
    errors.resize(values.len(), Errors::default());
    let last = values.len().saturating_sub(1);
    let rules = values
        .into_iter()
        .zip(errors)
        .enumerate()
        .map(|(i, (v, e))| rule_row(i, i == last, v, e, &categories, &records))
        .collect();
    Ok(AssignmentPage {
        layout: Layout::new("Assignment", &who.actor, &who.csrf, "admin-assignment")
            .with_flash(take_flash(&who.session)),
        admin_pages: &ADMIN_PAGES,
        agents,
        rules,
        rules_errors,
    })
}

/// `GET /ui/admin/assignment`.
pub(crate) async fn page(who: SignedIn, state: web::Data<WebState>) -> Result<HttpResponse, PageError> {
    require_admin(&who)?;
    Ok(ok_page(&page_with(&state, &who, Retry::None).await?))
}

/// `POST /ui/admin/assignment/agent`: one agent's settings (`agent` names them).
pub(crate) async fn save_agent(
    who: SignedIn,
    state: web::Data<WebState>,
    form: web::Form<FormData>,
) -> Result<HttpResponse, PageError> {
    form.check_admin_post(&who)?;
    let id = form.get("agent").to_owned();
    let available = form.checked("available");
    let capacity = form.get("capacity").trim().to_owned();
    let categories = form.all("categories");
    let parsed = match capacity.as_str() {
        "" => Ok(None),
        text => text.parse::<i64>().map(Some).map_err(|_| {
            DeskError::Validation(memberdesk_domain::validation::FieldErrors::single(
                "capacity",
                "must be a whole number of tickets, or empty for no limit",
            ))
        }),
    };
    let result = match parsed {
        Ok(limit) => {
            let update =
                AgentUpdate { available: Some(available), capacity: Some(limit), categories: Some(categories.clone()) };
            state.desk.update_agent(&who.actor, &UserId::new(id.clone()), update).await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(record) => {
            set_flash(&who.session, Flash::success(format!("{}'s settings saved.", record.user.name)));
            Ok(see_other(&format!("{BACK}#agents")))
        }
        Err(error) => {
            let field_of = |path: &str| match path {
                "available" | "capacity" => Some(path.to_owned()),
                p if p.starts_with("categories") => Some("categories".to_owned()),
                _ => None,
            };
            let (status, errors) = refusal(error, field_of, "capacity")?;
            let retry = Retry::Agent { id, available, capacity, categories, errors };
            let mut page = page_with(&state, &who, retry).await?;
            page.layout.flash = Some(Flash::error(NOT_SAVED));
            Ok(render(status, &page))
        }
    }
}

/// The rows of the rules form, in form order: `rule-<n>-…` for n = 0, 1, … while `rule-<n>-name`
/// is present.
fn rules_from_form(form: &FormData) -> Vec<(RuleValues, bool)> {
    let mut rows = Vec::new();
    for n in 0.. {
        let field = |name: &str| format!("rule-{n}-{name}");
        if !form.has(&field("name")) {
            break;
        }
        let values = RuleValues {
            name: form.get(&field("name")).to_owned(),
            categories: form.all(&field("categories")),
            priorities: form.all(&field("priorities")),
            keywords: form.get(&field("keywords")).to_owned(),
            agents: form.all(&field("agents")),
            strategy: form.get(&field("strategy")).to_owned(),
            position: form.get(&field("position")).to_owned(),
        };
        rows.push((values, form.checked(&field("remove"))));
    }
    rows
}

/// The new-rule row left as it was.
fn is_blank(values: &RuleValues) -> bool {
    values.name.trim().is_empty() && values.agents.is_empty()
}

/// The API's input from the kept rows, ordered by their "Order" number (ties keep form order);
/// with, for each rule sent, the form row it came from. A blank new row is no rule.
fn rules_input(rows: &[(RuleValues, bool)]) -> (AssignmentRulesInput, Vec<usize>) {
    let mut kept: Vec<(usize, &RuleValues)> =
        rows.iter().enumerate().filter(|(_, (v, remove))| !remove && !is_blank(v)).map(|(i, (v, _))| (i, v)).collect();
    kept.sort_by_key(|(i, v)| (v.position.trim().parse::<i64>().unwrap_or(i64::MAX), *i));
    let rules = kept
        .iter()
        .map(|(_, v)| {
            let one = v.strategy == ONE_AGENT;
            RuleInput {
                name: v.name.clone(),
                categories: v.categories.clone(),
                priorities: v.priorities.clone(),
                keywords: items(&v.keywords, &[',']),
                agent: if one { Some(v.agents.first().cloned().unwrap_or_default()) } else { None },
                pool: if one { None } else { Some(v.agents.clone()) },
                strategy: if one { None } else { Some(v.strategy.clone()) },
            }
        })
        .collect();
    (AssignmentRulesInput { rules }, kept.iter().map(|(i, _)| *i).collect())
}

/// `rules[2].pool[0]` → (2, "agents"); `rules` or an unknown path → None.
fn rule_field(path: &str) -> Option<(usize, &'static str)> {
    let rest = path.strip_prefix("rules[")?;
    let (index, rest) = rest.split_once(']')?;
    let index = index.parse().ok()?;
    let name = rest.trim_start_matches('.').split(['.', '[']).next().unwrap_or_default();
    let field = match name {
        "name" => "name",
        "categories" => "categories",
        "priorities" => "priorities",
        "keywords" => "keywords",
        "strategy" => "strategy",
        // The target as a whole, one agent, or the pool: all chosen in the agents list.
        _ => "agents",
    };
    Some((index, field))
}

/// `POST /ui/admin/assignment/rules`: the whole ordered list.
pub(crate) async fn save_rules(
    who: SignedIn,
    state: web::Data<WebState>,
    form: web::Form<FormData>,
) -> Result<HttpResponse, PageError> {
    form.check_admin_post(&who)?;
    let rows = rules_from_form(&form);
    let (input, origin) = rules_input(&rows);
    match state.desk.put_assignment_rules(&who.actor, &input).await {
        Ok(rules) => {
            set_flash(&who.session, Flash::success(format!("{} assignment rules saved.", rules.rules().len())));
            Ok(see_other(&format!("{BACK}#rules")))
        }
        Err(error) => {
            let (status, by_path) = refusal(error, |path| Some(path.to_owned()), "rules")?;
            let mut errors = vec![Errors::default(); rows.len()];
            let mut general = Errors::default();
            for (path, message) in by_path.iter() {
                match rule_field(path).and_then(|(i, f)| Some((*origin.get(i)?, f))) {
                    Some((row, field)) => errors[row].add(field, message),
                    None => general.add("rules", message),
                }
            }
            let rules = rows.into_iter().map(|(v, _)| v).collect();
            let mut page = page_with(&state, &who, Retry::Rules { rules, errors, general }).await?;
            page.layout.flash = Some(Flash::error(NOT_SAVED));
            Ok(render(status, &page))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_the_row_and_field() {
        assert_eq!(rule_field("rules[2].pool[0]"), Some((2, "agents")));
        assert_eq!(rule_field("rules[0].name"), Some((0, "name")));
        assert_eq!(rule_field("rules[1]"), Some((1, "agents")));
        assert_eq!(rule_field("rules"), None);
    }

    #[test]
    fn rows_are_ordered_and_blank_or_removed_ones_dropped() {
        let row = |name: &str, position: &str| RuleValues {
            name: name.into(),
            agents: vec!["a".into()],
            strategy: ONE_AGENT.into(),
            position: position.into(),
            ..RuleValues::default()
        };
        let rows = vec![
            (row("B", "2"), false),
            (row("A", "1"), false),
            (row("Gone", "0"), true),
            (RuleValues::default(), false),
        ];
        let (input, origin) = rules_input(&rows);
        assert_eq!(input.rules.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["A", "B"]);
        assert_eq!(origin, [1, 0]);
        assert_eq!(input.rules[0].agent.as_deref(), Some("a"));
    }
}
