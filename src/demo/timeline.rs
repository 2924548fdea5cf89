//! Demo timeline: takes the options and the organisation and returns the span and its
//! story dates (freezes, CI intervention, launch, migration, staffing, on-call, metric
//! definition change, the big incident), plus the `data/annotations.csv` text.

use super::clock::{push_date, push_field, Clock};
use super::org::Org;
use super::DemoOptions;
use crate::model::Ts;
use chrono::{Datelike, Days, Months, NaiveDate};

#[derive(Debug, Clone)]
pub struct Timeline {
    /// First and last (inclusive) day of data.
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub days: u32,
    /// Local midnight of `start` and of the day after `end` (exclusive), in UTC seconds.
    pub start_ts: Ts,
    pub stop_ts: Ts,
    /// Inclusive date ranges with (almost) no production deployments.
    pub freezes: Vec<(NaiveDate, NaiveDate)>,
    /// CI caching enabled for one team: its lead time drops after this day.
    pub intervention: (NaiveDate, usize),
    pub launch: (NaiveDate, usize),
    pub migration: (NaiveDate, NaiveDate, usize),
    pub staffing: (NaiveDate, usize),
    pub oncall: (NaiveDate, usize),
    /// Change failure rate starts counting incident-linked deployments.
    pub definition_change: NaiveDate,
    /// The sev-1 outage on the first service, inside the hourly SLI range.
    pub big_incident: NaiveDate,
    /// First day of hourly SLI data.
    pub hourly_from: NaiveDate,
}

impl Timeline {
    pub fn build(opts: &DemoOptions, clock: &Clock) -> Timeline {
        let end = opts.end;
        let start = span_start(end, opts.months);
        let days = (end - start).num_days() as u32 + 1;
        let at =
            |frac: f64| monday_on_or_before(start + Days::new((days as f64 * frac) as u64), start);
        let n = opts.teams as usize;
        let big_back = 40.min(days as u64 / 3);
        let definition_change = first_of_month(at(0.5)).max(start);
        let migration_from = at(0.25);
        Timeline {
            start,
            end,
            days,
            start_ts: clock.at_local(start, 0),
            stop_ts: clock.at_local(end + Days::new(1), 0),
            freezes: freezes(start, end, days),
            intervention: (at(0.42), 1 % n),
            launch: (at(0.65), 0),
            migration: (migration_from, at(0.38).max(migration_from), 2 % n),
            staffing: (at(0.55), 3 % n),
            oncall: (at(0.72), 2 % n),
            definition_change,
            big_incident: end - Days::new(big_back),
            hourly_from: end - Days::new(91.min(days as u64 - 1)),
        }
    }

    /// Day index (0-based) of a date within the span.
    pub fn day_index(&self, d: NaiveDate) -> i64 {
        (d - self.start).num_days()
    }

    pub fn date(&self, day: u32) -> NaiveDate {
        self.start + Days::new(day as u64)
    }

    pub fn in_freeze(&self, d: NaiveDate) -> bool {
        self.freezes.iter().any(|(a, b)| *a <= d && d <= *b)
    }

    /// Fraction of the span elapsed at day `day`, 0..1.
    pub fn progress(&self, day: u32) -> f64 {
        day as f64 / self.days.max(1) as f64
    }

    /// The latest instant with data: one second before the end of the last day.
    pub fn last_ts(&self) -> Ts {
        self.stop_ts - 1
    }
}

/// `months` whole months ending with `end`: 18 months to 2026-09-30 start 2025-04-01.
pub fn span_start(end: NaiveDate, months: u32) -> NaiveDate {
    let after = end + Days::new(1);
    after
        .checked_sub_months(Months::new(months.max(1)))
        .unwrap_or(end)
}

fn monday_on_or_before(d: NaiveDate, floor: NaiveDate) -> NaiveDate {
    let back = d.weekday().num_days_from_monday() as u64;
    (d - Days::new(back)).max(floor)
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// Year-end holiday freezes (20 Dec to 2 Jan) that fall inside the span, clipped; if there
/// is none and the span is long enough, one week mid-span.
fn freezes(start: NaiveDate, end: NaiveDate, days: u32) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    for y in start.year() - 1..=end.year() {
        let (a, b) = (ymd(y, 12, 20), ymd(y + 1, 1, 2));
        if b >= start && a <= end {
            out.push((a.max(start), b.min(end)));
        }
    }
    out.retain(|(a, b)| (*b - *a).num_days() >= 3);
    if out.is_empty() && days >= 30 {
        let a = start + Days::new(days as u64 / 2);
        out.push((a, a + Days::new(6)));
    }
    out
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// One row of `data/annotations.csv`.
struct Note {
    date: NaiveDate,
    end: Option<NaiveDate>,
    scope: String,
    kind: &'static str,
    title: String,
    link: &'static str,
}

fn note(
    date: NaiveDate,
    end: Option<NaiveDate>,
    scope: &str,
    kind: &'static str,
    title: String,
    link: &'static str,
) -> Note {
    Note {
        date,
        end,
        scope: scope.to_string(),
        kind,
        title,
        link,
    }
}

fn notes(tl: &Timeline, org: &Org, big_incident: Option<&str>) -> Vec<Note> {
    let team = |i: usize| &org.teams[i];
    let mut rows = Vec::new();
    for (a, b) in &tl.freezes {
        let title = if a.month() == 12 || b.month() == 1 {
            "Year-end deploy freeze: production changes need a director's approval"
        } else {
            "Deploy freeze for the data-centre move"
        };
        rows.push(note(
            *a,
            Some(*b),
            "org",
            "freeze",
            title.into(),
            "https://wiki.example.com/eng/deploy-freeze",
        ));
    }
    let (d, t) = tl.intervention;
    let title = format!(
        "CI caching enabled for {}: build times cut from 25 to 8 minutes",
        team(t).name
    );
    rows.push(note(
        d,
        None,
        &team(t).id,
        "intervention",
        title,
        "https://wiki.example.com/eng/ci-caching",
    ));
    let (d, t) = tl.launch;
    let svc = &org.services[team(t).services[0]].id;
    rows.push(note(
        d,
        None,
        svc,
        "launch",
        format!("{svc} v2 launched to all customers"),
        "",
    ));
    let (a, b, t) = tl.migration;
    let title = "Database migration to PostgreSQL 16, one service at a time".to_string();
    rows.push(note(
        a,
        Some(b),
        &team(t).id,
        "migration",
        title,
        "https://wiki.example.com/eng/pg16",
    ));
    let (d, t) = tl.staffing;
    let title = format!(
        "Two engineers joined {}; one moved to another team",
        team(t).name
    );
    rows.push(note(d, None, &team(t).id, "staffing", title, ""));
    let (d, t) = tl.oncall;
    let title =
        "On-call moved to a follow-the-sun rotation; noisy alerts replaced by SLO burn-rate alerts";
    rows.push(note(d, None, &team(t).id, "oncall", title.into(), ""));
    let title = "Change failure rate now also counts deployments linked to incidents (v2)";
    rows.push(note(
        tl.definition_change,
        None,
        "org",
        "definition",
        title.into(),
        "",
    ));
    if let Some(id) = big_incident {
        let svc = &org.services[0].id;
        let title = format!("{id}: {svc} outage, failed payments for four hours");
        rows.push(note(tl.big_incident, None, svc, "incident", title, ""));
    }
    rows.sort_by(|a, b| (a.date, &a.scope, a.kind).cmp(&(b.date, &b.scope, b.kind)));
    rows
}

/// `data/annotations.csv`: `date,end_date,scope,kind,title,link`.
pub fn annotations_csv(tl: &Timeline, org: &Org, big_incident: Option<&str>) -> String {
    let mut s = String::from("date,end_date,scope,kind,title,link\n");
    for n in notes(tl, org, big_incident) {
        push_date(&mut s, n.date);
        s.push(',');
        if let Some(e) = n.end {
            push_date(&mut s, e);
        }
        s.push(',');
        push_field(&mut s, &n.scope);
        s.push(',');
        s.push_str(n.kind);
        s.push(',');
        push_field(&mut s, &n.title);
        s.push(',');
        push_field(&mut s, n.link);
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_covers_whole_months() {
        let end = ymd(2026, 9, 30);
        // 2026-10-01 minus 18 months is 2025-04-01.
        assert_eq!(span_start(end, 18), ymd(2025, 4, 1));
        assert_eq!(span_start(end, 1), ymd(2026, 9, 1));
    }

    #[test]
    fn year_end_freeze_is_inside_the_span() {
        let f = freezes(ymd(2025, 4, 1), ymd(2026, 9, 30), 548);
        assert_eq!(f, vec![(ymd(2025, 12, 20), ymd(2026, 1, 2))]);
        // A summer-only span gets a mid-span week instead.
        let g = freezes(ymd(2026, 4, 1), ymd(2026, 9, 30), 183);
        assert_eq!(g, vec![(ymd(2026, 7, 1), ymd(2026, 7, 7))]);
    }
}
