//! How a ticket script becomes a timed list of use-case calls.
//!
//! A [`Topic`] (one row of the table in `tickets.rs`) holds what is particular to a ticket: the
//! member, the handling agent, the texts. Its [`Flow`] says how the conversation goes, as a
//! fixed list of [`Step`]s. [`plan`] walks the steps against a simulated ticket (status,
//! priority, assignee), drops the ones that would change nothing, and gives every remaining
//! action a time and the number of history events it writes. The event counts let a second
//! run find where an interrupted first run stopped ([`resume_from`]).
//!
//! Variety (delays, greetings, sign-offs, stock phrases) comes from a small deterministic LCG
//! on the ticket and step index, so every run plans the same conversations.

use chrono::{DateTime, Duration, Timelike, Utc};
use memberdesk_domain::workflow;
use memberdesk_domain::{Priority, Status};

/// Who works a ticket: the admin (the ticket then stays unassigned) or one of the staff users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Agent {
    Admin,
    /// Index into `DemoDesk::staff`.
    Staff(usize),
}

/// Which text of the topic (or which stock phrase) a message uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Line {
    /// The agent's first answer; usually asks the member something.
    Reply,
    /// The member's answer to it.
    FollowUp,
    /// The agent's answer that solves the problem.
    Resolution,
    /// The internal note.
    Note,
    /// A member's thank-you (stock phrase).
    Thanks,
    /// A member chasing an unanswered ticket (stock phrase).
    Chase,
    /// An agent reminding a member the ticket waits on them (stock phrase).
    Nudge,
}

/// One move of a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// The admin sets the topic's priority (skipped when the ticket already has it).
    Prioritise,
    /// The admin assigns the ticket to the topic's agent (skipped when the admin handles it).
    Assign,
    /// The agent replies to the member.
    AgentReply(Line),
    /// The agent adds an internal note.
    AgentNote(Line),
    /// The member replies.
    MemberReply(Line),
    /// The agent moves the ticket.
    AgentStatus(Status),
    /// The member closes their own ticket.
    MemberClose,
}

/// The shape of a conversation; each ends in a known status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Just raised; at most the admin set a priority. Open, unassigned.
    New,
    /// The member chased twice and nobody answered. Open, unassigned.
    Chased,
    /// Prioritised, assigned, a note. Open, no reply yet.
    Triaged,
    /// Assigned and started, a note, no reply yet. In progress.
    Picked,
    /// Assigned, replied, the member answered, a note. In progress.
    Working,
    /// Assigned, replied with a question. Waiting.
    Waiting,
    /// As `Waiting`, then a reminder. Waiting.
    WaitingNudged,
    /// Question, answer, solution. Resolved.
    Resolved,
    /// Resolved, then the member closed it.
    ClosedByMember,
    /// Resolved, the member's thank-you reopened it, the agent closed it.
    ClosedAfterThanks,
    /// Resolved, no word from the member, closed by the agent a few days later.
    ClosedStale,
    /// Straight through without waiting on the member. Closed.
    ClosedQuick,
    /// Handled by the admin without assignment or status moves, closed from open.
    ClosedDirect,
}

use Line::*;
use Step::*;

const RESOLVE: [Step; 9] = [
    Prioritise,
    Assign,
    AgentStatus(Status::InProgress),
    AgentReply(Reply),
    AgentStatus(Status::Waiting),
    MemberReply(FollowUp),
    AgentNote(Note),
    AgentReply(Resolution),
    AgentStatus(Status::Resolved),
];

/// `RESOLVE` followed by `tail`.
const fn resolve_then<const N: usize, const T: usize>(tail: [Step; T]) -> [Step; N] {
    assert!(N == RESOLVE.len() + T, "N must be RESOLVE.len() + T");
    let mut steps = [Prioritise; N];
    let mut i = 0;
    while i < N {
        steps[i] = if i < RESOLVE.len() { RESOLVE[i] } else { tail[i - RESOLVE.len()] };
        i += 1;
    }
    steps
}

const CLOSED_BY_MEMBER: [Step; 10] = resolve_then([MemberClose]);
const CLOSED_AFTER_THANKS: [Step; 11] = resolve_then([MemberReply(Thanks), AgentStatus(Status::Closed)]);
const CLOSED_STALE: [Step; 10] = resolve_then([AgentStatus(Status::Closed)]);

impl Flow {
    pub(crate) fn steps(self) -> &'static [Step] {
        match self {
            Flow::New => &[Prioritise],
            Flow::Chased => &[MemberReply(Chase), MemberReply(Chase)],
            Flow::Triaged => &[Prioritise, Assign, AgentNote(Note)],
            Flow::Picked => &[Prioritise, Assign, AgentStatus(Status::InProgress), AgentNote(Note)],
            Flow::Working => &[
                Prioritise,
                Assign,
                AgentStatus(Status::InProgress),
                AgentReply(Reply),
                MemberReply(FollowUp),
                AgentNote(Note),
            ],
            Flow::Waiting => &[
                Prioritise,
                Assign,
                AgentStatus(Status::InProgress),
                AgentNote(Note),
                AgentReply(Reply),
                AgentStatus(Status::Waiting),
            ],
            Flow::WaitingNudged => &[
                Prioritise,
                Assign,
                AgentStatus(Status::InProgress),
                AgentNote(Note),
                AgentReply(Reply),
                AgentStatus(Status::Waiting),
                AgentReply(Nudge),
            ],
            Flow::Resolved => &RESOLVE,
            Flow::ClosedByMember => &CLOSED_BY_MEMBER,
            Flow::ClosedAfterThanks => &CLOSED_AFTER_THANKS,
            Flow::ClosedStale => &CLOSED_STALE,
            Flow::ClosedQuick => &[
                Prioritise,
                Assign,
                AgentStatus(Status::InProgress),
                AgentReply(Reply),
                MemberReply(FollowUp),
                AgentNote(Note),
                AgentReply(Resolution),
                AgentStatus(Status::Resolved),
                AgentStatus(Status::Closed),
            ],
            Flow::ClosedDirect => &[
                Prioritise,
                AgentReply(Reply),
                MemberReply(FollowUp),
                AgentNote(Note),
                AgentReply(Resolution),
                AgentStatus(Status::Closed),
            ],
        }
    }

    /// The status a ticket ends in after this flow.
    #[cfg(test)]
    pub(crate) fn final_status(self) -> Status {
        match self {
            Flow::New | Flow::Chased | Flow::Triaged => Status::Open,
            Flow::Picked | Flow::Working => Status::InProgress,
            Flow::Waiting | Flow::WaitingNudged => Status::Waiting,
            Flow::Resolved => Status::Resolved,
            Flow::ClosedByMember
            | Flow::ClosedAfterThanks
            | Flow::ClosedStale
            | Flow::ClosedQuick
            | Flow::ClosedDirect => Status::Closed,
        }
    }
}

/// One scripted ticket. Texts a flow does not use may stay empty; a step whose text is empty
/// is left out.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Topic {
    /// One of `tickets::CATEGORIES`.
    pub category: &'static str,
    /// Index into `DemoDesk::members`.
    pub member: usize,
    pub agent: Agent,
    /// Raised by the agent on the member's behalf (phone call, paper form, a word at the
    /// boathouse) rather than by the member.
    pub by_staff: bool,
    /// The priority the ticket ends with: given at creation when staff raise it, otherwise set
    /// by the admin when triaging.
    pub priority: Priority,
    pub flow: Flow,
    pub subject: &'static str,
    pub body: &'static str,
    pub reply: &'static str,
    pub follow_up: &'static str,
    pub resolution: &'static str,
    pub note: &'static str,
}

impl Topic {
    /// The topic's own text for a line; `None` for stock phrases.
    pub(crate) fn text(&self, line: Line) -> Option<&'static str> {
        match line {
            Reply => Some(self.reply),
            FollowUp => Some(self.follow_up),
            Resolution => Some(self.resolution),
            Note => Some(self.note),
            Thanks | Chase | Nudge => None,
        }
    }

    /// The priority the ticket has right after creation.
    pub(crate) fn initial_priority(&self) -> Priority {
        if self.by_staff { self.priority } else { Priority::default() }
    }
}

/// One call the seeder makes for a ticket, at its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Action {
    pub step: Step,
    pub at: DateTime<Utc>,
    /// How many history events the call writes.
    pub events: usize,
}

/// The idempotency key a demo ticket is created with (`index` counts from 0).
pub(crate) fn ticket_key(index: usize) -> String {
    format!("demo-ticket-{}", index + 1)
}

/// The idempotency key of the `action`-th call of a ticket's plan (both count from 0).
pub(crate) fn response_key(index: usize, action: usize) -> String {
    format!("demo-ticket-{}-response-{}", index + 1, action + 1)
}

/// A deterministic pseudo-random number for (ticket, step, purpose): a 64-bit LCG (Knuth's
/// MMIX constants) stepped a few times from a seed mixed out of the three, high bits kept.
pub(crate) fn roll(ticket: usize, step: usize, salt: u64) -> u64 {
    let mut x =
        (ticket as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ ((step as u64) << 20) ^ salt.wrapping_mul(0xD6E8_FEB8);
    for _ in 0..3 {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
    }
    x >> 33
}

/// A value in `lo..=hi` for (ticket, step, purpose).
pub(crate) fn roll_range(ticket: usize, step: usize, salt: u64, lo: i64, hi: i64) -> i64 {
    let span = (hi - lo).max(0) as u64 + 1;
    lo + (roll(ticket, step, salt) % span) as i64
}

/// Picks one of `options` for (ticket, step, purpose).
pub(crate) fn pick<T: Copy>(options: &[T], ticket: usize, step: usize, salt: u64) -> Option<T> {
    if options.is_empty() {
        return None;
    }
    options.get(roll(ticket, step, salt) as usize % options.len()).copied()
}

/// When the `index`-th of `count` tickets was raised: spread over the six months before `now`,
/// denser towards today (a live desk has more recent than old tickets), the newest a couple of
/// hours old, with jitter that never reorders tickets.
pub(crate) fn created_at(index: usize, count: usize, now: DateTime<Utc>) -> DateTime<Utc> {
    const SPAN_MINUTES: f64 = 180.0 * 1440.0;
    const NEWEST_MINUTES: f64 = 150.0;
    let ago = |i: usize| -> f64 {
        if count <= 1 {
            return NEWEST_MINUTES;
        }
        let fraction = (count - 1).saturating_sub(i) as f64 / (count - 1) as f64;
        SPAN_MINUTES * fraction.powf(1.5) + NEWEST_MINUTES
    };
    let base = ago(index);
    let gap_to_older = if index == 0 { 1440.0 } else { ago(index - 1) - base };
    let jitter = roll_range(index, 0, 1, 0, (gap_to_older / 3.0) as i64);
    now - Duration::minutes(base as i64 + jitter)
}

/// Staff answer during office hours (08:00–19:00); anything outside moves to the next morning.
fn office_hours(at: DateTime<Utc>, ticket: usize, step: usize) -> DateTime<Utc> {
    let after_eight = Duration::seconds(roll_range(ticket, step, 7, 0, 55 * 60));
    let morning = |day: DateTime<Utc>| day.date_naive().and_hms_opt(8, 0, 0).map_or(day, |t| t.and_utc()) + after_eight;
    match at.hour() {
        0..=7 => morning(at),
        8..=18 => at,
        _ => morning(at + Duration::days(1)),
    }
}

/// Minutes between the previous action (or the creation) and this one.
fn delay_minutes(step: Step, previous: Option<Step>) -> (i64, i64) {
    match (step, previous) {
        (Prioritise, _) => (3, 60),
        (Assign, _) => (5, 240),
        (AgentStatus(Status::InProgress), _) => (2, 30),
        (AgentStatus(Status::Closed), Some(AgentStatus(Status::Resolved))) => (2 * 1440, 7 * 1440),
        (AgentStatus(Status::Closed), Some(MemberReply(Thanks))) => (10, 300),
        (AgentStatus(_), _) => (1, 5),
        (AgentReply(Reply), _) => (15, 600),
        (AgentReply(Nudge), _) => (2 * 1440, 5 * 1440),
        (AgentReply(_), _) => (90, 2 * 1440),
        (AgentNote(_), _) => (3, 180),
        (MemberReply(Chase), _) => (1440, 3 * 1440),
        (MemberReply(Thanks), _) => (20, 1440),
        (MemberReply(_), _) => (45, 2 * 1440),
        (MemberClose, _) => (60, 2 * 1440),
    }
}

fn is_staff_step(step: Step) -> bool {
    !matches!(step, MemberReply(_) | MemberClose)
}

/// A simulated ticket: what the plan needs to know to predict the use cases' effects.
struct Sim {
    status: Status,
    priority: Priority,
    assigned: bool,
}

/// The calls that play `topic` (the `index`-th script) on a ticket created at `created`,
/// with the number of events each writes. Steps that would change nothing, or whose text is
/// empty, are left out; so is a move the workflow would refuse (the tests make sure the table
/// has none). Times increase strictly and never pass `now`.
pub(crate) fn plan(topic: &Topic, index: usize, created: DateTime<Utc>, now: DateTime<Utc>) -> Vec<Action> {
    let mut sim = Sim { status: Status::Open, priority: topic.initial_priority(), assigned: false };
    let mut actions = Vec::new();
    let mut at = created;
    let mut previous = None;
    for (k, &step) in topic.flow.steps().iter().enumerate() {
        let events = match step {
            Prioritise if sim.priority == topic.priority => continue,
            Prioritise => {
                sim.priority = topic.priority;
                1
            }
            Assign if sim.assigned || topic.agent == Agent::Admin => continue,
            Assign => {
                sim.assigned = true;
                1
            }
            AgentReply(line) | AgentNote(line) if topic.text(line).is_some_and(str::is_empty) => continue,
            AgentReply(_) | AgentNote(_) => 1,
            MemberReply(line) if topic.text(line).is_some_and(str::is_empty) => continue,
            MemberReply(_) => match workflow::after_member_reply(sim.status) {
                Some(to) => {
                    sim.status = to;
                    2
                }
                None => 1,
            },
            AgentStatus(_) | MemberClose => {
                let to = if let AgentStatus(to) = step { to } else { Status::Closed };
                if to == sim.status || !workflow::can_move(sim.status, to) {
                    continue;
                }
                sim.status = to;
                1
            }
        };
        let (lo, hi) = delay_minutes(step, previous);
        at += Duration::minutes(roll_range(index, k, 3, lo, hi)) + Duration::seconds(roll_range(index, k, 5, 0, 59));
        if is_staff_step(step) {
            at = office_hours(at, index, k);
        }
        actions.push(Action { step, at, events });
        previous = Some(step);
    }
    fit_before(&mut actions, created, now);
    actions
}

/// Squeezes the tail of a plan that would run past `now` (only the newest tickets): every
/// action at least a minute before the next, the last one a minute before `now` at the latest,
/// and each strictly after the one before.
fn fit_before(actions: &mut [Action], created: DateTime<Utc>, now: DateTime<Utc>) {
    let count = actions.len();
    let mut earliest = created;
    for (k, action) in actions.iter_mut().enumerate() {
        let latest = now - Duration::minutes((count - k) as i64);
        let at = action.at.min(latest).max(earliest + Duration::seconds(1));
        action.at = at.min(now);
        earliest = action.at;
    }
}

/// Where to continue a ticket whose creation was replayed, given how many history events it
/// has: the number of actions already played. A plan is all played when the history holds its
/// events or more (someone may have worked the demo ticket since); a count that matches no
/// step boundary means the ticket was changed by someone else mid-way, and it is left alone.
pub(crate) fn resume_from(actions: &[Action], history_len: usize) -> usize {
    let mut played = 1; // the `created` event
    for (k, action) in actions.iter().enumerate() {
        if played == history_len {
            return k;
        }
        played += action.events;
    }
    actions.len()
}

const GREETINGS: [&str; 3] = ["Hi", "Hello", "Dear"];
const STAFF_SIGN_OFFS: [&str; 4] = ["Best wishes", "Kind regards", "Many thanks", "All the best"];
const MEMBER_SIGN_OFFS: [&str; 6] = ["Thanks,", "Many thanks,", "Cheers,", "Best,", "Regards,", ""];

pub(crate) const THANKS: [&str; 5] = [
    "Thank you, that's all sorted now. Really appreciate the help!",
    "Brilliant, thanks so much. All working now.",
    "Perfect, that's exactly what I needed. Thanks for your patience.",
    "Thanks, confirmed on my side. See you at the boathouse!",
    "Great, thank you. Much appreciated.",
];

pub(crate) const CHASES: [&str; 3] = [
    "I raised this several days ago and still haven't had a reply. Could someone please pick it up? \
     It's getting quite frustrating.",
    "Is anybody actually looking at this? I asked at the boathouse as well and nobody seemed to know \
     who deals with it.",
    "Following up again. I'd really appreciate at least an acknowledgement that this has been \
     received.",
];

pub(crate) const NUDGES: [&str; 2] = [
    "Just checking in on this. When you have a moment, could you reply to my question above so I can \
     finish this off for you?",
    "A gentle reminder that we're waiting on the details above. If we don't hear back within two weeks \
     I'll close this ticket, but you can always reply to reopen it.",
];

/// The text of `line` for the `action`-th call of the `index`-th ticket.
fn line_text(topic: &Topic, line: Line, index: usize, action: usize) -> &'static str {
    let stock: &[&'static str] = match line {
        Thanks => &THANKS,
        Chase => &CHASES,
        Nudge => &NUDGES,
        Reply | FollowUp | Resolution | Note => &[],
    };
    topic.text(line).or_else(|| pick(stock, index, action, 11)).unwrap_or_default()
}

/// A public staff reply: greeting, text, sign-off with the agent's name and job title.
pub(crate) fn staff_message(
    topic: &Topic,
    line: Line,
    index: usize,
    action: usize,
    member_first: &str,
    agent_name: &str,
    agent_title: &str,
) -> String {
    let greeting = pick(&GREETINGS, index, action, 13).unwrap_or("Hi");
    let sign_off = pick(&STAFF_SIGN_OFFS, index, action, 17).unwrap_or("Best wishes");
    let text = line_text(topic, line, index, action);
    format!(
        "{greeting} {member_first},\n\n{text}\n\n{sign_off},\n{agent_name}\n{agent_title}, Harbour City Rowing Association"
    )
}

/// An internal note: the text as it is.
pub(crate) fn note_message(topic: &Topic, line: Line, index: usize, action: usize) -> String {
    line_text(topic, line, index, action).to_owned()
}

/// A member's message (the ticket's description when `action` is `None`), usually signed with
/// their first name; chasers are not signed.
pub(crate) fn member_message(topic: &Topic, line: Option<Line>, index: usize, action: usize, first: &str) -> String {
    let text = match line {
        Some(line) => line_text(topic, line, index, action),
        None => topic.body,
    };
    let sign_off = pick(&MEMBER_SIGN_OFFS, index, action, 19).unwrap_or_default();
    if line == Some(Chase) || sign_off.is_empty() { text.to_owned() } else { format!("{text}\n\n{sign_off}\n{first}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tickets::{CATEGORIES, TOPICS};
    use chrono::TimeZone;
    use memberdesk_domain::{Description, Subject};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 10, 30, 0).single().unwrap_or_default()
    }

    #[test]
    fn every_flow_ends_in_its_status_and_plays_every_step_its_texts_allow() {
        for (index, topic) in TOPICS.iter().enumerate() {
            let created = created_at(index, TOPICS.len(), now());
            let actions = plan(topic, index, created, now());
            let mut status = Status::Open;
            for action in &actions {
                match action.step {
                    AgentStatus(to) => status = to,
                    MemberClose => status = Status::Closed,
                    MemberReply(_) => status = workflow::after_member_reply(status).unwrap_or(status),
                    _ => {}
                }
            }
            assert_eq!(status, topic.flow.final_status(), "ticket {} ({})", index + 1, topic.subject);
            // No status step was dropped: a flow never asks for a refused or empty move.
            let wanted = topic.flow.steps().iter().filter(|s| matches!(s, AgentStatus(_) | MemberClose)).count();
            let played = actions.iter().filter(|a| matches!(a.step, AgentStatus(_) | MemberClose)).count();
            assert_eq!(played, wanted, "ticket {} ({})", index + 1, topic.subject);
        }
    }

    #[test]
    fn texts_a_flow_needs_are_written() {
        for (index, topic) in TOPICS.iter().enumerate() {
            for step in topic.flow.steps() {
                if let AgentReply(line) | MemberReply(line) = step {
                    assert!(
                        topic.text(*line).is_none_or(|t| !t.is_empty()),
                        "ticket {} ({}) needs its {line:?} text",
                        index + 1,
                        topic.subject
                    );
                }
            }
            assert!(Subject::new(topic.subject).is_ok(), "{}", topic.subject);
            assert!(Description::new(topic.body).is_ok(), "{}", topic.subject);
            let sentence_breaks = [". ", "? ", "! "].iter().map(|end| topic.body.matches(end).count()).sum::<usize>();
            assert!(sentence_breaks >= 1, "multi-sentence body: {}", topic.subject);
            assert!(CATEGORIES.contains(&topic.category), "{}", topic.subject);
            assert!(topic.member < 12, "{}", topic.subject);
        }
    }

    #[test]
    fn times_increase_and_never_pass_now() {
        let mut previous_created = None;
        for (index, topic) in TOPICS.iter().enumerate() {
            let created = created_at(index, TOPICS.len(), now());
            assert!(created < now());
            assert!(previous_created.is_none_or(|p| p < created), "tickets are created in table order");
            previous_created = Some(created);
            let mut last = created;
            for action in plan(topic, index, created, now()) {
                assert!(action.at > last, "ticket {}", index + 1);
                assert!(action.at <= now(), "ticket {}", index + 1);
                last = action.at;
            }
        }
        let oldest = created_at(0, TOPICS.len(), now());
        assert!(now() - oldest > Duration::days(170) && now() - oldest < Duration::days(190));
    }

    #[test]
    fn resume_finds_the_step_boundary() {
        let topic = TOPICS.iter().find(|t| t.flow == Flow::ClosedAfterThanks).copied();
        let Some(topic) = topic else { panic!("the table has a ClosedAfterThanks ticket") };
        let actions = plan(&topic, 0, now() - Duration::days(100), now());
        let total: usize = 1 + actions.iter().map(|a| a.events).sum::<usize>();
        assert_eq!(resume_from(&actions, 1), 0);
        assert_eq!(resume_from(&actions, 1 + actions[0].events), 1);
        assert_eq!(resume_from(&actions, total), actions.len());
        assert_eq!(resume_from(&actions, total + 3), actions.len());
    }

    #[test]
    fn staff_replies_greet_the_member_and_sign_with_the_agent() {
        let topic = TOPICS[0];
        let message = staff_message(&topic, Reply, 0, 3, "Daniel", "Priya Natarajan", "Membership & Finance Officer");
        assert!(message.contains(" Daniel,\n\n"), "{message}");
        assert!(message.ends_with("Priya Natarajan\nMembership & Finance Officer, Harbour City Rowing Association"));
        assert!(message.contains(topic.reply));
        let chase = member_message(&topic, Some(Chase), 0, 1, "Daniel");
        assert!(CHASES.contains(&chase.as_str()), "chasers are not signed");
    }
}
