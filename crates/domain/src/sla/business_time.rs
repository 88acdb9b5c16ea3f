//! Business-time arithmetic on a [`BusinessCalendar`]: how much open time lies between two
//! instants, and when a given amount of open time has elapsed.
//!
//! Both walk the calendar day by day in its own zone and jump over whole "plain" weeks (no
//! holiday, no clock change) in one step, so a span of months costs a few dozen steps, never a
//! loop per minute.

use super::calendar::BusinessCalendar;
use chrono::{DateTime, Days, Duration, NaiveDate, Utc};

/// The open time of `calendar` inside `[from, to)`. Zero when `to` is not after `from`.
pub fn business_duration_between(calendar: &BusinessCalendar, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
    if to <= from {
        return Duration::zero();
    }
    if calendar.is_always_open() {
        return to - from;
    }
    // Start a day early: with a clock change at midnight, the spans of the previous date can
    // reach past the instant `from`.
    let mut date = walk_start(calendar, from);
    // And end a day late, for the same reason at the other end.
    let last = calendar.local_date(to);
    let last = last.succ_opt().unwrap_or(last);
    let mut total = Duration::zero();
    while date <= last {
        if let Some((week_start, week_end)) = calendar.plain_week(date)
            && week_start >= from
            && week_end <= to
            && let Some(next) = date.checked_add_days(Days::new(7))
        {
            total += calendar.weekly_open();
            date = next;
            continue;
        }
        for (open, close) in calendar.day_spans(date) {
            let (open, close) = (open.max(from), close.min(to));
            if close > open {
                total += close - open;
            }
        }
        let Some(next) = date.succ_opt() else { break };
        date = next;
    }
    total
}

/// The instant at which `duration` of open time has elapsed after `start`: counting begins at
/// `start` if the calendar is open then, otherwise at the next opening, and the result is the
/// first instant the amount is reached — inside an opening interval or exactly at its end.
/// A zero or negative duration gives `start` back. Past the end of chrono's range the result
/// saturates at [`DateTime::<Utc>::MAX_UTC`].
pub fn add_business_time(calendar: &BusinessCalendar, start: DateTime<Utc>, duration: Duration) -> DateTime<Utc> {
    if duration <= Duration::zero() {
        return start;
    }
    if calendar.is_always_open() {
        return start.checked_add_signed(duration).unwrap_or(DateTime::<Utc>::MAX_UTC);
    }
    if calendar.weekly_open() <= Duration::zero() {
        // Cannot be built through the constructors; never loop forever all the same.
        return DateTime::<Utc>::MAX_UTC;
    }
    let mut remaining = duration;
    let mut date = walk_start(calendar, start);
    loop {
        if let Some((week_start, _)) = calendar.plain_week(date)
            && week_start >= start
            && calendar.weekly_open() < remaining
            && let Some(next) = date.checked_add_days(Days::new(7))
        {
            remaining -= calendar.weekly_open();
            date = next;
            continue;
        }
        for (open, close) in calendar.day_spans(date) {
            let open = open.max(start);
            if close <= open {
                continue;
            }
            let available = close - open;
            if available >= remaining {
                return open + remaining;
            }
            remaining -= available;
        }
        let Some(next) = date.succ_opt() else { return DateTime::<Utc>::MAX_UTC };
        date = next;
    }
}

/// The first open instant at or after `at` (`at` itself when the calendar is open then).
pub fn next_opening(calendar: &BusinessCalendar, at: DateTime<Utc>) -> DateTime<Utc> {
    if calendar.is_always_open() || calendar.is_open_at(at) {
        return at;
    }
    // The open time right after the next opening starts there: find it by adding the smallest
    // positive amount and stepping back.
    let tick = Duration::nanoseconds(1);
    add_business_time(calendar, at, tick) - tick
}

fn walk_start(calendar: &BusinessCalendar, at: DateTime<Utc>) -> NaiveDate {
    let date = calendar.local_date(at);
    date.pred_opt().unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sla::calendar::{CalendarInput, IntervalInput, WeeklyHoursInput};
    use chrono::{TimeZone, Timelike};
    use proptest::prelude::*;

    pub(crate) fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().unwrap_or_else(|| unreachable!())
    }

    fn intervals(spec: &[(&str, &str)]) -> Vec<IntervalInput> {
        spec.iter().map(|(s, e)| IntervalInput::new(s, e)).collect()
    }

    /// Mon–Fri with the given intervals, in `zone`.
    fn weekdays(zone: &str, spec: &[(&str, &str)], holidays: &[&str]) -> BusinessCalendar {
        let day = intervals(spec);
        let input = CalendarInput {
            time_zone: zone.into(),
            hours: WeeklyHoursInput {
                monday: day.clone(),
                tuesday: day.clone(),
                wednesday: day.clone(),
                thursday: day.clone(),
                friday: day,
                ..WeeklyHoursInput::default()
            },
            holidays: holidays.iter().map(|h| (*h).to_owned()).collect(),
        };
        BusinessCalendar::from_input(&input).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Every day with the given intervals, in `zone`.
    fn every_day(zone: &str, spec: &[(&str, &str)]) -> BusinessCalendar {
        let day = intervals(spec);
        let input = CalendarInput {
            time_zone: zone.into(),
            hours: WeeklyHoursInput {
                monday: day.clone(),
                tuesday: day.clone(),
                wednesday: day.clone(),
                thursday: day.clone(),
                friday: day.clone(),
                saturday: day.clone(),
                sunday: day,
                ..WeeklyHoursInput::default()
            },
            holidays: vec![],
        };
        BusinessCalendar::from_input(&input).unwrap_or_else(|e| panic!("{e}"))
    }

    fn office() -> BusinessCalendar {
        weekdays("UTC", &[("09:00", "17:00")], &[])
    }

    #[test]
    fn within_one_interval_counts_elapsed_time() {
        // 2026-01-05 is a Monday.
        let cal = office();
        assert_eq!(
            business_duration_between(&cal, utc(2026, 1, 5, 10, 0), utc(2026, 1, 5, 12, 30)),
            Duration::minutes(150)
        );
        assert_eq!(add_business_time(&cal, utc(2026, 1, 5, 10, 0), Duration::minutes(150)), utc(2026, 1, 5, 12, 30));
    }

    #[test]
    fn overnight_spans_skip_the_closed_night() {
        let cal = office();
        // Mon 16:00 → Tue 10:00: 1h Monday + 1h Tuesday.
        assert_eq!(business_duration_between(&cal, utc(2026, 1, 5, 16, 0), utc(2026, 1, 6, 10, 0)), Duration::hours(2));
        assert_eq!(add_business_time(&cal, utc(2026, 1, 5, 16, 0), Duration::hours(2)), utc(2026, 1, 6, 10, 0));
        // Landing exactly on the close gives the close, not the next opening.
        assert_eq!(add_business_time(&cal, utc(2026, 1, 5, 16, 0), Duration::hours(1)), utc(2026, 1, 5, 17, 0));
    }

    #[test]
    fn weekend_spans_skip_saturday_and_sunday() {
        let cal = office();
        // Fri 2026-01-09 15:00 + 4h → Mon 2026-01-12 11:00.
        assert_eq!(add_business_time(&cal, utc(2026, 1, 9, 15, 0), Duration::hours(4)), utc(2026, 1, 12, 11, 0));
        assert_eq!(
            business_duration_between(&cal, utc(2026, 1, 9, 15, 0), utc(2026, 1, 12, 11, 0)),
            Duration::hours(4)
        );
        // The whole weekend counts nothing.
        assert_eq!(business_duration_between(&cal, utc(2026, 1, 9, 17, 0), utc(2026, 1, 12, 9, 0)), Duration::zero());
    }

    #[test]
    fn start_outside_hours_counts_from_the_next_opening() {
        let cal = office();
        assert_eq!(add_business_time(&cal, utc(2026, 1, 5, 6, 0), Duration::minutes(30)), utc(2026, 1, 5, 9, 30));
        assert_eq!(add_business_time(&cal, utc(2026, 1, 10, 12, 0), Duration::minutes(30)), utc(2026, 1, 12, 9, 30));
        assert_eq!(next_opening(&cal, utc(2026, 1, 10, 12, 0)), utc(2026, 1, 12, 9, 0));
        assert_eq!(next_opening(&cal, utc(2026, 1, 12, 9, 10)), utc(2026, 1, 12, 9, 10));
    }

    #[test]
    fn holidays_are_closed_days() {
        // Thu 2026-12-24 and Fri 2026-12-25 are holidays.
        let cal = weekdays("Europe/London", &[("09:00", "17:00")], &["2026-12-24", "2026-12-25"]);
        // Wed 23 Dec 16:00 GMT + 2h → Mon 28 Dec 10:00 GMT.
        assert_eq!(add_business_time(&cal, utc(2026, 12, 23, 16, 0), Duration::hours(2)), utc(2026, 12, 28, 10, 0));
        assert_eq!(business_duration_between(&cal, utc(2026, 12, 24, 0, 0), utc(2026, 12, 26, 0, 0)), Duration::zero());
        assert!(!cal.is_open_at(utc(2026, 12, 24, 10, 0)));
        assert!(cal.is_open_at(utc(2026, 12, 23, 10, 0)));
    }

    #[test]
    fn several_intervals_a_day() {
        let cal = weekdays("UTC", &[("09:00", "12:00"), ("13:00", "17:30")], &[]);
        // Mon 11:00 + 2h: 1h before lunch, 1h after → 14:00.
        assert_eq!(add_business_time(&cal, utc(2026, 1, 5, 11, 0), Duration::hours(2)), utc(2026, 1, 5, 14, 0));
        // One full day is 7.5h.
        assert_eq!(
            business_duration_between(&cal, utc(2026, 1, 5, 0, 0), utc(2026, 1, 6, 0, 0)),
            Duration::minutes(450)
        );
        // Lunch does not count.
        assert_eq!(business_duration_between(&cal, utc(2026, 1, 5, 12, 0), utc(2026, 1, 5, 13, 0)), Duration::zero());
        assert!(!cal.is_open_at(utc(2026, 1, 5, 12, 30)));
        assert!(cal.is_open_at(utc(2026, 1, 5, 13, 0)));
        assert!(!cal.is_open_at(utc(2026, 1, 5, 17, 30)));
    }

    #[test]
    fn local_hours_follow_the_zone() {
        // 09:00–17:00 in New York is 14:00–22:00 UTC in January (EST, UTC−5).
        let cal = weekdays("America/New_York", &[("09:00", "17:00")], &[]);
        assert_eq!(add_business_time(&cal, utc(2026, 1, 5, 0, 0), Duration::hours(1)), utc(2026, 1, 5, 15, 0));
        // Monday 21:00 UTC is 16:00 EST: one hour left that day, then Tuesday 09:00 EST.
        assert_eq!(add_business_time(&cal, utc(2026, 1, 5, 21, 0), Duration::hours(2)), utc(2026, 1, 6, 15, 0));
    }

    #[test]
    fn long_spans_jump_whole_weeks() {
        let cal = office();
        // 365 days of business time at 40h a week is 219 weeks; Mon 2026-01-05 09:00 + 219 weeks.
        let start = utc(2026, 1, 5, 9, 0);
        let due = add_business_time(&cal, start, Duration::days(365));
        assert_eq!(due, utc(2026, 1, 5, 9, 0) + Duration::weeks(219) - Duration::hours(16) - Duration::days(2));
        assert_eq!(business_duration_between(&cal, start, due), Duration::days(365));
    }

    #[test]
    fn twenty_four_seven_is_plain_elapsed_time() {
        let cal = BusinessCalendar::twenty_four_seven();
        assert!(cal.is_always_open());
        let start = utc(2026, 3, 28, 23, 0);
        assert_eq!(add_business_time(&cal, start, Duration::minutes(90)), utc(2026, 3, 29, 0, 30));
        assert_eq!(business_duration_between(&cal, start, utc(2026, 3, 30, 23, 0)), Duration::days(2));
    }

    #[test]
    fn non_positive_durations_and_reversed_spans_count_nothing() {
        let cal = office();
        let at = utc(2026, 1, 5, 10, 0);
        assert_eq!(add_business_time(&cal, at, Duration::zero()), at);
        assert_eq!(add_business_time(&cal, at, Duration::minutes(-5)), at);
        assert_eq!(business_duration_between(&cal, at, at - Duration::hours(3)), Duration::zero());
    }

    // --- Daylight saving, computed by hand ---------------------------------------------------

    #[test]
    fn new_york_spring_forward_day_of_01_to_04_is_two_real_hours() {
        // Sun 2026-03-08: 02:00 EST jumps to 03:00 EDT. 01:00 EST = 06:00Z, 04:00 EDT = 08:00Z.
        let cal = every_day("America/New_York", &[("01:00", "04:00")]);
        assert_eq!(business_duration_between(&cal, utc(2026, 3, 8, 0, 0), utc(2026, 3, 9, 0, 0)), Duration::hours(2));
        assert_eq!(add_business_time(&cal, utc(2026, 3, 8, 6, 0), Duration::minutes(90)), utc(2026, 3, 8, 7, 30));
        assert_eq!(add_business_time(&cal, utc(2026, 3, 8, 6, 0), Duration::hours(2)), utc(2026, 3, 8, 8, 0));
        // Local 02:30 does not exist: that moment is 03:30 EDT on the wall clock, 07:30Z.
        assert!(cal.is_open_at(utc(2026, 3, 8, 7, 30)));
        // The Saturday before: a normal three hours, 06:00Z–09:00Z.
        assert_eq!(business_duration_between(&cal, utc(2026, 3, 7, 0, 0), utc(2026, 3, 8, 0, 0)), Duration::hours(3));
    }

    #[test]
    fn new_york_fall_back_day_of_01_to_04_is_four_real_hours() {
        // Sun 2026-11-01: 02:00 EDT falls back to 01:00 EST. 01:00 EDT = 05:00Z, 04:00 EST = 09:00Z.
        let cal = every_day("America/New_York", &[("01:00", "04:00")]);
        assert_eq!(business_duration_between(&cal, utc(2026, 11, 1, 0, 0), utc(2026, 11, 2, 0, 0)), Duration::hours(4));
        assert_eq!(add_business_time(&cal, utc(2026, 11, 1, 0, 0), Duration::hours(4)), utc(2026, 11, 1, 9, 0));
        // Sat 03:00 EDT (07:00Z) + 5h: 1h to Saturday's close (08:00Z), then Sunday's 4 real hours.
        assert_eq!(add_business_time(&cal, utc(2026, 10, 31, 7, 0), Duration::hours(5)), utc(2026, 11, 1, 9, 0));
        // 4h30 lands on Monday: 01:00 EST = 06:00Z, + 30min.
        assert_eq!(add_business_time(&cal, utc(2026, 11, 1, 0, 0), Duration::minutes(270)), utc(2026, 11, 2, 6, 30));
    }

    #[test]
    fn skipped_and_repeated_boundaries_resolve_to_the_first_moment_the_clock_shows_them() {
        // Spring: 02:30–05:00 opens when the clocks jump to 03:00 EDT (07:00Z), closes 05:00 EDT (09:00Z).
        let cal = every_day("America/New_York", &[("02:30", "05:00")]);
        assert_eq!(business_duration_between(&cal, utc(2026, 3, 8, 0, 0), utc(2026, 3, 9, 0, 0)), Duration::hours(2));
        assert_eq!(next_opening(&cal, utc(2026, 3, 8, 5, 0)), utc(2026, 3, 8, 7, 0));
        // An interval wholly inside the gap is closed that day.
        let gap = every_day("America/New_York", &[("02:10", "02:50")]);
        assert_eq!(business_duration_between(&gap, utc(2026, 3, 8, 0, 0), utc(2026, 3, 9, 0, 0)), Duration::zero());
        assert_eq!(
            business_duration_between(&gap, utc(2026, 3, 9, 0, 0), utc(2026, 3, 10, 0, 0)),
            Duration::minutes(40)
        );
        // Fall: 00:00–01:30 closes at the first 01:30 (EDT, 05:30Z): 1.5 real hours.
        let early = every_day("America/New_York", &[("00:00", "01:30")]);
        assert_eq!(
            business_duration_between(&early, utc(2026, 11, 1, 0, 0), utc(2026, 11, 2, 0, 0)),
            Duration::minutes(90)
        );
        assert_eq!(add_business_time(&early, utc(2026, 11, 1, 4, 0), Duration::minutes(90)), utc(2026, 11, 1, 5, 30));
    }

    #[test]
    fn london_spring_forward_and_fall_back_by_hand() {
        // Sun 2026-03-29: 01:00 GMT jumps to 02:00 BST. 00:00–03:00 = 00:00Z–02:00Z = 2h.
        let cal = every_day("Europe/London", &[("00:00", "03:00")]);
        assert_eq!(
            business_duration_between(&cal, utc(2026, 3, 28, 12, 0), utc(2026, 3, 29, 12, 0)),
            Duration::hours(2)
        );
        // Sun 2026-10-25: 02:00 BST falls back to 01:00 GMT. 00:00 BST = Sat 23:00Z, 03:00 GMT = 03:00Z = 4h.
        assert_eq!(
            business_duration_between(&cal, utc(2026, 10, 24, 12, 0), utc(2026, 10, 25, 12, 0)),
            Duration::hours(4)
        );
        assert_eq!(add_business_time(&cal, utc(2026, 10, 24, 12, 0), Duration::hours(4)), utc(2026, 10, 25, 3, 0));
        // Whole-day calendar: the spring day is 23 real hours, the autumn day 25.
        let all_day = every_day("Europe/London", &[("00:00", "24:00")]);
        assert_eq!(
            business_duration_between(&all_day, utc(2026, 3, 28, 12, 0), utc(2026, 3, 30, 12, 0)),
            Duration::hours(48)
        );
        assert_eq!(
            business_duration_between(&all_day, utc(2026, 3, 29, 0, 0), utc(2026, 3, 29, 23, 0)),
            Duration::hours(23)
        );
    }

    #[test]
    fn office_hours_keep_their_wall_clock_across_the_change() {
        // Open every day 08:00–18:00 in New York. Sat 2026-03-07 17:00 EST (22:00Z) + 2h:
        // 1h to 18:00 EST (23:00Z), then Sunday opens 08:00 EDT (12:00Z) → 13:00Z.
        let cal = every_day("America/New_York", &[("08:00", "18:00")]);
        assert_eq!(add_business_time(&cal, utc(2026, 3, 7, 22, 0), Duration::hours(2)), utc(2026, 3, 8, 13, 0));
        // And in the autumn: Sat 2026-10-31 17:00 EDT (21:00Z) + 2h → Sun 09:00 EST (14:00Z).
        assert_eq!(add_business_time(&cal, utc(2026, 10, 31, 21, 0), Duration::hours(2)), utc(2026, 11, 1, 14, 0));
        // A week across the change still counts 70 hours.
        assert_eq!(business_duration_between(&cal, utc(2026, 3, 5, 0, 0), utc(2026, 3, 12, 0, 0)), Duration::hours(70));
    }

    // --- Properties ---------------------------------------------------------------------------

    fn calendars() -> Vec<BusinessCalendar> {
        vec![
            office(),
            weekdays("Europe/London", &[("09:00", "12:00"), ("13:00", "17:30")], &["2026-04-03", "2026-04-06"]),
            weekdays("America/New_York", &[("08:00", "20:00")], &["2026-07-03"]),
            every_day("America/New_York", &[("00:30", "03:00"), ("22:00", "24:00")]),
            every_day("Europe/London", &[("00:00", "01:30"), ("02:00", "24:00")]),
            BusinessCalendar::twenty_four_seven(),
        ]
    }

    prop_compose! {
        /// An instant in 2025–2027 (spanning several clock changes), at minute precision.
        fn instant()(minutes in 0i64..(3 * 366 * 24 * 60)) -> DateTime<Utc> {
            utc(2025, 1, 1, 0, 0) + Duration::minutes(minutes)
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn add_then_between_is_the_identity(c in 0usize..6, start in instant(), minutes in 1i64..(120 * 24 * 60)) {
            let cal = &calendars()[c];
            let d = Duration::minutes(minutes);
            let due = add_business_time(cal, start, d);
            prop_assert!(due > start, "a due time is after the start");
            prop_assert_eq!(business_duration_between(cal, start, due), d);
        }

        #[test]
        fn added_time_lands_inside_hours_or_at_a_close(c in 0usize..6, start in instant(), minutes in 1i64..(30 * 24 * 60)) {
            let cal = &calendars()[c];
            let due = add_business_time(cal, start, Duration::minutes(minutes));
            // The instant just before the due time was open (it was counted).
            prop_assert!(cal.is_open_at(due - Duration::nanoseconds(1)));
            // And the result is the first such instant: one nanosecond less is not enough.
            prop_assert!(business_duration_between(cal, start, due - Duration::nanoseconds(1)) < Duration::minutes(minutes));
        }

        #[test]
        fn between_is_additive(c in 0usize..6, a in instant(), b in instant(), m in instant()) {
            let cal = &calendars()[c];
            let mut points = [a, b, m];
            points.sort();
            let [a, m, b] = points;
            prop_assert_eq!(
                business_duration_between(cal, a, b),
                business_duration_between(cal, a, m) + business_duration_between(cal, m, b)
            );
        }

        #[test]
        fn between_agrees_with_a_per_minute_count(c in 0usize..5, start in instant(), minutes in 0i64..(3 * 24 * 60)) {
            // Slow reference: count the minutes whose start is open (all bounds are whole minutes).
            let cal = &calendars()[c];
            let end = start + Duration::minutes(minutes);
            let open = (0..minutes).filter(|i| cal.is_open_at(start + Duration::minutes(*i))).count();
            prop_assert_eq!(business_duration_between(cal, start, end), Duration::minutes(open as i64));
        }

        #[test]
        fn week_jumps_agree_with_counting_day_by_day(c in 0usize..6, start in instant(), minutes in 0i64..(90 * 24 * 60)) {
            // Reference: the same span cut into pieces shorter than a week, so no piece can jump.
            let cal = &calendars()[c];
            let end = start + Duration::minutes(minutes);
            let mut piecewise = Duration::zero();
            let mut at = start;
            while at < end {
                let next = (at + Duration::hours(30)).min(end);
                piecewise += business_duration_between(cal, at, next);
                at = next;
            }
            prop_assert_eq!(business_duration_between(cal, start, end), piecewise);
        }

        #[test]
        fn closed_spans_count_nothing(start in instant(), hours in 0i64..(24 * 14)) {
            // Outside 09:00–17:00 on weekdays: from a close to the next opening counts zero.
            let cal = office();
            let at = start + Duration::hours(hours);
            let opening = next_opening(&cal, at);
            prop_assert_eq!(business_duration_between(&cal, at, opening), Duration::zero());
            prop_assert!(cal.is_open_at(opening));
            prop_assert!(opening.hour() >= 9 && opening.hour() < 17);
        }

        #[test]
        fn a_nine_to_five_day_is_eight_hours_all_year(day in 0u64..(3 * 365), c in 0usize..2) {
            // Clock changes at 01:00/02:00 never touch 09:00–17:00, so every open day is 8 real hours.
            let zone = ["Europe/London", "America/New_York"][c];
            let cal = every_day(zone, &[("09:00", "17:00")]);
            let date = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default() + Days::new(day);
            let from = cal.resolve(date, super::super::calendar::TimeOfDay::MIDNIGHT).unwrap_or_default();
            let to = cal.resolve(date, super::super::calendar::TimeOfDay::END_OF_DAY).unwrap_or_default();
            prop_assert_eq!(business_duration_between(&cal, from, to), Duration::hours(8));
        }

        #[test]
        fn an_all_day_calendar_counts_the_real_length_of_each_day(day in 0u64..(3 * 365), c in 0usize..2) {
            // 23, 24 or 25 hours: the same as the difference between the two local midnights.
            let zone = ["Europe/London", "America/New_York"][c];
            let cal = every_day(zone, &[("00:00", "12:00"), ("12:00", "24:00")]);
            let date = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default() + Days::new(day);
            let from = cal.resolve(date, super::super::calendar::TimeOfDay::MIDNIGHT).unwrap_or_default();
            let to = cal.resolve(date, super::super::calendar::TimeOfDay::END_OF_DAY).unwrap_or_default();
            let length = business_duration_between(&cal, from, to);
            prop_assert_eq!(length, to - from);
            prop_assert!([23, 24, 25].contains(&length.num_hours()) && length.num_minutes() % 60 == 0);
        }
    }
}
