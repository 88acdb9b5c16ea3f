//! The SLA clock (see `docs/sla.md`): business calendars, business-time arithmetic, policies
//! and the tracker that turns a ticket's timeline into due times and states.
//!
//! Pure: time always comes in as an argument; nothing here reads a clock or does I/O.
//!
//! - [`calendar`]: [`BusinessCalendar`] — IANA zone, weekly opening hours, holidays, DST rules.
//! - [`business_time`]: [`business_duration_between`], [`add_business_time`], [`next_opening`].
//! - [`policy`]: [`SlaPolicy`] — targets per priority, counting mode, at-risk share.
//! - [`tracker`]: [`SlaTimeline`] and [`evaluate`] → [`SlaStatus`].
//! - [`ticket_sla`]: what a ticket stores for its SLA ([`TicketSla`]) and how it is refreshed.
//! - [`settings`]: a client's versioned [`SlaSettings`] (policy and [`EscalationActions`]).
//! - [`report`]: the queue's SLA figures ([`SlaReport`]).

pub mod business_time;
pub mod calendar;
pub mod policy;
pub mod report;
pub mod settings;
pub mod ticket_sla;
pub mod tracker;

pub use business_time::{add_business_time, business_duration_between, next_opening};
pub use calendar::{BusinessCalendar, CalendarInput, IntervalInput, OpeningInterval, TimeOfDay, WeeklyHoursInput};
pub use policy::{
    AtRiskShare, PriorityTargets, SlaCounting, SlaPolicy, SlaPolicyInput, SlaTargets, TargetMinutes, TargetsInput,
};
pub use report::{SlaGroupReport, SlaReport, SlaReportGroup, SlaTargetReport};
pub use settings::{EscalationActions, EscalationInput, SlaPolicyId, SlaSettings, SlaSettingsInput};
pub use ticket_sla::{RecordedSla, SlaPeriods, SlaTarget, TicketSla};
pub use tracker::{Period, SlaState, SlaStatus, SlaTimeline, TargetStatus, evaluate};
