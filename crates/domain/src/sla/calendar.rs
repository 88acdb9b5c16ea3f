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
        [date.pred_opt(), Some(date), date.succ_opt()]
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

#[cfg(test)]
mod tests {
    use super::*;

    fn input(zone: &str, monday: &[(&str, &str)]) -> CalendarInput {
        CalendarInput {
            time_zone: zone.into(),
            hours: WeeklyHoursInput {
                monday: monday.iter().map(|(s, e)| IntervalInput::new(s, e)).collect(),
                ..WeeklyHoursInput::default()
            },
            holidays: vec![],
        }
    }

    fn errors_of(input: &CalendarInput) -> FieldErrors {
        BusinessCalendar::from_input(input).err().unwrap_or_default()
    }

    #[test]
    fn times_of_day_parse_strictly() {
        assert_eq!(TimeOfDay::parse("09:00").map(TimeOfDay::minutes), Ok(540));
        assert_eq!(TimeOfDay::parse("9:05").map(TimeOfDay::minutes), Ok(545));
        assert_eq!(TimeOfDay::parse("24:00"), Ok(TimeOfDay::END_OF_DAY));
        for bad in ["", "9", "09:0", "09:000", "24:01", "25:00", "12:60", "ab:cd", "-1:00", "+9:00", "09.00", "009:00"]
        {
            assert!(TimeOfDay::parse(bad).is_err(), "{bad:?} must be refused");
        }
        assert_eq!(TimeOfDay::parse("17:30").map(|t| t.to_string()), Ok("17:30".to_owned()));
    }

    #[test]
    fn a_valid_calendar_sorts_its_intervals_and_round_trips() {
        let mut raw = input("Europe/London", &[("13:00", "17:30"), ("09:00", "12:00")]);
        raw.holidays = vec!["2026-12-25".into(), "2026-12-24".into(), "2026-12-25".into()];
        let cal = BusinessCalendar::from_input(&raw).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cal.time_zone(), Tz::Europe__London);
        let monday: Vec<String> = cal.hours(chrono::Weekday::Mon).iter().map(ToString::to_string).collect();
        assert_eq!(monday, ["09:00–12:00", "13:00–17:30"]);
        assert!(cal.hours(chrono::Weekday::Tue).is_empty());
        assert_eq!(cal.holidays().len(), 2);
        assert_eq!(cal.weekly_open(), Duration::minutes(180 + 270));
        assert!(!cal.is_always_open());
        // The raw form parses back to the same calendar, and serde goes through validation.
        assert_eq!(BusinessCalendar::from_input(&cal.to_input()).as_ref(), Ok(&cal));
        let json = serde_json::to_string(&cal).unwrap_or_default();
        assert!(json.contains("\"timeZone\":\"Europe/London\""), "{json}");
        assert_eq!(serde_json::from_str::<BusinessCalendar>(&json).ok(), Some(cal));
        let refused = serde_json::from_str::<BusinessCalendar>(r#"{"timeZone":"Mars/Olympus","hours":{"monday":[]}}"#);
        assert!(refused.is_err());
    }

    #[test]
    fn touching_intervals_are_not_overlapping() {
        assert!(BusinessCalendar::from_input(&input("UTC", &[("09:00", "12:00"), ("12:00", "13:00")])).is_ok());
        assert!(BusinessCalendar::from_input(&input("UTC", &[("00:00", "24:00")])).is_ok());
    }

    #[test]
    fn unknown_and_missing_time_zones_name_the_field() {
        for zone in ["Mars/Olympus", "", "europe/london", "GMT+25"] {
            let errors = errors_of(&input(zone, &[("09:00", "17:00")]));
            assert!(errors.get("calendar.timeZone").is_some(), "{zone:?}: {errors}");
        }
        assert!(BusinessCalendar::from_input(&input("America/New_York", &[("09:00", "17:00")])).is_ok());
        assert!(BusinessCalendar::from_input(&input("UTC", &[("09:00", "17:00")])).is_ok());
    }

    #[test]
    fn inverted_and_empty_intervals_name_the_interval() {
        let errors = errors_of(&input("UTC", &[("09:00", "12:00"), ("17:00", "13:00"), ("14:00", "14:00")]));
        assert!(errors.get("calendar.hours.monday[1]").is_some_and(|m| m.contains("inverted")), "{errors}");
        assert!(errors.get("calendar.hours.monday[2]").is_some_and(|m| m.contains("empty")), "{errors}");
        assert!(errors.get("calendar.hours.monday[0]").is_none());
        // An overnight shift is refused with a hint to split it.
        let errors = errors_of(&input("UTC", &[("22:00", "06:00")]));
        assert!(errors.get("calendar.hours.monday[0]").is_some_and(|m| m.contains("overnight")), "{errors}");
    }

    #[test]
    fn overlapping_intervals_name_the_later_one_and_the_one_it_overlaps() {
        let errors = errors_of(&input("UTC", &[("09:00", "12:00"), ("13:00", "17:00"), ("11:30", "13:30")]));
        let message = errors.get("calendar.hours.monday[2]").unwrap_or_default();
        assert!(message.contains("calendar.hours.monday[0]"), "{message}");
        assert_eq!(errors.iter().count(), 1, "{errors}");
        let errors = errors_of(&input("UTC", &[("09:00", "17:00"), ("10:00", "11:00")]));
        assert!(errors.get("calendar.hours.monday[1]").is_some(), "{errors}");
    }

    #[test]
    fn malformed_times_name_start_or_end() {
        let errors = errors_of(&input("UTC", &[("9am", "17:00"), ("13:00", "25:00"), ("24:00", "24:00")]));
        assert!(errors.get("calendar.hours.monday[0].start").is_some(), "{errors}");
        assert!(errors.get("calendar.hours.monday[1].end").is_some(), "{errors}");
        assert!(errors.get("calendar.hours.monday[2].start").is_some_and(|m| m.contains("24:00")), "{errors}");
    }

    #[test]
    fn a_calendar_that_never_opens_is_refused() {
        let errors = errors_of(&input("UTC", &[]));
        assert!(errors.get("calendar.hours").is_some_and(|m| m.contains("at least once")), "{errors}");
    }

    #[test]
    fn unknown_weekdays_holidays_and_limits_name_the_field() {
        let raw: CalendarInput = serde_json::from_str(
            r#"{"timeZone":"UTC","hours":{"monday":[{"start":"09:00","end":"17:00"}],"funday":[]},
                "holidays":["2026-12-25","25/12/2026","2026-02-30"]}"#,
        )
        .unwrap_or_default();
        let errors = errors_of(&raw);
        assert!(errors.get("calendar.hours.funday").is_some_and(|m| m.contains("monday")), "{errors}");
        assert!(errors.get("calendar.holidays[0]").is_none(), "{errors}");
        assert!(errors.get("calendar.holidays[1]").is_some(), "{errors}");
        assert!(errors.get("calendar.holidays[2]").is_some(), "{errors}");

        let many = vec![("09:00", "09:01"); MAX_INTERVALS_PER_DAY + 1];
        let errors = errors_of(&input("UTC", &many));
        assert!(errors.get("calendar.hours.monday").is_some(), "{errors}");

        let mut raw = input("UTC", &[("09:00", "17:00")]);
        raw.holidays = vec!["2026-01-01".into(); MAX_HOLIDAYS + 1];
        assert!(errors_of(&raw).get("calendar.holidays").is_some());
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut raw = input("Nowhere/Special", &[("17:00", "09:00")]);
        raw.hours.friday = vec![IntervalInput::new("09:00", "soon")];
        raw.holidays = vec!["tomorrow".into()];
        let errors = errors_of(&raw);
        let fields: Vec<&str> = errors.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            fields,
            ["calendar.holidays[0]", "calendar.hours.friday[0].end", "calendar.hours.monday[0]", "calendar.timeZone"]
        );
    }

    #[test]
    fn twenty_four_seven_is_always_open() {
        let cal = BusinessCalendar::twenty_four_seven();
        assert!(cal.is_always_open());
        assert_eq!(cal.weekly_open(), Duration::days(7));
        assert_eq!(BusinessCalendar::from_input(&cal.to_input()).map(|c| c.is_always_open()), Ok(true));
        // Full days with a holiday are not "always open".
        let mut raw = cal.to_input();
        raw.holidays = vec!["2026-12-25".into()];
        assert_eq!(BusinessCalendar::from_input(&raw).map(|c| c.is_always_open()), Ok(false));
    }

    #[test]
    fn resolving_wall_clock_times_across_clock_changes() {
        let ny = BusinessCalendar::from_input(&input("America/New_York", &[("09:00", "17:00")]))
            .unwrap_or_else(|e| panic!("{e}"));
        let date = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
        let at = |t: &str| DateTime::parse_from_rfc3339(t).map(|t| t.to_utc()).ok();
        let time = |s: &str| TimeOfDay::parse(s).unwrap_or(TimeOfDay::MIDNIGHT);
        // Skipped: 02:30 on 2026-03-08 → the jump, 03:00 EDT.
        assert_eq!(ny.resolve(date(3, 8), time("02:30")), at("2026-03-08T07:00:00Z"));
        assert_eq!(ny.resolve(date(3, 8), time("02:00")), at("2026-03-08T07:00:00Z"));
        assert_eq!(ny.resolve(date(3, 8), time("03:00")), at("2026-03-08T07:00:00Z"));
        // Repeated: 01:30 on 2026-11-01 → the first, 01:30 EDT.
        assert_eq!(ny.resolve(date(11, 1), time("01:30")), at("2026-11-01T05:30:00Z"));
        assert_eq!(ny.resolve(date(11, 1), time("02:00")), at("2026-11-01T07:00:00Z"));
        assert_eq!(ny.resolve(date(11, 1), TimeOfDay::END_OF_DAY), at("2026-11-02T05:00:00Z"));
        // A zone whose clocks skipped a whole day: Samoa went from 2011-12-29 to 2011-12-31.
        let samoa = BusinessCalendar::from_input(&input("Pacific/Apia", &[("09:00", "17:00")]))
            .unwrap_or_else(|e| panic!("{e}"));
        let skipped = NaiveDate::from_ymd_opt(2011, 12, 30).unwrap_or_default();
        let next_day = samoa.resolve(skipped.succ_opt().unwrap_or_default(), TimeOfDay::MIDNIGHT);
        assert_eq!(samoa.resolve(skipped, time("12:00")), next_day);
        assert_eq!(samoa.day_spans(skipped).count(), 0);
    }
}
