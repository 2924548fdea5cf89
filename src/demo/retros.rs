//! Demo retros: takes the incidents, organisation, timeline and clock and returns
//! `content/retros/<incident_id>.md` files (TOML front matter mostly, YAML for a few)
//! with action items and a blameless-retro markdown body.

use super::clock::{push_date, quoted, Clock};
use super::delivery::{deploy_id, Deploy};
use super::incidents::Incident;
use super::org::Org;
use super::prose;
use super::rng::Rng;
use super::timeline::Timeline;
use crate::model::{Ts, DAY, HOUR};
use crate::output::OutputFile;
use chrono::{Days, NaiveDate};
use std::fmt::Write;

struct Item {
    title: String,
    team: String,
    due: NaiveDate,
    done: Option<NaiveDate>,
}

pub fn generate(
    seed: u64,
    org: &Org,
    tl: &Timeline,
    clock: &Clock,
    incidents: &[Incident],
    deploys: &[Deploy],
) -> Vec<OutputFile> {
    let mut out = Vec::new();
    for (k, inc) in incidents.iter().enumerate() {
        let mut rng = Rng::stream(seed, "retro", k as u64);
        let Some(resolved) = inc.resolved else {
            continue;
        };
        let wanted = match inc.severity {
            _ if inc.big => true,
            1 | 2 => rng.bernoulli(0.9),
            3 => rng.bernoulli(0.45),
            _ => false,
        };
        if !wanted {
            continue;
        }
        let delay = if rng.bernoulli(0.85) {
            (rng.lognormal(30.0, 0.6).min(70.0) * HOUR as f64) as i64
        } else {
            rng.range(80 * HOUR, 14 * DAY)
        };
        let published = (resolved + delay) / 60 * 60;
        if published > tl.last_ts() {
            continue;
        }
        let items = action_items(&mut rng, inc, org, tl, clock.local_date(published));
        let yaml = rng.bernoulli(0.1);
        let mut rep_rng = Rng::stream(seed, "retro-repeats", k as u64);
        let repeats = repeated(&incidents[..k], inc).filter(|_| rep_rng.bernoulli(0.2));
        let front = Front {
            inc,
            published,
            items: &items,
            repeats,
        };
        let mut text = if yaml {
            yaml_front(&front, clock)
        } else {
            toml_front(&front, clock)
        };
        body(&mut text, &mut rng, inc, org, clock, &items, deploys);
        if let Some(r) = repeats {
            let line = rep_rng.pick(prose::REPEATS);
            let _ = writeln!(
                text,
                "\n## A repeat\n\n{}",
                line.replace("{id}", &r.id)
                    .replace("{date}", &clock.local_date(r.started).to_string())
                    .replace("{svc}", &org.services[inc.service as usize].id)
            );
        }
        out.push(OutputFile::new(
            format!("content/retros/{}.md", inc.id),
            text,
        ));
    }
    out
}

/// The latest incident of `earlier` (sorted by start) on the same service and of the same
/// cause category as `inc` that started within 90 days before it: the one a retro author
/// would recognise as the same failure coming back.
fn repeated<'a>(earlier: &'a [Incident], inc: &Incident) -> Option<&'a Incident> {
    earlier
        .iter()
        .rev()
        .take_while(|e| e.started >= inc.started - 90 * DAY)
        .find(|e| e.service == inc.service && e.cause == inc.cause && e.started < inc.started)
}

fn retro_title(inc: &Incident) -> String {
    format!("Retro: {}", inc.title)
}

fn action_items(
    rng: &mut Rng,
    inc: &Incident,
    org: &Org,
    tl: &Timeline,
    published: NaiveDate,
) -> Vec<Item> {
    let owner = org.services[inc.service as usize].team;
    let n = match inc.severity {
        1 => rng.range(3, 5),
        2 => rng.range(2, 4),
        _ => rng.range(1, 3),
    } as usize;
    let pool = prose::actions(inc.cause);
    let first = rng.below(pool.len() as u64) as usize;
    (0..n)
        .map(|j| {
            let team = if rng.bernoulli(0.8) {
                owner
            } else {
                rng.below(org.teams.len() as u64) as usize
            };
            let due = published + Days::new(rng.range(7, 45) as u64);
            let title = if j < pool.len() {
                pool[(first + j) % pool.len()].to_string()
            } else {
                format!(
                    "Review the {} runbook with the on-call rotation",
                    org.services[inc.service as usize].id
                )
            };
            Item {
                title,
                team: org.teams[team].id.clone(),
                due,
                done: done_date(rng, published, due, tl.end),
            }
        })
        .collect()
}

/// Most items are done on time, some late, a few open past their due date; items due
/// after the end of the data are often still open.
fn done_date(
    rng: &mut Rng,
    published: NaiveDate,
    due: NaiveDate,
    end: NaiveDate,
) -> Option<NaiveDate> {
    let lead = (due - published).num_days().max(1);
    let done = if due > end {
        if rng.bernoulli(0.6) {
            return None;
        }
        published + Days::new(rng.range(1, lead) as u64)
    } else {
        match rng.weighted(&[75.0, 17.0, 8.0]) {
            0 => due - Days::new(rng.range(0, lead - 1) as u64),
            1 => due + Days::new(rng.range(1, 30) as u64),
            _ => return None,
        }
    };
    (done <= end).then_some(done)
}

fn push_ts(s: &mut String, clock: &Clock, ts: Ts) {
    clock.push_local(s, ts);
}

/// What a retro's front matter says.
struct Front<'a> {
    inc: &'a Incident,
    published: Ts,
    items: &'a [Item],
    /// The earlier incident the retro names in `repeats`.
    repeats: Option<&'a Incident>,
}

fn toml_front(f: &Front, clock: &Clock) -> String {
    let (inc, published, items, repeats) = (f.inc, f.published, f.items, f.repeats);
    let mut s = String::from("+++\n");
    let _ = writeln!(s, "title = {}", quoted(&retro_title(inc)));
    let _ = writeln!(s, "incident = {}", quoted(&inc.id));
    s.push_str("published_at = ");
    push_ts(&mut s, clock, published);
    s.push('\n');
    if let Some(r) = repeats {
        let _ = writeln!(s, "repeats = [{}]", quoted(&r.id));
    }
    for it in items {
        let _ = write!(
            s,
            "\n[[action_items]]\ntitle = {}\nteam = {}\ndue = ",
            quoted(&it.title),
            quoted(&it.team)
        );
        push_date(&mut s, it.due);
        if let Some(d) = it.done {
            s.push_str("\ndone = ");
            push_date(&mut s, d);
        }
        s.push('\n');
    }
    s.push_str("+++\n\n");
    s
}

fn yaml_front(f: &Front, clock: &Clock) -> String {
    let (inc, published, items, repeats) = (f.inc, f.published, f.items, f.repeats);
    let mut s = String::from("---\n");
    let _ = writeln!(s, "title: {}", quoted(&retro_title(inc)));
    let _ = writeln!(s, "incident: {}", quoted(&inc.id));
    if let Some(r) = repeats {
        let _ = writeln!(s, "repeats:\n  - {}", quoted(&r.id));
    }
    s.push_str("published_at: ");
    push_ts(&mut s, clock, published);
    s.push_str("\naction_items:\n");
    for it in items {
        let _ = write!(
            s,
            "  - title: {}\n    team: {}\n    due: ",
            quoted(&it.title),
            quoted(&it.team)
        );
        push_date(&mut s, it.due);
        if let Some(d) = it.done {
            s.push_str("\n    done: ");
            push_date(&mut s, d);
        }
        s.push('\n');
    }
    s.push_str("---\n\n");
    s
}

/// "47 minutes", "3 hours 20 minutes", "2 days 4 hours".
pub fn human_duration(secs: i64) -> String {
    let m = (secs / 60).max(1);
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match m {
        m if m < 60 => plural(m, "minute"),
        m if m < 48 * 60 && m % 60 == 0 => plural(m / 60, "hour"),
        m if m < 48 * 60 => format!("{} {}", plural(m / 60, "hour"), plural(m % 60, "minute")),
        m => format!(
            "{} {}",
            plural(m / 1440, "day"),
            plural(m % 1440 / 60, "hour")
        ),
    }
}

fn hhmm(clock: &Clock, ts: Ts, day_of: NaiveDate) -> String {
    let t = clock.fmt_local(ts);
    if clock.local_date(ts) == day_of {
        t[11..16].to_string()
    } else {
        format!("{} {}", &t[..10], &t[11..16])
    }
}

fn dep_id(d: u32) -> String {
    let mut s = String::new();
    deploy_id(&mut s, d);
    s
}

struct Ctx<'a> {
    inc: &'a Incident,
    svc: &'a str,
    team: &'a str,
    resolved: Ts,
    day: NaiveDate,
    detected_by: &'static str,
}

fn body(
    s: &mut String,
    rng: &mut Rng,
    inc: &Incident,
    org: &Org,
    clock: &Clock,
    items: &[Item],
    deploys: &[Deploy],
) {
    let service = &org.services[inc.service as usize];
    let cx = Ctx {
        inc,
        svc: &service.id,
        team: &org.teams[service.team].name,
        resolved: inc.resolved.unwrap_or(inc.acknowledged),
        day: clock.local_date(inc.started),
        detected_by: prose::DETECTED_BY[rng.below(prose::DETECTED_BY.len() as u64) as usize],
    };
    summary(s, rng, &cx);
    timeline(s, rng, &cx, clock, deploys);
    lists(s, rng, inc.cause, items);
}

fn summary(s: &mut String, rng: &mut Rng, cx: &Ctx) {
    let inc = cx.inc;
    let symptom = if inc.big {
        "rejected most payment requests after a release changed how card tokens are validated"
    } else {
        rng.pick(prose::symptoms(inc.cause))
    };
    let (svc, day, how_long) = (cx.svc, cx.day, human_duration(cx.resolved - inc.started));
    let _ = writeln!(s, "## Summary\n");
    let _ = if rng.bernoulli(0.5) {
        write!(s, "For {how_long} on {day}, {svc} {symptom}. ")
    } else {
        write!(
            s,
            "On {day}, {svc} {symptom}; users were affected for {how_long}. "
        )
    };
    let _ = write!(
        s,
        "It was a severity {} incident, detected {} {} after it began. ",
        inc.severity,
        cx.detected_by,
        human_duration(inc.detected - inc.started)
    );
    if let Some(d) = inc.caused_by {
        let _ = write!(s, "The trigger was deployment `{}`. ", dep_id(d));
    }
    let _ = writeln!(
        s,
        "The {} team led the response. This review looks at how our systems and processes allowed it to happen; it does not assign blame.\n",
        cx.team
    );
}

fn timeline(s: &mut String, rng: &mut Rng, cx: &Ctx, clock: &Clock, deploys: &[Deploy]) {
    let inc = cx.inc;
    let _ = writeln!(s, "## Timeline\n\nAll times are local (Europe/Berlin).\n");
    if let Some(d) = inc.caused_by {
        let at = hhmm(clock, deploys[d as usize].at, cx.day);
        let _ = writeln!(
            s,
            "- **{at}**: deployment `{}` reaches production.",
            dep_id(d)
        );
    }
    let mitigation = inc.acknowledged + (cx.resolved - inc.acknowledged) * 2 / 3;
    let lines = [
        (
            inc.started,
            format!("the first errors appear on {}.", cx.svc),
        ),
        (
            inc.detected,
            format!("the incident is detected {}.", cx.detected_by),
        ),
        (
            inc.acknowledged,
            "the on-call engineer acknowledges the page and opens an incident channel.".into(),
        ),
        (
            mitigation,
            format!("{}.", rng.pick(prose::mitigations(inc.cause))),
        ),
        (
            cx.resolved,
            "metrics are back to normal; the incident is resolved.".into(),
        ),
    ];
    for (ts, what) in lines {
        let _ = writeln!(s, "- **{}**: {what}", hhmm(clock, ts, cx.day));
    }
}

/// Contributing factors, what went well, and the action items as a checklist.
fn lists(s: &mut String, rng: &mut Rng, cause: usize, items: &[Item]) {
    let _ = writeln!(s, "\n## Contributing factors\n");
    let pool = prose::factors(cause);
    let n = (rng.range(2, 3) as usize).min(pool.len());
    let first = rng.below(pool.len() as u64) as usize;
    for j in 0..n {
        let _ = writeln!(s, "- {}", pool[(first + j) % pool.len()]);
    }
    let _ = writeln!(s, "\n## What went well\n");
    let well = prose::WENT_WELL;
    let first = rng.below(well.len() as u64) as usize;
    for j in 0..2 {
        let _ = writeln!(s, "- {}", well[(first + j * 3) % well.len()]);
    }
    let _ = writeln!(s, "\n## Action items\n");
    for it in items {
        let mark = if it.done.is_some() { "x" } else { " " };
        let _ = writeln!(
            s,
            "- [{mark}] {} (owner: {}, due {})",
            it.title, it.team, it.due
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_duration(47 * 60), "47 minutes");
        assert_eq!(human_duration(3 * 3600 + 20 * 60), "3 hours 20 minutes");
        assert_eq!(human_duration(3600), "1 hour");
        assert_eq!(human_duration(2 * 86_400 + 4 * 3600), "2 days 4 hours");
    }

    #[test]
    fn done_dates_never_pass_the_end() {
        let mut rng = Rng::new(1);
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        for _ in 0..2000 {
            if let Some(done) = done_date(&mut rng, d(9, 1), d(9, 20), d(9, 30)) {
                assert!(done <= d(9, 30) && done > d(9, 1));
            }
        }
    }
}
