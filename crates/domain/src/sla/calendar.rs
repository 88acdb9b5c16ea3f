//! Business calendars: an IANA time zone, opening hours per weekday and holidays.
//!
//! Opening hours are local wall-clock times in the calendar's zone. Each interval boundary on a
//! date is turned into an instant by one rule: **the first instant of that date at which the
//! wall clock shows that time or later** (see [`BusinessCalendar::resolve`]). So a time that is
//! skipped by a spring-forward (02:30 in New York on the second Sunday of March) becomes the
//! moment the clocks jump (03:00 EDT), and a time that happens twice in a fall-back (01:30 on the
//! first Sunday of November) is its first occurrence (01:30 EDT). Between its two boundaries an
//! interval counts the real time that elapses, so a day that loses or gains an hour counts what
//! really passed.

use crate::validation::FieldErrors;
use chrono::{
    DateTime, Datelike, Duration, MappedLocalTime, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The weekday names the calendar input uses, Monday first (ISO order).
pub const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// Limits that keep a calendar a calendar rather than a denial-of-service vector.
pub const MAX_INTERVALS_PER_DAY: usize = 24;
pub const MAX_HOLIDAYS: usize = 1000;

/// A wall-clock time of day with minute precision, `00:00` to `24:00` (the end of the day;
/// allowed only as an interval's end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeOfDay(u16);

impl TimeOfDay {
    pub const MIDNIGHT: TimeOfDay = TimeOfDay(0);
    pub const END_OF_DAY: TimeOfDay = TimeOfDay(24 * 60);

    /// `hour:minute`, with `24:00` as the only time past 23:59.
    pub fn new(hour: u16, minute: u16) -> Option<TimeOfDay> {
        match (hour, minute) {
            (24, 0) => Some(TimeOfDay::END_OF_DAY),
            (0..=23, 0..=59) => Some(TimeOfDay(hour * 60 + minute)),
            _ => None,
        }
    }

    /// Parses `HH:MM` (a one-digit hour is accepted too: `9:00`).
    pub fn parse(value: &str) -> Result<TimeOfDay, String> {
        let message = || format!("`{value}` is not a time of day; use HH:MM between 00:00 and 24:00");
        let (hour, minute) = value.trim().split_once(':').ok_or_else(message)?;
        let digits = |s: &str, max_len: usize| {
            (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u16>().ok())
                .flatten()
        };
        match (digits(hour, 2), (minute.len() == 2).then(|| digits(minute, 2)).flatten()) {
            (Some(h), Some(m)) => TimeOfDay::new(h, m).ok_or_else(message),
            _ => Err(message()),
        }
    }

    /// Minutes since midnight (0–1440).
    pub fn minutes(self) -> u16 {
        self.0
    }

    pub fn is_end_of_day(self) -> bool {
        self == TimeOfDay::END_OF_DAY
    }

    /// The local date-time this time of day names on `date` (`24:00` is the next midnight).
    fn on(self, date: NaiveDate) -> Option<NaiveDateTime> {
        if self.is_end_of_day() {
            return date.succ_opt().map(|next| next.and_time(NaiveTime::MIN));
        }
        date.and_hms_opt(u32::from(self.0 / 60), u32::from(self.0 % 60), 0)
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// One opening interval of a weekday, `[start, end)` in local wall-clock time; `start < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OpeningInterval {
    start: TimeOfDay,
    end: TimeOfDay,
}

impl OpeningInterval {
    /// Refuses empty and inverted intervals (an overnight shift is two intervals: `22:00–24:00`
    /// on one day and `00:00–06:00` on the next; they join without a gap).
    pub fn new(start: TimeOfDay, end: TimeOfDay) -> Result<OpeningInterval, String> {
        if start >= end {
            return Err(format!(
                "the interval {start}–{end} is {}; the start must be before the end (split an overnight \
                 shift into two days)",
                if start == end { "empty" } else { "inverted" }
            ));
        }
        Ok(OpeningInterval { start, end })
    }
    pub fn start(self) -> TimeOfDay {
        self.start
    }
    pub fn end(self) -> TimeOfDay {
        self.end
    }
    /// Nominal length on a day without a clock change.
    pub fn minutes(self) -> u16 {
        self.end.0 - self.start.0
    }
    fn overlaps(self, other: OpeningInterval) -> bool {
        self.start < other.end && other.start < self.end
    }
}

impl fmt::Display for OpeningInterval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.start, self.end)
    }
}

/// A calendar as the API sends it (strings, validated by [`BusinessCalendar::from_input`]).
///
/// ```json
/// { "timeZone": "Europe/London",
///   "hours": { "monday": [{ "start": "09:00", "end": "12:00" }, { "start": "13:00", "end": "17:30" }] },
///   "holidays": ["2026-12-25"] }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarInput {
    #[serde(default)]
    pub time_zone: String,
    #[serde(default)]
    pub hours: WeeklyHoursInput,
    #[serde(default)]
    pub holidays: Vec<String>,
}

/// Opening intervals per weekday; a missing day is closed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WeeklyHoursInput {
    #[serde(default)]
    pub monday: Vec<IntervalInput>,
    #[serde(default)]
    pub tuesday: Vec<IntervalInput>,
    #[serde(default)]
    pub wednesday: Vec<IntervalInput>,
    #[serde(default)]
    pub thursday: Vec<IntervalInput>,
    #[serde(default)]
    pub friday: Vec<IntervalInput>,
    #[serde(default)]
    pub saturday: Vec<IntervalInput>,
    #[serde(default)]
    pub sunday: Vec<IntervalInput>,
    /// Anything else is reported as an unknown weekday (422), not a malformed body (400).
    #[serde(flatten, default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unknown: BTreeMap<String, serde_json::Value>,
}

impl WeeklyHoursInput {
    /// The days Monday first.
    pub fn days(&self) -> [&Vec<IntervalInput>; 7] {
        [&self.monday, &self.tuesday, &self.wednesday, &self.thursday, &self.friday, &self.saturday, &self.sunday]
    }
    fn days_mut(&mut self) -> [&mut Vec<IntervalInput>; 7] {
        [
            &mut self.monday,
            &mut self.tuesday,
            &mut self.wednesday,
            &mut self.thursday,
            &mut self.friday,
            &mut self.saturday,
            &mut self.sunday,
        ]
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntervalInput {
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
}

impl IntervalInput {
    pub fn new(start: &str, end: &str) -> IntervalInput {
        IntervalInput { start: start.into(), end: end.into() }
    }
}

/// A validated business calendar. Build it with [`BusinessCalendar::from_input`] or
/// [`BusinessCalendar::twenty_four_seven`]; every calendar opens at least once a week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CalendarInput", into = "CalendarInput")]
pub struct BusinessCalendar {
    time_zone: Tz,
    /// Monday first; each day sorted by start, without overlaps.
    week: [Vec<OpeningInterval>; 7],
    holidays: BTreeSet<NaiveDate>,
    /// Sum of the nominal interval lengths over one week (always positive).
    weekly_open: Duration,
    /// Open every day 00:00–24:00 with no holidays: business time is plain elapsed time.
    always_open: bool,
}

impl BusinessCalendar {
    /// Open around the clock: UTC, every day 00:00–24:00, no holidays.
    pub fn twenty_four_seven() -> BusinessCalendar {
        let all_day = vec![OpeningInterval { start: TimeOfDay::MIDNIGHT, end: TimeOfDay::END_OF_DAY }];
        BusinessCalendar::assemble(Tz::UTC, std::array::from_fn(|_| all_day.clone()), BTreeSet::new())
    }

    /// Validates a calendar from the API. Field paths start with `calendar.`:
    /// `calendar.timeZone`, `calendar.hours`, `calendar.hours.monday`, `calendar.hours.monday[1]`,
    /// `calendar.hours.monday[1].start`, `calendar.holidays`, `calendar.holidays[0]`.
    pub fn from_input(input: &CalendarInput) -> Result<BusinessCalendar, FieldErrors> {
        let mut errors = FieldErrors::new();
        let calendar = BusinessCalendar::validate(input, "calendar", &mut errors);
        errors.into_result()?;
        calendar.ok_or_else(|| FieldErrors::single("calendar", "is not a valid calendar"))
    }

    /// Validation with a caller-chosen field prefix, adding every problem to `errors`.
    pub(crate) fn validate(input: &CalendarInput, prefix: &str, errors: &mut FieldErrors) -> Option<BusinessCalendar> {
        let time_zone = errors.check(&format!("{prefix}.timeZone"), parse_time_zone(&input.time_zone));

        for day in input.hours.unknown.keys() {
            errors.add(
                &format!("{prefix}.hours.{day}"),
                format!("unknown weekday `{day}`; allowed values are: {}", WEEKDAYS.join(", ")),
            );
        }
        let mut week: [Vec<OpeningInterval>; 7] = Default::default();
        let mut week_ok = true;
        for (index, (name, raw)) in WEEKDAYS.iter().zip(input.hours.days()).enumerate() {
            let field = format!("{prefix}.hours.{name}");
            match validate_day(raw, &field, errors) {
                Some(day) => week[index] = day,
                None => week_ok = false,
            }
        }
        if week_ok && week.iter().all(Vec::is_empty) {
            errors.add(&format!("{prefix}.hours"), "must open at least once a week (or count around the clock)");
        }

        let mut holidays = BTreeSet::new();
        if input.holidays.len() > MAX_HOLIDAYS {
            errors.add(&format!("{prefix}.holidays"), format!("must list at most {MAX_HOLIDAYS} dates"));
        } else {
            for (i, raw) in input.holidays.iter().enumerate() {
                match NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") {
                    Ok(date) => {
                        holidays.insert(date);
                    }
                    Err(_) => errors.add(
                        &format!("{prefix}.holidays[{i}]"),
                        format!("`{raw}` is not a date; use YYYY-MM-DD (a date in the calendar's time zone)"),
                    ),
                }
            }
        }

        let time_zone = time_zone?;
        (week_ok && errors.is_empty()).then(|| BusinessCalendar::assemble(time_zone, week, holidays))
    }

    fn assemble(time_zone: Tz, week: [Vec<OpeningInterval>; 7], holidays: BTreeSet<NaiveDate>) -> BusinessCalendar {
        let weekly_minutes: i64 = week.iter().flatten().map(|i| i64::from(i.minutes())).sum();
        let always_open = holidays.is_empty()
            && week.iter().all(
                |day| matches!(day.as_slice(), [only] if only.start == TimeOfDay::MIDNIGHT && only.end.is_end_of_day()),
            );
        BusinessCalendar { time_zone, week, holidays, weekly_open: Duration::minutes(weekly_minutes), always_open }
    }

    pub fn time_zone(&self) -> Tz {
        self.time_zone
    }
    /// The opening intervals of a weekday, sorted by start.
    pub fn hours(&self, weekday: chrono::Weekday) -> &[OpeningInterval] {
        &self.week[weekday.num_days_from_monday() as usize]
    }
    pub fn holidays(&self) -> &BTreeSet<NaiveDate> {
        &self.holidays
    }
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.contains(&date)
    }
    /// Nominal open time per week (ignoring holidays and clock changes).
    pub fn weekly_open(&self) -> Duration {
        self.weekly_open
    }
    /// Open every moment: business time equals elapsed time.
    pub fn is_always_open(&self) -> bool {
        self.always_open
    }

    /// The calendar date of an instant in the calendar's zone.
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.time_zone).date_naive()
    }

    /// Whether business time is counting at `at` (intervals are half-open: open at the start,
    /// closed at the end).
    pub fn is_open_at(&self, at: DateTime<Utc>) -> bool {
        if self.always_open {
            return true;
        }
        let date = self.local_date(at);
        [date.pred_opt(), Some(date)]
            .into_iter()
            .flatten()
            .any(|d| self.day_spans(d).any(|(from, to)| from <= at && at < to))
    }

    /// The instant a wall-clock time of `date` stands for: the first instant of that date at
    /// which the calendar's wall clock shows `time` or later (`24:00` is the next midnight).
    /// A skipped time (spring-forward gap) gives the instant the clocks jump; a repeated time
    /// (fall-back) gives its first occurrence. `None` only at the ends of chrono's range.
    pub fn resolve(&self, date: NaiveDate, time: TimeOfDay) -> Option<DateTime<Utc>> {
        resolve_local(self.time_zone, time.on(date)?)
    }

    /// The real open spans of a date, in order (empty on holidays). A span may be empty when
    /// its interval falls wholly inside a spring-forward gap; those are left out.
    pub(crate) fn day_spans(&self, date: NaiveDate) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)> + '_ {
        let intervals: &[OpeningInterval] =
            if self.is_holiday(date) { &[] } else { &self.week[date.weekday().num_days_from_monday() as usize] };
        intervals.iter().filter_map(move |interval| {
            let from = self.resolve(date, interval.start)?;
            let to = self.resolve(date, interval.end)?;
            (from < to).then_some((from, to))
        })
    }

    /// When the seven days from `date` are a plain week — no holiday, and the same UTC offset at
    /// each of the eight local midnights (zones never change their offset twice within a day) —
    /// returns the instants the week starts and ends: its open time is then exactly
    /// [`BusinessCalendar::weekly_open`].
    pub(crate) fn plain_week(&self, date: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let end_date = date.checked_add_days(chrono::Days::new(7))?;
        if self.holidays.range(date..end_date).next().is_some() {
            return None;
        }
        let offset_at = |d: NaiveDate| match self.time_zone.from_local_datetime(&d.and_time(NaiveTime::MIN)) {
            MappedLocalTime::Single(t) => Some((t.offset().fix(), t.to_utc())),
            _ => None,
        };
        let (offset, start) = offset_at(date)?;
        let (end_offset, end) = offset_at(end_date)?;
        if end_offset != offset {
            return None;
        }
        let mut day = date;
        for _ in 1..7 {
            day = day.succ_opt()?;
            if offset_at(day)?.0 != offset {
                return None;
            }
        }
        Some((start, end))
    }

    /// The raw form, as the API shows it.
    pub fn to_input(&self) -> CalendarInput {
        let mut hours = WeeklyHoursInput::default();
        for (day, intervals) in hours.days_mut().into_iter().zip(&self.week) {
            *day = intervals.iter().map(|i| IntervalInput::new(&i.start.to_string(), &i.end.to_string())).collect();
        }
        CalendarInput {
            time_zone: self.time_zone.name().to_owned(),
            hours,
            holidays: self.holidays.iter().map(|d| d.format("%Y-%m-%d").to_string()).collect(),
        }
    }
}

impl TryFrom<CalendarInput> for BusinessCalendar {
    type Error = FieldErrors;
    fn try_from(input: CalendarInput) -> Result<Self, Self::Error> {
        BusinessCalendar::from_input(&input)
    }
}

impl From<BusinessCalendar> for CalendarInput {
    fn from(calendar: BusinessCalendar) -> Self {
        calendar.to_input()
    }
}

/// Parses an IANA zone name (`Europe/London`, `America/New_York`, `UTC`); case matters.
pub fn parse_time_zone(value: &str) -> Result<Tz, String> {
    let name = value.trim();
    if name.is_empty() {
        return Err("is required: an IANA time zone such as Europe/London".into());
    }
    name.parse::<Tz>()
        .map_err(|_| format!("unknown time zone `{name}`; use an IANA name such as Europe/London or America/New_York"))
}

fn validate_day(raw: &[IntervalInput], field: &str, errors: &mut FieldErrors) -> Option<Vec<OpeningInterval>> {
    if raw.len() > MAX_INTERVALS_PER_DAY {
        errors.add(field, format!("must have at most {MAX_INTERVALS_PER_DAY} intervals"));
        return None;
    }
    let mut ok = true;
    let mut accepted: Vec<(usize, OpeningInterval)> = Vec::with_capacity(raw.len());
    for (i, input) in raw.iter().enumerate() {
        let path = format!("{field}[{i}]");
        let start = errors.check(&format!("{path}.start"), TimeOfDay::parse(&input.start));
        let end = errors.check(&format!("{path}.end"), TimeOfDay::parse(&input.end));
        let (Some(start), Some(end)) = (start, end) else {
            ok = false;
            continue;
        };
        if start.is_end_of_day() {
            errors.add(&format!("{path}.start"), "24:00 is the end of the day; an interval cannot start there");
            ok = false;
            continue;
        }
        let Some(interval) = errors.check(&path, OpeningInterval::new(start, end)) else {
            ok = false;
            continue;
        };
        if let Some((j, other)) = accepted.iter().find(|(_, other)| other.overlaps(interval)) {
            errors.add(&path, format!("{interval} overlaps {field}[{j}] ({other})"));
            ok = false;
            continue;
        }
        accepted.push((i, interval));
    }
    if !ok {
        return None;
    }
    let mut day: Vec<OpeningInterval> = accepted.into_iter().map(|(_, i)| i).collect();
    day.sort_by_key(|i| i.start);
    Some(day)
}

/// The first instant at which `tz`'s wall clock shows `local` or later.
pub(crate) fn resolve_local(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        MappedLocalTime::Single(t) => Some(t.to_utc()),
        MappedLocalTime::Ambiguous(a, b) => Some(a.to_utc().min(b.to_utc())),
        MappedLocalTime::None => end_of_gap(tz, local),
    }
}

/// `local` falls in a gap (the clocks jumped over it): finds the instant of the jump, the first
/// whole second whose wall-clock time is at or after `local`, by bisection over a window wider
/// than any UTC offset. Transitions fall on whole seconds.
fn end_of_gap(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    const WINDOW: i64 = 26 * 3600;
    let shows_at_least = |secs: i64| {
        DateTime::<Utc>::from_timestamp(secs, 0).map(|t| tz.from_utc_datetime(&t.naive_utc()).naive_local() >= local)
    };
    let centre = local.and_utc().timestamp();
    let (mut lo, mut hi) = (centre - WINDOW, centre + WINDOW);
    if shows_at_least(lo)? || !shows_at_least(hi)? {
        return None;
    }
    // Invariant: shows_at_least(lo) is false, shows_at_least(hi) is true.
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if shows_at_least(mid)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    DateTime::<Utc>::from_timestamp(hi, 0)
}
